"""Steps taken on trust: definitions, givens, cited theorems, stationarity.

They are never checked, always assumed, and every report lists them.
"""

from __future__ import annotations

from sympy import Basic, Indexed, IndexedBase, Symbol
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError, claims
from derive.check.verdict import Verdict
from derive.latex.notation import FunctionalDerivative
from derive.latex.relations import ANY


def _defines(lhs: Basic) -> Basic | None:
    """What a left side names: a symbol, a function or an indexed base; else None."""
    if isinstance(lhs, Symbol):
        return lhs
    if isinstance(lhs, AppliedUndef):
        return lhs.func
    if isinstance(lhs, Indexed):
        return lhs.base
    return None


def _mentions(expr: Basic, name: Basic) -> bool:
    if isinstance(name, Symbol):
        return name in expr.free_symbols
    if isinstance(name, IndexedBase):
        return any(i.base == name for i in expr.atoms(Indexed))
    return any(f.func == name for f in expr.atoms(AppliedUndef))


@claims(*ANY)
def definition(ctx: LinkContext) -> Verdict:
    """A definition introduces notation: it is assumed, unless it defines a name by
    itself (``x = x + 1``) or defines again a name an earlier definition gave a value,
    either of which would let anything be derived."""
    name = _defines(ctx.claim.lhs) if ctx.index == 0 else None
    if name is None:
        return Verdict.assumed("definition")
    if _mentions(ctx.claim.rhs, name):
        raise RuleError(f"a circular definition: {ctx.math(ctx.claim.lhs)} is defined "
                        "in terms of itself (state it as 'given' if it is an equation "
                        "that holds)")
    for tag, step in ctx.steps.items():
        if step.justifications[0].rule == "definition" and step.formula.links and \
                _defines(step.formula.links[0].lhs) == name:
            raise RuleError(f"{ctx.math(ctx.claim.lhs)} is already defined in ({tag})")
    return Verdict.assumed("definition")


@claims(*ANY)
def given(ctx: LinkContext) -> Verdict:
    """A modelling assumption or hypothesis of the article."""
    return Verdict.assumed("given")


@claims(*ANY)
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
