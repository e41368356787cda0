"""linearity, integrate, variation: what test_every_rule.py does not cover (limits,
bounds, convergence, the assumptions reported, stationarity)."""

from __future__ import annotations

import pytest

from derive.check.verdict import Status
from tests.rules.derivations import last, step


# -- linearity ----------------------------------------------------------------------
@pytest.mark.parametrize("latex", [
    r"\int_{0}^{1} 3 g(t) dt = 3 \int_{0}^{1} g(t) dt",
    r"\int (a g(t) + b p(t)) dt = a \int g(t) dt + b \int p(t) dt",
    r"\sum_{i=1}^{N} a x_i = a \sum_{i=1}^{N} x_i",
    r"\sum_{i=1}^{N} (x_i + b) = \sum_{i=1}^{N} x_i + N b",
    r"\prod_{i=1}^{N} a q(x_i | \theta) = a^N \prod_{i=1}^{N} q(x_i | \theta)",
])
def test_linearity_proves(latex):
    assert last(step("1", latex, "linearity")).status is Status.PROVED


@pytest.mark.parametrize("latex", [
    r"\sum_{i=1}^{N} a x_i = \sum_{i=1}^{N} x_i",                 # factor dropped
    r"\int_{0}^{1} 3 g(t) dt = 3 \int_{0}^{2} g(t) dt",           # limit changed
    r"\sum_{i=1}^{N} (x_i + b) = \sum_{i=1}^{N} x_i + b",         # N dropped
])
def test_linearity_fails(latex):
    result = last(step("1", latex, "linearity"))
    assert result.status is Status.FAILED
    assert "linearity does not turn one side into the other" in result.reason


# -- integrate ------------------------------------------------------------------------
def test_integrate_gaussian_reports_the_assumptions_it_used():
    result = last(step("1", r"\int \exp(-\lambda t^2) dt = \sqrt{\frac{\pi}{\lambda}}",
                       "integrate"))
    assert result.status is Status.PROVED
    assumptions = result.links[0].verdict.assumptions
    assert r"\lambda > 0" in assumptions
    assert r"t \in (-\infty, \infty)" in assumptions


@pytest.mark.parametrize("latex", [
    r"\int t^2 \exp(-\lambda t^2) dt = \frac{\sqrt{\pi}}{\lambda^{3/2}}",
    r"\int_{0}^{\infty} \exp(-\lambda t^2) dt = \sqrt{\frac{\pi}{\lambda}}",
])
def test_integrate_fails(latex):
    result = last(step("1", latex, "integrate"))
    assert result.status is Status.FAILED
    assert "the integral evaluates to something else" in result.reason
    assert result.links[0].verdict.counterexample


def test_integrate_needs_convergence_from_the_declarations():
    # mu is only real: the Gaussian integral converges for mu > 0 only
    result = last(step("1", r"\int \exp(-\mu t^2) dt = \sqrt{\frac{\pi}{\mu}}", "integrate"))
    assert result.status is Status.UNDECIDED
    assert "converges only if" in result.reason


def test_integrate_needs_an_integral():
    result = last(step("1", r"x + 1 = 1 + x", "integrate"))
    assert result.status is Status.FAILED
    assert "no integral" in result.reason


# -- variation --------------------------------------------------------------------------
ENTROPY = step("1", r"F(p) = -\int p(t) \log p(t) dt + \mu \left( \int t p(t) dt - 1 \right)",
               "definition")


def test_variation():
    good = r"\frac{\delta F}{\delta p(t)} = -\log p(t) - 1 + \mu t"
    assert last(ENTROPY, step("2", good, "variation of (1)")).status is Status.PROVED


def test_variation_of_the_wrong_functional():
    other = step("1", r"\mathcal{L}(p, \mu) = \int p(t) dt", "definition")
    result = last(other, step("2", r"\frac{\delta F}{\delta p(t)} = 1", "variation of (1)"))
    assert result.status is Status.FAILED
    assert "defines" in result.reason


def test_stationarity_is_assumed_only_for_a_derivative_set_to_zero():
    good = step("2", r"\frac{\delta F}{\delta p(t)} = -\log p(t) - 1 + \mu t = 0",
                ["variation of (1)", "stationary"])
    result = last(ENTROPY, good)
    assert [l.verdict.status for l in result.links] == [Status.PROVED, Status.ASSUMED]
    assert result.status is Status.PROVED
    bad = step("2", r"\frac{\delta F}{\delta p(t)} = -\log p(t) - 1 + \mu t = 1",
               ["variation of (1)", "stationary"])
    result = last(ENTROPY, bad)
    assert result.status is Status.FAILED
    assert "must end in '= 0'" in result.reason
    assert last(step("1", "x = 0", "stationary")).status is Status.FAILED


def test_variation_does_not_confuse_the_point_with_the_integration_variable():
    # x is free in the integrand: renaming t to x would conflate the two
    functional = step("1", r"F(p) = \int x p(t) dt", "definition")
    result = last(functional, step("2", r"\frac{\delta F}{\delta p(x)} = x", "variation of (1)"))
    assert result.status is Status.UNDECIDED
    assert "already uses x" in result.reason
