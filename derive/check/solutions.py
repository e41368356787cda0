"""What an equation's solution set says: SymPy's ``solveset`` over the unknown's
declared domain, read strictly.

``x = v`` is *the* solution only when the set is one explicit point for every
allowed value of the other symbols. SymPy's answer is often subtler than a list:
a periodic family (``ImageSet``), a set it cannot solve (``ConditionSet``), a
union, or a point under a condition it does not always state (``a x = b`` gives
``{b/a}`` over the reals, silently assuming ``a \\neq 0``). This module reads the
set into explicit points, the conditions on the parameters the points need, and
the part that is no finite list; the rules decide what that proves.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import (S, Basic, Complement, ConditionSet, Dummy, FiniteSet, ImageSet,
                   Integral, Intersection, Interval, Limit, Piecewise, Product, Sum, Union,
                   oo)
from sympy.polys.polyerrors import PolynomialError

#: Values that are no number: a term evaluating to one of them is no unknown.
NOT_A_NUMBER = (S.Infinity, S.NegativeInfinity, S.ComplexInfinity, S.NaN)

#: The assumptions an unknown keeps from the term it stands for.
_KEPT = ("positive", "negative", "nonnegative", "nonpositive", "nonzero", "real", "integer",
         "rational")


@dataclass(frozen=True)
class Solutions:
    """A solution set, read: its explicit points, and what keeps it from being a list.

    ``points`` are explicit solutions (for a family, a few of its members);
    ``exact`` says they are all the solutions; ``conditions`` are conditions on the
    parameters the points need and the declarations do not imply (``a \\neq 0``);
    ``rest`` is the part of the set that is not a finite list, for messages.
    """

    found: Basic
    points: tuple[Basic, ...]
    exact: bool
    conditions: tuple[Basic, ...] = ()
    rest: Basic | None = None

    @property
    def unique(self) -> Basic | None:
        """The one solution, when the set is provably that single point."""
        if self.exact and not self.conditions and len(self.points) == 1:
            return self.points[0]
        return None


    @property
    def candidates(self) -> tuple[Basic, ...] | None:
        """Points that hold every solution in the domain, when the set is a finite list
        whose conditions only ask that a point lie in the domain (``p \\in (0, \\infty)``):
        a value in the domain that solves the equation is one of them. None otherwise."""
        if self.exact and self.points and all(isinstance(c, (sympy.Contains, sympy.Not))
                                              for c in self.conditions):
            return self.points
        return None


def unknown_for(target: Basic) -> Dummy:
    """A fresh unknown with what SymPy knows of the target's sign and kind (``p``
    positive, ``\\exp(\\lambda_0 - 1)`` positive), so its domain covers every value
    the target can take."""
    return Dummy("u", **{k: True for k in _KEPT if getattr(target, f"is_{k}") is True})


def domain_of(unknown: Basic) -> sympy.Set:
    """The set an unknown ranges over, from its assumptions."""
    if unknown.is_integer:
        if unknown.is_positive:
            return S.Naturals
        if unknown.is_nonnegative:
            return S.Naturals0
        return S.Integers
    if unknown.is_positive:
        return Interval.open(0, oo)
    if unknown.is_negative:
        return Interval.open(-oo, 0)
    if unknown.is_nonnegative:
        return Interval(0, oo)
    if unknown.is_nonpositive:
        return Interval(-oo, 0)
    within = S.Reals if unknown.is_real else S.Complexes
    return Complement(within, FiniteSet(0)) if unknown.is_nonzero else within


def _violates(point: Basic, unknown: Basic) -> bool:
    """Whether a declared property of the unknown (positive, integer...) is false of it."""
    return any(getattr(unknown, f"is_{k}") is True and getattr(point, f"is_{k}") is False
               for k in _KEPT)


def admissible(point: Basic, unknown: Basic) -> bool:
    """Whether ``point`` may be a value of ``unknown``: no declared property of the
    unknown (positive, integer, rational...) is false of it, for its symbols' declared
    properties or, failing that, anywhere in their declared intervals, ends included."""
    return not (_violates(point, unknown) or bool(excluded_by_domains(point, unknown)))


def excluded_by_domains(point: Basic, unknown: Basic) -> tuple:
    """The symbols whose declared intervals make ``point`` no possible value of
    ``unknown`` (a negative root where v lies in (0, c)); () when they do not.

    The point is written inside every interval at once (each symbol through a fresh
    positive variable), then with each symbol at each finite end of its interval: it
    must break a declared property of the unknown at every one of them."""
    from derive.check.domains import current
    domains = current()
    bounded = tuple(s for s in domains.bounded(point) if s not in domains.values)
    if not bounded or len(bounded) != len(domains.bounded(point)):
        return ()
    if not _violates_in_some_form(domains.reparametrised(point), unknown):
        return ()
    for end in domains.ends(point):
        at = domains.reparametrised(point, fixed=end)
        if not (at.has(S.NaN, S.ComplexInfinity, sympy.oo, -sympy.oo)
                or _violates_in_some_form(at, unknown)):
            return ()
    return bounded


def _violates_in_some_form(point: Basic, unknown: Basic) -> bool:
    """:func:`_violates` for ``point`` as it stands, over one denominator, or simplified:
    SymPy sees a sign in one form that it misses in another."""
    return any(_violates(form(point), unknown)
               for form in (lambda e: e, sympy.together, sympy.simplify))


def divergence(term: Basic) -> Basic | None:
    """What ``term`` evaluates to when that is no number (``\\infty``, ``zoo``,
    ``nan``, or an expression holding one), else None.

    Integrals, sums, products and limits are evaluated first; those SymPy leaves
    unevaluated are not looked into (their bounds may well be infinite)."""
    value = term.doit() if term.has(Integral, Sum, Product, Limit) else term
    opaque = value.atoms(Integral, Sum, Product, Limit)
    shown = value.xreplace({e: Dummy() for e in opaque}) if opaque else value
    if shown in NOT_A_NUMBER or any(shown.has(v) for v in NOT_A_NUMBER):
        return value
    return None


def _may_vanish(factor: Basic) -> bool:
    """Whether the declarations leave room for ``factor`` to be zero."""
    if factor.is_zero is False:
        return False
    if factor.free_symbols:
        return True
    value = factor.doit()     # a constant: an integral, a sum, a number SymPy keeps symbolic
    return not (value.is_number and value.is_zero is False)


def _nonzero_conditions(expr: Basic) -> list[Basic]:
    """``f \\neq 0`` for each factor of ``expr`` the declarations do not make nonzero."""
    try:
        factors = sympy.Mul.make_args(sympy.factor(expr))
    except (PolynomialError, NotImplementedError, TypeError):
        factors = sympy.Mul.make_args(expr)
    out = []
    for factor in factors:
        base = factor.base if factor.is_Pow and factor.exp.is_positive else factor
        if _may_vanish(base):
            out.append(sympy.Ne(base, 0))
    return out


def _leading(expr: Basic, unknown: Dummy) -> list[Basic]:
    """Conditions that the factor in front of the unknown in ``expr`` not vanish.

    Read as a polynomial in the terms holding the unknown (``a u - b``, ``a e^u - a``),
    its leading coefficient (one such term) or the common factor of its coefficients
    (several) may vanish for some parameters (``a = 0``)."""
    numerator = sympy.numer(sympy.together(expr))
    try:
        generators = [g for g in sympy.Poly(numerator).gens if g.has(unknown)]
        if not generators:
            return []
        poly = sympy.Poly(numerator, *generators)
        common = poly.LC() if len(generators) == 1 else sympy.gcd_list(poly.coeffs())
    except (PolynomialError, NotImplementedError, TypeError, ValueError):
        return []
    return _nonzero_conditions(common)


def degeneracy(equation: Basic, unknown: Dummy) -> list[Basic]:
    """Conditions under which ``equation = 0`` keeps its solutions in the unknown.

    Wherever the unknown enters (the equation itself, the argument of a function, a
    base or an exponent), a factor in front of it that may vanish lets the equation
    degenerate for some parameters (``a u = b``, ``e^{a u} = 1`` at ``a = 0``):
    then every value, or none, solves it.
    """
    out: list[Basic] = []
    for node in sympy.preorder_traversal(equation):
        if node is not equation and not isinstance(node, (sympy.Function, sympy.Pow)):
            continue
        places = [equation] if node is equation else node.args
        for place in places:
            if place.has(unknown) and place != unknown:
                out.extend(c for c in _leading(place, unknown) if c not in out)
    # inside an integral the integration variable is no parameter
    return [c for c in out if c.free_symbols <= equation.free_symbols]


def undefined_where(point: Basic) -> list[Basic]:
    """Conditions for ``point`` to be defined: each divisor and logarithm argument
    that may vanish, as ``f \\neq 0``."""
    out: list[Basic] = []
    for node in sympy.preorder_traversal(point):
        if node.is_Pow and node.exp.is_negative:
            divisor = node.base
        elif isinstance(node, sympy.log):
            divisor = node.args[0]
        else:
            continue
        # inside an integral or a sum the integration variable is no parameter
        if divisor.free_symbols <= point.free_symbols and _may_vanish(divisor):
            out.extend(c for c in _nonzero_conditions(divisor) if c not in out)
    return out


def _members(family: ImageSet) -> tuple[Basic, ...]:
    """A few explicit members of a family over the integers or the naturals."""
    if len(family.base_sets) != 1:
        return ()
    base = family.base_sets[0]
    if base == S.Integers:
        values = (0, 1, -1)
    elif base == S.Naturals:
        values = (1, 2)
    elif base == S.Naturals0:
        values = (0, 1)
    else:
        return ()
    return tuple(family.lamda(v) for v in values)


def _membership(point: Basic, within: sympy.Set) -> Basic:
    """Whether ``point`` lies in ``within``: S.true, S.false or an open condition."""
    if isinstance(within, FiniteSet):
        same = [(point - w).is_zero for w in within.args]
        if True in same:
            return S.true
        if all(s is False for s in same):
            return S.false
        return sympy.Contains(point, within, evaluate=False)
    contained = within.contains(point)
    return contained if contained in (S.true, S.false) else \
        sympy.Contains(point, within, evaluate=False)


def _read_finite(points: tuple[Basic, ...], keep_in=(), leave_out=()):
    """Points of a finite set, filtered by sets they must lie in or outside of."""
    kept, conditions = [], []
    for point in points:
        tests = [_membership(point, s) for s in keep_in]
        tests += [sympy.Not(_membership(point, s)) for s in leave_out]
        if any(t is S.false for t in tests):
            continue
        kept.append(point)
        conditions += [t for t in tests if t is not S.true]
    return tuple(kept), conditions


def read(found: sympy.Set) -> Solutions:
    """Read a ``solveset`` answer into explicit points, conditions and the rest."""
    if isinstance(found, FiniteSet):
        return Solutions(found, found.args, True)
    if found is S.EmptySet:
        return Solutions(found, (), True)
    if isinstance(found, Intersection):
        finite = [a for a in found.args if isinstance(a, FiniteSet)]
        if len(finite) == 1:
            others = [a for a in found.args if a is not finite[0]]
            points, conditions = _read_finite(finite[0].args, keep_in=others)
            return Solutions(found, points, True, tuple(conditions))
    if isinstance(found, Complement) and isinstance(found.args[0], FiniteSet):
        points, conditions = _read_finite(found.args[0].args, leave_out=[found.args[1]])
        return Solutions(found, points, True, tuple(conditions))
    if isinstance(found, ImageSet):
        base = read(found.base_sets[0]) if len(found.base_sets) == 1 else None
        if base is not None and base.exact:
            # the image of points, as {c^2 | c in [0, oo) & {c}}: c^2 when c >= 0
            points = tuple(found.lamda(p) for p in base.points)
            return Solutions(found, points, True, base.conditions)
        return Solutions(found, _members(found), False, rest=found)
    if isinstance(found, Union):
        parts = [read(a) for a in found.args]
        points = tuple(dict.fromkeys(p for part in parts for p in part.points))
        conditions = tuple(dict.fromkeys(c for part in parts for c in part.conditions))
        exact = all(part.exact for part in parts)
        return Solutions(found, points, exact, conditions, None if exact else found)
    return Solutions(found, (), False, rest=found)


def _explicit(solutions: Solutions, unknown: Dummy) -> Solutions:
    """Move points that are not explicit (hold the unknown, a Piecewise, no number)
    to the rest, and add the conditions each point needs to be defined."""
    explicit, conditions = [], list(solutions.conditions)
    exact = solutions.exact
    for point in solutions.points:
        if point.has(unknown, Piecewise, ConditionSet) or divergence(point) is not None:
            exact = False
            continue
        explicit.append(point)
        conditions += [c for c in undefined_where(point) if c not in conditions]
    rest = solutions.rest if exact or solutions.rest is not None else solutions.found
    return Solutions(solutions.found, tuple(explicit), exact, tuple(conditions), rest)


def _implied(conditions: tuple[Basic, ...]) -> tuple[Basic, ...]:
    """Drop the memberships (``d/c \\in \\mathbb{R}``) that hold once the symbols the
    other conditions require nonzero (``c \\neq 0``) are nonzero."""
    nonzero = {c.lhs: Dummy(c.lhs.name, **{**c.lhs.assumptions0, "nonzero": True})
               for c in conditions if isinstance(c, sympy.Ne) and c.rhs == 0
               and c.lhs.is_Symbol}
    if not nonzero:
        return conditions
    kept = []
    for condition in conditions:
        if isinstance(condition, sympy.Contains):
            point, within = condition.args
            if _membership(point.xreplace(nonzero), within) is S.true:
                continue
        kept.append(condition)
    return tuple(kept)


def solution_set(equation: Basic, unknown: Dummy) -> Solutions:
    """The solutions of ``equation = 0`` for ``unknown`` over its declared domain."""
    found = sympy.solveset(equation, unknown, domain_of(unknown))
    solutions = _explicit(read(found), unknown)
    conditions = solutions.conditions
    if solutions.points:
        conditions += tuple(c for c in degeneracy(equation, unknown) if c not in conditions)
    return Solutions(solutions.found, solutions.points, solutions.exact,
                     _implied(conditions), solutions.rest)
