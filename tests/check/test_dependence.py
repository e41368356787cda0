"""A definition's body that reaches its argument through another name: closed over the
cited abbreviations, or not put in at other arguments."""

from __future__ import annotations

from derive.check.verdict import Status
from tests.rules.derivations import derivation, step


def test_a_body_through_an_uncited_abbreviation_is_not_instantiated():
    result = derivation(step("1", "y = t^2", "definition"),
                        step("2", "g(t) = y", "definition"),
                        step("3", "g(x) = y", "unfold (2)"))
    verdict = result.result("3").links[0].verdict
    assert verdict.status is Status.UNDECIDED
    assert "through $y$" in verdict.reason


def test_a_body_closed_over_the_cited_abbreviation_is_instantiated():
    result = derivation(step("1", "y = t^2", "definition"),
                        step("2", "g(t) = y", "definition"),
                        step("3", "g(x) = x^2", "unfold (2), (1)"))
    assert result.result("3").status is Status.PROVED


def test_the_closed_body_fails_a_false_instance():
    result = derivation(step("1", "y = t^2", "definition"),
                        step("2", "g(t) = y", "definition"),
                        step("3", "g(x) = t^2", "unfold (2), (1)"))
    assert result.result("3").status is Status.FAILED


def test_a_given_that_relates_constants_defines_nothing():
    # a x = b ties a to x and b as numbers; it does not make g's body depend on t
    result = derivation(step("1", "a x^2 = b", "given"),
                        step("2", "g(t) = a t", "definition"),
                        step("3", "g(y) = a y", "unfold (2)"))
    assert result.result("3").status is Status.PROVED


def test_a_bare_name_given_in_terms_of_the_parameter_ties_it():
    result = derivation(step("1", "y = t + 1", "given"),
                        step("2", "g(t) = y", "definition"),
                        step("3", "g(x) = y", "unfold (2)"))
    assert result.result("3").status is Status.UNDECIDED


def test_a_derivative_through_an_abbreviation_is_not_taken_as_zero():
    result = derivation(step("1", "y = t^2", "definition"),
                        step("2", "g(t) = y", "definition"),
                        step("3", "\\frac{d}{dx} g(x) = 0", "differentiate (2)"))
    assert result.result("3").status is not Status.PROVED
    assert result.result("3").status is not Status.NUMERIC
