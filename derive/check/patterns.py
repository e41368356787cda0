"""Instances of an equation that holds for every value of some of its symbols.

``\\log q(x | \\theta) = -(x - \\theta)^2`` stated for all x holds at ``x_i`` too, under
``\\sum_i``: the equation's left side is a pattern whose variables are those symbols.
Matching is structural (the same tree, a commutative operator's operands in any order),
never algebraic, so an instance is exactly the left side with the variables put in.
"""

from __future__ import annotations

from itertools import permutations

from sympy import Add, Basic, Indexed, Integral, Mul, Product, Sum
from sympy.core.function import AppliedUndef

#: Assumptions a value must be known to have to stand for a variable that has them.
_ASSUMPTIONS = ("real", "positive", "negative", "nonnegative", "nonpositive", "nonzero",
                "integer", "rational")

#: Commutative operators whose operands are matched in any order, up to this many.
_MOST_PERMUTED = 6


def pattern_variables(lhs: Basic, universal) -> frozenset:
    """The symbols of ``lhs`` that may stand for any value: those the equation holds for
    every value of (``universal(symbol)``) that are arguments of a function or indices
    of data in it (the x of ``\\log p(x)``), never the left side itself."""
    if lhs.has(Integral, Sum, Product):
        return frozenset()
    inside = set()
    for term in lhs.atoms(AppliedUndef, Indexed):
        for argument in (term.indices if isinstance(term, Indexed) else term.args):
            inside |= argument.free_symbols
    return frozenset(s for s in inside if s != lhs and universal(s))


def match(pattern: Basic, expr: Basic, variables: frozenset, found: dict | None = None):
    """The values of ``variables`` that make ``pattern`` the very tree ``expr``, or None."""
    found = {} if found is None else found
    if pattern in variables:
        if pattern in found:
            return found if found[pattern] == expr else None
        return {**found, pattern: expr}
    if not (pattern.free_symbols & variables):
        return found if pattern == expr else None
    if pattern.func != expr.func or len(pattern.args) != len(expr.args):
        return None
    orders = [expr.args]
    if isinstance(pattern, (Add, Mul)) and len(expr.args) <= _MOST_PERMUTED:
        orders = permutations(expr.args)
    for order in orders:
        result = found
        for part, target in zip(pattern.args, order):
            result = match(part, target, variables, result)
            if result is None:
                break
        if result is not None:
            return result
    return None


def admits(variable: Basic, value: Basic) -> bool:
    """Whether ``value`` is known to lie where the equation holds for ``variable``: a
    variable declared positive stands only for values known to be positive."""
    if value == variable:
        return True
    declared = variable.assumptions0
    for word in _ASSUMPTIONS:
        if declared.get(word) is True and getattr(value, f"is_{word}") is not True:
            if not (word == "real" and _real_where_defined(value)):
                return False
    return True


def _real_where_defined(value: Basic) -> bool:
    """Whether ``value`` is real wherever it has a value: a rational function of real
    symbols (``-b / (2 a)`` has none at a = 0, and is real elsewhere)."""
    symbols = value.free_symbols
    return (not value.has(AppliedUndef) and all(s.is_real for s in symbols)
            and value.is_rational_function(*symbols))
