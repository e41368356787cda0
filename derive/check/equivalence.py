"""Is ``a = b``? Cheap canonical forms first, then ``simplify``, then the
independent numeric check, which alone may call a claim false.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy
from sympy import Basic
from sympy.simplify.simplify import sum_simplify

from derive.check import afterwards
from derive.check.definedness import (DIVERGES, NUMERIC, PRESUMED, UNKNOWN, convergence,
                                      improper_terms, undefined_reason)
from derive.check import matrices
from derive.check.domains import current
from derive.check.integrals import integral_form
from derive.check.numeric import Disagreement, compare
from derive.check.verdict import Status
from derive.latex.printer import latex
from derive.latex.relations import EQ, GE, GT, LE, LT, NE, holds_numerically
from derive.latex.notation import (UNVALUED, Expectation, IndexedSet, Variance, _Operator,
                                   depends, expand_notation)


@dataclass(frozen=True)
class Outcome:
    """What the equivalence check found, before a rule turns it into a verdict."""

    status: Status
    method: str = ""
    residual: Basic | None = None
    disagreement: Disagreement | None = None
    note: str = ""
    presumed: tuple[Basic, ...] = ()   # integrals presumed to converge (of declared functions)
    sample: dict = field(default_factory=dict)   # the numeric check's record, if it ran
    domains: tuple[Basic, ...] = ()    # symbols whose declared domains a proof used

    @property
    def proved(self) -> bool:
        return self.status is Status.PROVED


#: Cheap symbolic attempts; each maps a difference to a (hopefully) zero.
CHEAP_STEPS = (
    ("expand", lambda d: sympy.expand(d)),
    ("linearity of integrals", integral_form),
    ("sum_simplify", lambda d: sum_simplify(sympy.expand(d))),
)


def opaque(expr: Basic) -> bool:
    """Whether the expression holds notation that has no numeric value."""
    return any(isinstance(e, UNVALUED) for e in sympy.preorder_traversal(expr))


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
    """The argmins, problems, functional derivatives and undetermined expectations of
    ``expr``, outermost only."""
    if isinstance(expr, UNVALUED):
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
            if type(representative) is type(term) and _same_term(representative, term):
                mapping[term] = unknown
                break
        else:
            unknown = sympy.Dummy("X", real=True)
            mapping[term] = unknown
            back[unknown] = term
    return a.xreplace(mapping), b.xreplace(mapping), back


def _same_term(a: Basic, b: Basic) -> bool:
    """Whether two opaque terms of one kind are the same value: an expectation (or a
    variance) of equivalent bodies, or operators that :func:`equivalent` shows equal."""
    if isinstance(a, (Expectation, Variance)):
        return equivalent(a.args[0], b.args[0]).proved
    if isinstance(a, IndexedSet):   # notation only: the same set as written, or unknown
        return a == b
    return equivalent(a, b).proved


def _same_operator(a: Basic, b: Basic, samples: int) -> Outcome:
    """argmin_v A = argmin_w B when B with w renamed to v equals A (v bound)."""
    body = b.body
    if a.variable != b.variable:
        if a.variable in b.body.free_symbols:
            return Outcome(Status.FAILED, note="the two optimise over different variables")
        body = body.xreplace({b.variable: a.variable})
    return equivalent(a.body, body, samples)



def constant_derivatives(expr: Basic) -> list[sympy.Derivative]:
    r"""The derivatives in ``expr`` of something that does not depend on the variable,
    such as ``\frac{\partial L}{\partial x}`` with L a declared symbol: SymPy takes them
    as 0, a reader as the derivative of a quantity defined elsewhere."""
    return [d for d in sorted(expr.atoms(sympy.Derivative), key=sympy.default_sort_key)
            if not d.expr.is_number and not all(depends(d.expr, v) for v in d.variables)]


def defined(a: Basic, b: Basic) -> Outcome | None:
    """An outcome when either side is not shown to be a number: failed when it is
    undefined or diverges, undecided when its convergence is unknown or it holds the
    derivative of something that does not depend on the variable; None otherwise,
    with :func:`_evidence` left to weigh the integrals that converge."""
    if matrices.has_matrix(a) or matrices.has_matrix(b):
        return None     # sums and products of matrices: no integral, nothing diverges
    for side, name in ((a, "left"), (b, "right")):
        reason = undefined_reason(side)
        if reason:
            return Outcome(Status.FAILED, note=f"the {name} side is not a number: {reason}")
    for term in constant_derivatives(a) + constant_derivatives(b):
        return Outcome(Status.UNDECIDED, note=f"in the derivative ${_tex(term)}$, nothing "
                       "depends on the variable, so SymPy takes it as 0 while a reader takes "
                       "it as depending on it: substitute the premise that defines it "
                       "(differentiate (n)), or declare a function under [functions]")
    for term in improper_terms(a) + improper_terms(b):
        found = convergence(term)
        if found.status == DIVERGES:
            return Outcome(Status.FAILED, note=f"the {_kind(term)} ${_tex(term)}$ diverges"
                           + (f" ({found.note})" if found.note not in ("", "it diverges")
                              else ""))
        if found.status == UNKNOWN:
            return Outcome(Status.UNDECIDED, note=f"the {_kind(term)} ${_tex(term)}$ may "
                           f"diverge: {found.note}")
    return None


def _evidence(a: Basic, b: Basic) -> tuple[bool, tuple[Basic, ...]]:
    """Whether every improper term's convergence is only numeric evidence, and the
    terms presumed to converge."""
    numeric_only, presumed = False, []
    for term in improper_terms(a) + improper_terms(b):
        found = convergence(term)
        numeric_only |= found.status == NUMERIC
        if found.status == PRESUMED and term not in presumed:
            presumed.append(term)
    return numeric_only, tuple(presumed)


def _kind(term: Basic) -> str:
    if isinstance(term, sympy.Limit):
        return "limit"
    return "integral" if isinstance(term, sympy.Integral) else "series"


def _tex(term: Basic) -> str:
    return latex(term)


def equivalent(a: Basic, b: Basic, samples: int = 6) -> Outcome:
    """Decide ``a = b`` under the assumptions carried by the symbols.

    Neither side may be undefined, and every integral or infinite sum written out
    must converge (``\\infty = \\infty`` is never an identity). Then cheap canonical
    forms; the numeric check, which alone can refute; ``simplify`` for a proof of
    what the numbers support. An argmin or a functional derivative has no numeric
    value: equal ones are compared by their bodies, and otherwise each counts as an
    unknown value, so that ``-X = X`` fails at X = 1. Rules that follow after ';'
    (``expand_log``) rewrite both sides when they are not shown equal as written.
    """
    outcome = _equivalent_as_written(a, b, samples)
    names = afterwards.active()
    if not names or outcome.status in (Status.PROVED, Status.FAILED):
        return outcome
    if afterwards.evaluates() and outcome.status is not Status.NUMERIC:
        return outcome   # SymPy's evaluation is taken only beside numbers that agree
    left, right = afterwards.rewritten(a), afterwards.rewritten(b)
    if (left, right) == (a, b):
        return outcome
    with afterwards.following(()):
        then = _equivalent_as_written(left, right, samples)
    if then.status is Status.PROVED:
        return replace(then, method=f"{then.method}, after {', '.join(names)}")
    return outcome


def _equivalent_as_written(a: Basic, b: Basic, samples: int) -> Outcome:
    """:func:`equivalent` without the rules that follow after ';'."""
    if matrices.has_matrix(a) or matrices.has_matrix(b):
        return matrices.equivalent(a, b)
    if isinstance(a, _Operator) and type(a) is type(b):
        return _same_operator(a, b, samples)
    undefined = defined(expand_notation(a), expand_notation(b))
    if undefined is not None:
        return undefined
    numeric_only, presumed = _evidence(a, b)
    outcome = _equivalent(a, b, samples)
    if numeric_only and outcome.status is Status.PROVED:
        outcome = Outcome(Status.NUMERIC, outcome.method + "; convergence shown numerically",
                          outcome.residual, outcome.disagreement, outcome.note,
                          sample=outcome.sample)
    if presumed and outcome.status in (Status.PROVED, Status.NUMERIC):
        outcome = Outcome(outcome.status, outcome.method, outcome.residual,
                          outcome.disagreement, outcome.note, presumed, outcome.sample)
    return outcome


def _confirmed(a: Basic, b: Basic, method: str, samples: int) -> Outcome:
    """A symbolic proof stands only if the numeric values do not contradict it: a bug
    in SymPy's canonical forms (sums, integrals) must never become a proof."""
    if method == "identical" or opaque(a) or opaque(b):
        return Outcome(Status.PROVED, method)
    result = compare(a, b, samples=samples)
    if result.agree is False:
        return Outcome(Status.FAILED, "numeric", disagreement=result.disagreement,
                       note=f"SymPy's {method} makes the sides equal, but their numeric "
                            "values differ", sample=result.sample)
    if result.undefined:
        return Outcome(Status.FAILED, "numeric", note=result.undefined, sample=result.sample)
    return Outcome(Status.PROVED, method, sample=result.sample)


