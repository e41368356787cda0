"""The normal form of sums of integrals: linearity proved without ``simplify``."""

from __future__ import annotations

import pytest
from sympy import Function, Integral, Symbol, oo

from derive.check.integrals import integral_form
from derive.check.verdict import Status
from tests.rules.derivations import last, step

x, t = Symbol("x", real=True), Symbol("t", real=True)
c, a = Symbol("c", real=True), Symbol("a", positive=True)
f, g = Function("f", real=True), Function("g", real=True)


def over(expr, variable=x, low=0, high=1):
    return Integral(expr, (variable, low, high))


@pytest.mark.parametrize("left, right", [
    (3 * over(f(x)) - over(2 * f(x) - c * g(x)), over(f(x) + c * g(x))),
    (-over(a * f(x)), over(-a * f(x))),
    (over(f(x)), over(f(t), t)),                              # the variable's name
    (over(x * f(x) + f(x)), over(x * f(x)) + over(f(x))),
    (over(f(x), x, -oo, oo) - over(f(x), x, -oo, oo) + over(g(x)), over(g(x))),
])
def test_linear_rearrangements_meet_in_one_form(left, right):
    assert integral_form(left - right) == 0


@pytest.mark.parametrize("left, right", [
    (over(f(x)) - over(f(x) - g(x)), -over(g(x))),               # a sign lost
    (over(-a * f(x)), a * over(f(x))),                           # a constant's sign lost
    (over(f(x)) + over(g(x), x, 0, 2), over(f(x) + g(x))),       # different limits
    (x * over(f(x)), over(x * f(x))),                            # x outside is another x
])
def test_different_integrals_do_not_meet(left, right):
    assert integral_form(left - right) != 0


def test_nested_integrals_keep_their_variables_apart():
    y = Symbol("y", real=True)
    # renaming y to the inner integral's canonical name would capture the y inside it
    nested = Integral(g(y) * Integral(f(x + y), (x, 0, 1)), (y, 0, 1))
    captured = Integral(g(t) * Integral(f(2 * t), (t, 0, 1)), (t, 0, 1))
    assert integral_form(nested - captured) != 0
    assert integral_form(nested).has(y)


def test_a_linear_step_is_proved_by_the_normal_form_not_by_simplify():
    claim = (r"-\int_{-\infty}^{\infty} p(t) \log p(t) dt + \mu \left(\int_{-\infty}^{\infty}"
             r" t p(t) dt - 1\right) = \int_{-\infty}^{\infty} p(t) (\mu t - \log p(t)) dt - \mu")
    result = last(step("1", claim, "equal"))
    assert result.status is Status.PROVED, result.reason
    assert result.links[0].verdict.method == "linearity of integrals"
