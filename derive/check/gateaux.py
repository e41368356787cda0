"""The numeric cross-check of a functional derivative (the Gateaux derivative).

For a concrete function p of the declared sign (plus or minus a Gaussian mixture
with random rational parameters) and a concrete test function phi (a narrower
Gaussian times a line, vanishing to fourth order at the finite ends of the range),
a claimed derivative E of a functional F must satisfy

    d/dh F[p + h phi] at h = 0  =  \\int E(x) phi(x) dx   (over the range).

The left side is a central difference of h -> F[p + h phi], each F computed by
mpmath quadrature at 20 digits; the right side is one more quadrature. The
expressions are built from the derivation's SymPy trees by substitution only
(symbols get random rational values of their declared sign, other undefined
functions random smooth functions) and evaluated by a small tree walker of its
own, so that nothing SymPy derived is trusted here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy
from sympy import Basic, Derivative, Integral, Rational, Symbol
from sympy.core.function import AppliedUndef

from derive.latex.notation import as_expr, expand_notation

DIGITS = 20
STEP = Rational(1, 10**7)          # truncation ~ STEP^2, rounding ~ 10^-DIGITS / STEP
TOLERANCE = mpmath.mpf(10) ** -10
QUADRATURE_ERROR = mpmath.mpf(10) ** -15    # mpmath's own estimate, relative
FAR, TAIL = mpmath.mpf(10) ** 8, mpmath.mpf(10) ** -6   # |f(FAR)| FAR must stay below TAIL


class NotEvaluable(Exception):
    """The expression holds something the evaluator cannot compute."""


@dataclass(frozen=True)
class CrossCheck:
    """The outcome: ``agree`` is None when no sample could be evaluated."""

    agree: bool | None
    note: str = ""
    directional: str = ""      # d/dh F[p + h phi] at the failing sample
    projected: str = ""        # \int E phi at the failing sample
    p: Basic | None = None     # the sampled p and phi at the point, and the symbols'
    phi: Basic | None = None   # values ((symbol, value), ...), of the failing sample
    values: tuple = ()


def cross_check(functional: Basic, derivatives: list[Basic], function, point: Symbol,
                region: tuple[Basic, Basic], samples: int = 2, seed: int = 1
                ) -> list[CrossCheck]:
    """Check each candidate ``delta F / delta p(point)`` against ``functional``.

    ``function`` is p's class, ``region`` the range of the point where the
    derivatives are claimed; one result per candidate, in order.
    """
    rng = random.Random(seed)
    h = sympy.Dummy("h", real=True)
    passed = [0] * len(derivatives)
    failures: list[CrossCheck | None] = [None] * len(derivatives)
    note = ""
    for _ in range(samples * 2):
        if min(passed) >= samples or all(f is not None for f in failures):
            break
        try:
            case = _Case(functional, function, point, region, rng)
            with mpmath.workdps(DIGITS):
                directional = case.directional(h)
                projections = [case.projected(d) if failures[k] is None else None
                               for k, d in enumerate(derivatives)]
        except NotEvaluable as error:
            note = f"cannot evaluate {error}"
            break
        except (ZeroDivisionError, ValueError, OverflowError, TypeError) as error:
            note = f"the evaluation failed ({error})"
            continue
        if not _finite(directional) or not all(_finite(v) for v in projections if v is not None):
            note = "the values are not finite for the sampled functions"
            continue
        for k, value in enumerate(projections):
            if value is None:
                continue
            if abs(directional - value) > TOLERANCE * (1 + abs(directional) + abs(value)):
                failures[k] = CrossCheck(False, directional=_short(directional),
                                         projected=_short(value), **case.describe())
            else:
                passed[k] += 1
    return [failures[k] or (CrossCheck(True) if passed[k] >= samples else
                            CrossCheck(None, note or "too few samples could be evaluated"))
            for k in range(len(derivatives))]


def _short(value) -> str:
    return mpmath.nstr(value, 12)


def _finite(value) -> bool:
    return isinstance(value, (mpmath.mpf, mpmath.mpc)) and mpmath.isfinite(value)


# -- the random concrete functions ------------------------------------------------------
def _rational(rng: random.Random, low: int, high: int, scale: int = 10) -> Rational:
    return Rational(rng.randint(low * scale, high * scale), scale)


def _value(symbol: Symbol, rng: random.Random) -> Rational:
    """A random rational inside the symbol's declared sign."""
    if symbol.is_integer:
        value = rng.randint(1, 3)
        return Rational(-value if symbol.is_nonpositive else value)
    if symbol.is_positive:
        return _rational(rng, 1, 2) / 2 + Rational(1, 4)
    if symbol.is_negative:
        return -_rational(rng, 1, 2) / 2 - Rational(1, 4)
    if symbol.is_nonnegative:
        return _rational(rng, 0, 1)
    if symbol.is_nonpositive:
        return -_rational(rng, 0, 1)
    return _rational(rng, -1, 1)