def _equivalent(a: Basic, b: Basic, samples: int) -> Outcome:
    shown, method, residual = symbolic_difference(a, b, thorough=False)
    if shown:
        return _confirmed(a, b, method, samples)
    if opaque(a) or opaque(b):
        a, b, back = _abstract(a, b)
        outcome = equivalent(a, b, samples)
        residual = outcome.residual.xreplace(back) if outcome.residual is not None else None
        disagreement = outcome.disagreement
        if disagreement is not None:
            disagreement = type(disagreement)(
                tuple((back.get(k, k), v) for k, v in disagreement.point),
                disagreement.left, disagreement.right)
        note = outcome.note or ("argmins, functional derivatives and expectations under an "
                                "unnamed law taken as unknown values")
        return Outcome(outcome.status, outcome.method, residual, disagreement, note,
                       sample=outcome.sample)
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
    used = _zero_over_domains(expand_notation(a) - expand_notation(b))
    if used:
        return Outcome(Status.PROVED, "over the declared domains", sample=result.sample,
                       domains=used)
    if result.agree:
        digits = result.sample.get("digits", 30)
        return Outcome(Status.NUMERIC, f"numeric ({result.points} points, {digits} digits)",
                       simplified, sample=result.sample)
    return Outcome(Status.UNDECIDED, residual=simplified, note=result.note,
                   sample=result.sample)


