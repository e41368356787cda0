"""Every rule respects the relation of its claim and of its premises; undefined values
are never equal; a given holds where it says; errata and what rests on them."""

from __future__ import annotations

import pytest

from derive.check.verdict import Status
from derive.latex.formula import Chain, Formula, RelOp
from derive.latex.relations import compose
from tests.rules.derivations import derivation, last, step

HOLDS = (Status.PROVED, Status.NUMERIC, Status.ASSUMED)


@pytest.mark.parametrize("first, second, composed", [
    ("=", "<", "<"), ("<", "=", "<"), (r"\le", "<", "<"), (r"\le", r"\le", r"\le"),
    (">", r"\ge", ">"), ("<", ">", None), (r"\neq", r"\neq", None), (r"\neq", "=", r"\neq"),
    (r"\approx", r"\approx", None), ("=", r"\approx", None), (r"\to", "=", None),
])
def test_composition_of_relations(first, second, composed):
    assert compose(first, second) == composed


def test_a_chain_of_inequations_concludes_nothing_of_its_ends():
    import sympy
    a, b = sympy.symbols("a b")
    formula = Formula((Chain((a, b, a), (RelOp(r"\neq"), RelOp(r"\neq"))),))
    assert formula.conclusion.lhs == b and formula.conclusion.op.symbol == r"\neq"
    formula = Formula((Chain((a, b, a + 1), (RelOp("="), RelOp("<"))),))
    assert (formula.conclusion.lhs, formula.conclusion.op.symbol) == (a, "<")


# -- class 1: a rule built for '=' never judges another relation ------------------------
@pytest.mark.parametrize("premise, claim, rule", [
    (r"x \neq 4", r"x = 4", "solve (1) for x"),
    (r"x < y", r"x = y", "restate (1)"),
    (r"x < 4", r"x = 4", "solve (1) for x"),
    (r"y \approx 2 x", r"y^2 = 4 x^2", "substitute (1)"),
    (r"x \le y", r"x + 1 = y + 1", "substitute (1) into (1)"),
])
def test_a_premise_of_another_relation_is_not_an_equation(premise, claim, rule):
    result = last(step("1", premise, "given"), step("2", claim, rule))
    assert result.status not in HOLDS


@pytest.mark.parametrize("claim, rule", [
    (r"\int_0^1 t dt \neq \frac{1}{2}", "integrate"),
    (r"x < x", "equal"),
    (r"x \approx x + 1", "equal"),
    (r"\log(a b) \neq \log a + \log b", "expand_log"),
    (r"\int_0^1 2 t dt < 2 \int_0^1 t dt", "linearity"),
    (r"\frac{\partial x^2}{\partial x} \neq 2 x", "differentiate"),
])
def test_a_false_claim_of_another_relation_is_not_proved(claim, rule):
    result = last(step("1", claim, rule))
    assert result.status not in HOLDS, result.reason


def test_a_rule_made_for_equations_refuses_other_relations_with_a_reason():
    result = last(step("1", r"\max_{x} (-x^2) = 0", "definition"),
                  step("2", r"x < 3", "lagrangian of (1)"))
    assert result.status is Status.UNDECIDED
    assert "strict inequality" in result.reason


def test_true_relations_are_proved():
    assert last(step("1", r"\int_0^1 t dt \neq 1", "integrate")).status is Status.PROVED
    assert last(step("1", r"\int_0^1 t dt < 1", "integrate")).status is Status.PROVED
    assert last(step("1", r"x^2 + 1 \ge 1", "equal")).status is Status.PROVED
    assert last(step("1", r"x < y", "given"),
                step("2", r"y > x", "restate (1)")).status is Status.PROVED


def test_restate_keeps_the_relation():
    result = last(step("1", r"x < y", "given"), step("2", r"x \le y", "restate (1)"))
    assert result.status is Status.FAILED
    assert "'<'" in result.reason


def test_substitute_into_an_inequality_keeps_its_relation():
    steps = [step("1", r"y = 2 x", "given"), step("2", r"y < a", "given")]
    assert last(*steps, step("3", r"2 x < a", "substitute (1) into (2)")).status \
        is Status.PROVED
    assert last(*steps, step("3", r"2 x > a", "substitute (1) into (2)")).status \
        is Status.FAILED


