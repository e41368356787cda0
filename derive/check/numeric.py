"""The numeric check: evaluate both sides at random points, in high precision.

Points are drawn over the whole declared domain of each symbol and at several
scales (tiny, unit, large), near special points (0, ±1, the ends of a domain,
larger integers) and, for complex symbols, on both sides of the branch cuts.
Undefined functions become random functions of several shapes (Gaussian,
multimodal, heavy-tailed, polynomial times a decay) of the declared sign.
Integrals are computed by a quadrature that looks for the integrand's features
first (see :func:`derive.check.quadrature.integrate`), derivatives by high-precision differences.
A divergence is reported only on robust evidence; a point where the evidence is not
robust either way (a tail that may turn far out, a convergence too slow to tell, terms
of a series that peak beyond reach) is skipped and replaced.

A point decides only what round-off and quadrature error cannot explain: the
tolerance is the noise measured at that point (round-off relative to the largest
term summed, and how far the result moves when each integral moves by its error
estimate), not a blanket constant. A small disagreement (below 1e-6 of the values)
refutes only if it persists, stable, at a higher precision (45 digits, quadrature at
30 and one degree higher); a larger one is far beyond any round-off at 30 digits. The
round-off counts the largest term summed, an integral's pieces (its halves may cancel
to 0), a derivative's function values, and the amplification of an exp or a power
(exp of 10^28 at 30 digits keeps no digit). A difference hidden under that noise yet
sizeable against the values is settled at the digits it needs; a point needing more
than MAX_DIGITS (1 - sigma(a) at a = 10^6 cancels for 400000 digits) is skipped, never
counted as agreement.
Undefined values (a divergent integral or series, division by zero, log 0,
infinity as a value) are never equal to anything, not even to themselves.

The evaluator walks the SymPy tree itself (no code generation), and is
independent of the symbolic check: it is what turns a false step into a
concrete counterexample.
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache
from dataclasses import dataclass, field, replace

import mpmath
import sympy
from sympy import Basic, Indexed, Symbol
from sympy.core.function import AppliedUndef

from derive.check.domains import current
from derive.check import quadmemo, quadrature
from derive.check.quadrature import Divergent, Undefined, Unresolved, integrate
from derive.latex.notation import as_expr, expand_notation

#: Working precision of a point, and the higher one that confirms a disagreement.
DIGITS = 30
CONFIRM_DIGITS = 45
#: Precision of the quadrature at each of the two levels.
QUADRATURE_DIGITS = 20
CONFIRM_QUADRATURE_DIGITS = 30
#: The tanh-sinh degree of each piece at the two levels: a truncation error (a slowly
#: decaying tail of random functions) is the same at any precision, not at any degree.
QUADRATURE_DEGREE = 6
CONFIRM_QUADRATURE_DEGREE = 7
#: A claim without free symbols is decided once, at these precisions.
CONSTANT_DIGITS = (60, 120)
#: A point whose noise exceeds this part of the values' size says nothing.
IMPRECISE = mpmath.mpf(10) ** -8
#: A difference this large a part of the values' size is no round-off at 30 digits
#: (the noise is measured apart): it refutes without the higher precision.
GROSS = mpmath.mpf(10) ** -6
#: Digits beyond the noise at which a hidden difference is settled, and the most
#: digits any point is worth: a side that needs more is skipped.
SETTLE_MARGIN = 15
MAX_DIGITS = 600
#: Widest sum evaluated term by term (inside an integrand: far fewer).
MAX_SUM_TERMS = 1000
MAX_INNER_SUM_TERMS = 200
#: Terms of an infinite series are probed out to first + 4^FAR_TERMS before growing
#: terms are said to diverge.
FAR_TERMS = 20
#: Terms of all the sums of one point together (nested sums multiply).
MAX_POINT_TERMS = 20000

RELATIONS = ("=", "!=", "<", "<=", ">", ">=")


class NotNumeric(Exception):
    """The expression cannot be evaluated to a number (an argmin, a functional...)."""


class _SkipPoint(Exception):
    """This point cannot be evaluated (a sum too wide for it), another may."""


class _PresumedDivergent(_SkipPoint):
    """An integral of a declared function diverged for this point's random function:
    an artefact of that function unless it happens for every function drawn
    (``\\int \\log p(x) dx`` diverges for every density p)."""


@dataclass(frozen=True)
class Disagreement:
    """A point where two expressions differ, with both values."""

    point: tuple[tuple[Basic, Basic], ...]
    left: Basic
    right: Basic


@dataclass(frozen=True)
class NumericResult:
    """What the numeric check found.

    ``agree`` is True when no counterexample was found at enough points, False with
    a ``disagreement`` (a counterexample), None when undecided; ``undefined`` then
    says why a side has no value ("the integral ... diverges", "division by zero").
    ``sample`` records the points, digits, seed and largest relative difference seen.
    """

    agree: bool | None       # None: could not evaluate at enough points, or undefined
    points: int
    disagreement: Disagreement | None = None
    note: str = ""
    undefined: str = ""
    sample: dict = field(default_factory=dict)


# -- points ---------------------------------------------------------------------------
#: Regimes of the first round of points, then of the wider second round.
FIRST_ROUND = ("unit", "unit", "special", "unit", "mixed", "unit")
WIDE_ROUND = ("+large", "-tiny", "branch", "-large", "+tiny", "mixed", "special", "large")
_MIXED = ("unit", "tiny", "large", "special", "branch")
_LARGE_INTEGERS = (7, 12, 50, 1000)


def _magnitude(regime: str, rng: random.Random):
    """A positive size for the regime: tiny 1e-9..1e-5, unit 0.1..4, large 1e5..1e8."""
    low, high = {"tiny": (-9, -5), "large": (5, 8)}.get(regime, (-1, 0.6))
    return mpmath.mpf(10) ** mpmath.mpf(rng.uniform(low, high))


def _draw_integer(symbol: Basic, regime: str, rng: random.Random, sign: int = 0):
    """An integer of the symbol's sign (or of ``sign`` when it has none): 0..5, or
    7, 12, 50, 1000 in the large regime."""
    if regime == "large":
        value = rng.choice(_LARGE_INTEGERS)
    elif regime in ("special", "tiny"):
        value = rng.choice((0, 1, 1, 2))
    else:
        value = rng.randint(0, 5)
    if value == 0 and (symbol.is_positive or symbol.is_negative):
        value = 1
    if symbol.is_nonpositive:
        return mpmath.mpf(-value)
    if not symbol.is_nonnegative and (sign < 0 or not sign and rng.random() < 0.4):
        value = -value
    return mpmath.mpf(value)


def _draw_real(symbol: Basic, regime: str, rng: random.Random, sign: int = 0):
    """A real of the symbol's sign (or of ``sign`` when it has none) at the regime's
    scale (negative ones often)."""
    size = _magnitude(regime, rng)
    if regime == "special":
        size = mpmath.mpf(rng.choice((0, 1, 1, 2)))
    if size == 0 and (symbol.is_positive or symbol.is_negative):
        size = _magnitude("tiny", rng)
    if symbol.is_nonpositive:
        return -size
    if symbol.is_nonnegative:
        return size
    negative = sign < 0 if sign else rng.random() < (0.7 if regime == "branch" else 0.4)
    return -size if negative else size


def _draw_complex(regime: str, rng: random.Random):
    """A complex number: anywhere, at ±1, ±i, 0, or just off the negative real axis."""
    if regime == "branch":
        # just above or below the negative real axis, where log and sqrt jump
        epsilon = mpmath.mpf(10) ** rng.uniform(-9, -7)
        return mpmath.mpc(-_magnitude("unit", rng), rng.choice((-1, 1)) * epsilon)
    if regime == "special":
        return mpmath.mpc(*rng.choice(((1, 0), (-1, 0), (0, 1), (0, -1), (0, 0))))
    size = _magnitude(regime, rng)
    angle = mpmath.mpf(rng.uniform(-3.14159, 3.14159))
    return size * mpmath.expjpi(angle / mpmath.pi) if regime != "unit" else \
        mpmath.mpc(rng.uniform(-3, 3), rng.uniform(-3, 3))


def _interval_at(interval, sample: "_Sample"):
    """The declared interval at this point: a bound such as K in ``m \\in [1, K]`` is
    the value K takes here (drawn first if need be). A point where it is empty
    (``x \\in [a, b]`` with a above b) is no point of the declared domain."""
    low, high = (_bound_at(bound, sample) for bound in interval)
    if low > high:
        raise _SkipPoint("the declared interval is empty at some points")
    return low, high


def _bound_at(bound, sample: "_Sample"):
    if not isinstance(bound, Basic):
        return bound
    values = {}
    for symbol in sorted(bound.free_symbols, key=str):
        if symbol not in sample.point:
            sample.point[symbol] = _draw(symbol, sample)
        values[symbol] = sympy.Float(sample.point[symbol], DIGITS)
    value = bound.xreplace(values)
    if value is sympy.oo or value is -sympy.oo:
        return mpmath.inf if value is sympy.oo else -mpmath.inf
    return mpmath.mpf(sympy.Float(value, DIGITS))


def _draw_in(symbol: Basic, interval, regime: str, rng: random.Random):
    """A value inside a declared interval: near its ends, or inside at any scale."""
    low, high = interval
    if mpmath.isinf(low) and mpmath.isinf(high):
        return None
    if symbol.is_integer:
        first = int(mpmath.ceil(low)) if not mpmath.isinf(low) else int(high) - 10
        last = int(mpmath.floor(high)) if not mpmath.isinf(high) else first + 10
        if regime == "large" and mpmath.isinf(high):
            return mpmath.mpf(first + rng.choice(_LARGE_INTEGERS))
        return mpmath.mpf(rng.randint(first, max(first, last)))
    if mpmath.isinf(high):
        return low + _magnitude(regime if regime != "special" else "tiny", rng)
    if mpmath.isinf(low):
        return high - _magnitude(regime if regime != "special" else "tiny", rng)
    width = high - low
    if regime in ("special", "tiny"):
        offset = width * mpmath.mpf(10) ** rng.uniform(-7, -5)
        return low + offset if rng.random() < 0.5 else high - offset
    return low + width * mpmath.mpf(rng.uniform(0.001, 0.999))


def _draw(symbol: Basic, sample: "_Sample"):
    """A random value inside the symbol's declared domain (as mpmath), in the
    sample's regime (a mixed point picks a regime per symbol; "+large" and "-large"
    fix the sign of a symbol that has none)."""
    rng, regime = sample.rng, sample.regime
    if regime == "mixed":
        regime = rng.choice(_MIXED)
    sign = {"+": 1, "-": -1}.get(regime[0], 0)
    regime = regime.lstrip("+-")
    interval = sample.domains.get(symbol) if isinstance(symbol, Symbol) else None
    if interval is not None:
        value = _draw_in(symbol, _interval_at(interval, sample), regime, rng)
        if value is not None:
            return value
    if symbol.is_integer:
        return _draw_integer(symbol, regime, rng, sign)
    if symbol.is_extended_real or symbol.is_real or symbol.is_positive or symbol.is_negative \
            or symbol.is_nonnegative or symbol.is_nonpositive:
        return _draw_real(symbol, regime, rng, sign)
    return _draw_complex(regime, rng)


# -- random functions -----------------------------------------------------------------
class _RandomFunction:
    """A random function of the declared sign, of one of several shapes, whose
    integrals over the real line converge; ``bumps`` are its (centre, width)s in s,
    the weighted sum of its arguments, for the quadrature's feature search."""

    FAMILIES = ("gaussian", "multimodal", "heavy", "polydecay")

    def __init__(self, positive: bool, arity: int, rng: random.Random):
        self.weights = [mpmath.mpf(rng.uniform(0.5, 1.5)) for _ in range(arity)]
        self.values: dict = {}
        self.positive = positive
        self.family = rng.choice(self.FAMILIES)
        getattr(self, f"_make_{self.family}")(rng)

    def _make_gaussian(self, rng):
        self.a, self.b = mpmath.mpf(rng.uniform(-1, 1)), mpmath.mpf(rng.uniform(-1, 1))
        self.c = mpmath.mpf(rng.uniform(0.3, 1.2))
        self.d, self.e = mpmath.mpf(rng.uniform(0.5, 1.5)), mpmath.mpf(rng.uniform(-1, 1))
        self.bumps = [(self.b / (2 * self.c), 1 / mpmath.sqrt(2 * self.c))]

    def _make_multimodal(self, rng):
        count = rng.randint(2, 4)
        self.centres = [mpmath.mpf(rng.uniform(-3, 3)) for _ in range(count)]
        self.widths = [mpmath.mpf(10) ** rng.uniform(-0.8, 0.3) for _ in range(count)]
        self.heights = [mpmath.mpf(rng.uniform(0.3, 2)) * (1 if self.positive or
                        rng.random() < 0.5 else -1) for _ in range(count)]
        self.bumps = list(zip(self.centres, self.widths))

    def _make_heavy(self, rng):
        self.m, self.w = mpmath.mpf(rng.uniform(-2, 2)), mpmath.mpf(rng.uniform(0.3, 2))
        self.k = rng.choice((3, 4))      # moments up to the fourth converge
        self.a, self.b = mpmath.mpf(rng.uniform(0.5, 2)), mpmath.mpf(rng.uniform(-1, 1))
        self.bumps = [(self.m, self.w)]

    def _make_polydecay(self, rng):
        self.coefficients = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(4)]
        self.scale = mpmath.mpf(rng.uniform(0.5, 2))
        self.bumps = [(mpmath.mpf(0), self.scale)]

    def shape(self, s):
        """The function of the weighted sum of the arguments."""
        if self.family == "gaussian":
            if self.positive:
                return mpmath.exp(self.a + self.b * s - self.c * s**2)
            return ((self.a + self.b * s + self.d * s**2) * mpmath.exp(-self.c * s**2)
                    + self.e * mpmath.sin(2 * s) / (1 + s**2) ** 2)
        if self.family == "multimodal":
            return mpmath.fsum(h * mpmath.exp(-(s - m) ** 2 / (2 * w**2))
                               for m, w, h in zip(self.centres, self.widths, self.heights))
        if self.family == "heavy":
            tail = (1 + ((s - self.m) / self.w) ** 2) ** -self.k
            return self.a * tail if self.positive else (self.a * (s - self.m) + self.b) * tail
        polynomial = mpmath.polyval(self.coefficients, s)
        decay = mpmath.exp(-mpmath.sqrt(1 + (s / self.scale) ** 2))
        return (polynomial**2 + mpmath.mpf(1) / 10) * decay if self.positive else \
            polynomial * decay

    def fingerprint(self) -> tuple:
        """Everything the function's values depend on, exactly (a memo key part)."""
        return tuple((name, quadmemo.exact(value)) for name, value in sorted(vars(self).items())
                     if name != "values")

    def __call__(self, *args):
        """The value at ``args``, each worked out once per precision: a sum over data
        calls a function at the same arguments for every side and every term."""
        key = (mpmath.mp.prec, args)
        try:
            return self.values[key]
        except KeyError:
            value = self.values[key] = self._value(*args)
            return value
        except TypeError:  # an argument that cannot be a key
            return self._value(*args)

    def _value(self, *args):
        s = mpmath.fsum(w * v for w, v in zip(self.weights, args))
        if mpmath.mag(s) > HUGE_BITS // 2:    # every shape decays to 0 far out
            if mpmath.im(s) != 0:
                raise OverflowError("a random function of an argument too large")
            return mpmath.mpf(0)
        return self.shape(s)


