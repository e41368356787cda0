"""Steps taken on trust: definitions, givens, cited theorems, stationarity.

They are assumed, and every report lists them; only what would let anything be
derived is refused: a statement the declarations refute, a circular or repeated
definition.
"""

from __future__ import annotations

from sympy import Basic, Indexed, IndexedBase, MatrixSymbol, Symbol, ZeroMatrix
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError, claims
from derive.check.definedness import undefined_reason
from derive.check.equivalence import opaque, sign_of
from derive.check.verdict import Verdict
from derive.latex.matrices import GradientOf, has_matrix
from derive.latex.notation import FunctionalDerivative
from derive.latex.relations import ANY, DECIDABLE, EQ


def _defines(lhs: Basic) -> Basic | None:
    """What a left side names: a symbol, a function or an indexed base; else None."""
    if isinstance(lhs, (Symbol, MatrixSymbol)):
        return lhs
    if isinstance(lhs, AppliedUndef):
        return lhs.func
    if isinstance(lhs, Indexed):
        return lhs.base
    return None


def _mentions(expr: Basic, name: Basic) -> bool:
    if isinstance(name, (Symbol, MatrixSymbol)):
        return name in expr.free_symbols
    if isinstance(name, IndexedBase):
        return any(i.base == name for i in expr.atoms(Indexed))
    return any(f.func == name for f in expr.atoms(AppliedUndef))


def _contradiction(ctx: LinkContext) -> None:
    """Refuse an assumption the declarations already refute (``x = -1`` with x > 0,
    ``I = 2`` with the constant I = 1): from it anything would follow. Only SymPy's
    assumptions decide this, never sample points."""
    claim = ctx.claim
    op = claim.op.symbol
    if op not in DECIDABLE or opaque(claim.lhs) or opaque(claim.rhs):
        return
    if has_matrix(claim.lhs) or has_matrix(claim.rhs):
        return      # SymPy's assumptions decide no sign of a matrix expression
    for side in (claim.lhs, claim.rhs):
        reason = undefined_reason(side)
        if reason:
            raise RuleError(f"it states something of a value that is not a number: {reason}")
    difference = claim.lhs - claim.rhs
    holds = (difference.is_zero if op == EQ else sign_of(op, difference))
    if holds is False:
        raise RuleError(f"it contradicts the declarations: the relation '{op}' cannot "
                        "hold for any value they allow")


def _definitions(ctx: LinkContext) -> dict:
    """The names earlier definitions define, each with its tag and right side."""
    found = {}
    for tag, step in ctx.steps.items():
        if step.justifications[0].rule == "definition" and step.formula.links:
            first = step.formula.links[0]
            name = _defines(first.lhs)
            if name is not None and name not in found:
                found[name] = (tag, first.rhs)
    return found


def _cycle(name: Basic, rhs: Basic, earlier: dict) -> str | None:
    """The tag of an earlier definition through which ``name`` depends on itself."""
    todo, seen = [(other, tag) for other, (tag, _) in earlier.items()
                  if _mentions(rhs, other)], set()
    while todo:
        other, tag = todo.pop()
        if other in seen:
            continue
        seen.add(other)
        body = earlier[other][1]
        if _mentions(body, name):
            return tag
        todo += [(more, tag) for more in earlier if _mentions(body, more)]
    return None


@claims(*ANY)
def definition(ctx: LinkContext) -> Verdict:
    """A definition introduces notation: it is assumed, unless it defines a name by
    itself (``x = x + 1``, directly or through earlier definitions), defines again a
    name an earlier definition gave a value, or contradicts the declarations: from
    any of these anything could be derived."""
    _contradiction(ctx)
    name = _defines(ctx.claim.lhs) if ctx.index == 0 else None
    if name is None:
        return Verdict.assumed("definition")
    if _mentions(ctx.claim.rhs, name):
        raise RuleError(f"a circular definition: {ctx.math(ctx.claim.lhs)} is defined "
                        "in terms of itself (state it as 'given' if it is an equation "
                        "that holds)")
    earlier = _definitions(ctx)
    if name in earlier:
        raise RuleError(f"{ctx.math(ctx.claim.lhs)} is already defined in "
                        f"({earlier[name][0]})")
    through = _cycle(name, ctx.claim.rhs, earlier)
    if through is not None:
        raise RuleError(f"a circular definition: {ctx.math(ctx.claim.lhs)} is defined "
                        f"in terms of itself through ({through})")
    return Verdict.assumed("definition")


@claims(*ANY)
def given(ctx: LinkContext) -> Verdict:
    """A modelling assumption or hypothesis of the article, unless the declarations
    refute it."""
    _contradiction(ctx)
    return Verdict.assumed("given")


@claims(*ANY)
def cite(ctx: LinkContext) -> Verdict:
    """A result quoted from elsewhere, named in the justification's words."""
    if not ctx.justification.words:
        raise RuleError("cite needs the name of the theorem, e.g. 'cite the central limit "
                        "theorem'")
    _contradiction(ctx)
    return Verdict.assumed(f"cited: {ctx.justification.words}")


def stationary(ctx: LinkContext) -> Verdict:
    """At an extremum the first variation (or derivative) vanishes: ``... = 0``."""
    claim = ctx.claim
    start = ctx.chain_terms[0] if ctx.chain_terms else claim.lhs
    if claim.rhs != 0 and not isinstance(claim.rhs, ZeroMatrix):
        raise RuleError("stationarity sets a derivative to zero: the link must end in '= 0'")
    if not (start.has(FunctionalDerivative) or start.is_Derivative
            or isinstance(start, GradientOf)):
        raise RuleError("stationarity applies to a chain that starts with a derivative "
                        "such as \\frac{\\delta L}{\\delta p(x)}")
    return Verdict.assumed("stationarity: the first variation vanishes at an extremum")


RULES = {
    "definition": definition,
    "given": given,
    "cite": cite,
    "stationary": stationary,
}
