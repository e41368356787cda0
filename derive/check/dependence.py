"""What a definition's body depends on besides its written parameters.

``E(w) = y`` with ``y = w^2`` defines ``E(w) = w^2``: the body reaches w through y, so
``E(v)`` is ``v^2``, never ``y``. Before a definition is put in at other arguments its
body is closed over the abbreviations cited beside it, and every parameter the body may
still reach through another symbol (one tied to it by an earlier step) is marked: the
definition is then not instantiated at other values of that parameter. A given that
merely relates constants (``\\omega^2 x = -x''`` at a point) defines nothing; a bare name
on the left of any earlier equation (``a = -k x / m``) is defined by its right side.
"""

from __future__ import annotations

from dataclasses import replace

from sympy import Basic, Symbol
from sympy.core.function import AppliedUndef

from derive.check.patterns import pattern_variables
from derive.check.transforms import Rewrite, definition_parameters, substitute

#: How many times a body is closed over the abbreviations: enough for a chain of them.
_MOST_ROUNDS = 8


def parameters(rule: Rewrite) -> frozenset:
    """The symbols a premise's left side takes as arguments for every value: ``w`` of
    ``E(w)``, ``k`` of ``q_k``, ``x`` of ``\\log p(x)``."""
    written = definition_parameters(rule.lhs)
    if written is not None:
        return frozenset(p for p in written if rule.holds_for_every(p))
    return pattern_variables(rule.lhs, rule.holds_for_every)


def _is_abbreviation(rule: Rewrite) -> bool:
    """``y = w^2``, ``y_n = \\sigma(a_n)`` or ``f(x) = x^2`` stated for every value: a
    name for an expression, which a body may use for it."""
    return not rule.particular and (isinstance(rule.lhs, Symbol)
                                    or definition_parameters(rule.lhs) is not None)


def closed(rule: Rewrite, cited) -> Rewrite:
    """``rule`` with the abbreviations among ``cited`` put into its body, so that the
    body shows its parameters wherever it reaches them through those names."""
    abbreviations = [r for r in cited if _is_abbreviation(r) and r is not rule
                     and r.lhs not in parameters(rule) and r.lhs != rule.lhs]
    body = rule.rhs
    for _ in range(_MOST_ROUNDS):
        following = substitute(body, abbreviations)
        if following == body:
            break
        body = following
    return replace(rule, rhs=body)


def _keys(expr: Basic) -> set:
    """What an expression depends on by name: its free symbols and the functions it
    applies (a function's own definition may reach further)."""
    return set(expr.free_symbols) | {a.func for a in expr.atoms(AppliedUndef)}


def _named(side: Basic) -> set | None:
    """What a side names when it is a bare name (``y``, ``y_n``, ``g(u)``), which the
    other side then defines; None for a compound side."""
    if isinstance(side, Symbol):
        return {side}
    if definition_parameters(side) is None:
        return None
    if isinstance(side, AppliedUndef):
        return {side.func}
    return {side, side.base.label, side.base}


def edges(relations, universal: frozenset, defining: bool) -> list[tuple[set, set]]:
    """What an earlier step defines, and through what: ``y = w^2`` makes y depend on w.

    A left side that is a bare name (``a = -k x / m``, however the step is justified)
    depends on the right side; in a definition a compound left side (``\\omega^2 = k /
    m``) does too. A name on the right (``R \\dot q + q / C = \\mathcal{E}``) is not
    defined there. ``universal`` are the symbols the step holds for every value of (a
    definition's parameters, a given's 'for all'): they tie nothing."""
    found = []
    for relation in relations:
        if not relation.is_equality:
            continue
        left, right = (_keys(side) - universal for side in (relation.lhs, relation.rhs))
        named = _named(relation.lhs)
        if named is not None:
            found.append((named, right - named))
        elif defining:
            found.append((left, right - left))
    return found


def names_something(relations) -> bool:
    """Whether an equation among ``relations`` has a bare name on its left, so that a
    definition's body may depend on what it defines (the rules must then see it)."""
    return any(r.is_equality and _named(r.lhs) is not None for r in relations)


def universal_parameters(relation, particular: frozenset) -> frozenset:
    """The parameters of a step's defining relation that it holds for every value of:
    the x of ``p(x) = ...``, bound in every link of that step."""
    written = definition_parameters(relation.lhs)
    return frozenset(p for p in (written or ()) if p not in particular)


def tied(rule: Rewrite, definitions) -> frozenset:
    """The parameters of ``rule`` its body may reach through another name: one that an
    earlier step defines (directly or through a chain of definitions) in terms of the
    parameter. ``definitions`` are the :func:`edges` of the earlier steps."""
    own = parameters(rule)
    if not own:
        return frozenset()
    reached = _keys(rule.rhs) - own
    found: set = set()
    grown = True
    while grown:
        grown = False
        for named, depends in definitions:
            if named & reached:
                found |= depends & own
                if (depends - own) - reached:
                    reached |= depends - own
                    grown = True
    return frozenset(found)


def accounted(rule: Rewrite, cited, definitions) -> Rewrite:
    """``rule`` closed over the cited abbreviations, with the parameters its body still
    reaches through other names marked ``tied`` (``definitions`` as for :func:`tied`)."""
    if not parameters(rule):
        return rule
    rule = closed(rule, cited)
    return replace(rule, tied=tied(rule, definitions))
