"""solve and eliminate claim *the* solution: proved only when SymPy's solution set over
the unknown's declared domain is that one point, for every allowed value of the other
symbols, and the value, put back into the equation, satisfies it numerically."""

from __future__ import annotations

import pytest
import sympy

from derive.check.engine import check_document
from derive.check.verdict import Status
from derive.document.loader import loads
from derive.rules import algebra
from tests.rules.derivations import HEADER, step

#: HEADER's declarations, with a complex, two merely real, a nonzero and an integer symbol.
DECLARED = HEADER.replace("[symbols]\n", """[symbols]
'z' = "complex"
'c' = "real"
'd' = "real"
'k' = "nonzero"
'n' = "positive integer"
""")


def last(*steps: str):
    """The result of the last step, checked under DECLARED."""
    return check_document(loads(DECLARED + "\n".join(steps), "test.toml"),
                          time_limit=60.0).steps[-1]


def solved(premise: str, claim: str, unknown: str = "x"):
    """``premise`` given as (1), ``claim`` as (2) by ``solve (1) for unknown``."""
    return last(step("1", premise, "given"), step("2", claim, f"solve (1) for {unknown}"))


# -- true claims are proved -----------------------------------------------------------
@pytest.mark.parametrize("premise, claim, unknown", [
    ("x + 1 = 3", "x = 2", "x"),
    (r"a x = b", r"x = \frac{b}{a}", "x"),                   # a > 0: never zero
    (r"\exp(x) = 2", r"x = \log 2", "x"),                    # real x: one logarithm
    (r"k^2 = k", "k = 1", "k"),                              # k nonzero: 0 is excluded
    (r"a^2 = 4", "a = 2", "a"),                              # a positive: -2 is excluded
    ("2 n = 6", "n = 3", "n"),
    (r"\sqrt{x} = a", "x = a^2", "x"),
    (r"\log p(t) - \lambda t^2 = 0", r"p(t) = \exp(\lambda t^2)", "p(t)"),
])
def test_a_unique_solution_is_proved(premise, claim, unknown):
    result = solved(premise, claim, unknown)
    assert result.status is Status.PROVED, result.reason
    assert "put back: numeric" in result.links[0].verdict.method


def test_a_compound_unknown_keeps_its_sign():
    """exp(lambda - 1) is positive: solved as a positive unknown, as in why-mse (9)."""
    chain = step("1", r"\exp(\lambda - 1) \sqrt{a} = 1 \Rightarrow "
                      r"\exp(\lambda - 1) = \frac{1}{\sqrt{a}}", ["given", "solve"])
    assert last(chain).links[1].verdict.status is Status.PROVED


# -- not unique: a family, several solutions ------------------------------------------
def test_a_periodic_family_is_no_unique_solution():
    result = solved(r"\sin x = 1", r"x = \frac{\pi}{2}")
    assert result.status is Status.FAILED
    assert "(1) has other solutions too: $\\frac{5 \\pi}{2}$" in result.reason
    assert "the solutions form a family" in result.reason
    expected = result.links[0].verdict.expected
    assert "\\frac{\\pi}{2} \\text{ or } \\frac{5 \\pi}{2}" in expected


def test_a_complex_exponential_is_periodic():
    result = solved(r"\exp(z) = 1", "z = 0", "z")
    assert result.status is Status.FAILED
    assert "other solutions too: $2 i \\pi$" in result.reason
    assert result.links[0].verdict.expected.startswith("0 \\text{ or } 2 i \\pi")


def test_a_value_outside_the_family_fails_with_a_counterexample():
    result = solved(r"\sin x = 1", "x = 0")
    assert result.status is Status.FAILED
    assert "$x = 0$ does not solve (1) (the solutions form a family" in result.reason


