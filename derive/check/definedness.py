"""Which expressions are numbers at all.

Divergent integrals and sums, ``1/0``, ``\\log 0``, ``\\infty - \\infty`` and reversed
ranges have no value, so no claim about them can be proved: ``\\infty = \\infty`` is not
an identity and two divergent integrals do not cancel. Before an equivalence is
accepted, every integral and infinite sum whose integrand is written out must be shown
to converge: by SymPy's closed form cross-checked by quadrature (proved), or by
quadrature alone (numeric). An integral of a declared function (``\\int p(x) dx``) is
presumed to converge, and the verdict lists that presumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy
from sympy import Basic, Integral, Product, Sum
from sympy.core.function import AppliedUndef

from derive.latex.expectations import Law
from derive.latex.notation import expand_notation
from derive.latex.printer import latex

#: How much a convergence result is worth, strongest first.
SHOWN, NUMERIC, PRESUMED, UNKNOWN, DIVERGES = ("shown", "numeric", "presumed", "unknown",
                                               "diverges")

_UNDEFINED = (sympy.zoo, sympy.nan)
_INFINITE = (sympy.oo, -sympy.oo)


def _values(expr: Basic):
    """The subexpressions that stand for values: everything but the bound variables
    and limits of integrals, sums and products (whose limits may be infinite)."""
    yield expr
    if isinstance(expr, sympy.Limit):   # \lim_{n \to \infty}: the point is no value
        body, _variable, point, _direction = expr.args
        yield from _values(body)
        if point not in _INFINITE:
            yield from _values(point)
        return
    if isinstance(expr, Law):   # x \sim D: its range is a range, like an integral's
        yield from _values(expr.weight)
        return
    if isinstance(expr, (Integral, Sum, Product)):
        yield from _values(expr.function)
        for limit in expr.limits:
            for bound in limit[1:]:
                if bound not in _INFINITE:
                    yield from _values(bound)
        return
    for arg in expr.args:
        yield from _values(arg)


def undefined_reason(expr: Basic) -> str | None:
    """Why ``expr`` is not a number (division by zero, an infinite value, a reversed
    range), or None when nothing shows it undefined."""
    if not isinstance(expr, Basic):
        return None
    for part in _values(expr):
        if part in _UNDEFINED or part is sympy.S.ComplexInfinity:
            return "it contains an undefined value (a division by zero or the logarithm " \
                   "of zero)"
        if part in _INFINITE:
            return r"$\infty$ is not a number"
        if isinstance(part, (Sum, Product)):
            for _, low, high in part.limits:
                if (high - low + 1).is_negative:
                    return "a sum or product runs over a reversed range"
    return None


def needs_evidence(term: Basic) -> bool:
    """Whether ``term`` is an integral, a limit, or a sum or product with an infinite
    bound: a value whose existence must be shown."""
    if isinstance(term, (Integral, sympy.Limit)):
        return True
    return any(bound in _INFINITE for limit in term.limits for bound in limit[1:])


def improper_terms(expr: Basic) -> list[Basic]:
    """The integrals and infinite sums or products in ``expr`` whose value must be shown
    to exist before a claim about them is accepted (innermost last)."""
    if not isinstance(expr, Basic):
        return []
    found = [t for t in sympy.preorder_traversal(expr)
             if isinstance(t, (Integral, Sum, Product, sympy.Limit)) and needs_evidence(t)]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Convergence:
    """How far the existence of one integral's or sum's value is established."""

    status: str
    note: str = ""


def _limit_existence(term: sympy.Limit) -> Convergence:
    """Whether a limit exists and is finite, by SymPy's limit algorithm: a limit that
    differs from either side, or is infinite, has no value (not even equal to itself)."""
    try:
        value = term.doit()
    except ValueError as error:      # SymPy: the one-sided limits differ
        return Convergence(DIVERGES, f"it does not exist: {error}")
    except Exception:  # noqa: BLE001 - SymPy failing to evaluate is not a verdict
        return Convergence(UNKNOWN, "SymPy could not evaluate the limit")
    if value.has(sympy.Limit):
        return Convergence(UNKNOWN, "SymPy could not evaluate the limit")
    if value.has(*_UNDEFINED, sympy.AccumBounds) or any(part in _INFINITE
                                                          for part in _values(value)):
        return Convergence(DIVERGES, "it is infinite or does not exist")
    if value.is_finite:
        return Convergence(SHOWN)
    return Convergence(UNKNOWN, "its value could not be shown finite")


@lru_cache(maxsize=512)
def convergence(term: Basic) -> Convergence:
    """Whether ``term`` (an integral or an infinite sum/product) has a finite value.

    A term over a declared function is presumed to converge. Otherwise SymPy evaluates
    it; a closed form that is finite under the declared assumptions and agrees with
    the numeric value of the term itself is shown; an infinite or undefined value
    diverges; anything else is decided by the numeric check alone, or unknown.
    """
    from derive.check.numeric import claim_seed, compare

    if term.has(AppliedUndef):
        return Convergence(PRESUMED)
    if isinstance(term, sympy.Limit):
        return _limit_existence(term)
    # the closed form below is compared at the same points, whose integrals are then
    # computed once (derive.check.quadmemo)
    seed = claim_seed(term, term)
    numeric = compare(term, term, samples=2, seed=seed)
    if numeric.undefined and not term.free_symbols:
        return Convergence(DIVERGES, numeric.undefined)
    try:
        value = expand_notation(term).doit()
    except Exception:  # noqa: BLE001 - SymPy failing to evaluate is not a verdict
        value = term
    if numeric.undefined:
        # with parameters, it may diverge for some of their values only
        conditions = [c for p in value.atoms(sympy.Piecewise) for _, c in p.args
                      if c is not sympy.true]
        if conditions:
            return Convergence(UNKNOWN, "it converges only if "
                               + " and ".join(f"${latex(c)}$" for c in conditions)
                               + ", which the declarations do not imply")
        return Convergence(DIVERGES, numeric.undefined)
    if value.has(*_UNDEFINED) or any(part in _INFINITE for part in _values(value)):
        if numeric.agree:
            return Convergence(UNKNOWN, "SymPy finds it infinite but the numeric "
                                        "value is finite")
        return Convergence(DIVERGES, "it diverges")
    closed = not value.has(Integral, Sum, Product, sympy.Piecewise)
    if closed and value.is_finite:
        check = compare(term, value, samples=2, seed=seed)
        if check.agree:
            return Convergence(SHOWN)
        if check.agree is False and numeric.agree:
            return Convergence(NUMERIC, "finite at every sampled point, where SymPy's "
                                        "closed form disagrees with it")
        if check.agree is False:
            return Convergence(UNKNOWN, "SymPy's closed form disagrees with its numeric "
                                        "value")
    if numeric.agree:
        return Convergence(NUMERIC, "finite at every sampled point")
    return Convergence(UNKNOWN, numeric.note or "its convergence could not be established")