#: An argument of more bits of magnitude would make mpmath reduce it at a precision
#: of that many bits: exp(-exp(10^29)) would never return.
HUGE_BITS = 4096


def _bounded(function, limit_value=None):
    """``function`` refusing huge arguments; a huge negative real argument gives
    ``limit_value`` (the function's limit at -infinity) when it has one."""
    def bounded(x):
        if mpmath.mag(x) > HUGE_BITS:
            if limit_value is not None and mpmath.im(x) == 0 and x < 0:
                return limit_value(x)
            raise OverflowError(f"{function.__name__} of an argument too large to evaluate")
        return function(x)
    bounded.__name__ = function.__name__
    return bounded


_FUNCTIONS = {
    sympy.exp: _bounded(mpmath.exp, lambda x: mpmath.mpf(0)),
    sympy.log: mpmath.log, sympy.sin: _bounded(mpmath.sin),
    sympy.cos: _bounded(mpmath.cos), sympy.tan: _bounded(mpmath.tan),
    sympy.sinh: _bounded(mpmath.sinh, lambda x: -mpmath.inf),
    sympy.cosh: _bounded(mpmath.cosh, lambda x: mpmath.inf),
    sympy.tanh: _bounded(mpmath.tanh, lambda x: mpmath.mpf(-1)), sympy.Abs: abs,
    sympy.sign: mpmath.sign, sympy.atan: mpmath.atan, sympy.asin: mpmath.asin,
    sympy.acos: mpmath.acos, sympy.erf: mpmath.erf, sympy.erfc: mpmath.erfc,
    sympy.gamma: mpmath.gamma,
    sympy.factorial: mpmath.factorial, sympy.binomial: mpmath.binomial,
    sympy.floor: mpmath.floor,
    sympy.KroneckerDelta: lambda i, j: mpmath.mpf(1) if i == j else mpmath.mpf(0),
}

