"""The law an expectation is taken under, as the formula names it: ``x \\sim p``,
``x \\sim \\mathcal{N}(\\mu, \\sigma^2)``, ``p`` alone, or a distribution alone (in a KL
divergence). A law the formula does not determine is refused, never guessed.

Each function raises :class:`LawError` with a message; the transformer adds the position.
"""

from __future__ import annotations

import sympy
from sympy import Basic, Symbol
from sympy.core.function import AppliedUndef

from derive.latex.distributions import Distribution
from derive.latex.expectations import Law


class LawError(ValueError):
    """A law that the formula does not determine, or that contradicts a declaration."""


class BoundVariable(Symbol):
    """The variable of a law named by its distribution alone (a KL divergence of two
    normal distributions): a class of its own, so it never equals a declared symbol."""


#: What a declared assumption of the variable needs of its range: (continuous, discrete).
_NEEDS = {
    "positive": (lambda lo, hi: sympy.Ge(lo, 0), lambda lo, hi: sympy.Ge(lo, 1)),
    "nonnegative": (lambda lo, hi: sympy.Ge(lo, 0), lambda lo, hi: sympy.Ge(lo, 0)),
    "negative": (lambda lo, hi: sympy.Le(hi, 0), lambda lo, hi: sympy.Le(hi, -1)),
    "nonpositive": (lambda lo, hi: sympy.Le(hi, 0), lambda lo, hi: sympy.Le(hi, 0)),
    "nonzero": (lambda lo, hi: sympy.true,
                lambda lo, hi: sympy.Or(sympy.Ge(lo, 1), sympy.Le(hi, -1))),
    "integer": (lambda lo, hi: sympy.false, lambda lo, hi: sympy.true),
}


def _check_assumptions(variable: Symbol, low, high, discrete: bool, law_text: str) -> None:
    """Refuse a variable whose declared assumptions the law's range does not imply:
    SymPy has already simplified the body with them (``\\sqrt{x^2}`` is x for x > 0),
    which would be false for the values the law gives it."""
    for fact, needs in _NEEDS.items():
        if getattr(variable, f"is_{fact}") is True and needs[discrete](low, high) is not sympy.true:
            raise LawError(f"'{variable}' is declared {fact}, but under {law_text} it takes "
                           f"values in [{low}, {high}]: declare it as the law allows")


def law_of_distribution(variable: Symbol, distribution: Distribution,
                        domains: dict | None = None) -> Law:
    """``x \\sim D`` for a distribution of the table: D's density over its support, or
    over the declared domain of x where the support's end is not known (how many
    categories)."""
    family = distribution.family
    support = distribution.family.support(*distribution.args)
    if support is None and domains and variable in domains:
        support = domains[variable]
    if support is None:
        raise LawError(f"the range of {family.spelling} is not known (how many categories?): "
                       f"declare a domain for '{variable}' under [domains], such as "
                       r"['1', 'K']")
    low, high = support
    _check_assumptions(variable, low, high, family.discrete, family.spelling)
    return Law(variable, distribution.at(variable), low, high, int(family.discrete))


def law_of_density(variable: Symbol, density: Basic, domains: dict) -> Law:
    """``x \\sim p`` for a declared density p(x): p over the declared domain of x, a sum
    when x is declared an integer."""
    if not (isinstance(density, AppliedUndef) and density.has(variable)):
        raise LawError(f"the law of '{variable}' must be a declared density of it, such as "
                       rf"p({variable}), or a distribution such as \mathcal{{N}}(\mu, \sigma^2)")
    if variable not in domains:
        raise LawError(f"an expectation over '{variable}' needs its range: declare a domain "
                       f"for '{variable}' under [domains]")
    low, high = domains[variable]
    discrete = bool(variable.is_integer)
    _check_assumptions(variable, low, high, discrete, str(density))
    return Law(variable, density, low, high, int(discrete))


def law(variable, source, domains: dict) -> Law:
    """The law of ``variable`` that ``source`` names: a distribution or a density."""
    if not isinstance(variable, Symbol):
        raise LawError(r"the variable before \sim must be a declared symbol")
    if isinstance(source, Distribution):
        return law_of_distribution(variable, source, domains)
    return law_of_density(variable, source, domains)


def law_alone(source, domains: dict) -> Law:
    """The law that a density or distribution written alone names (``\\mathbb{E}_{p}``,
    ``D_{\\mathrm{KL}}(q \\| p)``): a declared density of one variable, or a distribution
    of a variable of its own."""
    if isinstance(source, Distribution):
        return law_of_distribution(BoundVariable("t", real=True), source)
    if isinstance(source, AppliedUndef):
        variables = [a for a in source.args[:1] if isinstance(a, Symbol)]
        if variables:
            return law_of_density(variables[0], source, domains)
    raise LawError("name the law: a declared density p(x), or a distribution such as "
                   r"\mathcal{N}(\mu, \sigma^2); write \mathbb{E}_{x \sim p}[...] to say which "
                   "variable it governs")
