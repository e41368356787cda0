"""A cheap normal form for sums of integrals, so that linearity needs no ``simplify``.

Constant factors and signs come out of every integral, integrals over the same variable
and limits merge into one, and each integrand is expanded: ``3 \\int f - \\int (2 f - g)``
and ``\\int (f + g)`` meet in ``\\int (f + g)``. The form equals the expression wherever
every integral written in it converges, which the equivalence check demands first.
"""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Integral, Mul, Symbol

from derive.check.transforms import linear_form


def _canonical_variable(integral: Integral) -> Integral:
    """The integral over a variable named by its assumptions alone, so that
    ``\\int f(x) dx`` and ``\\int f(t) dt`` over the same limits are one tree."""
    if len(integral.limits) != 1:
        return integral
    variable = integral.limits[0][0]
    canonical = Symbol("_integration_variable", **variable.assumptions0)
    if canonical == variable or integral.has(canonical):
        return integral   # an inner integral already uses the name: it would be captured
    return integral.xreplace({variable: canonical})


def _integral_term(term: Basic) -> tuple[Basic, Integral] | None:
    """A term ``c \\int g`` as (c, the integral) when c is free of its variables."""
    integrals = [f for f in Mul.make_args(term) if isinstance(f, Integral)]
    if len(integrals) != 1:
        return None
    (integral,) = integrals
    coefficient = Mul(*(f for f in Mul.make_args(term) if f is not integral))
    if coefficient.free_symbols & set(integral.variables):
        return None   # x \int_0^1 f(x) dx: x outside is another x, it cannot go in
    return coefficient, integral


def integral_form(expr: Basic) -> Basic:
    """``expr`` with constants pulled out of its integrals, those over the same variable
    and limits merged into one, and every integrand expanded (an integrand that cancels
    leaves nothing)."""
    if not expr.has(Integral):
        return expr
    expr = sympy.expand(linear_form(expr).replace(
        lambda e: isinstance(e, Integral), _canonical_variable))
    merged: dict[tuple, list[Basic]] = {}
    rest: list[Basic] = []
    for term in Add.make_args(expr):
        found = _integral_term(term)
        if found is None:
            rest.append(term)
            continue
        coefficient, integral = found
        merged.setdefault(integral.limits, []).append(coefficient * integral.function)
    integrals = []
    for limits, parts in merged.items():
        integrand = sympy.expand(Add(*parts))
        if integrand != 0:
            integrals.append(Integral(integrand, *limits))
    return Add(*rest, *integrals)