#: The comparisons a piecewise condition may make.
_COMPARISONS = {
    sympy.StrictLessThan: lambda a, b: a < b, sympy.LessThan: lambda a, b: a <= b,
    sympy.StrictGreaterThan: lambda a, b: a > b, sympy.GreaterThan: lambda a, b: a >= b,
    sympy.Eq: lambda a, b: a == b, sympy.Ne: lambda a, b: a != b,
}

#: Values that are no numbers, and why.
_NOT_NUMBERS = {
    sympy.zoo: "complex infinity (a division by zero)",
    sympy.nan: "an undefined value (nan)",
    sympy.oo: "infinity is not a number",
    sympy.S.NegativeInfinity: "infinity is not a number",
}


class _Sample:
    """One sample point: drawn values and functions, the regime, computed integrals."""

    def __init__(self, rng: random.Random, regime: str, domains: dict):
        self.rng = rng
        self.regime = regime
        self.domains = domains
        self.point: dict = {}        # Symbol or Indexed -> mpmath value
        self.functions: dict = {}    # (function, arity) -> a random function
        self.bound: dict = {}        # bound variables of sums, integrals, derivatives
        self.reset(QUADRATURE_DIGITS)

    def reset(self, quadrature_digits: int, degree: int = QUADRATURE_DEGREE) -> None:
        """Forget computed values before evaluating the same point again."""
        self.quadrature_digits = quadrature_digits
        self.quadrature_degree = degree
        self.integrals: dict = {}    # key -> (value, error estimate)
        self.perturb = 0             # +-1: read each integral as value +- its error
        self.depth = 0               # > 0 inside an integrand or a derivative
        self.magnitude = mpmath.mpf(0)   # largest term of an outer sum
        self.growth = mpmath.mpf(0)      # largest relative error amplification (exp, power)
        self.terms = 0               # terms of sums evaluated so far

    def function(self, key, positive: bool, arity: int) -> _RandomFunction:
        if key not in self.functions:
            self.functions[key] = _RandomFunction(positive, arity, self.rng)
        return self.functions[key]


@lru_cache(maxsize=4096)
def _entry_of(base, indices: tuple[int, ...]) -> Indexed:
    """The entry ``base[indices]``, built once: SymPy deduces an entry's assumptions
    anew each time it builds one, and a sum evaluates its entries thousands of times."""
    return base[indices]


def _binding(sample: _Sample, variables, values, body):
    """Evaluate ``body`` with the bound ``variables`` set to ``values``."""
    bound = sample.bound
    saved = [(v, bound[v]) for v in variables if v in bound]
    for variable, value in zip(variables, values):
        bound[variable] = value
    try:
        return body()
    finally:
        for variable in variables:
            bound.pop(variable, None)
        bound.update(saved)


