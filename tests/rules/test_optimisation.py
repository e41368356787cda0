"""lagrangian, monotone, argmin_equiv and the assumed rules: what test_every_rule.py
does not cover (multiplier signs and counts, positivity, factors of unknown sign)."""

from __future__ import annotations

import pytest

from derive.check.verdict import Status
from tests.rules.derivations import last, step

PROBLEM = step("1", r"\max_{p} F(p) = -\int p(t) \log p(t) dt \quad \text{s.t.} \quad "
                    r"\int p(t) dt = 1", "definition")


# -- lagrangian -----------------------------------------------------------------------
def test_lagrangian():
    good = r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt + \mu \left(\int p(t) dt - 1\right)"
    assert last(PROBLEM, step("2", good, "lagrangian of (1)")).status is Status.PROVED
    flipped = r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt - \mu \left(\int p(t) dt - 1\right)"
    assert last(PROBLEM, step("2", flipped, "lagrangian of (1) with -\\mu")).status \
        is Status.PROVED


@pytest.mark.parametrize("latex", [
    r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt - \mu \left(\int p(t) dt - 1\right)",
    r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt + \mu \int p(t) dt",
])
def test_lagrangian_fails(latex):
    result = last(PROBLEM, step("2", latex, "lagrangian of (1)"))
    assert result.status is Status.FAILED
    assert "this is not the Lagrangian of (1)" in result.reason


def test_lagrangian_counts_multipliers():
    result = last(PROBLEM, step("2", r"F(p) = 1", "lagrangian of (1) with \\mu, \\lambda"))
    assert result.status is Status.FAILED
    assert "1 constraint(s) but there are 2 multiplier(s)" in result.reason


# -- monotone -----------------------------------------------------------------------------
LIKELIHOOD = step("1", r"\theta^{\ast} = \arg\max_{\theta} \prod_{i=1}^{N} q(x_i | \theta)",
                  "definition")


def test_monotone():
    good = r"\theta^{\ast} = \arg\min_{\theta} - \sum_{i=1}^{N} \log q(x_i | \theta)"
    result = last(LIKELIHOOD, step("2", good, "monotone (1)"))
    assert result.status is Status.PROVED
    assert r"q\left(x_{i} \mid \theta\right) > 0" in result.links[0].verdict.assumptions
    same = r"\theta^{\ast} = \arg\max_{\theta} \sum_{i=1}^{N} \log q(x_i | \theta)"
    assert last(LIKELIHOOD, step("2", same, "monotone (1)")).status is Status.PROVED


def test_monotone_needs_positive_factors():
    premise = step("1", r"\theta^{\ast} = \arg\max_{\theta} \prod_{i=1}^{N} h(x_i | \theta)",
                   "definition")
    claim = r"\theta^{\ast} = \arg\min_{\theta} - \sum_{i=1}^{N} \log h(x_i | \theta)"
    result = last(premise, step("2", claim, "monotone (1)"))
    assert result.status is Status.FAILED
    assert "monotone only on positive values" in result.reason


def test_monotone_wrong_variable():
    claim = r"\theta^{\ast} = \arg\min_{x} - \sum_{i=1}^{N} \log q(x_i | \theta)"
    result = last(LIKELIHOOD, step("2", claim, "monotone (1)"))
    assert result.status is Status.FAILED


# -- argmin_equiv -------------------------------------------------------------------------
OBJECTIVE = step("1", r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} "
                      r"\left[ a (x_i - \theta)^2 + b \right]", "definition")


def test_argmin_equiv():
    good = r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} (x_i - \theta)^2"
    result = last(OBJECTIVE, step("2", good, "argmin_equiv (1)"))
    assert result.status is Status.PROVED
    assert "a > 0" in result.links[0].verdict.assumptions


@pytest.mark.parametrize("latex, reason", [
    (r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} \theta (x_i - \theta)^2", "depends on"),
    (r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} (x_i + \theta)^2", "depends on"),
])
def test_argmin_equiv_fails(latex, reason):
    result = last(OBJECTIVE, step("2", latex, "argmin_equiv (1)"))
    assert result.status is Status.FAILED
    assert reason in result.reason


def test_argmin_equiv_factor_of_unknown_sign():
    premise = step("1", r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} x (x_i - \theta)^2",
                   "definition")
    claim = r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} (x_i - \theta)^2"
    result = last(premise, step("2", claim, "argmin_equiv (1)"))
    assert result.status is Status.UNDECIDED
    assert "cannot tell whether the factor $x$ is positive" in result.reason


# -- assumed rules -----------------------------------------------------------------------
@pytest.mark.parametrize("by", ["definition", "given", "cite the central limit theorem"])
def test_assumed_rules(by):
    result = last(step("1", "x = y + 1", by))
    assert result.status is Status.ASSUMED


def test_cite_needs_a_name():
    result = last(step("1", "x = y", "cite"))
    assert result.status is Status.FAILED
    assert "cite needs the name of the theorem" in result.reason
