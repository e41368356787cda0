"""What each relation symbol means: which ones have a truth value a check can decide,
how they flip with their sides, and what a chain concludes by transitivity.

A rule built for ``=`` must never judge ``<`` or ``\\neq``: every rule declares the
relations it decides (``derive.check.context.claims``) from these names.
"""

from __future__ import annotations

EQ = "="
NE = r"\neq"
LT, GT, LE, GE = "<", ">", r"\le", r"\ge"

#: Relations with a definite truth value that a symbolic or numeric check decides.
DECIDABLE = frozenset({EQ, NE, LT, GT, LE, GE})

#: Every relation the grammar reads, including those no rule decides
#: (``\approx``, ``\sim``, ``\to``): only assumed rules accept them.
ANY = frozenset(DECIDABLE | {r"\approx", r"\sim", r"\to", r"\mapsto", ":"})

#: How each relation reads with its sides swapped.
FLIPPED = {EQ: EQ, NE: NE, LT: GT, GT: LT, LE: GE, GE: LE}

#: How each relation is said in words, for reasons.
WORDS = {EQ: "an equation", NE: "an inequation", LT: "a strict inequality",
         GT: "a strict inequality", LE: "an inequality", GE: "an inequality",
         r"\approx": "an approximation", r"\sim": "a statement about a distribution",
         r"\to": "a limit", r"\mapsto": "a map", ":": "a description"}


def compose(first: str, second: str) -> str | None:
    """The relation ``a R b S c`` gives between a and c, or None when nothing follows.

    ``=`` composes with anything; ``<`` with ``\\le`` gives ``<``; opposite directions,
    ``\\neq``, ``\\approx``, ``\\sim`` and ``\\to`` give nothing (``a \\neq b \\neq a``).
    """
    if first == EQ and second in DECIDABLE:
        return second
    if second == EQ and first in DECIDABLE:
        return first
    for strict, weak in ((LT, LE), (GT, GE)):
        if {first, second} <= {strict, weak}:
            return weak if first == second == weak else strict
    return None


def holds_numerically(op: str) -> str:
    """The comparison operator name the numeric check uses for ``op``."""
    return {EQ: "=", NE: "!=", LT: "<", GT: ">", LE: "<=", GE: ">="}[op]
