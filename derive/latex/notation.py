"""SymPy objects for notation SymPy lacks: argmin/argmax, max/min problems,
functional derivatives; densities and expectations (from distributions.py and
expectations.py).

They stay unevaluated so that a formula keeps the shape the article wrote;
the rules know what each one means.
"""

from __future__ import annotations

import sympy
from sympy import Expr

from derive.latex.distributions import (DENSITIES, DISTRIBUTIONS, Density, Distribution,
                                        NormalDist, NormalPDF, unfold_density)
from derive.latex.expectations import (Expectation, Expected, KLDivergence, Law, Variance,
                                       VarianceUnder, unfold_integrals, unfold_statistics)

__all__ = ["DENSITIES", "DISTRIBUTIONS", "Density", "Distribution", "NormalDist", "NormalPDF",
           "Expectation", "Expected", "KLDivergence", "Law", "Variance", "VarianceUnder"]


def _basic(value) -> sympy.Basic:
    """A constructor's argument as a SymPy object: SymPy objects and Python integers
    (which SymPy's own rebuilding may pass) only; never text."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return sympy.Integer(value)
    raise TypeError(f"not a SymPy object: {type(value).__name__}")


class _Operator(Expr):
    """An operator applied to a body and bound to one variable."""

    def __new__(cls, body, variable):
        return Expr.__new__(cls, _basic(body), _basic(variable))

    @property
    def body(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def free_symbols(self):
        return self.body.free_symbols - self.variable.free_symbols


class ArgMin(_Operator):
    """``\\arg\\min_{v} body``: the point where the body is smallest."""


class ArgMax(_Operator):
    """``\\arg\\max_{v} body``: the point where the body is largest."""


class Minimize(_Operator):
    """``\\min_{v} body``: the problem of minimising the body over v."""


class Maximize(_Operator):
    """``\\max_{v} body``: the problem of maximising the body over v."""


OPTIMIZERS = {
    "argmin": ArgMin,
    "argmax": ArgMax,
    "min": Minimize,
    "max": Maximize,
}


class FunctionalDerivative(Expr):
    """``\\frac{\\delta F}{\\delta p(x)}``: derivative of a functional F w.r.t. p at x."""

    def __new__(cls, functional, function_value):
        return Expr.__new__(cls, _basic(functional), _basic(function_value))

    @property
    def functional(self):
        return self.args[0]

    @property
    def function_value(self):
        return self.args[1]


class IndexedSet(Expr):
    """``\\{(x_n, z_n)\\}_{n=1}^{N}``: a set of tuples, one per index; shown as written
    and never evaluated (no rule reads sets)."""

    def __new__(cls, element, index, low, high):
        return Expr.__new__(cls, *(_basic(a) for a in (element, index, low, high)))

    @property
    def free_symbols(self):
        element, index, low, high = self.args
        inside = {s for s in element.free_symbols if index not in s.free_symbols}
        return inside | low.free_symbols | high.free_symbols


def depends(expr, variable) -> bool:
    """Whether ``expr`` can change with ``variable`` (an entry x_i with its data x)."""
    if isinstance(variable, sympy.Indexed):
        return expr.has(variable.base) or expr.has(variable.base.label)
    return expr.has(variable)


def as_expr(value) -> sympy.Basic:
    """A SymPy object as it is, or a Python number as a SymPy number; never text, so
    nothing a derivation file holds can reach SymPy's parser through a checker."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a SymPy expression or a number, got {type(value).__name__}")
    return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)


def expand_notation(expr):
    """Replace notation that has a definition by it: statistics by their integrals,
    sums or linear forms, then densities by their formulas (zero off the support)."""
    if not isinstance(expr, sympy.Basic):
        return expr
    expr = unfold_integrals(unfold_statistics(expr))
    return expr.replace(lambda e: isinstance(e, Density), unfold_density)


#: Notation with no numeric value of its own: compared by form, or as unknown values.
UNVALUED = (_Operator, FunctionalDerivative, Expectation, Variance, IndexedSet)