class _Compiler:
    """Turn a SymPy tree into nested closures once, then evaluate them at many points
    (a quadrature evaluates its integrand hundreds of times)."""

    def __init__(self):
        self.sample: _Sample | None = None

    def __call__(self, e: Basic):
        if e in _NOT_NUMBERS:
            reason = _NOT_NUMBERS[e]

            def undefined():
                raise Undefined(reason)
            return undefined
        if e.is_Number or e in (sympy.pi, sympy.E, sympy.I, sympy.EulerGamma):
            return self._constant(e)
        if isinstance(e, Symbol):
            return self._symbol(e)
        if isinstance(e, Indexed):
            return self._indexed(e)
        if e.is_Add:
            return self._add([self(a) for a in e.args])
        if e.is_Mul:
            return self._mul([self(a) for a in e.args])
        if e.is_Pow:
            return self._power(self(e.base), self(e.exp))
        if isinstance(e, sympy.exp):
            return self._exp(self(e.args[0]))
        if isinstance(e, AppliedUndef):
            return self._function(e)
        if e.func in _FUNCTIONS:
            function, args = _FUNCTIONS[e.func], [self(a) for a in e.args]
            if len(args) == 1:
                (arg,) = args
                return lambda: function(arg())
            return lambda: function(*(a() for a in args))
        if isinstance(e, sympy.Integral):
            return self._integral(e)
        if isinstance(e, (sympy.Sum, sympy.Product)):
            return self._series(e)
        if isinstance(e, sympy.Derivative):
            return self._derivative(e)
        if isinstance(e, sympy.Piecewise):
            return self._piecewise(e)
        raise NotNumeric(type(e).__name__)

    def _piecewise(self, e: sympy.Piecewise):
        """The value of the first piece whose condition holds (a density is zero off its
        support)."""
        pieces = [(self(value), self._condition(condition)) for value, condition in e.args]

        def piecewise():
            for value, condition in pieces:
                if condition():
                    return value()
            raise Undefined("a piecewise expression with no piece for this point")
        return piecewise

    def _condition(self, c: Basic):
        """A condition of a piecewise expression, as a test of real values."""
        if c is sympy.true or c is sympy.false:
            truth = bool(c)
            return lambda: truth
        if isinstance(c, (sympy.And, sympy.Or)):
            parts = [self._condition(a) for a in c.args]
            combine = all if isinstance(c, sympy.And) else any
            return lambda: combine(part() for part in parts)
        if isinstance(c, sympy.Not):
            inner = self._condition(c.args[0])
            return lambda: not inner()
        if isinstance(c, tuple(_COMPARISONS)):
            compare_, left, right = _COMPARISONS[type(c)], self(c.lhs), self(c.rhs)

            def test():
                a, b = left(), right()
                if mpmath.im(a) or mpmath.im(b):
                    raise Undefined("a condition on a complex value")
                return compare_(mpmath.re(a), mpmath.re(b))
            return test
        raise NotNumeric(type(c).__name__)

    def _constant(self, e: Basic):
        if e is sympy.pi:
            return lambda: +mpmath.pi
        if e is sympy.E:
            return lambda: +mpmath.e
        if e is sympy.EulerGamma:
            return lambda: +mpmath.euler
        if e is sympy.I:
            value = mpmath.mpc(0, 1)
            return lambda: value
        if e.is_Integer:
            value = int(e)
            return lambda: mpmath.mpf(value)
        if e.is_Rational:
            p, q = int(e.p), int(e.q)
            return lambda: mpmath.mpf(p) / q     # at the working precision of the call
        if e.is_Float:
            text = str(e)
            return lambda: mpmath.mpf(text)
        raise NotNumeric(str(e))

    def _add(self, parts):
        def add():
            terms = [part() for part in parts]
            sample = self.sample
            if not sample.depth:
                biggest = max(abs(t) for t in terms)
                if biggest > sample.magnitude:
                    sample.magnitude = biggest
            return mpmath.fsum(terms)
        return add

    def _grows(self, factor) -> None:
        """Note how much an outer exp or power amplifies the relative round-off of its
        argument: exp(u) carries |u| times it (exp(10^28) at 30 digits has none left)."""
        sample = self.sample
        if not sample.depth and factor > sample.growth:
            sample.growth = factor

    def _exp(self, argument):
        exp = _FUNCTIONS[sympy.exp]

        def value():
            u = argument()
            self._grows(abs(u))
            return exp(u)
        return value

    def _power(self, base, exponent):
        def value():
            b, y = base(), exponent()
            if b and not self.sample.depth:
                self._grows(abs(y) * max(1, abs(mpmath.log(abs(b)))))
            return mpmath.power(b, y)
        return value

    @staticmethod
    def _mul(parts):
        if len(parts) == 2:
            first, second = parts
            return lambda: first() * second()

        def product():
            result = parts[0]()
            for part in parts[1:]:
                result *= part()
            return result
        return product

    def _symbol(self, e: Symbol):
        def value():
            sample = self.sample
            if e in sample.bound:
                return sample.bound[e]
            if e not in sample.point:
                sample.point[e] = _draw(e, sample)
            return sample.point[e]
        return value

    def _indexed(self, e: Indexed):
        indices = [self(i) for i in e.indices]

        def value():
            sample = self.sample
            key = _entry_of(e.base, tuple(int(i()) for i in indices))
            if key in sample.bound:   # held by a derivative with respect to this entry
                return sample.bound[key]
            if key not in sample.point:
                sample.point[key] = _draw(e, sample)
            return sample.point[key]
        return value

    def _entry(self, v: Basic):
        """What a derivative holds fixed at a point: a symbol, or the entry of indexed
        data its indices name at that point (``z_m`` with m drawn)."""
        if isinstance(v, Symbol):
            return lambda: v
        indices = [self(i) for i in v.indices]
        return lambda: _entry_of(v.base, tuple(int(i()) for i in indices))

    def _function(self, e: AppliedUndef):
        key, positive = (e.func, len(e.args)), bool(e.is_positive)
        args = [self(a) for a in e.args]
        found = [None, None]    # the sample and its function: hashing a SymPy function is slow

        def value():
            sample = self.sample
            if found[0] is not sample:
                found[:] = [sample, sample.function(key, positive, len(args))]
            return found[1](*(a() for a in args))
        return value

    def _bound(self, limit):
        """An integration or summation limit: infinity is allowed here."""
        if limit is sympy.oo:
            return lambda: mpmath.inf
        if limit is sympy.S.NegativeInfinity:
            return lambda: -mpmath.inf
        return self(limit)

    def _integral(self, e: sympy.Integral, function: Basic | None = None, limits=None):
        """One integral per limit, innermost first (SymPy would merge nested ones)."""
        function = e.function if function is None else function
        limits = e.limits if limits is None else limits
        if any(len(limit) != 3 for limit in limits):
            raise NotNumeric("an integral without limits")
        if len(limits) > 1:
            return self._integral(e, sympy.Integral(function, limits[0]), limits[1:])
        variable, low_expr, high_expr = limits[0]
        body, low, high = self(function), self._bound(low_expr), self._bound(high_expr)
        features = _feature_finders(self, function, variable)
        identity = (e, tuple(limits))
        shown = sympy.sstr(e)
        # an integral of a declared function is presumed to converge (the verdict says so)
        presumed = function.has(AppliedUndef)
        memo = _MemoKey(function, variable, low_expr, high_expr)

        def integrand(x):
            return _binding(self.sample, (variable,), (x,), body)

        def value():
            sample = self.sample
            a, b = low(), high()
            key = (identity, a, b, tuple(sorted(((str(k), v) for k, v in sample.bound.items()),
                                                key=str)))
            if key not in sample.integrals:
                found = [f for finder in features for f in finder()]

                def compute():
                    with mpmath.workdps(sample.quadrature_digits):
                        return integrate(integrand, a, b, found, shown,
                                         sample.quadrature_degree)
                shared = memo(sample, a, b)
                sample.depth += 1
                try:
                    sample.integrals[key] = quadmemo.computed(shared, compute)
                except Divergent as error:
                    if presumed:   # perhaps an artefact of this random function
                        raise _PresumedDivergent(str(error)) from None
                    raise
                except Unresolved as error:
                    raise _SkipPoint(str(error)) from None
                finally:
                    sample.depth -= 1
            result, error, size = sample.integrals[key]
            if not sample.depth:     # a value far below its pieces' size is cancellation
                sample.magnitude = max(sample.magnitude, size)
            return result + sample.perturb * error
        return value

    def _series(self, e, function: Basic | None = None, limits=None):
        """One sum (or product) per limit, innermost first."""
        function = e.function if function is None else function
        limits = e.limits if limits is None else limits
        if len(limits) > 1:
            return self._series(e, type(e)(function, limits[0]), limits[1:])
        (variable, low_expr, high_expr), = limits
        body, low, high = self(function), self._bound(low_expr), self._bound(high_expr)
        is_sum = isinstance(e, sympy.Sum)
        shown = sympy.sstr(e)

        def term(k):
            return _binding(self.sample, (variable,), (mpmath.mpf(k),), body)

        def value():
            first, last = low(), high()
            if mpmath.isinf(last) and not mpmath.isinf(first) and is_sum:
                return _infinite_sum(term, first, shown)
            if not (mpmath.isfinite(first) and mpmath.isfinite(last)) or \
                    first != int(first) or last != int(last):
                raise NotNumeric("a sum or product with infinite or non-integer bounds")
            widest = MAX_INNER_SUM_TERMS if self.sample.depth else MAX_SUM_TERMS
            if not self.sample.depth:
                self.sample.terms += max(0, int(last - first) + 1)
            if last - first + 1 > widest or self.sample.terms > MAX_POINT_TERMS:
                raise _SkipPoint(f"the sum {shown} is too wide for this point")
            total = mpmath.mpf(0 if is_sum else 1)
            for k in range(int(first), int(last) + 1):
                total = total + term(k) if is_sum else total * term(k)
            return total
        return value

    def _derivative(self, e: sympy.Derivative):
        body = self(e.expr)
        variables = [v for v, _ in e.variable_count]
        if not all(isinstance(v, (Symbol, Indexed)) for v in variables):
            raise NotNumeric("a derivative with respect to a function")
        orders = [int(n) for _, n in e.variable_count]
        at = [self(v) for v in variables]
        keys = [self._entry(v) for v in variables]

        def value():
            sample = self.sample
            point = [a() for a in at]
            held = [k() for k in keys]

            outermost = not sample.depth
            sizes = []

            def function(*xs):
                fx = _binding(sample, held, xs, body)
                if outermost:
                    sizes.append(abs(fx))
                return fx
            sample.depth += 1
            try:
                if len(variables) == 1:
                    return mpmath.diff(function, point[0], orders[0])
                return mpmath.diff(function, tuple(point), tuple(orders))
            finally:
                sample.depth -= 1
                # differences of values this large: round-off relative to them
                sample.magnitude = max([sample.magnitude, *sizes])
        return value