def _mixture(t: Symbol, rng: random.Random) -> Basic:
    """A positive Gaussian mixture; every component at least as wide as variance 1."""
    return sum(_rational(rng, 1, 2) * sympy.exp(-(t - _rational(rng, -1, 1)) ** 2
                                                 / (2 * _rational(rng, 1, 2)))
               for _ in range(2))


def _test_function(t: Symbol, region: tuple[Basic, Basic], rng: random.Random) -> Basic:
    """A line times a Gaussian of variance at most 1/4, against at least 1 for the
    mixture: p + h phi keeps the sign of p, and phi / p^k decays for k < 4 (claims
    with 1/p); vanishing to fourth order at finite ends."""
    low, high = region
    finite = [e for e in region if e.is_finite]
    centre = sum(finite) / len(finite) if finite else 0
    if len(finite) == 1:
        centre += 1 if low.is_finite else -1
    width = _rational(rng, 1, 2) / 8
    phi = ((_rational(rng, 1, 2) + _rational(rng, -1, 1) * t)
           * sympy.exp(-(t - centre - _rational(rng, -1, 1) / 2) ** 2 / (2 * width)))
    if low.is_finite:
        phi *= (t - low) ** 4
    if high.is_finite:
        phi *= (high - t) ** 4
    return phi


def _random_function(arguments, positive: bool, rng: random.Random) -> Basic:
    """A smooth function of the declared sign, decaying or of slow growth."""
    s = sum(_rational(rng, 1, 2) / 2 * a for a in arguments)
    c = _rational(rng, 1, 2) / 4
    if positive:
        return sympy.exp(_rational(rng, -1, 1) + _rational(rng, -1, 1) * s - c * s ** 2)
    return ((_rational(rng, -1, 1) + _rational(rng, -1, 1) * s) * sympy.exp(-c * s ** 2)
            + _rational(rng, -1, 1) * sympy.sin(s))


class _Case:
    """One sample: a concrete p, phi, values of the symbols and other functions."""

    def __init__(self, functional: Basic, function, point: Symbol, region, rng):
        self.function, self.point = function, point
        t = Symbol("t", real=True)
        self.values: dict = {}
        self.rng = rng
        sign = -1 if function.is_negative or function.is_nonpositive else 1
        self.p = sympy.Lambda(t, sign * _mixture(t, rng))
        self.functional = self._concrete(expand_notation(functional), {point})
        self.region = tuple(as_expr(e).xreplace(self.values) for e in region)
        if not all(e.is_number or e.is_infinite for e in self.region):
            raise NotEvaluable("a range with unknown ends")
        self.phi = sympy.Lambda(t, _test_function(t, self.region, rng))

    def _concrete(self, expr: Basic, keep: set) -> Basic:
        """``expr`` with random values for its symbols and functions other than p."""
        for symbol in sorted(expr.free_symbols - keep - set(self.values), key=str):
            self.values[symbol] = _value(symbol, self.rng)
        expr = expr.xreplace(self.values)
        others = sorted({a.func for a in expr.atoms(AppliedUndef)} - {self.function}, key=str)
        for func in others:
            if func not in self.values:
                arguments = sympy.symbols(f"a0:{len(next(iter(expr.atoms(func))).args)}",
                                          real=True)
                self.values[func] = sympy.Lambda(
                    arguments, _random_function(arguments, bool(func.is_positive), self.rng))
            expr = expr.replace(lambda e, f=func: isinstance(e, AppliedUndef) and e.func == f,
                                lambda e, f=func: self.values[f](*e.args))
        return expr

    def _perturbed(self, expr: Basic, h: Basic) -> Basic:
        """p replaced by p + h phi, by substitution (derivatives stay unevaluated)."""
        return expr.replace(lambda e: isinstance(e, AppliedUndef) and e.func == self.function,
                            lambda e: self.p(*e.args) + h * self.phi(*e.args))

    def directional(self, h: Symbol):
        """d/dh F[p + h phi] at h = 0, by a central difference."""
        perturbed = _compile(self._perturbed(self.functional, h))
        up = perturbed({h: mpmath.mpf(STEP.p) / STEP.q})
        down = perturbed({h: -mpmath.mpf(STEP.p) / STEP.q})
        return (up - down) / (2 * mpmath.mpf(STEP.p) / STEP.q)

    def projected(self, derivative: Basic):
        """\\int E phi over the region, E at p."""
        body = self._perturbed(self._concrete(expand_notation(derivative), {self.point}), 0)
        return _compile(Integral(body * self.phi(self.point), (self.point, *self.region)))({})

    def describe(self) -> dict:
        """The sample as CrossCheck fields: p and phi at the point, the symbols' values."""
        x = self.point
        values = tuple((k, v) for k, v in self.values.items() if isinstance(k, Symbol))
        return dict(p=self.p(x), phi=self.phi(x), values=values)


# -- the evaluator ----------------------------------------------------------------------
_FUNCTIONS = {
    sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.sin: mpmath.sin,
    sympy.cos: mpmath.cos, sympy.tan: mpmath.tan, sympy.sinh: mpmath.sinh,
    sympy.cosh: mpmath.cosh, sympy.tanh: mpmath.tanh, sympy.Abs: abs,
}


