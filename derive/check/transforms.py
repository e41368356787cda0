"""Small, sound rewritings the rules build on: substitution, linearity, integration."""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Indexed, Integral, KroneckerDelta, Mul, Product, Sum, Symbol
from sympy.core.function import AppliedUndef

from derive.latex.formula import Relation


def _is_definition(lhs: Basic) -> bool:
    """``p(x, z)`` with distinct symbols as arguments defines p for all arguments."""
    return (isinstance(lhs, AppliedUndef) and all(isinstance(a, Symbol) for a in lhs.args)
            and len(set(lhs.args)) == len(lhs.args))


def _is_indexed_definition(lhs: Basic) -> bool:
    """``q_k`` with distinct symbol indices defines q for every index, as ``p(x)`` does."""
    return (isinstance(lhs, Indexed) and all(isinstance(i, Symbol) for i in lhs.indices)
            and len(set(lhs.indices)) == len(lhs.indices))


def _bound_symbols(expr: Basic) -> set:
    return {lim[0] for s in expr.atoms(Sum, Product, Integral) for lim in s.limits}


def _indexed_instance(lhs: Indexed, rhs: Basic):
    """The right side at other indices; an index a bound variable of rhs would capture
    is left alone (unsubstituted), never captured."""
    bound = _bound_symbols(rhs)

    def instance(applied):
        if any(i.free_symbols & bound for i in applied.indices):
            return applied
        return rhs.xreplace(dict(zip(lhs.indices, applied.indices)))
    return instance


def substitute(expr: Basic, relations: list[Relation]) -> Basic:
    """Replace each relation's left side by its right side, in order.

    A left side ``f(x, y)`` with symbol arguments is a definition of f: every
    application ``f(a, b)`` becomes the right side with x, y replaced by a, b.
    Likewise a left side ``q_k`` with a symbol index defines every ``q_m``.
    """
    for relation in relations:
        lhs, rhs = relation.lhs, relation.rhs
        if _is_indexed_definition(lhs):
            expr = expr.replace(
                lambda e, lhs=lhs: isinstance(e, Indexed) and e.base == lhs.base
                and len(e.indices) == len(lhs.indices), _indexed_instance(lhs, rhs))
        elif _is_definition(lhs):
            parameters, bound = lhs.args, _bound_symbols(rhs)

            def instance(applied, parameters=parameters, rhs=rhs, bound=bound):
                if any(a.free_symbols & bound for a in applied.args):
                    return applied  # substituting would capture a bound variable
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


def _within(index: Basic, low: Basic, high: Basic, ranges: dict) -> bool:
    """Whether the integer ``index`` is known to lie in [low, high]: a number, or a
    symbol whose declared range lies inside."""
    if not index.is_integer:
        return False
    if index.is_number:
        low_i = high_i = index
    elif index in ranges:
        low_i, high_i = ranges[index]
    else:
        return False
    return bool((low_i - low).is_nonnegative and (high - high_i).is_nonnegative)


def _collapse_sum(expr: Sum, ranges: dict) -> Basic:
    if len(expr.limits) != 1:
        return expr
    (k, low, high), = expr.limits
    kept, collapsed = [], []
    for term in Add.make_args(sympy.expand_mul(expr.function)):
        deltas = [f for f in Mul.make_args(term) if isinstance(f, KroneckerDelta)
                  and k in f.args and not all(a == k for a in f.args)]
        if not deltas:
            kept.append(term)
            continue
        delta = deltas[0]
        other = delta.args[1] if delta.args[0] == k else delta.args[0]
        if k in other.free_symbols or not _within(other, low, high, ranges):
            kept.append(term)
            continue
        collapsed.append((term / delta).xreplace({k: other}))
    if not collapsed:
        return expr
    return Add(*collapsed) + (Sum(Add(*kept), expr.limits[0]) if kept else 0)


def collapse_deltas(expr: Basic, ranges: dict) -> Basic:
    """``sum_k f(k) delta_{km}`` over k from a to b is ``f(m)`` when m is known to lie in
    [a, b] (``ranges`` maps a symbol to its declared (low, high)); otherwise it stays."""
    return expr.replace(lambda e: isinstance(e, Sum), lambda e: _collapse_sum(e, ranges))


def evaluate_derivatives(expr: Basic, ranges: dict) -> Basic:
    """Evaluate every derivative (a sum of indexed terms differentiates term by term,
    giving Kronecker deltas), then collapse the deltas the index ranges allow."""
    expr = expr.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.doit())
    return collapse_deltas(expr, ranges)


def evaluate_integrals(expr: Basic) -> Basic:
    """Evaluate every definite integral SymPy can, keeping convergence conditions."""
    return expr.replace(lambda e: isinstance(e, Integral), lambda e: e.doit())


def expand_logs(expr: Basic) -> Basic:
    """``log(a b) = log a + log b`` and ``log(a^k) = k log a`` where the assumptions allow."""
    return sympy.expand_log(expr, deep=True, force=False)
