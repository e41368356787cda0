"""Expectations, variances and KL divergences, each with its definition.

An expectation whose distribution the formula names (``\\mathbb{E}_{x \\sim p}[f]``,
``\\mathbb{E}_{x \\sim \\mathcal{N}(\\mu, \\sigma^2)}[f]``) unfolds to an integral (a sum
for a discrete law) of f times the density over the law's range. One that names none
(``\\mathbb{E}[f]``) stays an unknown value: derive never guesses the density. Of such
an unknown only linearity is used, which holds whatever the distribution: numbers and
other expectations come out, sums split.
"""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Expr, Function, Integer, Integral, Mul, Sum, log

from derive.latex.distributions import Density, covers, unfold_density


def _basic(value) -> Basic:
    """A constructor's argument as a SymPy object, never text."""
    if isinstance(value, Basic):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Integer(value)
    raise TypeError(f"not a SymPy object: {type(value).__name__}")


class Expectation(Function):
    """``\\mathbb{E}[X]``: expectation of X under a distribution the formula leaves open."""

    nargs = 1


class Variance(Function):
    """``\\mathrm{Var}[X]``: variance of X under a distribution the formula leaves open."""

    nargs = 1


class Law(Expr):
    """``x \\sim D``: a variable, its density as a function of it (``weight``), the range
    it takes and whether it is discrete (1) or continuous (0)."""

    is_commutative = True

    def __new__(cls, variable, weight, low, high, discrete):
        return Expr.__new__(cls, *(_basic(a) for a in (variable, weight, low, high,
                                                        discrete)))

    @property
    def variable(self):
        return self.args[0]

    @property
    def weight(self):
        return self.args[1]

    @property
    def discrete(self) -> bool:
        return bool(self.args[4])

    @property
    def free_symbols(self):
        variable, weight, low, high, _ = self.args
        return (weight.free_symbols - {variable}) | low.free_symbols | high.free_symbols

    def _eval_subs(self, old, new):
        if self.variable in old.free_symbols:
            return self     # the variable is bound
        return None

    def total(self, body: Basic) -> Basic:
        """The integral (or sum) of ``body`` times the density over the range: the
        integral binds the variable, as the expectation did (the parser refused a
        variable whose declared assumptions the range does not imply)."""
        variable, weight, low, high, _ = self.args
        integrand = unfold_in_range(body * weight, variable, low, high)
        operator = Sum if self.discrete else Integral
        return operator(integrand, (variable, low, high))


class _Statistic(Expr):
    """A statistic of a body under a law: ``(body, law)``."""

    is_commutative = True

    def __new__(cls, body, law):
        return Expr.__new__(cls, _basic(body), _basic(law))

    @property
    def body(self):
        return self.args[0]

    @property
    def law(self):
        return self.args[1]

    @property
    def free_symbols(self):
        return (self.body.free_symbols - {self.law.variable}) | self.law.free_symbols

    def _eval_subs(self, old, new):
        if self.law.variable in old.free_symbols:
            return self
        return None


class Expected(_Statistic):
    """``\\mathbb{E}_{x \\sim D}[f]``: the integral (or sum) of f times D's density."""

    def unfold(self) -> Basic:
        return self.law.total(self.body)


class VarianceUnder(_Statistic):
    """``\\mathrm{Var}_{x \\sim D}[f]``: E[(f - E f)^2] under D, written E[f^2] - (E f)^2
    (equal by linearity whenever E[f^2] is finite; two integrals, not one nested)."""

    def unfold(self) -> Basic:
        return self.law.total(self.body ** 2) - self.law.total(self.body) ** 2


class KLDivergence(Expr):
    """``D_{\\mathrm{KL}}(q \\| p)``: the expectation under q of log(q / p), q and p being
    laws of one variable over one range (``(q, p)``)."""

    is_commutative = True

    def __new__(cls, first, second):
        return Expr.__new__(cls, _basic(first), _basic(second))

    @property
    def free_symbols(self):
        return self.args[0].free_symbols | self.args[1].free_symbols

    def unfold(self) -> Basic:
        first, second = self.args
        other = second.weight.xreplace({second.variable: first.variable})
        return first.total(log(first.weight / other))


def unfold_in_range(expr: Basic, variable, low, high) -> Basic:
    """Densities at ``variable`` written out, by their formula where the range lies
    inside their support and with the zero outside it elsewhere."""
    def written(density):
        if covers(density, variable, low, high):
            return density.formula()
        return unfold_density(density)
    return expr.replace(lambda e: isinstance(e, Density), written)


def _is_constant(factor: Basic) -> bool:
    """Whether a factor is the same for every outcome: a number, or built from numbers
    and expectations only (an expectation is itself a number)."""
    bare = factor.replace(lambda e: isinstance(e, (Expectation, Variance)),
                          lambda e: Integer(1))
    return not bare.free_symbols and not bare.atoms(sympy.core.function.AppliedUndef)


def linear_expectation(body: Basic) -> Basic:
    """``E[body]`` by linearity: sums split, constant factors come out."""
    terms = []
    for term in Add.make_args(sympy.expand(body)):
        constant = [f for f in Mul.make_args(term) if _is_constant(f)]
        random = [f for f in Mul.make_args(term) if not _is_constant(f)]
        terms.append(Mul(*constant) * (Expectation(Mul(*random)) if random else 1))
    return Add(*terms)


def unfold_statistics(expr: Basic) -> Basic:
    """Every statistic written out by its definition: determined ones to integrals or
    sums, undetermined ones to expectations in linear normal form."""
    expr = expr.replace(lambda e: isinstance(e, (Expected, VarianceUnder, KLDivergence)),
                        lambda e: e.unfold())
    expr = expr.replace(lambda e: isinstance(e, Variance),
                        lambda e: Expectation((e.args[0] - Expectation(e.args[0])) ** 2))
    return expr.replace(lambda e: isinstance(e, Expectation),
                        lambda e: linear_expectation(e.args[0]))


def unfold_integrals(expr: Basic) -> Basic:
    """Densities under a written integral or sum over their point, written by their
    formula where the range lies inside their support."""
    def within(operator):
        if len(operator.limits) != 1 or len(operator.limits[0]) != 3:
            return operator
        variable, low, high = operator.limits[0]
        body = unfold_in_range(operator.function, variable, low, high)
        return operator.func(body, operator.limits[0])
    return expr.replace(lambda e: isinstance(e, (Integral, Sum)), within)
