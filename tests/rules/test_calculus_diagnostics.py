"""A failed integrate or differentiate shows the rule's value as what was expected, and
names the claim's value as the claim's: the author's wrong formula is never 'expected'."""

from __future__ import annotations

import re

import pytest

from derive.check.verdict import Status
from derive.latex.parser import read_expression
from derive.latex.scope import Scope
from derive.document.loader import loads
from derive.check.engine import check_document
from tests.rules.derivations import step

HEADER = """
[meta]
title = "diagnostics"

[symbols]
'u' = "positive"
'a' = "positive"
't' = "real"
"""


def value(latex: str, document_text: str):
    """An expression read with the declarations of ``document_text``."""
    return read_expression(latex, loads(document_text, "d.toml").scope)


def number(reason: str, who: str) -> float:
    """The number the reason says ``who`` (the claim, the rule) gives."""
    found = re.search(rf"the {who} gives (-?[0-9.]+(?:e-?[0-9]+)?)", reason)
    assert found, reason
    return float(found.group(1))


@pytest.mark.parametrize("latex, rule, claimed, correct", [
    # claim side evaluated by the rule on the left, the author's formula on the right
    (r"\frac{\partial (a u^3)}{\partial u} = 3 a u^3", "differentiate", "3 a u^3", "3 a u^2"),
    (r"\int_{0}^{1} a u t^2 dt = a u", "integrate", "a u", r"\frac{a u}{3}"),
    # and the other way round: the formula on the left, the derivative on the right
    (r"5 u^2 = \frac{\partial u^3}{\partial u}", "differentiate", "5 u^2", "3 u^2"),
])
def test_expected_is_the_rules_value(latex, rule, claimed, correct):
    text = HEADER + step("1", latex, rule)
    verdict = check_document(loads(text, "d.toml")).steps[-1].links[0].verdict
    assert verdict.status is Status.FAILED
    expected = read_expression(verdict.expected, loads(text, "d.toml").scope)
    assert (expected - value(correct, text)).simplify() == 0, verdict.expected
    assert (expected - value(claimed, text)).simplify() != 0
    # at the counterexample, "the claim gives" is the author's formula's value (the
    # message shows six significant digits: within 5e-6 of it)
    point = {read_expression(k, loads(text, "d.toml").scope): read_expression(v, Scope())
             for k, v in verdict.counterexample}
    assert number(verdict.reason, "claim") == pytest.approx(
        float(value(claimed, text).subs(point)), rel=1e-5)
    assert number(verdict.reason, "rule") == pytest.approx(
        float(value(correct, text).subs(point)), rel=1e-5)
