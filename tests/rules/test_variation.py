"""variation: functional derivatives by the Euler-Lagrange and chain rules, the range
of the integrals against the declared domain, and the numeric Gateaux cross-check
that every proof must pass."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy

from derive.check.engine import check_document, check_step, dependencies
from derive.check.functional import Unsupported, functional_derivative
from derive.check.gateaux import cross_check
from derive.check.verdict import Status
from derive.document.loader import load, loads
from tests.rules import derivations
from tests.rules.derivations import step

EQUATIONS = Path(__file__).resolve().parents[2] / "equations"

# HEADER, plus a kernel and a point variable declared positive
HEADER = derivations.HEADER.replace("[functions]\n", """[functions]
'K(t, y)' = "real"
""").replace("[symbols]\n", """[symbols]
'r' = "positive"
""").replace("[domains]\n", """[domains]
'y' = ['-\\infty', '\\infty']
""")


def last(*steps: str):
    """The result of the last step, checked with HEADER above."""
    document = loads(HEADER + "\n".join(steps), "test.toml")
    return check_document(document, time_limit=120.0).steps[-1]


def defines(latex: str) -> str:
    return step("1", latex, "definition")


def claims(rhs: str, point: str = "p(t)") -> str:
    return step("2", rf"\frac{{\delta F}}{{\delta {point}}} = {rhs}", "variation of (1)")


D1 = r"\frac{\partial p(t)}{\partial t}"
D2 = r"\frac{\partial \frac{\partial p(t)}{\partial t}}{\partial t}"


# -- true claims: proved and cross-checked -----------------------------------------------
@pytest.mark.parametrize("functional, derivative", [
    # entropy with a gradient term: p' enters through Euler-Lagrange, -d/dt p'
    (rf"F(p) = \int \frac{{1}}{{2}} \left({D1}\right)^2 dt", rf"-{D2}"),
    (rf"F(p) = -\int p(t) \log p(t) dt - \int \frac{{1}}{{2}} \left({D1}\right)^2 dt",
     rf"-\log p(t) - 1 + {D2}"),
    # the chain rule over integrals
    (r"F(p) = \log \left( \int p(t)^2 dt \right)", r"\frac{2 p(t)}{\int p(y)^2 dy}"),
    (r"F(p) = \left( \int p(t) dt \right)^2", r"2 \int p(y) dy"),
    (r"F(p) = \int \sigma t^2 p(t) dt", r"\sigma t^2"),
    # relative entropy against another (sampled) density; a gradient term that integrates
    # to a constant, so that its derivative vanishes
    (r"F(p) = \int p(t) \log \frac{p(t)}{q(t | \theta)} dt",
     r"\log \frac{p(t)}{q(t | \theta)} + 1"),
    (rf"F(p) = \int p(t) {D1} dt", "0"),
    # p at a scaled point: the change of variables brings a factor 1/2
    (r"F(p) = \int p(2 t)^2 dt", "p(t)"),
])
def test_true_variations_are_proved(functional, derivative):
    result = last(defines(functional), claims(derivative))
    assert result.status is Status.PROVED, result.reason
    assert "cross-checked numerically" in result.links[0].verdict.method


def test_the_shipped_variations_are_proved():
    # only the variation steps are checked: each reads the steps before it, not their
    # verdicts (the whole derivations are checked once, by tests/report/shipped.py)
    for name, tags in [("why-mse.toml", ["7", "7'"]), ("max-entropy-normal.toml", ["3"])]:
        document = load(EQUATIONS / name)
        for tag in tags:
            index = next(k for k, s in enumerate(document.steps) if s.tag == tag)
            earlier = dependencies(document.steps[index],
                                   {s.tag: s for s in document.steps[:index]})
            result = check_step(document.steps[index], earlier, document.scope, 120.0)
            first = result.links[0]
            assert first.rule == "variation"
            assert first.verdict.status is Status.PROVED, (name, tag, first.verdict.reason)
            assert "cross-checked numerically" in first.verdict.method


def test_a_functional_with_extra_arguments():
    lagrangian = step("1", r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt "
                           r"+ \mu \left( \int p(t) dt - 1 \right)", "definition")
    good = step("2", r"\frac{\delta \mathcal{L}}{\delta p(t)} = -\log p(t) - 1 + \mu",
                "variation of (1)")
    assert last(lagrangian, good).status is Status.PROVED
    other = step("2", r"\frac{\delta \mathcal{L}}{\delta g(t)} = 0", "variation of (1)")
    result = last(lagrangian, other)
    assert result.status is Status.FAILED
    assert "is not a functional of" in result.reason


# -- false claims: failed with the numbers, or undecided with the reason ------------------
@pytest.mark.parametrize("functional, derivative", [
    # the p' term ignored
    (rf"F(p) = \int \left( p(t) \log p(t) + \frac{{1}}{{2}} \left({D1}\right)^2 \right) dt",
     r"\log p(t) + 1"),
    # a wrong sign of the Euler-Lagrange term
    (rf"F(p) = \int \frac{{1}}{{2}} \left({D1}\right)^2 dt", D2),
    # a wrong factor
    (rf"F(p) = \int \frac{{1}}{{2}} \left({D1}\right)^2 dt", rf"-2 {D2}"),
    # (\int p)^2 differentiated as if it were \int p
    (r"F(p) = \left( \int p(t) dt \right)^2", r"\int p(y) dy"),
    (r"F(p) = \left( \int p(t) dt \right)^2", "1"),
])
def test_false_variations_fail(functional, derivative):
    result = last(defines(functional), claims(derivative))
    assert result.status is Status.FAILED
    assert "different" in result.reason or "disagrees" in result.reason


def test_a_non_symmetric_kernel_is_not_twice_the_kernel():
    functional = defines(r"F(p) = \int \int K(t, y) p(t) p(y) dt dy")
    result = last(functional, claims(r"2 \int K(t, y) p(y) dy"))
    assert result.status is Status.FAILED
    assert "the functional derivative is different" in result.reason
    # the symmetrised kernel is right, but a double integral cannot be cross-checked
    result = last(functional, claims(r"\int (K(t, y) + K(y, t)) p(y) dy"))
    assert result.status is Status.UNDECIDED
    assert "cannot be cross-checked numerically" in result.reason
    assert "multiple integral" in result.reason


def test_the_numeric_check_refutes_what_sympy_gets_wrong():
    # the cross-check alone: it knows nothing of Euler-Lagrange
    t = sympy.Symbol("t", real=True)
    p = sympy.Function("p", positive=True)
    functional = sympy.Integral(p(t) * sympy.log(p(t)) + sympy.Derivative(p(t), t) ** 2 / 2,
                                (t, -sympy.oo, sympy.oo))
    ignored, right = sympy.log(p(t)) + 1, sympy.log(p(t)) + 1 - sympy.Derivative(p(t), (t, 2))
    wrong, good = cross_check(functional, [ignored, right], p, t, (-sympy.oo, sympy.oo))
    assert wrong.agree is False and wrong.directional and wrong.projected and wrong.p is not None
    assert good.agree is True


def test_a_finite_interval_holds_only_inside():
    functional = defines(r"F(p) = \int_{0}^{1} p(t)^2 dt")
    result = last(functional, claims("2 p(t)"))
    assert result.status is Status.UNDECIDED
    assert r"only for $t \in (0, 1)$" in result.reason
    # wrong inside the range: failed, whatever happens outside
    result = last(functional, claims("3 p(t)"))
    assert result.status is Status.FAILED


def test_integrals_over_different_ranges_are_undecided():
    result = last(defines(r"F(p) = \int p(t)^2 dt + \int_{0}^{1} p(t) dt"), claims("2 p(t) + 1"))
    assert result.status is Status.UNDECIDED
    assert "different ranges" in result.reason


def test_an_integral_beyond_the_declared_domain_is_undecided():
    result = last(defines(r"F(p) = \int_{-\infty}^{\infty} p(r)^2 dr"), claims("2 p(r)", "p(r)"))
    assert result.status is Status.UNDECIDED
    assert "beyond its declared domain" in result.reason


def test_a_shifted_argument_changes_variables():
    functional = defines(r"F(p) = \int p(t + 1)^2 dt")
    assert last(functional, claims("2 p(t)")).status is Status.PROVED
    result = last(functional, claims("2 p(t + 1)"))
    assert result.status is Status.FAILED


def test_p_at_a_point_that_is_no_shift_is_refused_but_refuted_numerically():
    t, x = sympy.Symbol("t", real=True), sympy.Dummy("x")
    p = sympy.Function("p", positive=True)
    functional = sympy.Integral(p(t**2) * sympy.exp(-t**2), (t, -sympy.oo, sympy.oo))
    with pytest.raises(Unsupported) as error:
        functional_derivative(functional, p, x)
    assert error.value.render(str) == ("the integrand uses p(t**2), not the function at "
                                       "an integration variable (or a shift of one)")
    # the rule: the derivative is exp(-t)/sqrt(t) for t > 0 and 0 for t < 0, not this
    result = last(defines(r"F(p) = \int p(t^2) \exp(-t^2) dt"), claims(r"\exp(-t^2)"))
    assert result.status is Status.FAILED
    assert "disagrees with the numeric directional derivative" in result.reason


def test_a_premise_that_is_not_an_equation_is_refused():
    result = last(step("1", r"F(p) \le \int p(t) dt", "given"), claims("1"))
    assert result.status is Status.UNDECIDED
    assert "an equation is needed" in result.reason


def test_a_divergent_functional_cannot_be_cross_checked():
    # formally the derivative is exp(p(t)), but F is infinite for every density
    result = last(defines(r"F(p) = \int \exp(p(t)) dt"), claims(r"\exp(p(t))"))
    assert result.status is Status.UNDECIDED
    assert "cannot be cross-checked numerically" in result.reason
    assert "does not converge" in result.reason


def test_an_integral_inside_a_sum_is_not_merged_over_the_index():
    # one unknown for every instance of the integral would give N (t - x_i)^2, i free
    functional = defines(r"F(p) = \sum_{i=1}^{N} \int p(t) (t - x_i)^2 dt")
    result = last(functional, claims(r"N (t - x_i)^2"))
    assert result.status is Status.UNDECIDED
    assert "lies inside a sum" in result.reason