class _MemoKey:
    """The key of one integral's quadrature at a point in the process-wide memo
    (:mod:`derive.check.quadmemo`): the integrand and limits as ``srepr``, the exact
    values of the symbols and random functions it reads, the limits' values, the
    working precision (the features are found at it) and the quadrature's."""

    def __init__(self, function: Basic, variable: Symbol, low: Basic, high: Basic):
        self.text = sympy.srepr(sympy.Tuple(function, variable, low, high))
        self.symbols = sorted(function.free_symbols - {variable}, key=sympy.srepr)
        keys = {(f.func, len(f.args)) for f in function.atoms(AppliedUndef)}
        self.functions = sorted(keys, key=lambda k: (str(k[0]), k[1]))
        self.positive = {(f.func, len(f.args)): bool(f.is_positive)
                         for f in function.atoms(AppliedUndef)}
        # an entry of indexed data is drawn when first read, inside the integrand; two
        # functions of one name (and other assumptions) would have no stable order
        self.shareable = not function.has(Indexed) and \
            len({(str(f), n) for f, n in keys}) == len(keys) and \
            all(_keyed(node) for node in sympy.preorder_traversal(function))

    def __call__(self, sample: _Sample, a, b):
        """The key at this point, or None for an integrand of indexed data. The symbols
        and random functions the integrand reads are drawn first (in a fixed order,
        memo or not), so that skipping the quadrature never changes the draws."""
        if not self.shareable:
            return None
        values = []
        for symbol in self.symbols:
            if symbol not in sample.bound and symbol not in sample.point:
                sample.point[symbol] = _draw(symbol, sample)
            value = sample.bound[symbol] if symbol in sample.bound else sample.point[symbol]
            values.append(quadmemo.exact(value))
        functions = [sample.function(key, self.positive[key], key[1]).fingerprint()
                     for key in self.functions]
        return (self.text, tuple(values), tuple(functions), quadmemo.exact(a),
                quadmemo.exact(b), mpmath.mp.prec, sample.quadrature_digits,
                sample.quadrature_degree, sample.perturb,
                sample.terms > MAX_POINT_TERMS, quadrature_settings())


#: Nodes whose value reads nothing but the key's parts (a node of another kind might
#: read or draw state of the point that the key does not hold: its integral is not shared).
_KEYED_NODES = (sympy.Add, sympy.Mul, sympy.Pow, AppliedUndef, sympy.Integral, sympy.Sum,
                sympy.Product, sympy.Derivative, sympy.Tuple, Symbol)


def _keyed(node: Basic) -> bool:
    """Whether a node of an integrand is one the memo key accounts for."""
    return isinstance(node, _KEYED_NODES) or node.is_Number or node.func in _FUNCTIONS or \
        node in (sympy.pi, sympy.E, sympy.I, sympy.EulerGamma)


def quadrature_settings() -> tuple:
    """The settings of :func:`derive.check.quadrature.integrate` that shape a value."""
    return (quadrature.SCAN_NODES, quadrature.GEOMETRIC, quadrature.TAIL_PIECES,
            str(quadrature.DIVERGENT_RATIO), quadrature.FAR_PIECES,
            quadrature.ENDPOINT_LEVELS)


# -- features of an integrand ---------------------------------------------------------
def _polynomial_coefficients(compiler: _Compiler, expr: Basic, variable: Symbol):
    """Compiled coefficients of ``expr`` as a polynomial in ``variable`` (highest first),
    or None when it is none (or of degree 0 or above 8)."""
    if not expr.has(variable) or not expr.is_polynomial(variable):
        return None
    try:
        poly = sympy.Poly(sympy.expand(expr), variable)
        if not 1 <= poly.degree() <= 8:
            return None
        return [compiler(c) for c in poly.all_coeffs()]
    except (sympy.PolynomialError, NotNumeric):
        return None


def _roots(coefficients):
    """Complex roots of a polynomial with mpmath coefficients (highest first)."""
    while coefficients and coefficients[0] == 0:
        coefficients = coefficients[1:]
    if len(coefficients) < 2:
        return []
    if len(coefficients) == 2:
        return [-coefficients[1] / coefficients[0]]
    if len(coefficients) == 3:
        a, b, c = coefficients
        root = mpmath.sqrt(b * b - 4 * a * c)
        return [(-b + root) / (2 * a), (-b - root) / (2 * a)]
    try:
        return list(mpmath.polyroots(coefficients, maxsteps=60, extraprec=30))
    except mpmath.libmp.libhyper.NoConvergence:
        return []


def _derivative_coefficients(coefficients):
    """The coefficients of a polynomial's derivative (highest first)."""
    degree = len(coefficients) - 1
    return [c * (degree - k) for k, c in enumerate(coefficients[:-1])]


def _feature_finders(compiler: _Compiler, body: Basic, variable: Symbol):
    """Closures that give, at the current point, the (centre, width) of the integrand's
    features that the expression shows: the peak of every exp(q) with q polynomial in
    the variable (the scale of its decay when q is linear, the peak of t^s exp(-c t)),
    every (near-)zero of a polynomial under a power, a log, an absolute value, a sign or
    a piecewise condition (poles, kinks, singular points, a support's ends), and the
    bumps of every random function of a polynomial argument."""
    finders = _gamma_peaks(compiler, body, variable)
    for node in sympy.preorder_traversal(body):
        exponents = _exponents(node)
        if exponents is not None:
            coefficients = _polynomial_coefficients(compiler, exponents, variable)
            if coefficients is not None and len(coefficients) >= 3:
                finders.append(_peak_finder(coefficients))
            elif coefficients is not None and len(coefficients) == 2:
                finders.append(_decay_finder(coefficients))
        elif isinstance(node, (sympy.log, sympy.Abs, sympy.sign)) or (
                node.is_Pow and not (node.exp.is_Integer and node.exp >= 0)):
            base = node.base if node.is_Pow else node.args[0]
            coefficients = _polynomial_coefficients(compiler, base, variable)
            if coefficients is not None:
                finders.append(_zero_finder(coefficients))
        elif isinstance(node, sympy.core.relational.Relational):   # a support's end
            coefficients = _polynomial_coefficients(compiler, node.lhs - node.rhs, variable)
            if coefficients is not None:
                finders.append(_zero_finder(coefficients))
        elif isinstance(node, AppliedUndef) and node.has(variable):
            args = [_polynomial_coefficients(compiler, a, variable) if a.has(variable)
                    else compiler(a) for a in node.args]
            if all(a is not None for a in args):
                finders.append(_bump_finder(compiler, node, args))
    return finders


