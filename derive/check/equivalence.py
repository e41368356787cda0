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


#: Symbolic attempts, cheapest first; each maps a difference to a (hopefully) zero.
SYMBOLIC_STEPS = (
    ("expand", lambda d: sympy.expand(d)),
    ("sum_simplify", lambda d: sum_simplify(sympy.expand(d))),
    ("simplify", lambda d: sympy.simplify(d)),
)


def _opaque(expr: Basic) -> bool:
    """Whether the expression holds notation that has no numeric value."""
    return expr.has(FunctionalDerivative) or any(isinstance(e, _Operator)
                                                 for e in sympy.preorder_traversal(expr))


def symbolic_difference(a: Basic, b: Basic) -> tuple[bool, str, Basic]:
    """Try to show ``a - b == 0``; return (shown, method, last form of the difference)."""
    a, b = expand_notation(a), expand_notation(b)
    if a == b:
        return True, "identical", sympy.S.Zero
    difference = a - b
    last = difference
    for name, step in SYMBOLIC_STEPS:
        last = step(difference)
        if last == 0:
            return True, name, last
    return False, "", last


def equivalent(a: Basic, b: Basic, samples: int = 6) -> Outcome:
    """Decide ``a = b`` under the assumptions carried by the symbols."""
    if isinstance(a, _Operator) and type(a) is type(b):
        if a.variable != b.variable:
            return Outcome(Status.FAILED, note=f"optimised over {a.variable} and {b.variable}")
        inner = equivalent(a.body, b.body, samples)
        return Outcome(inner.status, inner.method, inner.residual, inner.disagreement,
                       inner.note)
    shown, method, residual = symbolic_difference(a, b)
    if shown:
        return Outcome(Status.PROVED, method)
    if _opaque(a) or _opaque(b):
        return Outcome(Status.UNDECIDED, residual=residual,
                       note="the two sides differ in form and cannot be evaluated numerically")
    result = compare(a, b, samples=samples)
    if result.agree is False:
        return Outcome(Status.FAILED, "numeric", residual, result.disagreement)
    if result.agree:
        return Outcome(Status.NUMERIC, f"numeric ({result.points} points, {30} digits)", residual)
    return Outcome(Status.UNDECIDED, residual=residual, note=result.note)
