"""The conclusion section's data: errata with their corrections, assumptions each once
by meaning, constants with their notes, what was taken without proof."""

import pytest

from fabricated import fabricate
from derive.check.verdict import Verdict
from derive.document.loader import loads
from derive.report.conclusion import conclusion_of, distinct_assumptions, meaning

SCOPE_FILE = r"""
[meta]
title = "t"
[symbols]
'\epsilon' = "real"
'\sigma' = "positive"
'x' = "real"
'a' = "positive"
'K' = "positive integer"
'm' = "positive integer"
[functions]
'p(\epsilon)' = "positive"
[[step]]
tag = "1"
latex = 'x = a'
by = "given"
"""


@pytest.fixture(scope="module")
def scope():
    return loads(SCOPE_FILE, "t.toml", known_rules={"given"}).scope


@pytest.mark.parametrize("written, kept", [
    # one statement spelt two ways: the declaration's spelling is kept
    ([r"\epsilon \in (-\infty, \infty)", r"\epsilon \in \mathbb{R}"], [r"\epsilon \in \mathbb{R}"]),
    ([r"\sigma > 0", r"\sigma \in (0, \infty)"], [r"\sigma > 0"]),
    ([r"\sigma \in (0, \infty)", r"\sigma > 0"], [r"\sigma \in (0, \infty)"]),
    # one implied by another is no news
    ([r"x \in \mathbb{R}", r"x \in (0, 1)"], [r"x \in (0, 1)"]),
    ([r"m > 0", r"m \in \mathbb{Z}", r"m \in \{1, \dots, K\}"], [r"m \in \{1, \dots, K\}"]),
    # different statements all stay
    ([r"x \in (0, 2)", r"x \in (1, 3)"], [r"x \in (0, 2)", r"x \in (1, 3)"]),
    ([r"x \in [0, 1]", r"x \in (0, 1)"], [r"x \in (0, 1)"]),
    ([r"a > 0", r"x > 0"], [r"a > 0", r"x > 0"]),
    ([r"K > 0", r"K \in \mathbb{Z}"], [r"K > 0", r"K \in \mathbb{Z}"]),
    ([r"p\left(\epsilon\right) > 0", r"\epsilon > 0"], [r"p\left(\epsilon\right) > 0",
                                                        r"\epsilon > 0"]),
    # what is not a statement about one subject is compared by its text
    ([r"\int p\left(\epsilon\right) d\epsilon \text{ converges}",
      r"\int  p\left(\epsilon\right) d\epsilon \text{ converges}", r"x = a"],
     [r"\int p\left(\epsilon\right) d\epsilon \text{ converges}", r"x = a"]),
])
def test_assumptions_are_listed_once_by_meaning(scope, written, kept):
    assert list(distinct_assumptions(written, scope)) == kept


def test_an_assumption_is_read_as_a_set_of_values(scope):
    subject, values = meaning(r"\epsilon \in (-\infty, \infty)", scope)
    assert subject == scope.symbols[r"\epsilon"]
    assert values == meaning(r"\epsilon \in \mathbb{R}", scope)[1]
    assert meaning(r"\sigma > 0", scope)[1] == meaning(r"\sigma \in (0, \infty)", scope)[1]
    assert meaning(r"x \in [0, 1)", scope)[1].contains(0)
    assert meaning(r"x \in (0, 1)", scope)[1].contains(0) is sympy_false()
    assert meaning(r"x = a", scope) is None


def sympy_false():
    import sympy
    return sympy.false


def test_the_mse_conclusion(mse_result):
    conclusion = conclusion_of(mse_result)
    assert conclusion.step.step.tag == "17"
    [erratum] = conclusion.errata
    assert erratum.printed.step.tag == "8"
    assert [r.step.tag for r in erratum.corrections] == ["6'", "7'", "8'"]
    assert "the sign of λ₁ε² flips" in erratum.note
    [constant] = conclusion.declared
    assert constant.latex == "I = 1"
    assert "identity" in constant.note
    assert "I = 1" not in conclusion.assumptions


def test_a_constant_is_not_also_an_assumption(mse_document):
    result = fabricate(mse_document)
    result.assumptions = [r"\sigma > 0", "I = 1", r"\sigma \in (0, \infty)"]
    conclusion = conclusion_of(result)
    assert conclusion.assumptions == (r"\sigma > 0",)
    assert [d.latex for d in conclusion.declared] == ["I = 1"]


def test_links_taken_on_trust_inside_checked_steps_are_named(mse_document):
    result = fabricate(mse_document)
    for tag in ("7", "7'"):
        result.result(tag).links[1].verdict = Verdict.assumed("stationarity")
    trusted = {(t.tag, t.index, t.rule) for t in conclusion_of(result).trusted}
    assert ("7'", 1, "stationary") in trusted
    assert not any(tag == "7" for tag, _, _ in trusted)      # not ground: (8) is an erratum


def test_an_erratum_that_holds_or_is_undecided_is_not_called_confirmed(mse_document):
    from derive.check.verdict import Status
    from derive.report.render import render_markdown
    result = fabricate(mse_document, failing={"8": Verdict.failed("wrong")})
    [erratum] = conclusion_of(result).errata
    assert erratum.standing == "confirmed"
    result.result("8").status = Status.PROVED
    [erratum] = conclusion_of(result).errata
    assert erratum.standing == "holds"
    assert "[(8)](#eq-8) was marked as wrong but holds" in render_markdown(result, labels="en")
    result.result("8").status = Status.UNDECIDED
    assert conclusion_of(result).errata[0].standing == "unsettled"