@pytest.mark.parametrize("premise, claim, other", [
    ("x^2 = 4", "x = 2", "$-2$"),
    ("x^2 = x", "x = 1", "$0$"),
    (r"x^2 = c", r"x = \sqrt{c}", r"$- \sqrt{c}$"),
])
def test_several_solutions_fail(premise, claim, other):
    result = solved(premise, claim)
    assert result.status is Status.FAILED
    assert f"(1) has other solutions too: {other}" in result.reason


# -- a unique solution only under a condition the declarations do not imply -----------
@pytest.mark.parametrize("premise, claim", [
    ("c x = d", r"x = \frac{d}{c}"),          # c = d = 0: every x; c = 0, d != 0: none
    ("c (x - 1) = 0", "x = 1"),
    (r"c \exp(x) = c", "x = 0"),
    (r"\exp(c x) = 1", "x = 0"),
    (r"2^{c x} = 1", "x = 0"),
])
def test_a_condition_on_the_parameters_leaves_it_undecided(premise, claim):
    result = solved(premise, claim)
    assert result.status is Status.UNDECIDED
    assert ("unique only if $c \\neq 0$, which the declarations do not imply"
            in result.reason)


def test_a_solution_under_a_condition_fails_where_the_condition_fails():
    """sqrt(x) = c has the solution c^2 only for c >= 0: at c < 0, x = c^2 solves nothing."""
    result = solved(r"\sqrt{x} = c", "x = c^2")
    assert result.status is Status.FAILED
    assert "$x = c^{2}$ solves (1) only if $c \\in" in result.reason
    assert result.links[0].verdict.counterexample


def test_a_value_outside_the_declared_domain_fails():
    result = solved("n^2 = 2", r"n = \sqrt{2}", "n")
    assert result.status is Status.FAILED
    assert "is no possible value of $n$" in result.reason
    result = solved(r"-\log p(t) - 1 + c - \lambda t^2 = 0",
                    r"p(t) = -\exp(c - 1) \exp(-\lambda t^2)", "p(t)")
    assert result.status is Status.FAILED
    assert "is no possible value of $p\\left(t\\right)$ ($t \\in \\mathbb{R}$, " \
        "$p\\left(t\\right) > 0$)" in result.reason


def test_an_equation_sympy_cannot_solve_still_refutes_a_wrong_value():
    result = solved("x^5 + x + c = 0", "x = c")
    assert result.status is Status.FAILED
    assert "SymPy cannot solve it explicitly" in result.reason
    assert result.links[0].verdict.counterexample


# -- what is solved must be an equation, and the unknown a number ---------------------
@pytest.mark.parametrize("premise, symbol", [
    (r"x \neq 4", r"\neq"), ("x < 4", "<"), (r"x \approx 4", r"\approx"),
])
def test_solve_needs_an_equation(premise, symbol):
    result = solved(premise, "x = 4")
    assert result.status is Status.UNDECIDED
    assert f"an equation is needed, and (1) states '{symbol}'" in result.reason


def test_solve_needs_an_equation_on_the_previous_line():
    result = last(step("1", r"x \approx 4 \Rightarrow x = 4", ["given", "solve"]))
    assert result.links[1].verdict.status is Status.UNDECIDED
    assert "solve needs an equation, the previous line states '\\approx'" \
        in result.links[1].verdict.reason


def test_a_divergent_unknown_is_refused():
    result = last(step("1", r"\int_1^\infty \frac{1}{t} \, dt - 2 = 0", "given"),
                  step("2", r"\int_1^\infty \frac{1}{t} \, dt = 2", "solve (1)"))
    assert result.status is Status.FAILED
    assert "diverges" in result.reason
    result = last(step("1", r"\infty = x + 1", "given"),
                  step("2", r"\infty = 3", r"solve (1) for \infty"))
    assert result.status is Status.FAILED
    assert "is not a number" in result.reason