def test_a_chain_through_an_inequality_does_not_carry_equality():
    # a < b = c: the link b = c may not be justified by substituting into a
    result = last(step("1", r"x = 1", "given"),
                  step("2", r"x < x + 1 = 2", ["equal", "substitute (1)"]))
    assert result.links[1].verdict.status is Status.PROVED  # x + 1 -> 2 itself
    result = last(step("1", r"y = 5", "given"),
                  step("2", r"y - 1 < y = 4", ["equal", "substitute (1)"]))
    assert result.status not in HOLDS


# -- class 2: undefined values are not numbers ------------------------------------------
@pytest.mark.parametrize("claim, rule, words", [
    (r"\int_{1}^{\infty} \frac{1}{t} dt = \int_{1}^{\infty} \frac{1}{t} dt", "equal",
     "diverges"),
    (r"\int_{1}^{\infty} \left(\frac{1}{t} - \frac{1}{t + 1}\right) dt = "
     r"\int_{1}^{\infty} \frac{1}{t} dt - \int_{1}^{\infty} \frac{1}{t + 1} dt",
     "linearity", "diverges"),
    (r"\infty = \infty", "equal", "not a number"),
    (r"\frac{1}{0} = \frac{1}{0}", "equal", "not a number"),
    (r"\log 0 = \log 0", "equal", "not a number"),
    (r"\int_{1}^{\infty} \frac{1}{t} dt = \infty", "integrate", "not a number"),
])
def test_undefined_values_are_never_equal(claim, rule, words):
    result = last(step("1", claim, rule))
    assert result.status is Status.FAILED
    assert words in result.reason


def test_divergent_integrals_do_not_cancel_into_log_2():
    """The issue's chain: ∞ = ∞, split by linearity, cancelled by solve."""
    result = derivation(
        step("1", r"\int_{1}^{\infty} \frac{1}{t} dt = \int_{1}^{\infty} \frac{1}{t + 1} dt"
             r" + \log 2", "given"),
        step("2", r"\int_{1}^{\infty} \frac{1}{t} dt - \int_{1}^{\infty} \frac{1}{t+1} dt"
             r" = \int_{1}^{\infty} \left(\frac{1}{t} - \frac{1}{t+1}\right) dt",
             "linearity"))
    assert result.steps[-1].status is Status.FAILED
    assert "diverges" in result.steps[-1].reason


def test_integrals_of_declared_functions_are_presumed_to_converge_and_say_so():
    result = last(step("1", r"\int_{-\infty}^{\infty} 2 p(t) dt = 2 \int_{-\infty}^{\infty} "
                            r"p(t) dt", "linearity"))
    assert result.status is Status.PROVED
    assert any("converges" in a for a in result.links[0].verdict.assumptions)


# -- class 9: premises ------------------------------------------------------------------
def test_a_circular_or_repeated_definition_fails():
    assert last(step("1", r"x = x + 1", "definition")).status is Status.FAILED
    result = last(step("1", r"y = 2", "definition"), step("2", r"y = 3", "definition"))
    assert result.status is Status.FAILED and "already defined in (1)" in result.reason


def test_a_step_resting_on_an_erratum_cannot_pass():
    result = derivation(step("1", r"x + x = 3 x", "equal", expect_failure="wrong"),
                        step("2", r"2 x = 3 x", "substitute (1)"))
    assert result.steps[0].mark == "expected failure"
    assert result.steps[1].status.holds
    assert not result.steps[1].ok and not result.ok and not result.established


# -- class 10: an undecided erratum is undecided -----------------------------------------
def test_an_undecided_erratum_is_not_an_unexpected_pass():
    result = derivation(step("1", r"\exp(x) \ge 1 + x", "equal",
                             expect_failure="not decidable"))
    first = result.steps[0]
    assert first.status is Status.UNDECIDED
    assert first.mark == "undecided" and not first.unexpected_pass and not first.ok


def test_a_particular_given_is_not_differentiated():
    """f(x) = 0 at one x says nothing of f'(x); for every x it does."""
    claim = r"\frac{\partial g(t)}{\partial t} = 0"
    assert last(step("1", r"g(t) = 0", "given"),
                step("2", claim, "differentiate (1)")).status not in HOLDS
    assert last(step("1", r"g(t) = 0", "given for all t"),
                step("2", claim, "differentiate (1)")).status is Status.PROVED


def test_a_lagrangian_of_inequality_constraints_is_refused():
    result = last(step("1", r"\max_{x} (-x^2) \text{ s.t. } x \le 1", "definition"),
                  step("2", r"\mathcal{L}(p, \mu) = -x^2 + \mu (x - 1)",
                       r"lagrangian of (1) with \mu"))
    assert result.status is Status.UNDECIDED and "constraint" in result.reason
