"""Small, sound rewritings the rules build on: substitution, linearity, integration."""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import (Add, Basic, Dummy, Indexed, Integral, KroneckerDelta, Mul, Product, Sum,
                   Symbol, Tuple)
from sympy.core.function import AppliedUndef

from derive.check.patterns import admits, match, pattern_variables



@dataclass(frozen=True)
class Rewrite:
    """An equation used left to right, and the symbols it holds for one value of only.

    ``given f(x) = 0`` holds for the x it speaks of (x is *particular*), not at other
    points and not under an integral over x; a definition, or a given stated
    ``for all x``, holds for every x.
    """

    lhs: Basic
    rhs: Basic
    particular: frozenset = frozenset()

    def holds_for_every(self, symbol: Basic) -> bool:
        return symbol not in self.particular


def _is_definition(lhs: Basic) -> bool:
    """``p(x, z)`` with distinct symbols as arguments can define p for all arguments."""
    return (isinstance(lhs, AppliedUndef) and all(isinstance(a, Symbol) for a in lhs.args)
            and len(set(lhs.args)) == len(lhs.args))


def _is_indexed_definition(lhs: Basic) -> bool:
    """``q_k`` with distinct symbol indices can define q for every index, as ``p(x)`` does."""
    return (isinstance(lhs, Indexed) and all(isinstance(i, Symbol) for i in lhs.indices)
            and len(set(lhs.indices)) == len(lhs.indices))


def _bound_symbols(expr: Basic) -> set:
    return {lim[0] for s in expr.atoms(Sum, Product, Integral) for lim in s.limits}


_BINDERS = (Integral, Sum, Product)


def _binder_variables(expr: Basic) -> set:
    """The variables an integral, sum, product, argmin or derivative binds: an equation
    rewrites inside only if it holds for every value of them."""
    from derive.latex.notation import _Operator
    if isinstance(expr, _BINDERS):
        return {lim[0] for lim in expr.limits}
    if isinstance(expr, sympy.Derivative):
        return set(expr.variables)
    if isinstance(expr, _Operator):
        return set(expr.variable.free_symbols)
    return set()


def _is_binder(expr: Basic) -> bool:
    return bool(_binder_variables(expr))


def _captures(rule: Rewrite, symbols: set, bound: frozenset) -> set:
    """The symbols of the right side a binder here would capture: those bound here that
    the equation holds for one value of only. One that holds for every value (``y = a
    u^3`` as a definition) is an abbreviation, and ``\\frac{dy}{du}`` or ``\\int y\\,du``
    means it written out."""
    return {s for s in symbols & bound if not rule.holds_for_every(s)}


def _instance(rule: Rewrite, parameters, arguments, bound: frozenset, rhs_bound: set,
              applied: Basic) -> Basic:
    """The right side at ``arguments``, or ``applied`` unchanged where the premise does
    not reach: another point of a particular equation, a variable bound where it is
    used, a bound variable of the right side that would capture an argument, a binder
    here that would capture a symbol of the right side, or an argument outside the
    parameter's declared domain."""
    if _captures(rule, rule.rhs.free_symbols - set(parameters), bound):
        return applied  # a symbol of the right side would be captured by a binder here
    for parameter, argument in zip(parameters, arguments):
        if argument.free_symbols & rhs_bound or not admits(parameter, argument):
            return applied
        same = argument == parameter and parameter not in bound
        if not same and not rule.holds_for_every(parameter):
            return applied
    return rule.rhs.xreplace(dict(zip(parameters, arguments)))


def _applications(lhs: Basic):
    """For a left side that can define a function (``p(x)``) or indexed data (``q_k``):
    which subexpressions are its applications, its parameters, and the arguments of
    an application; None for any other left side."""
    if _is_indexed_definition(lhs):
        return (lambda e: isinstance(e, Indexed) and e.base == lhs.base
                and len(e.indices) == len(lhs.indices)), lhs.indices, lambda e: e.indices
    if _is_definition(lhs):
        return (lambda e: isinstance(e, AppliedUndef) and e.func == lhs.func
                and len(e.args) == len(lhs.args)), lhs.args, lambda e: e.args
    return None


def _rewrite_flat(expr: Basic, rule: Rewrite, bound: frozenset, hidden: dict) -> Basic:
    """Apply ``rule`` to an expression whose binders are hidden (``hidden`` maps each
    to the symbol standing for it, so that a left side holding the same integral or
    sum still matches)."""
    lhs, rhs = rule.lhs, rule.rhs
    applications = _applications(lhs)
    if applications is not None:
        applies, parameters, arguments = applications
        rhs_bound = _bound_symbols(rhs)
        return expr.replace(applies, lambda e: _instance(rule, parameters, arguments(e),
                                                         bound, rhs_bound, e))
    if any(s in bound and not rule.holds_for_every(s) for s in lhs.free_symbols):
        return expr  # the left side's variable is bound here: another value of it
    if _captures(rule, rhs.free_symbols - lhs.free_symbols, bound):
        return expr  # a symbol of the right side would be captured by a binder here
    expr = expr.subs(lhs.xreplace(hidden), rhs)
    variables = pattern_variables(lhs, rule.holds_for_every)
    if not variables:
        return expr
    return _instances(expr, rule, variables, bound, _bound_symbols(rhs))


