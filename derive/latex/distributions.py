"""Probability distributions as declared notation: one table names each family, how
textbooks spell it, its parameters, its density and its support.

A density written in a formula (``\\mathcal{N}(x; \\mu, \\sigma^2)``) stays an
unevaluated object, so that the report shows what was printed; its definition, the
table's density, is built in: :func:`unfold_density` writes it out, zero outside the
support, wherever a check compares values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy
from sympy import Abs, And, Eq, Expr, Piecewise, exp, factorial, floor, gamma, pi, sqrt


@dataclass(frozen=True)
class Family:
    """A family of distributions: its spellings, parameters, density and support."""

    name: str
    spellings: tuple[str, ...]
    parameters: tuple[str, ...]    # as textbooks print them, for messages
    meaning: str                   # what the parameters are
    density: Callable              # (point, *parameters) -> the density at the point
    support: Callable              # (*parameters) -> (low, high), or None when unknown
    discrete: bool = False
    vector: bool = False           # the parameter is indexed data (a probability vector)
    open_ends: bool = False        # the density is defined inside (low, high) only

    @property
    def spelling(self) -> str:
        """The first spelling, the one the report prints."""
        return self.spellings[0]


_REAL_LINE = (-sympy.oo, sympy.oo)

FAMILIES = (
    Family("Normal", (r"\mathcal{N}",), (r"\mu", r"\sigma^2"), "mean, variance",
           lambda x, mu, var: exp(-(x - mu) ** 2 / (2 * var)) / sqrt(2 * pi * var),
           lambda mu, var: _REAL_LINE),
    Family("Bernoulli", (r"\mathrm{Bern}", r"\mathrm{Bernoulli}"), (r"\theta",),
           "probability of 1",
           lambda y, theta: theta ** y * (1 - theta) ** (1 - y),
           lambda theta: (0, 1), discrete=True),
    Family("Categorical", (r"\mathrm{Cat}", r"\mathrm{Categorical}"), (r"\pi",),
           "probabilities, indexed data",
           lambda k, probabilities: probabilities[k],
           lambda probabilities: None, discrete=True, vector=True),
    Family("Poisson", (r"\mathrm{Poisson}", r"\mathrm{Pois}"), (r"\lambda",), "rate",
           lambda k, rate: rate ** k * exp(-rate) / factorial(k),
           lambda rate: (0, sympy.oo), discrete=True),
    Family("Laplace", (r"\mathrm{Laplace}", r"\mathrm{Lap}"), (r"\mu", "b"), "location, scale",
           lambda x, mu, b: exp(-Abs(x - mu) / b) / (2 * b),
           lambda mu, b: _REAL_LINE),
    Family("Exponential", (r"\mathrm{Exp}", r"\mathrm{Exponential}"), (r"\lambda",), "rate",
           lambda x, rate: rate * exp(-rate * x),
           lambda rate: (0, sympy.oo)),
    Family("Uniform", (r"\mathcal{U}", r"\mathrm{Uniform}"), ("a", "b"), "ends of the interval",
           lambda x, low, high: 1 / (high - low),
           lambda low, high: (low, high)),
    Family("Beta", (r"\mathrm{Beta}",), ("a", "b"), "shapes",
           lambda x, a, b: gamma(a + b) / (gamma(a) * gamma(b)) * x ** (a - 1)
           * (1 - x) ** (b - 1),
           lambda a, b: (0, 1), open_ends=True),
    Family("Gamma", (r"\mathrm{Gamma}",), (r"\alpha", r"\beta"), "shape, rate",
           lambda x, shape, rate: rate ** shape * x ** (shape - 1) * exp(-rate * x)
           / gamma(shape),
           lambda shape, rate: (0, sympy.oo), open_ends=True),
)

#: Each spelling, with ``\operatorname{..}`` read as ``\mathrm{..}``, to its family.
SPELLINGS = {spelling: family for family in FAMILIES for spelling in family.spellings}


def family_of(head: str) -> Family | None:
    """The family a name as written spells, if any."""
    return SPELLINGS.get(head.replace(r"\operatorname{", r"\mathrm{"))


def _basic(value) -> sympy.Basic:
    """A constructor's argument as a SymPy object, never text."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return sympy.Integer(value)
    raise TypeError(f"not a SymPy object: {type(value).__name__}")


class _FamilyMember(Expr):
    """A density or a distribution of one family: its arguments, counted."""

    family: Family
    nargs: int
    is_commutative = True

    def __new__(cls, *args):
        if len(args) != cls.nargs:
            raise TypeError(f"{cls.__name__} takes {cls.nargs} arguments, not {len(args)}")
        return Expr.__new__(cls, *(_basic(a) for a in args))


class Density(_FamilyMember):
    """A family's density (or mass function) at a point: ``(point, *parameters)``."""

    def _eval_is_nonnegative(self):
        return True

    @property
    def point(self):
        return self.args[0]

    @property
    def parameters(self):
        return self.args[1:]

    def support(self):
        """The support's ends for these parameters, or None when unknown."""
        return self.family.support(*self.parameters)

    def formula(self, point=None):
        """The density written out at ``point`` (its own by default), valid on the support."""
        return self.family.density(self.point if point is None else point, *self.parameters)

    def density(self):
        """The density written out, zero outside its support."""
        return unfold_density(self)


class Distribution(_FamilyMember):
    """A family's distribution itself, not its density: ``(*parameters)``."""

    def at(self, point):
        """This distribution's density at ``point``."""
        return DENSITIES[self.family.name](point, *self.args)


def _classes(kind: type, suffix: str) -> dict[str, type]:
    """One class of ``kind`` per family, named after it (``NormalPDF``, ``PoissonPMF``),
    each a name of this module so that SymPy can print and rebuild it."""
    made = {}
    for family in FAMILIES:
        name = family.name + (suffix if kind is Distribution else
                              ("PMF" if family.discrete else "PDF"))
        made[family.name] = type(name, (kind,), {
            "family": family, "nargs": len(family.parameters) + (kind is Density),
            "__module__": __name__, "__doc__": f"The {family.name} {kind.__name__.lower()}."})
        globals()[name] = made[family.name]
    return made


DENSITIES = _classes(Density, "")
DISTRIBUTIONS = _classes(Distribution, "Dist")
NormalPDF = DENSITIES["Normal"]
NormalDist = DISTRIBUTIONS["Normal"]


def in_support(density: Density, point) -> sympy.Basic:
    """The condition that ``point`` lies in the density's support."""
    low, high = density.support()
    family = density.family
    if family.discrete:
        inside = And(point >= low, point <= high)
        return inside if point.is_integer else And(inside, Eq(floor(point), point))
    if family.open_ends:
        return And(point > low, point < high)
    return And(point >= low, point <= high)


def unfold_density(density: Density) -> sympy.Basic:
    """A density written out: its formula on the support, zero elsewhere."""
    formula = density.formula()
    if density.support() == _REAL_LINE:
        return formula
    if density.support() is None:   # a categorical mass: from 1 to a count not known
        first = And(density.point >= 1, Eq(floor(density.point), density.point))
        return formula if first is sympy.true else Piecewise((formula, first), (0, True))
    condition = in_support(density, density.point)
    if condition is sympy.true:
        return formula
    return Piecewise((formula, condition), (0, True))


def covers(density: Density, variable, low, high) -> bool:
    """Whether a range of ``variable`` lies inside the support of a density at ``variable``,
    so that the density's formula may stand for it without the zero outside."""
    if density.point != variable or density.support() is None:
        return False
    start, end = density.support()
    return bool(sympy.Ge(low, start) is sympy.true and sympy.Le(high, end) is sympy.true)
