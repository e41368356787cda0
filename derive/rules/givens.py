"""Steps taken on trust: definitions, givens, cited theorems, stationarity.

They are never checked, always assumed, and every report lists them.
"""

from __future__ import annotations

from derive.check.context import LinkContext, RuleError
from derive.check.verdict import Verdict
from derive.latex.notation import FunctionalDerivative


def definition(ctx: LinkContext) -> Verdict:
    """A definition introduces notation; it cannot be wrong, only unhelpful."""
    return Verdict.assumed("definition")


def given(ctx: LinkContext) -> Verdict:
    """A modelling assumption or hypothesis of the article."""
    return Verdict.assumed("given")


def cite(ctx: LinkContext) -> Verdict:
    """A result quoted from elsewhere, named in the justification's words."""
    if not ctx.justification.words:
        raise RuleError("cite needs the name of the theorem, e.g. 'cite the central limit "
                        "theorem'")
    return Verdict.assumed(f"cited: {ctx.justification.words}")


def stationary(ctx: LinkContext) -> Verdict:
    """At an extremum the first variation (or derivative) vanishes: ``... = 0``."""
    claim = ctx.claim
    start = ctx.chain_terms[0] if ctx.chain_terms else claim.lhs
    if claim.rhs != 0:
        raise RuleError("stationarity sets a derivative to zero: the link must end in '= 0'")
    if not (start.has(FunctionalDerivative) or start.is_Derivative):
        raise RuleError("stationarity applies to a chain that starts with a derivative "
                        "such as \\frac{\\delta L}{\\delta p(x)}")
    return Verdict.assumed("stationarity: the first variation vanishes at an extremum")


RULES = {
    "definition": definition,
    "given": given,
    "cite": cite,
    "stationary": stationary,
}
