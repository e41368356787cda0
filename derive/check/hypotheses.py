"""Conditions of a solution that a stated hypothesis or a declared domain implies.

``n / \\hat{\\lambda} = \\sum_i X_i`` has the one solution ``\\sum_i X_i / n`` only if that
sum is not zero; a given ``\\sum_i X_i > 0`` cited beside it says so, and so does a
declared domain ``0 < m < N`` for ``m / N``. A condition is discharged only when SymPy
shows it from the hypothesis (the condition's expression is a positive multiple of the
hypothesis's) or from the domain (the condition holds at every point of it).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Basic, S

from derive.check.domains import current
from derive.latex.relations import GE, GT, LE, LT, NE

#: The sign a hypothesis ``lhs op rhs`` gives ``lhs - rhs``.
_SIGNS = {GT: "positive", LT: "negative", GE: "nonnegative", LE: "nonpositive",
          NE: "nonzero"}


#: The sign of ``-e`` for each sign of ``e``.
_FLIPPED = {"positive": "negative", "negative": "positive", "nonnegative": "nonpositive",
            "nonpositive": "nonnegative", "nonzero": "nonzero"}


@dataclass(frozen=True)
class Hypothesis:
    """A stated relation ``lhs op rhs``, read as the sign of ``lhs - rhs``."""

    difference: Basic
    sign: str
    text: str            # as LaTeX, for the verdict's assumptions


def hypothesis(lhs: Basic, op: str, rhs: Basic, text: str) -> Hypothesis | None:
    """The hypothesis a relation states, or None for one that gives no sign (``=``)."""
    sign = _SIGNS.get(op)
    return None if sign is None else Hypothesis(lhs - rhs, sign, text)


def _signs(expr: Basic, hypotheses) -> set[str]:
    """What SymPy shows of the sign of ``expr``: from the declarations and domains, or
    as a positive multiple of a hypothesis's difference (then with its sign)."""
    point = current().reparametrised(expr)
    found = {word for form in (point, sympy.together(point))
             for word in ("positive", "negative", "nonzero", "nonnegative", "nonpositive")
             if getattr(form, f"is_{word}") is True}
    for hypothesis_ in hypotheses:
        ratio = current().reparametrised(sympy.simplify(expr / hypothesis_.difference))
        if hypothesis_.sign in ("nonnegative", "nonpositive") and not ratio.is_number:
            continue   # where the difference is 0 the ratio says nothing
        if ratio.is_positive is True:
            sign = hypothesis_.sign
        elif ratio.is_negative is True:
            sign = _FLIPPED[hypothesis_.sign]
        else:
            continue
        found.add(sign)
        if sign in ("positive", "negative"):
            found.add("nonzero")
        if sign == "positive":
            found.add("nonnegative")
    return found


def holds(condition: Basic, hypotheses) -> bool:
    """Whether ``condition`` (``e \\neq 0``, ``p \\in (a, b)``, ``p \\notin \\{v\\}``) follows
    from the declarations, the domains and the hypotheses."""
    if isinstance(condition, sympy.Ne):
        return "nonzero" in _signs(condition.lhs - condition.rhs, hypotheses)
    if isinstance(condition, sympy.Not) and isinstance(condition.args[0], sympy.Contains):
        point, within = condition.args[0].args
        return isinstance(within, sympy.FiniteSet) and all(
            holds(sympy.Ne(point, value), hypotheses) for value in within.args)
    if isinstance(condition, sympy.Contains):
        point, within = condition.args
        if not isinstance(within, sympy.Interval):
            return False
        return (_beyond(point - within.start, within.left_open, hypotheses)
                and _beyond(within.end - point, within.right_open, hypotheses))
    return False


def _beyond(difference: Basic, strict: bool, hypotheses) -> bool:
    """Whether ``difference`` is shown positive (``strict``) or nonnegative."""
    if difference.has(S.Infinity) or difference.has(S.NegativeInfinity):
        return True   # an end at infinity bounds nothing on that side
    signs = _signs(difference, hypotheses)
    return "positive" in signs or (not strict and "nonnegative" in signs)