def test_an_equation_with_a_divergent_term_is_refused():
    result = solved(r"x \int_1^\infty \frac{1}{t} \, dt = 2", "x = 0")
    assert result.status is Status.FAILED
    assert "diverges" in result.reason
    # a convergent integral is a number like any other
    result = solved(r"\int_1^\infty \frac{1}{t^2} \, dt \cdot x = 2", "x = 2")
    assert result.status is Status.PROVED, result.reason


def test_an_unknown_under_an_integral_over_its_variable_is_refused():
    """p(t) under an integral over t is the whole function p, not the value p(t)."""
    result = solved(r"p(t) = \frac{1}{2} \int_0^1 p(t) \, dt + 1", "p(t) = 2", "p(t)")
    assert result.status is Status.UNDECIDED
    assert "where its variable is bound" in result.reason


# -- SymPy's answer is checked, never trusted alone -----------------------------------
@pytest.fixture
def wrong_solveset(monkeypatch):
    """sympy.solveset answering {3} whatever it is asked."""
    monkeypatch.setattr(sympy, "solveset", lambda *args, **kwargs: sympy.FiniteSet(3))


def test_a_wrong_solution_from_sympy_is_not_proved(wrong_solveset):
    result = solved("x + 1 = 3", "x = 3")
    assert result.status is Status.FAILED
    assert "SymPy's solution $3$ does not solve (1)" in result.reason


def test_a_true_claim_against_a_wrong_sympy_is_undecided(wrong_solveset):
    result = solved("x + 1 = 3", "x = 2")
    assert result.status is Status.UNDECIDED
    assert "solving (1) for $x$ gives $3$, which is not shown equal" in result.reason


# -- eliminate ------------------------------------------------------------------------
def eliminated(first: str, second: str, claim: str):
    return last(step("1", first, "given"), step("2", second, "given"),
                step("3", claim, "eliminate (1), (2) for x"))


@pytest.mark.parametrize("first, second, claim", [
    ("x + y = c", "x - y = d", r"x = \frac{c + d}{2}"),
    ("c y = x", "y = 1", "x = c"),            # y from (2): (1) would need c != 0
    ("a y = x", "b y = 1", r"x = \frac{a}{b}"),
    ("y^2 = x", "y = 2", "x = 4"),
])
def test_eliminate_proves_a_unique_elimination(first, second, claim):
    result = eliminated(first, second, claim)
    assert result.status is Status.PROVED, result.reason


def test_eliminate_needs_a_unique_elimination():
    result = eliminated("c y = x", "d y = 1", r"x = \frac{c}{d}")
    assert result.status is Status.UNDECIDED
    assert "cannot eliminate $y$ from (1), (2): unique only if $c \\neq 0$" in result.reason
    result = eliminated(r"\sin y = x", r"\sin y = 1", "x = 1")
    assert result.status is Status.UNDECIDED
    assert "cannot eliminate $y$" in result.reason


def test_eliminate_needs_equations():
    result = eliminated("x + y = 3", r"x \neq y", "x = 2")
    assert result.status is Status.UNDECIDED
    assert "an equation is needed, and (2) states '\\neq'" in result.reason


def test_eliminate_applies_the_same_standard_to_the_last_equation():
    result = eliminated("y = 1", r"\sin x = y", r"x = \frac{\pi}{2}")
    assert result.status is Status.FAILED
    assert "other solutions too" in result.reason
    assert "the solutions form a family" in result.reason


def test_eliminate_checks_the_claim_against_every_premise(monkeypatch):
    """A wrong elimination (y = 4 - x from x + y = 3) that the last equation cannot
    see: the claim x = 3 solves y = 1 after it, but not (1)."""
    monkeypatch.setattr(algebra, "_pivot", lambda ctx, candidates, symbol, source:
                        (candidates[0], [(4 - sympy.Symbol("x", real=True), True)]))
    result = eliminated("x + y = 3", "y = 1", "x = 3")
    assert result.status is Status.FAILED
    assert "does not satisfy (1)" in result.reason
    assert result.links[0].verdict.counterexample is not None