def _compile(expr: Basic, memo: dict | None = None):
    """A closure ``env -> value`` (env: bound variables to mpmath numbers). An
    integral, and a subtree that occurs more than once, get one closure that
    remembers its value at each point (the same p at the same quadrature node serves
    every integral and both signs of h); constants are converted once, at the
    working precision of the caller."""
    if memo is None:
        counts: dict = {}
        for node in sympy.preorder_traversal(expr):
            counts[node] = counts.get(node, 0) + 1
        memo = {"shared": {node for node, count in counts.items() if count > 1}}
    if expr not in memo:
        closure = _closure(expr, memo)
        # an integral free of the outer variable is computed once, not at every node
        remember = isinstance(expr, Integral) or (expr.args and expr in memo["shared"])
        memo[expr] = _remembering(closure, expr) if remember else closure
    return memo[expr]


def _remembering(closure, expr: Basic):
    symbols = sorted(expr.free_symbols, key=str)
    values: dict = {}

    def value(env):
        # mpmath.diff raises the precision: a value remembered at a lower one is stale
        try:
            key = (mpmath.mp.prec, *(getattr(env[s], "_mpf_", env[s]) for s in symbols))
        except KeyError as error:
            raise NotEvaluable(f"the free symbol {error.args[0]}") from None
        if key not in values:
            values[key] = closure(env)
        return values[key]
    return value


def _closure(expr: Basic, memo: dict):
    if expr.is_Number or expr in (sympy.pi, sympy.E):
        if expr.is_infinite:
            value = mpmath.inf if expr.is_extended_positive else -mpmath.inf
        elif expr.is_Rational:
            value = mpmath.mpf(int(expr.p)) / int(expr.q)
        else:
            value = mpmath.mpf(str(expr.evalf(DIGITS + 10)))
        return lambda env: value
    if isinstance(expr, Symbol):
        return lambda env: _bound(env, expr)
    if expr.is_Add or expr.is_Mul:
        parts = [_compile(a, memo) for a in expr.args]
        return _sum(parts) if expr.is_Add else _product(parts)
    if expr.is_Pow:
        base, exponent = _compile(expr.base, memo), _compile(expr.exp, memo)
        if expr.exp.is_Integer:
            power = int(expr.exp)
            return lambda env: base(env) ** power
        return lambda env: mpmath.power(base(env), exponent(env))
    if expr.func in _FUNCTIONS:
        function, args = _FUNCTIONS[expr.func], [_compile(a, memo) for a in expr.args]
        return lambda env: function(*(a(env) for a in args))
    if isinstance(expr, Integral):
        return _integral(expr, memo)
    if isinstance(expr, Derivative):
        return _derivative(expr, memo)
    raise NotEvaluable(type(expr).__name__)


def _sum(parts):
    def value(env):
        total = 0
        for part in parts:
            total += part(env)
        return total
    return value


def _product(parts):
    def value(env):
        total = 1
        for part in parts:
            total *= part(env)
        return total
    return value


def _bound(env: dict, symbol: Symbol):
    if symbol not in env:
        raise NotEvaluable(f"the free symbol {symbol}")
    return env[symbol]


def _integral(expr: Integral, memo: dict):
    """A one-dimensional integral by mpmath quadrature. An inner integral free of the
    outer variable is computed once; one that depends on it (a genuine multiple
    integral) is refused: nested quadratures at this precision take minutes."""
    if len(expr.limits) > 1:
        raise NotEvaluable("a multiple integral")
    if len(expr.limits[0]) != 3:
        raise NotEvaluable("an integral without limits")
    variable, low, high = expr.limits[0]
    if any(variable in i.free_symbols for i in expr.function.atoms(Integral)):
        raise NotEvaluable("a multiple integral")
    body, low, high = (_compile(e, memo) for e in (expr.function, low, high))

    def value(env):
        inner = dict(env)

        def integrand(v):
            inner[variable] = v
            return body(inner)
        ends = [low(env), high(env)]
        # tanh-sinh returns a finite number for a divergent integral: look at the tails
        far = [mpmath.sign(end) * FAR for end in ends if mpmath.isinf(end)]
        if any(abs(integrand(x)) * FAR > TAIL for x in far):
            raise ValueError("a quadrature does not converge (the integrand does not decay)")
        total, error = mpmath.quad(integrand, ends, error=True)
        if error > QUADRATURE_ERROR * (1 + abs(total)):
            raise ValueError("a quadrature does not converge")
        return total
    return value


def _derivative(expr: Derivative, memo: dict):
    """A derivative of a concrete function, by mpmath's numeric differentiation."""
    if len(expr.variable_count) != 1:
        raise NotEvaluable("a mixed derivative")
    (variable, order), = expr.variable_count
    body = _compile(expr.expr, memo)

    def value(env):
        inner = dict(env)

        def function(v):
            inner[variable] = v
            return body(inner)
        return mpmath.diff(function, _bound(env, variable), int(order))
    return value