def _exponents(node: Basic):
    """The exponent of exp(q), or the sum of the exponents of a product's exp factors
    (exp(-x^2/2) exp(t x) peaks at x = t, where neither factor does); None for others."""
    if isinstance(node, sympy.exp):
        return node.args[0]
    if node.is_Mul:
        factors = [f.args[0] for f in node.args if isinstance(f, sympy.exp)]
        if len(factors) > 1:
            return sympy.Add(*factors)
    return None


def _peak_finder(coefficients):
    """Peaks of exp(q): the critical points of q, of width 1/sqrt(|q''|)."""
    def find():
        values = [c() for c in coefficients]
        slope = _derivative_coefficients(values)
        curvature = _derivative_coefficients(slope)
        roots = _roots(slope)
        widths = [1 / mpmath.sqrt(abs(mpmath.polyval(curvature, r)) or 1) for r in roots]
        return [(mpmath.re(r), w) for r, w in zip(roots, widths)]
    return find


def _gamma_peaks(compiler: _Compiler, body: Basic, variable: Symbol) -> list:
    """The peak of t^s exp(-c t) (a gamma density's shape), at s/c and s^(1/2)/c wide:
    for a large s it lies far beyond the scale 1/c of the decay alone."""
    powers = [node.exp for node in sympy.preorder_traversal(body)
              if node.is_Pow and node.base == variable and not node.exp.has(variable)]
    rates = [_polynomial_coefficients(compiler, node.args[0], variable)
             for node in sympy.preorder_traversal(body) if isinstance(node, sympy.exp)]
    rates = [r for r in rates if r is not None and len(r) == 2]
    finders = []
    for power in powers:
        try:
            shape = compiler(power)
        except NotNumeric:
            continue
        for rate in rates:
            finders.append(_gamma_peak_finder(shape, rate[0]))
    return finders


def _gamma_peak_finder(shape, slope):
    """Where t^s exp(c t) peaks, for c < 0 and real s > 0."""
    def find():
        s, c = shape(), slope()
        if mpmath.im(s) or mpmath.im(c) or not (c < 0 < s):
            return []
        s, c = mpmath.re(s), mpmath.re(c)
        return [(s / -c, (mpmath.sqrt(s) + 1) / -c)]
    return find


def _decay_finder(coefficients):
    """The scale of a decay exp(c t + d), c < 0: 1/|c| from 0, so that a slow one
    (c = -1e-9) is integrated out to where it has decayed, not judged a growing tail;
    at 1, 2, 4, 8 and 16 times that scale, since 8 scales leave e^-8 of it (a fast one,
    c = -10^16, then leaves nothing to a piece as long as 1)."""
    def find():
        slope = coefficients[0]()
        if mpmath.im(slope) or not mpmath.re(slope) < 0:
            return []
        scale = 1 / -mpmath.re(slope)
        return [(mpmath.mpf(0), scale * 2 ** j) for j in range(5)]
    return find


def _zero_finder(coefficients):
    """Zeros of a polynomial: a singular point, or a near-pole as wide as it is off
    the real axis."""
    def find():
        roots = _roots([c() for c in coefficients])
        return [(mpmath.re(r), abs(mpmath.im(r))) for r in roots]
    return find


def _bump_finder(compiler: _Compiler, node: AppliedUndef, args):
    """Where the random function's argument s(t) passes its bumps' centres."""
    key, positive = (node.func, len(node.args)), bool(node.is_positive)

    def find():
        function = compiler.sample.function(key, positive, len(node.args))
        degree = max((len(a) - 1 for a in args if isinstance(a, list)), default=0)
        total = [mpmath.mpf(0)] * (degree + 1)
        for weight, arg in zip(function.weights, args):
            values = [c() for c in arg] if isinstance(arg, list) else [arg()]
            for k, value in enumerate(reversed(values)):
                total[degree - k] += weight * value
        slope = _derivative_coefficients(total)
        found = []
        for centre, width in function.bumps:
            shifted = total[:-1] + [total[-1] - centre]
            for root in _roots(shifted):
                speed = abs(mpmath.polyval(slope, root)) or 1
                found.append((mpmath.re(root), width / speed + abs(mpmath.im(root))))
        return found
    return find


def _probe_far_terms(term, first, last, shown: str) -> None:
    """Terms that grow out to first + 4^5: they diverge if they keep growing (or
    overflow) out to first + 4^FAR_TERMS; terms that turn peak farther out than this
    point can sum (a Poisson weight with a mean of 10^7)."""
    for j in range(6, FAR_TERMS + 1):
        size = abs(term(int(first) + 4 ** j)) if mpmath.isfinite(last) else last
        if not mpmath.isfinite(size):
            break
        if size < last:
            raise _SkipPoint(f"the terms of the series {shown} peak beyond what can be "
                             "summed at some points")
        last = size
    raise Divergent(f"the series {shown} diverges (its terms do not shrink)")