def _instances(expr: Basic, rule: Rewrite, variables: frozenset, bound: frozenset,
               rhs_bound: set) -> Basic:
    """Replace, outermost first, every instance of the rule's left side at other values
    of its pattern variables (``\\log p(x_i)`` for ``\\log p(x)``) by the right side there."""
    found = match(rule.lhs, expr, variables)
    if found is not None and _reaches(rule, found, bound, rhs_bound):
        return rule.rhs.xreplace(found)
    if not expr.args or isinstance(expr, Dummy):
        return expr
    args = [_instances(a, rule, variables, bound, rhs_bound) for a in expr.args]
    return expr.func(*args) if args != list(expr.args) else expr


def _reaches(rule: Rewrite, found: dict, bound: frozenset, rhs_bound: set) -> bool:
    """Whether the premise holds at these values of its variables, here: each value lies
    in its variable's declared domain, no value's symbol is captured by a variable the
    right side binds, and no other symbol of the right side by a binder around the site."""
    for variable, value in found.items():
        if not admits(variable, value) or value.free_symbols & rhs_bound:
            return False
    others = rule.rhs.free_symbols - set(found)
    return not (others & bound)


def _rewrite(expr: Basic, rule: Rewrite, bound: frozenset = frozenset()) -> Basic:
    """Apply ``rule`` everywhere it reaches, entering binders with their variables
    marked bound."""
    if _is_binder(expr) and expr != rule.lhs:
        inner = bound | _binder_variables(expr)
        args = []
        for arg in expr.args:
            if isinstance(arg, Tuple) and arg and arg[0] in inner:  # (x, low, high)
                args.append(Tuple(arg[0], *(_rewrite(b, rule, bound) for b in arg[1:])))
            elif arg in inner and not isinstance(expr, _BINDERS):
                args.append(arg)  # the variable of an argmin
            else:
                args.append(_rewrite(arg, rule, inner))
        return expr.func(*args)
    binders = _outermost_binders(expr)
    if not binders:
        return _rewrite_flat(expr, rule, bound, {})
    hidden = {b: Dummy("B") for b in binders}
    flat = _rewrite_flat(expr.xreplace(hidden), rule, bound, hidden)
    rewritten = {name: _rewrite(b, rule, bound) for b, name in hidden.items()}
    return flat.xreplace(rewritten)


def _outermost_binders(expr: Basic) -> list:
    found = []
    for arg in expr.args:
        if _is_binder(arg):
            found.append(arg)
        else:
            found.extend(_outermost_binders(arg))
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Refusal:
    """Why an equation does not reach an instance of its left side: ``value`` lies
    outside the declared domain of ``variable``, or binders here over ``captured``
    would capture those symbols of its right side."""

    variable: Basic = None
    value: Basic = None
    captured: tuple = ()


def refused(expr: Basic, rule: Rewrite, bound: frozenset = frozenset()) -> Refusal | None:
    """Why ``rule`` does not reach an instance of its left side in ``expr``, when it is
    for a reason other than its quantification; None otherwise."""
    applications = _applications(rule.lhs)
    if applications is not None:
        applies, parameters, arguments = applications
        found = dict(zip(parameters, arguments(expr))) if applies(expr) else None
    else:
        variables = pattern_variables(rule.lhs, lambda s: True)
        found = match(rule.lhs, expr, variables) if variables else None
    if found is not None:
        for variable, value in found.items():
            if not admits(variable, value):
                return Refusal(variable, value)
        captured = _captures(rule, rule.rhs.free_symbols - set(found), bound)
        if captured:
            return Refusal(captured=tuple(sorted(captured, key=str)))
    inner = bound | _binder_variables(expr)
    for arg in expr.args:
        reason = refused(arg, rule, inner)
        if reason is not None:
            return reason
    return None


def substitute(expr: Basic, relations) -> Basic:
    """Replace each equation's left side by its right side, in order.

    ``relations`` holds :class:`Rewrite` s (or relations, which then hold for every
    value). A left side ``f(x, y)`` with symbol arguments, or ``q_k`` with a symbol
    index, reaches every application ``f(a, b)`` only where the equation holds for
    every x and y; a particular one rewrites ``f(x, y)`` itself, and nowhere that x
    or y is bound.
    """
    for relation in relations:
        rule = relation if isinstance(relation, Rewrite) else Rewrite(relation.lhs,
                                                                       relation.rhs)
        expr = _rewrite(expr, rule)
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
