"""Is ``a = b``? Cheap canonical forms first, then ``simplify``, then the
independent numeric check, which alone may call a claim false.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    sample: dict = field(default_factory=dict)   # the numeric check's record, if it ran

    @property
    def proved(self) -> bool:
        return self.status is Status.PROVED


#: Cheap symbolic attempts; each maps a difference to a (hopefully) zero.
CHEAP_STEPS = (
    ("expand", lambda d: sympy.expand(d)),
    ("sum_simplify", lambda d: sum_simplify(sympy.expand(d))),
)


def opaque(expr: Basic) -> bool:
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


def _outermost_opaque(expr: Basic):
    """The argmins, problems and functional derivatives of ``expr``, outermost only."""
    if isinstance(expr, (_Operator, FunctionalDerivative)):
        yield expr
        return
    for arg in expr.args:
        yield from _outermost_opaque(arg)


def _abstract(a: Basic, b: Basic):
    """Replace each opaque term by an unknown real value, the same one for terms that
    are equivalent; return both sides and the map from unknowns back to terms."""
    mapping: dict[Basic, Basic] = {}
    back: dict[Basic, Basic] = {}
    for term in [*_outermost_opaque(a), *_outermost_opaque(b)]:
        if term in mapping:
            continue
        for unknown, representative in back.items():
            if type(representative) is type(term) and equivalent(representative, term).proved:
                mapping[term] = unknown
                break
        else:
            unknown = sympy.Dummy("X", real=True)
            mapping[term] = unknown
            back[unknown] = term
    return a.xreplace(mapping), b.xreplace(mapping), back


def _same_operator(a: Basic, b: Basic, samples: int) -> Outcome:
    """argmin_v A = argmin_w B when B with w renamed to v equals A (v bound)."""
    body = b.body
    if a.variable != b.variable:
        if a.variable in b.body.free_symbols:
            return Outcome(Status.FAILED, note="the two optimise over different variables")
        body = body.xreplace({b.variable: a.variable})
    return equivalent(a.body, body, samples)


def equivalent(a: Basic, b: Basic, samples: int = 6) -> Outcome:
    """Decide ``a = b`` under the assumptions carried by the symbols.

    Cheap canonical forms; then the numeric check, which alone can refute; then
    ``simplify`` for a proof of what the numbers support. An argmin or a functional
    derivative has no numeric value: equal ones are compared by their bodies, and
    otherwise each counts as an unknown value, so that ``-X = X`` fails at X = 1.
    """
    if isinstance(a, _Operator) and type(a) is type(b):
        return _same_operator(a, b, samples)
    shown, method, residual = symbolic_difference(a, b, thorough=False)
    if shown:
        return Outcome(Status.PROVED, method)
    if opaque(a) or opaque(b):
        a, b, back = _abstract(a, b)
        outcome = equivalent(a, b, samples)
        residual = outcome.residual.xreplace(back) if outcome.residual is not None else None
        disagreement = outcome.disagreement
        if disagreement is not None:
            disagreement = type(disagreement)(
                tuple((back.get(k, k), v) for k, v in disagreement.point),
                disagreement.left, disagreement.right)
        note = outcome.note or "argmins and functional derivatives taken as unknown values"
        return Outcome(outcome.status, outcome.method, residual, disagreement, note,
                       outcome.sample)
    result = compare(a, b, samples=samples)
    if result.agree is False:
        return Outcome(Status.FAILED, "numeric", residual, result.disagreement,
                       sample=result.sample)
    if result.undefined:     # a divergent integral or series is no value: the claim fails
        return Outcome(Status.FAILED, "numeric", residual, note=result.undefined,
                       sample=result.sample)
    shown, method, simplified = symbolic_difference(a, b)
    if shown:
        return Outcome(Status.PROVED, method, sample=result.sample)
    if result.agree:
        digits = result.sample.get("digits", 30)
        return Outcome(Status.NUMERIC, f"numeric ({result.points} points, {digits} digits)",
                       simplified, sample=result.sample)
    return Outcome(Status.UNDECIDED, residual=simplified, note=result.note,
                   sample=result.sample)