def _infinite_sum(term, first, shown: str):
    """Σ_{k ≥ first} term(k) by mpmath's accelerated summation, or Undefined when the
    terms do not shrink or the accelerated sum moves with the working precision."""
    sizes = [abs(term(int(first) + 4 ** j)) for j in range(3, 6)]
    if not sizes[-1] < sizes[0] or not mpmath.isfinite(sizes[-1]):
        _probe_far_terms(term, first, sizes[-1], shown)
    values = []
    for extra in (0, 10):
        try:
            with mpmath.workdps(mpmath.mp.dps + extra):
                values.append(mpmath.nsum(term, [first, mpmath.inf], method="r+s",
                                          maxterms=400))
        except (mpmath.libmp.libhyper.NoConvergence, ValueError, ZeroDivisionError):
            raise Divergent(f"the series {shown} does not converge") from None
    one, other = values
    if not (_finite(one) and _finite(other)) or \
            abs(one - other) > mpmath.mpf(10) ** (-mpmath.mp.dps // 2) * (abs(one) + 1):
        raise Divergent(f"the series {shown} does not converge")
    return one


# -- comparing ------------------------------------------------------------------------
def _finite(value) -> bool:
    """Whether an mpmath value is a finite number (real or complex)."""
    if isinstance(value, mpmath.mpc):
        return mpmath.isfinite(value.real) and mpmath.isfinite(value.imag)
    return isinstance(value, mpmath.mpf) and mpmath.isfinite(value)


def _to_sympy(value, digits: int = DIGITS) -> Basic:
    """An mpmath value as a SymPy Float (or complex) for reports."""
    if isinstance(value, mpmath.mpc):
        return sympy.Float(value.real, digits) + sympy.I * sympy.Float(value.imag, digits)
    return sympy.Float(value, digits)


def claim_seed(left: Basic, right: Basic, relation: str = "=") -> int:
    """A seed from a stable hash of the claim, so that every run draws the same points."""
    text = f"{sympy.srepr(left)} {relation} {sympy.srepr(right)}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


@dataclass
class _Values:
    """Both sides at one point and one precision, with the noise that explains a
    difference: round-off at the working precision and the quadrature's error."""

    left: object
    right: object
    noise: object
    scale: object


class _Evaluator:
    """Both compiled sides, evaluated at a sample point at a given precision."""

    def __init__(self, compiler: _Compiler, left, right):
        self.compiler, self.left, self.right = compiler, left, right

    def __call__(self, sample: _Sample, digits: int, quadrature_digits: int,
                 degree: int = QUADRATURE_DEGREE) -> _Values:
        self.compiler.sample = sample
        sample.reset(quadrature_digits, degree)
        with mpmath.workdps(digits):
            a, b = self.left(), self.right()
            if not (_finite(a) and _finite(b)):
                raise Undefined("a value is infinite or undefined (log 0, a pole)")
            scale = max(abs(a), abs(b), sample.magnitude)
            noise = (scale + max(abs(a), abs(b)) * sample.growth) * mpmath.mpf(10) ** (5 - digits)
            if sample.integrals:
                # the quadrature's own precision, and its error estimates
                noise += scale * mpmath.mpf(10) ** (3 - quadrature_digits)
                noise += 10 * self._quadrature_noise(sample, a - b)
            return _Values(a, b, noise, scale)

    def _quadrature_noise(self, sample: _Sample, difference):
        """How far the difference moves when every integral moves by its error."""
        moved = mpmath.mpf(0)
        for sign in (1, -1):
            sample.perturb = sign
            try:
                shifted = self.left() - self.right()
            except (ZeroDivisionError, ValueError, OverflowError, Undefined):
                return mpmath.inf
            finally:
                sample.perturb = 0
            moved = max(moved, abs(shifted - difference))
        return moved


def _violates(relation: str, values: _Values) -> bool | None:
    """Whether the point is a counterexample to ``left relation right``: the sides
    differ beyond the noise for "=", are equal within it for "!=", are in the wrong
    order (or equal, for a strict order); None when an order meets non-real values."""
    difference = values.left - values.right
    if relation in ("=", "!="):
        return (abs(difference) > values.noise) == (relation == "=")
    if not all(abs(mpmath.im(v)) <= values.noise for v in (values.left, values.right)):
        return None
    difference = mpmath.re(difference)
    if relation in (">", ">="):
        difference = -difference
    if difference > values.noise:          # left clearly above (or below) right
        return True
    return relation in ("<", ">") and abs(difference) <= values.noise


def _gross(values: _Values) -> bool:
    """Whether the sides differ by far more than any round-off at the working
    precision: such a counterexample needs no confirmation."""
    return abs(values.left - values.right) > GROSS * values.scale + values.noise


def _confirmed(relation, first: _Values, second: _Values) -> bool:
    """A counterexample must persist at the higher precision; a difference must be
    stable and far above how much the values moved between the precisions."""
    if _violates(relation, second) is not True:
        return False
    d1, d2 = first.left - first.right, second.left - second.right
    if abs(d2) <= second.noise:            # equal within the noise: "!=", "<", ">"
        return True
    moved = abs(first.left - second.left) + abs(first.right - second.right)
    return abs(d2) > 10 * moved and abs(d1 - d2) <= abs(d2) / 10


def _hidden(values: _Values) -> bool:
    """Whether sides found equal within the noise still differ by a sizeable part of
    their own size: the noise is measured against the largest term summed anywhere
    (-x^2 - 100 inside exp(...), or the halves of an integral that cancel), which can
    hide a real difference of tiny values."""
    difference = abs(values.left - values.right)
    size = max(abs(values.left), abs(values.right))
    return difference > 0 and difference > mpmath.mpf(10) ** -10 * size


def _stable(first: _Values, second: _Values) -> bool:
    """A difference that stays put as the precision rises is real, not round-off:
    round-off shrinks with the precision, a true difference does not."""
    d1, d2 = first.left - first.right, second.left - second.right
    return abs(d2) > 0 and abs(d1 - d2) <= abs(d2) / 1000


class _Search:
    """The state of a search for a counterexample: points tried, agreed, skipped."""

    def __init__(self, left: Basic, right: Basic, relation: str, seed: int,
                 domains: dict, digits: tuple[int, int], quadrature: tuple[int, int]):
        compiler = _Compiler()
        self.evaluate = _Evaluator(compiler, compiler(left), compiler(right))
        self.relation, self.seed, self.domains = relation, seed, domains
        self.digits, self.quadrature = digits, quadrature
        self.rng = random.Random(seed)
        self.agreed = self.imprecise = self.skipped = 0
        self.largest = mpmath.mpf(0)
        self.note = self.undefined = self.presumed_divergent = ""
        self.counterexample: Disagreement | None = None

    def point(self, regime: str) -> bool:
        """Evaluate one point; True when it supports the claim."""
        sample = _Sample(self.rng, regime, self.domains)
        try:
            first = self.evaluate(sample, self.digits[0], self.quadrature[0])
            verdict = _violates(self.relation, first)
            if verdict and _gross(first):
                self._refuted(sample, first, self.digits[0])
                return False
            if verdict:
                second = self.evaluate(sample, self.digits[1], self.quadrature[1],
                                       CONFIRM_QUADRATURE_DEGREE)
                if _confirmed(self.relation, first, second):
                    self._refuted(sample, second, self.digits[1])
                    return False
                verdict = None if _violates(self.relation, second) is not False else False
                first = second
            elif self.relation == "=" and _hidden(first):
                settle = self._escalate if sample.integrals else self._settle
                verdict = settle(sample, first)
                if verdict:
                    return False
        except _PresumedDivergent as error:
            self.skipped += 1
            self.presumed_divergent = str(error)
            return False
        except _SkipPoint as error:
            self.skipped += 1
            self.note = str(error)
            return False
        except Divergent as error:
            self.skipped += 1
            self.undefined = self.undefined or str(error)
            return False
        except Undefined as error:
            self.skipped += 1
            self.note = f"undefined at some points: {error}"
            return False
        except ZeroDivisionError:
            self.skipped += 1
            self.note = "undefined at some points: division by zero"
            return False
        except (ValueError, OverflowError, TypeError) as error:
            self.skipped += 1
            self.note = f"evaluation failed at some points: {error or type(error).__name__}"
            return False
        if verdict is None or first.noise > IMPRECISE * first.scale:
            self.imprecise += 1
            self.note = self.note or "the values could not be computed precisely enough"
            return False
        if first.scale:
            self.largest = max(self.largest,
                               abs(first.left - first.right) / first.scale)
        self.agreed += 1
        return True

    def _escalate(self, sample: _Sample, first: _Values) -> bool | None:
        """A difference within the quadrature's noise yet sizeable against the values
        (an integral of 0 next to 10^-20): the higher precision tells cancellation,
        which shrinks, from a difference, which persists (True: refuted)."""
        second = self.evaluate(sample, self.digits[1], self.quadrature[1],
                               CONFIRM_QUADRATURE_DEGREE)
        if _confirmed(self.relation, first, second):
            self._refuted(sample, second, self.digits[1])
            return True
        return None if _violates(self.relation, second) else False

    def _settle(self, sample: _Sample, first: _Values) -> bool | None:
        """A difference within the noise yet sizeable against the values (a side that
        cancelled, or underflowed), settled where the noise falls well below it: True
        when it stays put there (refuted), None when it still cannot be told apart;
        a point needing more than MAX_DIGITS is skipped, never counted as agreeing."""
        difference = abs(first.left - first.right)
        digits = self.digits[0] + int(mpmath.log10(first.noise / difference)) + SETTLE_MARGIN
        if digits > MAX_DIGITS:
            raise _SkipPoint("a side cancels or underflows beyond the precision reachable "
                             "at some points")
        second = self.evaluate(sample, max(digits, self.digits[1]), self.quadrature[1])
        if _violates(self.relation, second) and _stable(first, second):
            self._refuted(sample, second, max(digits, self.digits[1]))
            return True
        return None if _violates(self.relation, second) else False

    def _refuted(self, sample: _Sample, values: _Values, digits: int) -> None:
        shown = tuple((k, _to_sympy(v)) for k, v in
                      sorted(sample.point.items(), key=lambda kv: str(kv[0])))
        self.counterexample = Disagreement(shown, _to_sympy(values.left, digits),
                                           _to_sympy(values.right, digits))

    def run(self, regimes, wanted: int, tries: int = 3) -> None:
        """Points in the regimes, in turn, until ``wanted`` agree or one refutes
        (at most ``tries`` times as many points as wanted; once a side is found
        undefined, only a few more in search of a counterexample)."""
        agreed, attempts, since_undefined = 0, 0, 0
        while agreed < wanted and attempts < wanted * tries and self.counterexample is None \
                and since_undefined < 3:
            agreed += self.point(regimes[attempts % len(regimes)])
            attempts += 1
            since_undefined += bool(self.undefined)

    def record(self, points: int) -> dict:
        """The sample, for the result and the JSON of ``derive verify``."""
        return {"points": points, "agreed": self.agreed, "skipped": self.skipped,
                "imprecise": self.imprecise, "digits": self.digits[0],
                "confirm_digits": self.digits[1],
                "quadrature_digits": self.quadrature[0],
                "largest_relative_difference": float(self.largest), "seed": self.seed,
                "relation": self.relation}


def _free(expr: Basic) -> bool:
    """Whether anything in ``expr`` is drawn at random (a symbol, a function, data)."""
    return bool(expr.free_symbols or expr.atoms(AppliedUndef) or expr.atoms(Indexed))


def _exact(left: Basic, right: Basic, relation: str) -> bool | None:
    """Decide a relation between two rational numbers exactly; None for other input."""
    if not (left.is_Rational and right.is_Rational):
        return None
    holds = {"=": left == right, "!=": left != right, "<": left < right,
             "<=": left <= right, ">": left > right, ">=": left >= right}[relation]
    return bool(holds)   # SymPy answers an order with its own true or false


def _bound(value: Basic):
    """A domain's end as mpmath when it is a number; a symbolic end stays SymPy and is
    evaluated at each point."""
    if value.free_symbols:
        return value
    if not value.is_finite:
        return mpmath.inf if value > 0 else -mpmath.inf
    return mpmath.mpf(sympy.Float(value, 30))


def compare(left: Basic, right: Basic, samples: int = 6, seed: int | None = None,
            relation: str = "=", domains: dict | None = None) -> NumericResult:
    """:func:`_compare` within the declared domains of the derivation being checked
    (:mod:`derive.check.domains`): points inside each symbol's interval, and a symbol
    of a finite set at every one of its values, each value a case of its own."""
    declared = current()
    domains = {**declared.intervals, **(domains or {})}
    cases = declared.cases(left, right)
    if cases is None:
        return NumericResult(None, 0, note="too many cases of the declared finite sets")
    agreed, last = 0, None
    for case in cases:
        if case:
            result = _compare(left.xreplace(case), right.xreplace(case), samples, seed,
                              relation, domains)
        else:
            result = _compare(left, right, samples, seed, relation, domains)
        if result.agree is not True:
            if result.disagreement is not None and case:
                d = result.disagreement
                result = replace(result, disagreement=Disagreement(
                    tuple(case.items()) + d.point, d.left, d.right))
            return result
        agreed, last = agreed + result.points, result
    return replace(last, points=agreed) if len(cases) > 1 else last


def _compare(left: Basic, right: Basic, samples: int = 6, seed: int | None = None,
             relation: str = "=", domains: dict | None = None) -> NumericResult:
    """Search for a counterexample to ``left relation right`` at random points.

    A first round of ``samples`` points at unit scale and special values, then a
    wider round of ``samples // 2 + 1`` (tiny and large values, branch cuts, large
    integers) before the claim is said to agree. ``agree=True`` means only that no
    counterexample was found at enough points; False comes with the counterexample;
    None says it could not be decided, and ``undefined`` why when a side has no value. A claim with
    nothing free is decided exactly, or once at 60 and 120 digits. ``seed`` defaults
    to a hash of the claim; ``domains`` maps a symbol to a (low, high) interval.

    >>> x = sympy.Symbol("x", real=True)
    >>> compare(sympy.sqrt(x**2), x).agree
    False
    """
    if relation not in RELATIONS:
        raise ValueError(f"unknown relation {relation!r} (known: {', '.join(RELATIONS)})")
    from derive.check import matrices
    if matrices.has_matrix(left) or matrices.has_matrix(right):
        if relation != "=":
            return NumericResult(None, 0, note="only '=' is checked between matrices")
        return matrices.compare(left, right)
    left, right = expand_notation(as_expr(left)), expand_notation(as_expr(right))
    seed = claim_seed(left, right, relation) if seed is None else seed
    domains = {k: tuple(_bound(v) for v in map(as_expr, lr))
               for k, lr in (domains or {}).items()}
    constant = not (_free(left) or _free(right))
    exact = _exact(left, right, relation) if constant else None
    if exact is not None:
        sample = {"points": 1, "agreed": int(exact), "digits": "exact", "seed": seed,
                  "relation": relation}
        return NumericResult(exact, 1, None if exact else Disagreement((), left, right),
                             sample=sample)
    digits = CONSTANT_DIGITS if constant else (DIGITS, CONFIRM_DIGITS)
    quadrature = (CONSTANT_DIGITS[0] // 2, CONSTANT_DIGITS[1] // 2) if constant else \
        (QUADRATURE_DIGITS, CONFIRM_QUADRATURE_DIGITS)
    try:
        search = _Search(left, right, relation, seed, domains, digits, quadrature)
    except NotNumeric as error:
        return NumericResult(None, 0, note=f"cannot evaluate {error} numerically",
                             sample={"points": 0, "seed": seed, "relation": relation})
    try:
        if constant:
            search.run(("unit",), 1, tries=1)     # nothing random: one point decides
        else:
            search.run(FIRST_ROUND, samples)
            if search.counterexample is None and not search.undefined and \
                    search.agreed >= max(1, samples // 2):
                search.run(WIDE_ROUND, samples // 2 + 1)
    except NotNumeric as error:
        return NumericResult(None, search.agreed, note=f"cannot evaluate {error} numerically",
                             sample=search.record(search.agreed))
    points = search.agreed + search.skipped + search.imprecise + \
        (search.counterexample is not None)
    record = search.record(points)
    if search.counterexample is not None:
        return NumericResult(False, search.agreed, search.counterexample, sample=record)
    if search.agreed == 0 and search.presumed_divergent and not search.undefined:
        search.undefined = search.presumed_divergent + " for every function drawn"
    if search.undefined or (constant and search.agreed == 0 and "undefined" in search.note):
        reason = search.undefined or search.note.removeprefix("undefined at some points: ")
        return NumericResult(None, search.agreed, note=reason, undefined=reason, sample=record)
    needed = 1 if constant else max(3, samples // 2)
    if search.agreed < needed:
        return NumericResult(None, search.agreed,
                             note=search.note or "too few points could be evaluated",
                             sample=record)
    return NumericResult(True, search.agreed, sample=record)
