"""The numeric check: evaluate both sides at random points, in high precision.

Points are drawn over the whole declared domain of each symbol (a real symbol
takes negative values too), undefined functions become random smooth functions
of the declared sign, sums with a symbolic bound are expanded at small random
bounds, and integrals are evaluated by mpmath quadrature. It is independent of
the symbolic check and is what turns a false step into a concrete counterexample.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sympy
from sympy import Basic, Float, Indexed, Integer, Lambda, Symbol
from sympy.core.function import AppliedUndef

from derive.latex.notation import expand_notation

DIGITS = 30
TOLERANCE = sympy.Rational(1, 10**12)


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


def _draw(symbol: Basic, rng: random.Random) -> Basic:
    """A random value inside the symbol's declared domain."""
    if symbol.is_integer:
        if symbol.is_positive:
            return Integer(rng.randint(1, 5))
        if symbol.is_nonnegative:
            return Integer(rng.randint(0, 5))
        if symbol.is_negative:
            return Integer(rng.randint(-5, -1))
        return Integer(rng.randint(-5, 5))
    if symbol.is_positive:
        return Float(10 ** rng.uniform(-1, 1), DIGITS)
    if symbol.is_negative:
        return Float(-(10 ** rng.uniform(-1, 1)), DIGITS)
    if symbol.is_nonnegative:
        return Float(rng.uniform(0, 4), DIGITS)
    if symbol.is_nonpositive:
        return Float(-rng.uniform(0, 4), DIGITS)
    if symbol.is_real:
        return Float(rng.uniform(-4, 4), DIGITS)
    return Float(rng.uniform(-3, 3), DIGITS) + sympy.I * Float(rng.uniform(-3, 3), DIGITS)


def _random_function(applied: AppliedUndef, rng: random.Random):
    """A smooth function of the declared sign, decaying so that its integrals converge."""
    n = len(applied.args)
    variables = sympy.symbols(f"u0:{n}", real=True)
    weights = [Float(rng.uniform(0.5, 1.5), DIGITS) for _ in variables]
    s = sum(w * v for w, v in zip(weights, variables))
    a, b = (Float(rng.uniform(-1, 1), DIGITS) for _ in range(2))
    c = Float(rng.uniform(0.3, 1.2), DIGITS)
    if applied.is_positive:
        body = sympy.exp(a + b * s - c * s**2)
    else:
        body = (a + b * s + Float(rng.uniform(0.5, 1.5), DIGITS) * s**2) * sympy.exp(-c * s**2) \
            + Float(rng.uniform(-1, 1), DIGITS) * sympy.sin(s)
    return Lambda(variables, body)


def _concrete(expr: Basic, point: dict, functions: dict, rng: random.Random) -> Basic:
    """``expr`` with functions, symbols, sums and indexed data made concrete."""
    for applied in expr.atoms(AppliedUndef):
        key = (applied.func, len(applied.args))
        if key not in functions:
            functions[key] = _random_function(applied, rng)
    expr = expr.replace(lambda e: isinstance(e, AppliedUndef),
                        lambda e: functions[(e.func, len(e.args))](*e.args))
    expr = expr.xreplace(point)
    expr = expr.replace(lambda e: isinstance(e, (sympy.Sum, sympy.Product))
                        and all(lim[1].is_number and lim[2].is_number for lim in e.limits),
                        lambda e: e.doit(deep=False))
    for indexed in sorted(expr.atoms(Indexed), key=str):
        if indexed not in point:
            point[indexed] = _draw(indexed, rng)
    return expr.xreplace(point)


def _value(expr: Basic) -> Basic:
    value = expr.evalf(DIGITS)
    if not value.is_number or value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise NotNumeric(str(expr))
    return value


def compare(left: Basic, right: Basic, samples: int = 6, seed: int = 1) -> NumericResult:
    """Evaluate ``left`` and ``right`` at ``samples`` random points and compare."""
    left, right = expand_notation(left), expand_notation(right)
    symbols = sorted((left.free_symbols | right.free_symbols), key=str)
    symbols = [s for s in symbols if isinstance(s, Symbol)]
    rng = random.Random(seed)
    agreed = 0
    attempts = 0
    note = ""
    while agreed < samples and attempts < samples * 3:
        attempts += 1
        point = {s: _draw(s, rng) for s in symbols}
        functions: dict = {}
        try:
            a = _value(_concrete(left, point, functions, rng))
            b = _value(_concrete(right, point, functions, rng))
        except NotNumeric as error:
            note = f"cannot evaluate {error}"
            continue
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as error:
            note = f"evaluation failed: {error}"
            continue
        scale = 1 + abs(a) + abs(b)
        if abs(a - b) > TOLERANCE * scale:
            shown = tuple((k, v) for k, v in point.items())
            return NumericResult(False, agreed, Disagreement(shown, a, b))
        agreed += 1
    if agreed < max(3, samples // 2):
        return NumericResult(None, agreed, note=note or "too few points could be evaluated")
    return NumericResult(True, agreed)
