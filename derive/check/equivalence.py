"""Is ``a = b``? Cheap canonical forms first, then ``simplify``, then the
independent numeric check, which alone may call a claim false.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Basic
from sympy.simplify.simplify import sum_simplify

from derive.check.numeric import Disagreement, compare
from derive.check.verdict import Status
from derive.latex.notation import FunctionalDerivative, _Operator, expand_notation


@dataclass(frozen=True)
class Outcome:
    """What the equivalence check found, before a rule turns it into a verdict."""

    status: Status
    method: str = ""
    residual: Basic | None = None
    disagreement: Disagreement | None = None
    note: str = ""

    @property
    def proved(self) -> bool:
        return self.status is Status.PROVED


#: Cheap symbolic attempts; each maps a difference to a (hopefully) zero.
CHEAP_STEPS = (
    ("expand", lambda d: sympy.expand(d)),
    ("sum_simplify", lambda d: sum_simplify(sympy.expand(d))),
)


def _opaque(expr: Basic) -> bool:
    """Whether the expression holds notation that has no numeric value."""
    return expr.has(FunctionalDerivative) or any(isinstance(e, _Operator)
                                                 for e in sympy.preorder_traversal(expr))


def symbolic_difference(a: Basic, b: Basic, thorough: bool = True) -> tuple[bool, str, Basic]:
    """Try to show ``a - b == 0``; return (shown, method, last form of the difference).

    The cheap canonical forms come first; ``simplify`` only when ``thorough``.
    """
    a, b = expand_notation(a), expand_notation(b)
    if a == b:
        return True, "identical", sympy.S.Zero
    difference = a - b
    last = difference
    steps = CHEAP_STEPS + ((("simplify", sympy.simplify),) if thorough else ())
    for name, step in steps:
        last = step(difference)
        if last == 0:
            return True, name, last
    return False, "", last


def equivalent(a: Basic, b: Basic, samples: int = 6) -> Outcome:
    """Decide ``a = b`` under the assumptions carried by the symbols.

    Cheap canonical forms; then the numeric check, which alone can refute; then
    ``simplify`` for a proof of what the numbers support.
    """
    if isinstance(a, _Operator) and type(a) is type(b):
        if a.variable != b.variable:
            return Outcome(Status.FAILED, note=f"optimised over {a.variable} and {b.variable}")
        return equivalent(a.body, b.body, samples)
    shown, method, residual = symbolic_difference(a, b, thorough=False)
    if shown:
        return Outcome(Status.PROVED, method)
    if _opaque(a) or _opaque(b):
        shown, method, residual = symbolic_difference(a, b)
        if shown:
            return Outcome(Status.PROVED, method)
        return Outcome(Status.UNDECIDED, residual=residual,
                       note="the two sides differ in form and cannot be evaluated numerically")
    result = compare(a, b, samples=samples)
    if result.agree is False:
        return Outcome(Status.FAILED, "numeric", residual, result.disagreement)
    shown, method, simplified = symbolic_difference(a, b)
    if shown:
        return Outcome(Status.PROVED, method)
    if result.agree:
        return Outcome(Status.NUMERIC, f"numeric ({result.points} points, 30 digits)",
                       simplified)
    return Outcome(Status.UNDECIDED, residual=simplified, note=result.note)
