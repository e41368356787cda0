"""Declared domains while a derivation is checked: the numeric check draws only inside
them and at every value of a finite set; proofs use them and say so."""

from __future__ import annotations

import pytest
import sympy
from sympy import Abs, Symbol, log, sqrt

from derive.check.domains import Domains, declared
from derive.check.equivalence import decide, equivalent
from derive.check.numeric import compare
from derive.check.verdict import Status
from derive.document.loader import loads
from derive.check.engine import check_document

x, a, b = Symbol("x", real=True), Symbol("a", real=True), Symbol("b", real=True)
yhat, y = Symbol("yhat", real=True), Symbol("y", real=True)
ZERO, ONE, TWO = sympy.Integer(0), sympy.Integer(1), sympy.Integer(2)
#: true for x in [a, b] with a < b, false everywhere else
INSIDE = (Abs(x - a) + Abs(b - x), b - a)


def test_points_are_drawn_inside_a_symbolic_interval_only():
    assert compare(*INSIDE).agree is False
    with declared({b: (a, sympy.oo), x: (a, b)}, {}):
        result = compare(*INSIDE)
    assert result.agree is True, result.note


def test_points_where_a_symbolic_interval_is_empty_are_skipped():
    # nothing orders a and b: the points with a above b are no points of the domain
    with declared({x: (a, b)}, {}):
        result = compare(*INSIDE, samples=12)
    assert result.agree is not False


def test_points_cover_the_whole_interval():
    # 0 on the lower half of (0, 1) only: the points reach the upper half too
    half = sympy.Rational(1, 2)
    claim = (Abs(x - half) + (x - half), ZERO)
    with declared({x: (ZERO, half)}, {}):
        assert compare(*claim).agree is True
    with declared({x: (ZERO, ONE)}, {}):
        assert compare(*claim).agree is False


def test_every_value_of_a_finite_set_is_a_case():
    with declared({}, {y: tuple(map(sympy.Integer, range(8)))}):
        result = compare(y * (y - 7), ZERO)
    assert result.agree is False
    point = dict(result.disagreement.point)
    assert point[y] not in (0, 7)


def test_cases_are_every_assignment():
    domains = Domains({}, {y: (ZERO, ONE), x: (TWO, ONE + TWO)})
    assert len(domains.cases(x + y)) == 4
    assert domains.cases(a) == [{}]


@pytest.mark.parametrize("left, right, intervals, values", [
    (log((1 - yhat)**(1 - y)), (1 - y) * log(1 - yhat), {yhat: (ZERO, ONE)}, {y: (ZERO, ONE)}),
    (log(yhat**2), 2 * log(yhat), {yhat: (ZERO, ONE)}, {}),
    (sqrt((yhat - 1)**2), 1 - yhat, {yhat: (-sympy.oo, ONE)}, {}),
    (y**2, y, {}, {y: (ZERO, ONE)}),
    (*INSIDE, {b: (a, sympy.oo), x: (a, b)}, {}),              # symbolic bounds, a < b
])
def test_a_proof_uses_the_declared_domains(left, right, intervals, values):
    assert not equivalent(left, right).proved
    with declared(intervals, values):
        outcome = equivalent(left, right)
    assert outcome.status is Status.PROVED
    assert outcome.domains


def test_an_inequality_is_proved_over_an_interval_and_refuted_over_a_wider_one():
    with declared({yhat: (ZERO, ONE)}, {}):
        assert decide(">", yhat * (1 - yhat), ZERO).status is Status.PROVED
    with declared({yhat: (ZERO, TWO)}, {}):
        assert decide(">", yhat * (1 - yhat), ZERO).status is Status.FAILED


HEADER = """
[meta]
title = "domains"

[symbols]
'\\hat{y}' = "real"
'y' = "real"

[domains]
'\\hat{y}' = ['0', '1']
'y' = { values = ['0', '1'], note = "the label" }

[[step]]
tag = "1"
latex = '\\log\\left((1 - \\hat{y})^{1-y}\\right) = (1 - y)\\log(1 - \\hat{y})'
by = "equal"
"""


def test_a_verdict_lists_the_domains_it_used():
    result = check_document(loads(HEADER, "test.toml"), time_limit=120)
    (link,) = result.result("1").links
    assert link.verdict.status is Status.PROVED, link.verdict.reason
    assert link.verdict.assumptions == (r"\hat{y} \in (0, 1)", r"y \in \{0, 1\}")
    assert r"y \in \{0, 1\}" in result.assumptions


def test_a_symbol_also_bound_in_the_expression_is_left_alone():
    # x free and x bound by the integral: replacing it would rewrite the integral too
    expr = sympy.Integral(x, (x, ZERO, TWO)) + x
    domains = Domains({x: (ZERO, ONE)}, {y: (ZERO, ONE)})
    assert domains.reparametrised(expr) == expr
    assert domains.bounded(expr) == ()
    assert domains.cases(sympy.Sum(y, (y, ZERO, ONE)) + y) == [{}]


def test_an_inequality_that_fails_at_one_value_of_a_finite_set_fails():
    with declared({yhat: (ZERO, ONE)}, {y: (ZERO, ONE)}):
        outcome = decide(">", y - 1 + yhat * (1 - yhat), ZERO)   # fails at y = 0
    assert outcome.status is Status.FAILED
