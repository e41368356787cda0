"""unfold, and substitution of an indexed definition q_k = ... at other indices:
true steps proved, false ones failed with a reason."""

from __future__ import annotations

import pytest

from derive.check.engine import check_document
from derive.check.transforms import substitute
from derive.check.verdict import Status
from derive.document.loader import loads
from tests.rules.derivations import step

HEADER = r"""
[meta]
title = "unfold test"

[symbols]
'a' = "positive"
'b' = "positive"
'c' = "positive"
'u' = "real"
'v' = "real"
'w^{\ast}' = "real"
'K' = "positive integer"
'k' = "positive integer"
'j' = "positive integer"
'm' = "positive integer"

[indexed]
'z' = "real"
'q' = "positive"
'x' = "real"
"""

RATIO = step("1", r"c = \frac{a}{b}", "definition")
SOFTMAX = step("2", r"q_k = \frac{\exp(z_k)}{\sum_{j=1}^{K} \exp(z_j)}", "definition")
OBJECTIVE = step("3", r"w^{\ast} = \arg\min_{u} (u - v)^2 + \frac{a}{b} u^2", "definition")


def last(*steps: str):
    return check_document(loads(HEADER + "\n".join(steps), "test.toml")).steps[-1]


# -- unfold --------------------------------------------------------------------------
@pytest.mark.parametrize("premises, latex, by", [
    ([RATIO], r"c u = \frac{a u}{b}", "unfold (1)"),
    ([RATIO, OBJECTIVE], r"w^{\ast} = \arg\min_{u} (u - v)^2 + c u^2", "unfold (1) in (3)"),
    ([SOFTMAX], r"q_m - u = \frac{\exp(z_m)}{\sum_{j=1}^{K} \exp(z_j)} - u", "unfold (2)"),
    ([SOFTMAX], r"\sum_{k=1}^{K} q_k = \sum_{k=1}^{K} \frac{\exp(z_k)}{\sum_{j=1}^{K} \exp(z_j)}",
     "unfold (2)"),
])
def test_unfold_proves(premises, latex, by):
    assert last(*premises, step("9", latex, by)).status is Status.PROVED


@pytest.mark.parametrize("premises, latex, by", [
    ([RATIO], r"c u = -\frac{a u}{b}", "unfold (1)"),                       # sign flipped
    ([RATIO], r"c u = \frac{2 a u}{b}", "unfold (1)"),                      # constant changed
    ([RATIO], r"c u = \frac{a}{b}", "unfold (1)"),                          # factor dropped
    ([RATIO, OBJECTIVE], r"w^{\ast} = \arg\min_{u} (u - v)^2 + c v^2",      # wrong variable
     "unfold (1) in (3)"),
    ([SOFTMAX], r"q_m = \frac{\exp(z_k)}{\sum_{j=1}^{K} \exp(z_j)}", "unfold (2)"),
])
def test_unfold_fails(premises, latex, by):
    result = last(*premises, step("9", latex, by))
    assert result.status is Status.FAILED
    assert "the two sides differ after substituting the premises" in result.reason


def test_unfold_needs_something_to_substitute():
    result = last(RATIO, step("9", r"u = u", "unfold (1)"))
    assert result.status is Status.FAILED
    assert "neither side contains the left side of (1)" in result.reason


# -- an indexed definition holds at every index ------------------------------------------
def test_substitute_an_indexed_definition_at_another_index():
    result = last(SOFTMAX, step(
        "9", r"\log q_m = \log \frac{\exp(z_m)}{\sum_{j=1}^{K} \exp(z_j)}", "substitute (2)"))
    assert result.status is Status.PROVED


def test_substitute_an_indexed_definition_at_the_wrong_index_fails():
    result = last(SOFTMAX, step(
        "9", r"\log q_m = \log \frac{\exp(z_k)}{\sum_{j=1}^{K} \exp(z_j)}", "substitute (2)"))
    assert result.status is Status.FAILED
    assert "the substitution gives something else" in result.reason


def test_an_index_the_definition_binds_is_not_captured():
    # j is the summation index inside the definition of q_k: substituting at q_j
    # would capture it, so q_j is left alone rather than rewritten wrongly
    document = loads(HEADER + SOFTMAX, "test.toml")
    relation = document.steps[0].formula.links[0]
    q_j = relation.lhs.base[document.scope.symbols["j"]]
    assert substitute(q_j, [relation]) == q_j
