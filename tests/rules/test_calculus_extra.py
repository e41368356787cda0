"""differentiate: derivatives of sums of indexed terms (Kronecker deltas collapse only
over a declared index range); true steps proved, false ones failed with a reason."""

from __future__ import annotations

import pytest

from derive.check.engine import check_document
from derive.check.verdict import Status
from derive.document.loader import loads
from tests.rules.derivations import step

HEADER = r"""
[meta]
title = "differentiate test"

[symbols]
'a' = "positive"
'u' = "real"
'v' = "real"
'L' = "real"
'K' = "positive integer"
'k' = "positive integer"
'j' = "positive integer"
'm' = "positive integer"
'n' = "positive integer"

[indexed]
'z' = "real"
'y' = "real"
'q' = "positive"

[domains]
'm' = ['1', 'K']
"""

SOFTMAX = step("1", r"q_k = \frac{\exp(z_k)}{\sum_{j=1}^{K} \exp(z_j)}", "definition")
LOSS = step("2", r"L = -\sum_{k=1}^{K} y_k z_k + \log \left( \sum_{j=1}^{K} \exp(z_j) \right)",
            "definition")


def last(*steps: str, header: str = HEADER):
    return check_document(loads(header + "\n".join(steps), "test.toml")).steps[-1]


@pytest.mark.parametrize("latex", [
    r"\frac{\partial (a u^3)}{\partial u} = 3 a u^2",
    r"\frac{\partial \exp(a u)}{\partial u} = a \exp(a u)",
    r"\frac{\partial (u v)}{\partial v} = u",
    r"\frac{\partial \sum_{k=1}^{K} a z_k}{\partial z_m} = a",
    r"\frac{\partial \sum_{k=1}^{K} z_k^2}{\partial z_m} = 2 z_m",
])
def test_differentiate_proves(latex):
    assert last(step("1", latex, "differentiate")).status is Status.PROVED


def test_differentiate_uses_premises_and_the_declared_range():
    result = last(SOFTMAX, LOSS, step(
        "3", r"\frac{\partial L}{\partial z_m} = -y_m + \frac{\exp(z_m)}{\sum_{j=1}^{K} \exp(z_j)}",
        "differentiate (2)"))
    assert result.status is Status.PROVED
    assert r"m \in \{1, \dots, K\}" in result.links[0].verdict.assumptions


@pytest.mark.parametrize("latex", [
    r"\frac{\partial L}{\partial z_m} = y_m - \frac{\exp(z_m)}{\sum_{j=1}^{K} \exp(z_j)}",   # sign
    r"\frac{\partial L}{\partial z_m} = -2 y_m + \frac{\exp(z_m)}{\sum_{j=1}^{K} \exp(z_j)}",  # constant
    r"\frac{\partial L}{\partial z_m} = \frac{\exp(z_m)}{\sum_{j=1}^{K} \exp(z_j)}",          # dropped
    r"\frac{\partial L}{\partial z_m} = -y_m + \frac{\exp(z_n)}{\sum_{j=1}^{K} \exp(z_j)}",   # variable
])
def test_differentiate_fails(latex):
    result = last(SOFTMAX, LOSS, step("3", latex, "differentiate (2)"))
    assert result.status is Status.FAILED
    assert "the derivative is different" in result.reason


@pytest.mark.parametrize("latex", [
    r"\frac{\partial (a u^3)}{\partial u} = 3 a u^3",
    r"\frac{\partial (a u^3)}{\partial u} = -3 a u^2",
    r"\frac{\partial (a u^3)}{\partial u} = 3 u^2",
    r"\frac{\partial (u v)}{\partial u} = u",
])
def test_differentiate_fails_on_plain_symbols(latex):
    result = last(step("1", latex, "differentiate"))
    assert result.status is Status.FAILED
    assert "the derivative is different" in result.reason


def test_a_delta_over_an_undeclared_range_is_undecided():
    # n has no declared range: it may lie outside 1..K, where the derivative is 0
    result = last(step("1", r"\frac{\partial \sum_{k=1}^{K} z_k^2}{\partial z_n} = 2 z_n",
                       "differentiate"))
    assert result.status is Status.UNDECIDED
    assert "does not collapse" in result.reason


def test_a_range_wider_than_the_sum_does_not_collapse():
    wide = HEADER.replace("'m' = ['1', 'K']", "'m' = ['1', 'K + 1']")
    result = last(step("1", r"\frac{\partial \sum_{k=1}^{K} z_k^2}{\partial z_m} = 2 z_m",
                       "differentiate"), header=wide)
    assert result.status is Status.UNDECIDED


def test_no_derivative_fails():
    result = last(step("1", r"u = u", "differentiate"))
    assert result.status is Status.FAILED
    assert "there is no derivative" in result.reason
