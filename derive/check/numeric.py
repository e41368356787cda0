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


class _Sample:
    """What one sample point has drawn so far: values, functions, computed integrals."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.point: dict = {}        # Symbol or Indexed -> mpmath value
        self.functions: dict = {}    # (function, arity) -> a random function
        self.bound: dict = {}        # bound variables of sums and integrals
        self.integrals: dict = {}    # the same integral is often on both sides


class _Compiler:
    """Turn a SymPy tree into nested closures once, then evaluate them at many points
    (a quadrature evaluates its integrand hundreds of times)."""

    def __init__(self):
        self.sample: _Sample | None = None

    def __call__(self, e: Basic):
        if e.is_Number or e in (sympy.pi, sympy.E, sympy.I):
            value = self._constant(e)
            return lambda: value
        if isinstance(e, Symbol):
            return self._symbol(e)
        if isinstance(e, Indexed):
            return self._indexed(e)
        if e.is_Add:
            parts = [self(a) for a in e.args]
            return lambda: mpmath.fsum(part() for part in parts)
        if e.is_Mul:
            parts = [self(a) for a in e.args]

            def product():
                result = mpmath.mpf(1)
                for part in parts:
                    result *= part()
                return result
            return product
        if e.is_Pow:
            base, exponent = self(e.base), self(e.exp)
            return lambda: mpmath.power(base(), exponent())
        if isinstance(e, AppliedUndef):
            return self._function(e)
        if e.func in _FUNCTIONS:
            function, args = _FUNCTIONS[e.func], [self(a) for a in e.args]
            return lambda: function(*(a() for a in args))
        if isinstance(e, sympy.Integral):
            return self._integral(e)
        if isinstance(e, (sympy.Sum, sympy.Product)):
            return self._series(e)
        raise NotNumeric(type(e).__name__)

    @staticmethod
    def _constant(e: Basic):
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
        if e.is_Integer:
            return mpmath.mpf(int(e))
        if e.is_Rational:
            return mpmath.mpf(int(e.p)) / int(e.q)
        if e.is_Float:
            return mpmath.mpf(str(e))
        raise NotNumeric(str(e))

    def _symbol(self, e: Symbol):
        def value():
            sample = self.sample
            if e in sample.bound:
                return sample.bound[e]
            if e not in sample.point:
                sample.point[e] = _draw(e, sample.rng)
            return sample.point[e]
        return value

    def _indexed(self, e: Indexed):
        indices = [self(i) for i in e.indices]

        def value():
            sample = self.sample
            key = e.base[tuple(int(i()) for i in indices)]
            if key not in sample.point:
                sample.point[key] = _draw(e, sample.rng)
            return sample.point[key]
        return value

    def _function(self, e: AppliedUndef):
        key, positive = (e.func, len(e.args)), bool(e.is_positive)
        args = [self(a) for a in e.args]

        def value():
            functions = self.sample.functions
            if key not in functions:
                functions[key] = _random_function(positive, len(args), self.sample.rng)
            return functions[key](*(a() for a in args))
        return value

    def _integral(self, e: sympy.Integral):
        if len(e.limits) != 1 or len(e.limits[0]) != 3:
            raise NotNumeric("an integral without limits")
        variable, low, high = e.limits[0]
        body, low, high = self(e.function), self(low), self(high)

        def integrand(x):
            bound = self.sample.bound
            bound[variable] = x
            try:
                return body()
            finally:
                del bound[variable]

        def value():
            sample = self.sample
            key = (e, tuple(sorted(((str(k), v) for k, v in sample.bound.items()), key=str)))
            if key not in sample.integrals:
                # 20 digits are ample against a tolerance of 1e-12 and halve the work
                with mpmath.workdps(QUADRATURE_DIGITS):
                    sample.integrals[key] = mpmath.quad(integrand, [low(), high()])
            return sample.integrals[key]
        return value

    def _series(self, e):
        (variable, low, high), = e.limits
        body, low, high = self(e.function), self(low), self(high)
        is_sum = isinstance(e, sympy.Sum)

        def value():
            first, last = low(), high()
            if not (first == int(first) and last == int(last)) or last - first > 200:
                raise NotNumeric("a sum with non-integer or too wide bounds")
            bound = self.sample.bound
            total = mpmath.mpf(0 if is_sum else 1)
            for k in range(int(first), int(last) + 1):
                bound[variable] = mpmath.mpf(k)
                try:
                    term = body()
                finally:
                    del bound[variable]
                total = total + term if is_sum else total * term
            return total
        return value


def _finite(value) -> bool:
    return mpmath.isfinite(value) if not isinstance(value, mpmath.mpc) else \
        mpmath.isfinite(value.real) and mpmath.isfinite(value.imag)


def _to_sympy(value) -> Basic:
    if isinstance(value, mpmath.mpc):
        return sympy.Float(value.real, DIGITS) + sympy.I * sympy.Float(value.imag, DIGITS)
    return sympy.Float(value, DIGITS)


def compare(left: Basic, right: Basic, samples: int = 6, seed: int = 1) -> NumericResult:
    """Evaluate ``left`` and ``right`` at ``samples`` random points and compare."""
    compiler = _Compiler()
    try:
        left, right = (compiler(expand_notation(side)) for side in (left, right))
    except NotNumeric as error:
        return NumericResult(None, 0, note=f"cannot evaluate {error} numerically")
    rng = random.Random(seed)
    agreed = attempts = 0
    note = ""
    with mpmath.workdps(DIGITS):
        while agreed < samples and attempts < samples * 3:
            attempts += 1
            compiler.sample = sample = _Sample(rng)
            try:
                a, b = left(), right()
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
                              sorted(sample.point.items(), key=lambda kv: str(kv[0])))
                return NumericResult(False, agreed,
                                     Disagreement(shown, _to_sympy(a), _to_sympy(b)))
            agreed += 1
    if agreed < max(3, samples // 2):
        return NumericResult(None, agreed, note=note or "too few points could be evaluated")
    return NumericResult(True, agreed)
