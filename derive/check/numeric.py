"""The numeric check: evaluate both sides at random points, in high precision.

Points are drawn over the whole declared domain of each symbol (a real symbol
takes negative values too); undefined functions become random smooth functions
of the declared sign; indexed data gets random values; sums with a symbolic
bound run to a small random bound; integrals are computed by mpmath quadrature.
The evaluator walks the SymPy tree itself (no code generation), and is
independent of the symbolic check: it is what turns a false step into a
concrete counterexample.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy
from sympy import Basic, Indexed, Symbol
from sympy.core.function import AppliedUndef

from derive.latex.notation import expand_notation

DIGITS = 30
QUADRATURE_DIGITS = 20
TOLERANCE = mpmath.mpf(10) ** -12


class NotNumeric(Exception):
    """The expression cannot be evaluated to a number (an argmin, a functional...)."""


@dataclass(frozen=True)
class Disagreement:
    """A point where two expressions differ, with both values."""

    point: tuple[tuple[Basic, Basic], ...]
    left: Basic
    right: Basic

    @property
    def difference(self) -> Basic:
        return self.left - self.right


@dataclass(frozen=True)
class NumericResult:
    agree: bool | None       # None: could not evaluate at enough points
    points: int
    disagreement: Disagreement | None = None
    note: str = ""


def _draw(symbol: Basic, rng: random.Random):
    """A random value inside the symbol's declared domain (as mpmath)."""
    if symbol.is_integer:
        if symbol.is_positive:
            return mpmath.mpf(rng.randint(1, 5))
        if symbol.is_nonnegative:
            return mpmath.mpf(rng.randint(0, 5))
        if symbol.is_negative:
            return mpmath.mpf(rng.randint(-5, -1))
        return mpmath.mpf(rng.randint(-5, 5))
    if symbol.is_positive:
        return mpmath.mpf(10) ** rng.uniform(-1, 1)
    if symbol.is_negative:
        return -mpmath.mpf(10) ** rng.uniform(-1, 1)
    if symbol.is_nonnegative:
        return mpmath.mpf(rng.uniform(0, 4))
    if symbol.is_nonpositive:
        return -mpmath.mpf(rng.uniform(0, 4))
    if symbol.is_real:
        return mpmath.mpf(rng.uniform(-4, 4))
    return mpmath.mpc(rng.uniform(-3, 3), rng.uniform(-3, 3))


def _random_function(positive: bool, arity: int, rng: random.Random):
    """A smooth function of the declared sign, decaying so that its integrals converge."""
    weights = [mpmath.mpf(rng.uniform(0.5, 1.5)) for _ in range(arity)]
    a, b = mpmath.mpf(rng.uniform(-1, 1)), mpmath.mpf(rng.uniform(-1, 1))
    c = mpmath.mpf(rng.uniform(0.3, 1.2))
    d, e = mpmath.mpf(rng.uniform(0.5, 1.5)), mpmath.mpf(rng.uniform(-1, 1))

    def function(*args):
        s = sum(w * v for w, v in zip(weights, args))
        if positive:
            return mpmath.exp(a + b * s - c * s**2)
        return (a + b * s + d * s**2) * mpmath.exp(-c * s**2) + e * mpmath.sin(s)

    return function


_FUNCTIONS = {
    sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.sin: mpmath.sin,
    sympy.cos: mpmath.cos, sympy.tan: mpmath.tan, sympy.sinh: mpmath.sinh,
    sympy.cosh: mpmath.cosh, sympy.tanh: mpmath.tanh, sympy.Abs: abs,
    sympy.sign: mpmath.sign,
}


