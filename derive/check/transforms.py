"""Small, sound rewritings the rules build on: substitution, linearity, integration."""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Integral, Mul, Product, Sum, Symbol
from sympy.core.function import AppliedUndef

from derive.latex.formula import Relation


def _is_definition(lhs: Basic) -> bool:
    """``p(x, z)`` with distinct symbols as arguments defines p for all arguments."""
    return (isinstance(lhs, AppliedUndef) and all(isinstance(a, Symbol) for a in lhs.args)
            and len(set(lhs.args)) == len(lhs.args))


def substitute(expr: Basic, relations: list[Relation]) -> Basic:
    """Replace each relation's left side by its right side, in order.

    A left side ``f(x, y)`` with symbol arguments is a definition of f: every
    application ``f(a, b)`` becomes the right side with x, y replaced by a, b.
    """
    for relation in relations:
        lhs, rhs = relation.lhs, relation.rhs
        if _is_definition(lhs):
            parameters = lhs.args

            def instance(applied, parameters=parameters, rhs=rhs):
                return rhs.xreplace(dict(zip(parameters, applied.args)))

            expr = expr.replace(
                lambda e, lhs=lhs: isinstance(e, AppliedUndef) and e.func == lhs.func
                and len(e.args) == len(lhs.args), instance)
        else:
            expr = expr.subs(lhs, rhs)
    return expr


def _split_constant(body: Basic, variables: set) -> tuple[Basic, Basic]:
    """Split a product into (factor free of ``variables``, the rest)."""
    constant, rest = [], []
    for factor in Mul.make_args(body):
        (rest if factor.free_symbols & variables else constant).append(factor)
    return Mul(*constant), Mul(*rest)


def _linear_integral(expr: Integral) -> Basic:
    variables = {lim[0] for lim in expr.limits}
    out = []
    for term in Add.make_args(sympy.expand_mul(expr.function)):
        constant, rest = _split_constant(term, variables)
        out.append(constant * Integral(rest, *expr.limits))
    return Add(*out)


def _linear_sum(expr: Sum) -> Basic:
    variables = {lim[0] for lim in expr.limits}
    out = []
    for term in Add.make_args(sympy.expand_mul(expr.function)):
        constant, rest = _split_constant(term, variables)
        if rest == 1:
            out.append(Sum(constant, *expr.limits).doit())
        else:
            out.append(constant * Sum(rest, *expr.limits))
    return Add(*out)


def _linear_product(expr: Product) -> Basic:
    (variable, low, high), = expr.limits
    constant, rest = _split_constant(expr.function, {variable})
    count = high - low + 1
    return constant**count * (Product(rest, *expr.limits) if rest != 1 else 1)


def linear_form(expr: Basic) -> Basic:
    """Pull factors free of the bound variable out of integrals, sums and products,
    and split them over sums of terms: the linearity of these operators."""
    previous = None
    while previous != expr:
        previous = expr
        expr = expr.replace(lambda e: isinstance(e, Integral), _linear_integral)
        expr = expr.replace(lambda e: isinstance(e, Sum), _linear_sum)
        expr = expr.replace(lambda e: isinstance(e, Product), _linear_product)
    return expr


def evaluate_integrals(expr: Basic) -> Basic:
    """Evaluate every definite integral SymPy can, keeping convergence conditions."""
    return expr.replace(lambda e: isinstance(e, Integral), lambda e: e.doit())


def expand_logs(expr: Basic) -> Basic:
    """``log(a b) = log a + log b`` and ``log(a^k) = k log a`` where the assumptions allow."""
    return sympy.expand_log(expr, deep=True, force=False)