def _zero(difference: Basic) -> bool:
    """Whether the canonical forms or ``simplify`` show ``difference`` to be 0."""
    return symbolic_difference(difference, sympy.S.Zero)[0]


def _undefined_value(value: Basic) -> bool:
    return value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)


def _zero_over_domains(difference: Basic) -> tuple[Basic, ...]:
    """The bounded symbols whose declared domains show ``difference`` to be 0: at every
    value of each finite set, and over each interval (through a variable that runs
    over all of it, and at its ends, where a side may have no value); () if they do
    not, or no symbol has a bounded domain."""
    domains = current()
    used = domains.bounded(difference)
    cases = domains.cases(difference)
    if not used or cases is None:
        return ()
    for case in cases:
        value = difference.xreplace(case)
        if not _zero(domains.reparametrised(value)):
            return ()
        for end in domains.ends(value):
            at = value.xreplace(end)
            if not (_undefined_value(at) or _zero(domains.reparametrised(at, end))):
                return ()
    return used


def _sign_over_domains(op: str, difference: Basic) -> tuple[bool | None, tuple]:
    """Whether ``a op b`` holds (True) or fails (False) for every value the declared
    domains allow, by the sign of the difference at each finite-set value and over
    each interval; None when that does not decide it. Also the symbols used."""
    domains = current()
    used = domains.bounded(difference)
    cases = domains.cases(difference)
    if not used or cases is None:
        return None, ()
    signs = set()
    for case in cases:
        form = sympy.simplify(domains.reparametrised(difference.xreplace(case)))
        sign = sign_of(op, form)
        if sign is False:   # it fails at every point of this case: declared values
            return False, used
        signs.add(sign)
    return (True, used) if signs == {True} else (None, ())


