"""Numbers in failures: six significant digits in the reports and in messages (more
where six would print two different values alike), every digit kept in ``--json``."""

import re

import sympy

from derive.check.shown import pair, rounded, significant
from derive.check.summary import results_json
from derive.check.verdict import Verdict
from derive.latex.printer import latex
from derive.report.filters import shown_expected, shown_residual
from derive.report.render import render_latex, render_markdown
from tests.rules.derivations import derivation, step


def digits(number: str) -> int:
    """Significant digits of a decimal number as written."""
    mantissa = re.sub(r"[eE].*", "", number).lstrip("-+").replace(".", "").lstrip("0")
    return len(mantissa)


def test_a_number_in_six_significant_digits():
    assert significant("-2.13273631118") == "-2.13274"
    assert significant("0.000123456789") == "0.000123457"
    assert significant("3") == "3"
    assert significant("1.5 + 0.2*I") == "1.5 + 0.2*I"    # not a decimal: as it is
    assert significant(r"\frac{1}{2}") == r"\frac{1}{2}"


def test_two_values_print_apart():
    assert pair(sympy.Float("0.124688896213", 15), sympy.Float("1.9392071628", 15)) == \
        ("0.124689", "1.93921")
    assert pair(sympy.Float("1.00000001", 15), sympy.Float("1.00000002", 15)) == \
        ("1.00000001", "1.00000002")


def test_floats_inside_an_expression_are_rounded_by_sympy():
    x = sympy.Symbol("x")
    assert str(rounded(sympy.Float("0.693147180559945", 15) * x + sympy.Rational(1, 3))) == \
        "0.693147*x + 1/3"
    assert rounded(x / 3) == x / 3


def test_the_expected_value_is_shown_rounded_only_if_it_is_what_was_printed():
    x = sympy.Symbol("x")
    value = sympy.Float("0.693147180559945", 15) * x
    verdict = Verdict.failed("wrong", expected=latex(value), expected_value=value,
                             residual=latex(value - 1), residual_value=value - 1)
    assert "0.693147180559945" in verdict.expected
    assert shown_expected(verdict) == "0.693147 x"
    assert "0.693147 x" in shown_residual(verdict) and "180559945" not in shown_residual(verdict)
    replaced = Verdict.failed("wrong", expected="y = 0.693147180559945 x", expected_value=value)
    assert shown_expected(replaced) == "y = 0.693147180559945 x"


def test_a_real_failure_in_the_reports_and_in_json():
    result = derivation(step("1", r"y = \exp(x)", "given for all x"),
                        step("2", r"\frac{\partial y}{\partial x} = 2 \exp(x)",
                             "differentiate (1)"))
    link = result.result("2").links[0]
    assert link.verdict.counterexample, link.verdict
    full = dict(link.verdict.counterexample)
    assert any(digits(v) > 6 for v in full.values())                   # as the engine has it
    data = results_json([result])["derivations"][0]["steps"][1]["links"][0]
    assert data["counterexample"] == full                               # JSON keeps them
    for number in re.findall(r"\d+\.\d+", link.verdict.reason):
        assert digits(number) <= 6, link.verdict.reason
    for text in (render_markdown(result, labels="en"), render_latex(result)):
        shown = text[text.index("counterexample:"):].splitlines()[0]
        numbers = re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", shown)
        assert numbers and all(digits(n) <= 6 for n in numbers), shown