class _Evaluator:
    """Evaluate a SymPy tree with mpmath, drawing what it needs as it goes."""

    def __init__(self, point: dict, rng: random.Random):
        self.point = point          # Symbol or Indexed -> mpmath value
        self.rng = rng
        self.functions: dict = {}
        self.bound: dict = {}        # bound variables of sums and integrals
        self.integrals: dict = {}    # the same integral is often on both sides

    def __call__(self, e: Basic):
        if e in self.bound:
            return self.bound[e]
        if e.is_Integer:
            return mpmath.mpf(int(e))
        if e.is_Rational:
            return mpmath.mpf(int(e.p)) / int(e.q)
        if e.is_Float:
            return mpmath.mpf(str(e))
        if e is sympy.pi:
            return +mpmath.pi
        if e is sympy.E:
            return +mpmath.e
        if e is sympy.I:
            return mpmath.mpc(0, 1)
        if e is sympy.oo:
            return mpmath.inf
        if e is sympy.S.NegativeInfinity:
            return -mpmath.inf
        if isinstance(e, Symbol):
            if e not in self.point:
                self.point[e] = _draw(e, self.rng)
            return self.point[e]
        if isinstance(e, Indexed):
            indices = tuple(int(self(i)) for i in e.indices)
            key = e.base[indices]
            if key not in self.point:
                self.point[key] = _draw(e, self.rng)
            return self.point[key]
        if e.is_Add:
            return mpmath.fsum(self(a) for a in e.args)
        if e.is_Mul:
            result = mpmath.mpf(1)
            for a in e.args:
                result *= self(a)
            return result
        if e.is_Pow:
            return mpmath.power(self(e.base), self(e.exp))
        if isinstance(e, AppliedUndef):
            key = (e.func, len(e.args))
            if key not in self.functions:
                self.functions[key] = _random_function(bool(e.is_positive), len(e.args),
                                                       self.rng)
            return self.functions[key](*(self(a) for a in e.args))
        if e.func in _FUNCTIONS:
            return _FUNCTIONS[e.func](*(self(a) for a in e.args))
        if isinstance(e, sympy.Integral):
            return self._integral(e)
        if isinstance(e, (sympy.Sum, sympy.Product)):
            return self._series(e)
        raise NotNumeric(type(e).__name__)

    def _integral(self, e: sympy.Integral):
        if len(e.limits) != 1 or len(e.limits[0]) != 3:
            raise NotNumeric("an integral without limits")
        variable, low, high = e.limits[0]
        body = e.function
        key = (e, tuple(sorted(((str(k), v) for k, v in self.bound.items()), key=str)))
        if key in self.integrals:
            return self.integrals[key]

        def integrand(value):
            self.bound[variable] = value
            try:
                return self(body)
            finally:
                del self.bound[variable]

        # 20 digits are ample against a tolerance of 1e-12 and halve the work
        with mpmath.workdps(QUADRATURE_DIGITS):
            value = mpmath.quad(integrand, [self(low), self(high)])
        self.integrals[key] = value
        return value

    def _series(self, e):
        (variable, low, high), = e.limits
        low, high = self(low), self(high)
        if not (low == int(low) and high == int(high)) or high - low > 200:
            raise NotNumeric("a sum with non-integer or too wide bounds")
        total = mpmath.mpf(0 if isinstance(e, sympy.Sum) else 1)
        for k in range(int(low), int(high) + 1):
            self.bound[variable] = mpmath.mpf(k)
            try:
                term = self(e.function)
            finally:
                del self.bound[variable]
            total = total + term if isinstance(e, sympy.Sum) else total * term
        return total


def _finite(value) -> bool:
    return mpmath.isfinite(value) if not isinstance(value, mpmath.mpc) else \
        mpmath.isfinite(value.real) and mpmath.isfinite(value.imag)


def _to_sympy(value) -> Basic:
    if isinstance(value, mpmath.mpc):
        return sympy.Float(value.real, DIGITS) + sympy.I * sympy.Float(value.imag, DIGITS)
    return sympy.Float(value, DIGITS)


def compare(left: Basic, right: Basic, samples: int = 6, seed: int = 1) -> NumericResult:
    """Evaluate ``left`` and ``right`` at ``samples`` random points and compare."""
    left, right = expand_notation(left), expand_notation(right)
    rng = random.Random(seed)
    agreed = attempts = 0
    note = ""
    with mpmath.workdps(DIGITS):
        while agreed < samples and attempts < samples * 3:
            attempts += 1
            point: dict = {}
            evaluate = _Evaluator(point, rng)
            try:
                a, b = evaluate(left), evaluate(right)
            except NotNumeric as error:
                return NumericResult(None, agreed, note=f"cannot evaluate {error} numerically")
            except (ZeroDivisionError, ValueError, OverflowError, TypeError) as error:
                note = f"evaluation failed: {error}"
                continue
            if not (_finite(a) and _finite(b)):
                note = "the values are not finite at the sampled points"
                continue
            if abs(a - b) > TOLERANCE * (1 + abs(a) + abs(b)):
                shown = tuple((k, _to_sympy(v)) for k, v in
                              sorted(point.items(), key=lambda kv: str(kv[0])))
                return NumericResult(False, agreed,
                                     Disagreement(shown, _to_sympy(a), _to_sympy(b)))
            agreed += 1
    if agreed < max(3, samples // 2):
        return NumericResult(None, agreed, note=note or "too few points could be evaluated")
    return NumericResult(True, agreed)