#: For each relation, the SymPy property of ``a - b`` that makes it hold, and the one
#: that refutes it.
_SIGNS = {
    LT: ("is_negative", "is_nonnegative"),
    LE: ("is_nonpositive", "is_positive"),
    GT: ("is_positive", "is_nonpositive"),
    GE: ("is_nonnegative", "is_negative"),
}


#: What the declarations show instead, when a relation is refuted by its sign.
_OPPOSITE = {
    LT: "the left side is at least the right", LE: "the left side exceeds the right",
    GT: "the left side is at most the right", GE: "the left side is below the right",
    NE: "the two sides are equal",
}


def sign_of(op: str, difference: Basic) -> bool | None:
    """Whether the assumptions make ``a op b`` hold (True), fail (False) or neither."""
    if op == NE:
        zero = difference.is_zero
        return None if zero is None else not zero
    holds, refutes = _SIGNS[op]
    if getattr(difference, holds) is True:
        return True
    if getattr(difference, refutes) is True:
        return False
    return None


def decide(op: str, a: Basic, b: Basic, samples: int = 6) -> Outcome:
    """Decide ``a op b`` for every relation with a truth value.

    ``=`` is :func:`equivalent`. The others hold for every value of the symbols only
    when SymPy shows the sign of ``a - b`` from the declared assumptions; a sign that
    contradicts, or a sampled point where the relation fails, refutes them. Random
    points that all satisfy an inequality prove nothing (``x^2 > 0`` fails only at 0),
    so an inequality is never "numeric": it is proved, failed or undecided.
    """
    if op == EQ:
        return equivalent(a, b, samples)
    if matrices.has_matrix(a) or matrices.has_matrix(b):
        return Outcome(Status.UNDECIDED, note=f"'{op}' between matrices, or scalars made of "
                       "them, is not decided")
    if op not in _SIGNS and op != NE:
        return Outcome(Status.UNDECIDED, note=f"no check decides '{op}'")
    a, b = expand_notation(a), expand_notation(b)
    undefined = defined(a, b)
    if undefined is not None:
        return undefined
    difference = a - b
    for canonical in (lambda d: d, sympy.expand, sympy.simplify):   # cheapest first
        form = canonical(difference)
        sign = sign_of(op, form)
        if sign is True:
            # SymPy's assumptions showed it; the numbers must not contradict them
            refuted = _refute(op, a, b, samples)
            if refuted is not None:
                return refuted
            numeric_only, presumed = _evidence(a, b)
            if numeric_only:
                return Outcome(Status.UNDECIDED, note="the integrals converge by the "
                               "numeric check only")
            return Outcome(Status.PROVED, "the sign of the difference of the sides",
                           presumed=presumed)
        if sign is False:
            return Outcome(Status.FAILED, "the sign of the difference of the sides",
                           residual=form, note=f"the relation '{op}' does not hold: "
                           f"{_OPPOSITE[op]} for every value the declarations allow")
    sign, used = _sign_over_domains(op, difference)
    if sign is not None:
        refuted = _refute(op, a, b, samples)
        if refuted is not None or sign is False:
            return refuted or Outcome(
                Status.FAILED, "the sign of the difference over the declared domains",
                residual=difference, note=f"the relation '{op}' does not hold over "
                f"the declared domains: {_OPPOSITE[op]} there")
        numeric_only, presumed = _evidence(a, b)
        if not numeric_only:
            return Outcome(Status.PROVED, "the sign of the difference over the declared "
                           "domains", presumed=presumed, domains=used)
    result = _refute(op, a, b, samples)
    if result is not None:
        return result
    return Outcome(Status.UNDECIDED, residual=difference,
                   note="SymPy cannot show the sign of the difference of the sides "
                        "from the declared assumptions, and no sampled point refutes it")


def _refute(op: str, a: Basic, b: Basic, samples: int) -> Outcome | None:
    """A failed outcome when a sampled point breaks ``a op b``."""
    result = compare(a, b, samples=samples, relation=holds_numerically(op))
    if result.agree is False:
        return Outcome(Status.FAILED, "numeric", disagreement=result.disagreement,
                       note=f"the relation '{op}' does not hold there", sample=result.sample)
    if result.undefined:
        return Outcome(Status.FAILED, "numeric", note=result.undefined, sample=result.sample)
    return None
