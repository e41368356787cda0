"""Instances of an equation that holds for every value of some symbols: structural
matching, the domain a value must lie in, and substitution under sums, integrals and
products through the rules."""

from __future__ import annotations

import pytest
import sympy
from sympy import Function, IndexedBase, Symbol, log

from derive.check.patterns import admits, match, pattern_variables
from derive.check.verdict import Status
from tests.rules.derivations import last, step

x, t = Symbol("x", real=True), Symbol("t", real=True)
u = Symbol("u", positive=True)
theta = Symbol("theta", real=True)
p, q = Function("p", positive=True), Function("q", positive=True)
data = IndexedBase("x", real=True)
i = Symbol("i", integer=True, positive=True)


def test_a_pattern_matches_its_instance_at_another_value():
    assert match(log(q(x, theta)), log(q(data[i], theta)), frozenset({x, theta})) == \
        {x: data[i], theta: theta}


def test_a_variable_takes_one_value_throughout():
    assert match(p(x) * q(x, theta), p(t) * q(x, theta), frozenset({x})) is None


def test_a_symbol_that_is_no_variable_must_be_the_same():
    assert match(log(q(x, theta)), log(q(t, t)), frozenset({x})) is None


def test_matching_is_structural_not_algebraic():
    assert match(x**2, t, frozenset({x})) is None


def test_only_arguments_of_functions_and_data_are_variables():
    lhs = log(p(x)) + theta
    assert pattern_variables(lhs, lambda s: True) == frozenset({x})
    assert pattern_variables(lhs, lambda s: s != x) == frozenset()


@pytest.mark.parametrize("value, admitted", [(u, True), (sympy.Integer(2), True),
                                             (t, False), (sympy.Integer(-1), False)])
def test_a_value_must_lie_in_the_variables_domain(value, admitted):
    assert admits(u, value) is admitted


SUM = r"\sum_{i=1}^{N} \log q(x_i | \theta)"


@pytest.mark.parametrize("premise, by, claim", [
    (r"\log q(x | \theta) = -(x - \theta)^2", r"given for all x, \theta",
     SUM + r" = -\sum_{i=1}^{N} (x_i - \theta)^2"),
    (r"q(x | \theta) = \exp(-(x - \theta)^2)", r"given for all x, \theta",
     r"\prod_{i=1}^{N} q(x_i | \theta) = \prod_{i=1}^{N} \exp(-(x_i - \theta)^2)"),
    (r"\log p(t) = -t^2", "given for all t", r"\int_{0}^{1} \log p(x) dx = -\int_0^1 x^2 dx"),
    (r"\log p(t) = -t^2", "definition", r"\int_{0}^{1} \log p(x) dx = -\frac{1}{3}"),
])
def test_an_equation_for_all_values_is_substituted_under_a_binder(premise, by, claim):
    result = last(step("1", premise, by), step("2", claim, "substitute (1)"))
    assert result.status is Status.PROVED, result.reason


@pytest.mark.parametrize("premise, by, claim", [
    # at one point only
    (r"\log q(x | \theta) = -(x - \theta)^2", "given", SUM + r" = -\sum_{i=1}^{N} (x_i - \theta)^2"),
    # theta is particular: under a sum over it, another value of it
    (r"\log q(x | \theta) = -(x - \theta)^2", "given for all x",
     r"\sum_{\theta=1}^{N} \log q(x | \theta) = -\sum_{\theta=1}^{N} (x - \theta)^2"),
    # the right side's a would be captured by the integral over a
    (r"\log p(t) = -(t - a)^2", "given for all t", r"\int_0^1 \log p(a) da = 0"),
])
def test_a_premise_does_not_reach_where_it_does_not_hold(premise, by, claim):
    result = last(step("1", premise, by), step("2", claim, "substitute (1)"))
    assert result.status in (Status.FAILED, Status.UNDECIDED), result.reason


def test_a_rational_function_of_real_symbols_stands_for_a_real_variable():
    # -b / (2 a) has no value at a = 0 and is real wherever it has one
    a, b = Symbol("a", real=True), Symbol("b", real=True)
    assert admits(x, -b / (2 * a))
    assert not admits(x, sympy.sqrt(b))
    assert not admits(u, -b / (2 * a))
