"""Functional derivatives, symbolically: the chain rule over the integrals of a
functional and the Euler-Lagrange rule inside each integral.

For ``F = G(I_1, ..., I_n)`` with integrals ``I_k = \\int f_k dt``,
``dF/dp(x) = sum_k dG/dI_k * dI_k/dp(x)``, and for one integral (over a box, with
any number of variables ``t``) each variable ``t`` in which the integrand holds
``p(t)``, ``p'(t)``, ``p''(t)``, ... contributes, for x inside the range of t,
``f_p - d/dt f_p' + d^2/dt^2 f_p'' - ...`` at t = x, integrated over the other
variables. Anything else that touches p (p outside an integral, p at a shifted
point, a range that depends on another variable) is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from sympy import Basic, Derivative, Dummy, Integral, Mul, Symbol
from sympy.core.function import AppliedUndef


class Unsupported(Exception):
    """The functional has a shape whose derivative this module does not compute;
    ``{}`` in the message stands for ``subject``, which the caller prints."""

    def __init__(self, message: str, subject: Basic | None = None):
        super().__init__(message)
        self.subject = subject

    def render(self, show) -> str:
        """The message with the subject shown by ``show`` (e.g. as LaTeX)."""
        text = str(self)
        return text.replace("{}", show(self.subject)) if self.subject is not None else text


@dataclass
class Derivation:
    """The functional derivative at a point and the ranges of the point where it holds."""

    value: Basic
    ranges: set = field(default_factory=set)    # {(low, high)} of every contributing variable


def functional_derivative(functional: Basic, function, point: Dummy) -> Derivation:
    """``delta F / delta p(point)`` for F a SymPy expression in the integrals of p.

    ``function`` is p's class (``p(t).func``); ``point`` a fresh symbol for x.

    >>> t, x = sympy.Symbol('t', real=True), sympy.Dummy('x')
    >>> p = sympy.Function('p')
    >>> F = Integral(Derivative(p(t), t)**2 / 2, (t, -sympy.oo, sympy.oo))
    >>> functional_derivative(F, p, x).value
    -Derivative(p(_x), (_x, 2))
    """
    result = Derivation(sympy.S.Zero)
    result.value = _chain(_prepare(functional), function, point, result.ranges, frozenset())
    return result


def _prepare(expr: Basic) -> Basic:
    """Derivatives of expressions written out, nested integrals merged into one."""
    expr = expr.replace(lambda e: isinstance(e, Derivative)
                        and not isinstance(e.expr, AppliedUndef),
                        lambda e: e.doit(deep=False))
    return expr.replace(lambda e: isinstance(e, Integral), _merge)


def _merge(integral: Integral) -> Integral:
    """``\\int A(t) (\\int B(t, s) ds) dt`` as the double integral of A B (Fubini)."""
    factors = Mul.make_args(integral.function)
    inner = [f for f in factors if isinstance(f, Integral)]
    if len(inner) != 1:
        return integral
    outside = {lim[0] for lim in integral.limits}
    own = {lim[0] for lim in inner[0].limits}
    if any(s.free_symbols & outside for lim in inner[0].limits for s in lim[1:]):
        return integral
    rest = Mul(*[f for f in factors if f is not inner[0]])
    if rest.free_symbols & own:
        return integral
    return Integral(rest * inner[0].function, *inner[0].limits, *integral.limits)


def _outermost_integrals(expr: Basic, function) -> list[Integral]:
    """The integrals of ``expr`` that hold p and lie in no other integral."""
    if isinstance(expr, Integral):
        return [expr] if expr.has(function) else []
    found: list[Integral] = []
    for arg in expr.args:
        found += [i for i in _outermost_integrals(arg, function) if i not in found]
    return found


def _chain(expr: Basic, function, point, ranges: set, enclosing: frozenset) -> Basic:
    """The chain rule over the outermost integrals of ``expr`` that hold p."""
    integrals = _outermost_integrals(expr, function)
    values = {integral: Dummy("I") for integral in integrals}
    outer = expr.xreplace(values)
    if outer.has(function):
        raise Unsupported("{} appears outside an integral", _occurrence(outer, function))
    _unbound(outer, values)
    back = {value: integral for integral, value in values.items()}
    total = sympy.S.Zero
    for integral, value in values.items():
        partial = sympy.diff(outer, value)
        if partial != 0:
            inner = _integral(integral, function, point, ranges, enclosing)
            total += partial.xreplace(back) * inner
    return total


_BINDERS = (sympy.Sum, sympy.Product, Derivative, sympy.Subs, sympy.Limit, sympy.Lambda)


def _unbound(expr: Basic, values: dict) -> None:
    """Refuse an integral inside a sum, a product, a derivative...: abstracting it as
    one unknown would merge its instances (one per index of the sum)."""
    unknowns = set(values.values())
    for binder in expr.atoms(*_BINDERS):
        if binder.free_symbols & unknowns or any(u in binder.atoms(Dummy) for u in unknowns):
            inside = next(i for i, u in values.items() if binder.has(u))
            raise Unsupported("the integral {} lies inside a sum, product or derivative",
                              inside)


def _occurrence(expr: Basic, function) -> Basic:
    """One place where p appears, for messages."""
    return next(e for e in sympy.preorder_traversal(expr)
                if isinstance(e, AppliedUndef) and e.func == function)


def _box(integral: Integral, function, enclosing: frozenset) -> dict:
    """The range of each variable; refused unless the ranges are fixed (a box) and
    free of the function."""
    variables = {lim[0] for lim in integral.limits} | enclosing
    ranges = {}
    for limit in integral.limits:
        if len(limit) != 3:
            raise Unsupported("an integral without limits")
        variable, low, high = limit
        if low.has(function) or high.has(function):
            raise Unsupported("the range of {} depends on the function", variable)
        if (low.free_symbols | high.free_symbols) & variables:
            raise Unsupported("the range of {} depends on another variable", variable)
        ranges[variable] = (low, high)
    return ranges


@dataclass(frozen=True)
class _Slot:
    """Where p enters an integrand: ``d^order p / dt^order`` at ``scale * t + shift``."""

    variable: Symbol
    order: int
    original: Basic
    scale: Basic = sympy.S.One
    shift: Basic = sympy.S.Zero


def _affine(argument: Basic, variables: set, fixed: set):
    """(t, a, c) when ``argument = a t + c`` with t one of ``variables``, a a nonzero
    number and c free of ``fixed``; else None."""
    inside = argument.free_symbols & variables
    if len(inside) != 1:
        return None
    (t,) = inside
    scale = sympy.diff(argument, t)
    shift = sympy.expand(argument - scale * t)
    if not (scale.is_number and scale.is_nonzero and scale.is_real) \
            or shift.free_symbols & fixed:
        return None
    return t, scale, shift


def _slots(body: Basic, function, variables: set, fixed: set) -> tuple[Basic, dict]:
    """Replace ``p(t)``, ``d^k p(t)/dt^k`` and ``p(a t + c)`` (t an integration variable,
    ``fixed`` every variable in scope) by unknowns; return the body and
    ``{unknown: _Slot}``."""
    slots: dict = {}
    seen: dict = {}

    def unknown(original, slot):
        if original not in seen:
            seen[original] = Dummy("P")
            slots[seen[original]] = slot
        return seen[original]

    def is_slot(e):
        return (isinstance(e, AppliedUndef) and e.func == function and len(e.args) == 1
                and e.args[0] in variables)

    def is_shifted(e):
        return (isinstance(e, AppliedUndef) and e.func == function and len(e.args) == 1
                and _affine(e.args[0], variables, fixed) is not None)

    def shifted(e):
        t, scale, shift = _affine(e.args[0], variables, fixed)
        return unknown(e, _Slot(t, 0, e, scale, shift))

    body = body.replace(
        lambda e: isinstance(e, Derivative) and is_slot(e.expr)
        and set(e.variables) == {e.expr.args[0]},
        lambda e: unknown(e, _Slot(e.expr.args[0], len(e.variables), e)))
    body = body.replace(is_slot, lambda e: unknown(e, _Slot(e.args[0], 0, e)))
    body = body.replace(is_shifted, shifted)
    return body, slots


def _integral(integral: Integral, function, point, ranges: set, enclosing: frozenset) -> Basic:
    """``delta I / delta p(point)`` for one integral over a box (Euler-Lagrange)."""
    box = _box(integral, function, enclosing)
    inside = enclosing | set(box)
    # integrals nested in the integrand: the chain rule, then integrate over the box
    inner = _outermost_integrals(integral.function, function)
    values = {i: Dummy("J") for i in inner}
    _unbound(integral.function.xreplace(values), values)
    body, slots = _slots(integral.function.xreplace(values), function, set(box), inside)
    if body.has(function):
        raise Unsupported("the integrand uses {}, not the function at an integration "
                          "variable (or a shift of one)", _occurrence(body, function))
    back = {u: slot.original for u, slot in slots.items()}
    back.update({v: i for i, v in values.items()})
    total = sympy.S.Zero
    for unknown, slot in slots.items():
        partial = sympy.diff(body, unknown).xreplace(back)
        if partial == 0:
            continue
        total += _contribution(partial, slot, box, point, ranges)
    for integral_inside, value in values.items():
        partial = sympy.diff(body, value).xreplace(back)
        if partial != 0:
            derivative = _chain(integral_inside, function, point, ranges, frozenset(inside))
            total += Integral(partial * derivative, *[(v, *box[v]) for v in box])
    return total


def _contribution(partial: Basic, slot: _Slot, box: dict, point, ranges: set) -> Basic:
    """One slot's share: ``(-d/dt)^k`` of its partial derivative at t = point (or, for
    p(a t + c), at t = (point - c)/a over |a|), integrated over the other variables."""
    variable = slot.variable
    term = (-1) ** slot.order * sympy.diff(partial, variable, slot.order)
    if slot.scale != 1 or slot.shift != 0:
        if box[variable] != (-sympy.oo, sympy.oo):
            raise Unsupported("the integrand uses {} over a range other than the whole "
                              "line", slot.original)
        term = term.xreplace({variable: (point - slot.shift) / slot.scale}) / abs(slot.scale)
    else:
        term = term.xreplace({variable: point})
    others = [(v, *box[v]) for v in box if v != variable]
    ranges.add(box[variable])
    return Integral(term, *others) if others else term


_NAMES = ("s", "u", "v", "w")


def rename_bound(expr: Basic, avoid: set) -> Basic:
    """Integration variables renamed by nesting depth (s, u, v, w, s_4, ...), avoiding
    the names in ``avoid``: alpha-equivalent integrals become identical, and a free
    point cannot be captured by an integral that bound the same name."""
    names = [n for n in _NAMES if n not in avoid]
    names += [f"s_{k}" for k in range(4, 64) if f"s_{k}" not in avoid]
    return _rename(expr, names, 0)


def _rename(expr: Basic, names: list, depth: int) -> Basic:
    if not expr.args:
        return expr
    if isinstance(expr, Integral) and all(len(limit) == 3 for limit in expr.limits):
        mapping = {limit[0]: Symbol(names[depth + k], **limit[0].assumptions0)
                   for k, limit in enumerate(expr.limits)}
        body = _rename(expr.function.xreplace(mapping), names, depth + len(mapping))
        limits = [(mapping[v], _rename(low, names, depth), _rename(high, names, depth))
                  for v, low, high in expr.limits]
        return Integral(body, *limits)
    return expr.func(*[_rename(a, names, depth) for a in expr.args])
