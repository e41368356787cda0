"""Algebra: identities, substitution, solving and eliminating, logarithms."""

from __future__ import annotations

import sympy
from sympy import Basic, Dummy, Symbol
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError, claims
from derive.check.equivalence import equivalent, opaque
from derive.check.transforms import expand_logs, substitute as substituted
from derive.check.verdict import Status, Verdict
from derive.latex.formula import Relation
from derive.latex.notation import _Operator
from derive.latex.relations import ANY, DECIDABLE, EQ, FLIPPED


def _equality(ctx: LinkContext) -> Relation:
    if not ctx.claim.is_equality:
        raise RuleError(f"rule '{ctx.justification.rule}' checks equalities, not "
                        f"'{ctx.claim.op.symbol}'", Status.UNDECIDED)
    return ctx.claim


@claims(*DECIDABLE)
def equal(ctx: LinkContext) -> Verdict:
    """Both sides are equal (or in the claimed order) under the declared assumptions."""
    claim = ctx.claim
    return ctx.holds(claim.lhs, claim.rhs, "the two sides differ" if claim.is_equality
                     else "the relation does not hold")


def _restated(ctx: LinkContext, step) -> Verdict:
    """A claim of another relation than ``=`` repeats one of the premise's relations
    of the same kind, or its mirror image (``a < b`` as ``b > a``)."""
    claim = ctx.claim
    op = claim.op.symbol
    written = [r for r in (step.formula.conclusion, *step.formula.links,
                           *step.formula.constraints) if r is not None]
    for relation in written:
        pairs = []
        if relation.op == claim.op:
            pairs.append((relation.lhs, relation.rhs))
        if FLIPPED.get(relation.op.symbol) == op:
            pairs.append((relation.rhs, relation.lhs))
        for lhs, rhs in pairs:
            if equivalent(claim.lhs, lhs).proved and equivalent(claim.rhs, rhs).proved:
                return Verdict.proved("identical to the premise")
    kinds = ", ".join(sorted({f"'{r.op.symbol}'" for r in written}))
    return Verdict.failed(f"({step.tag}) states no relation '{op}' between these sides "
                          f"(it states {kinds})")


@claims(*ANY)
def restate(ctx: LinkContext) -> Verdict:
    """The link repeats what an earlier step concluded, with the same relation."""
    claim = ctx.claim
    (step,) = ctx.require_premises(1)
    if not claim.is_equality:
        return _restated(ctx, step)
    relations = ctx.equations(step)
    for relation in relations:
        if equivalent(claim.lhs, relation.lhs).proved and \
                equivalent(claim.rhs, relation.rhs).proved:
            return Verdict.proved("identical to the premise")
    relation = ctx.conclusion(step)
    if not equivalent(claim.lhs, relation.lhs).proved:
        return ctx.compare(claim.lhs, relation.lhs,
                           f"the left side is not that of ({step.tag})")
    verdict = ctx.compare(claim.rhs, relation.rhs, f"this is not what ({step.tag}) says")
    if verdict.status is Status.UNDECIDED and (opaque(claim.rhs) or opaque(relation.rhs)):
        # an argmin or a functional derivative has no value to compare: a restatement
        # must then be recognisably the same expression
        return Verdict.failed(f"this is not what ({step.tag}) says: the right sides differ "
                              "in form", expected=ctx.latex(relation.rhs))
    return verdict


def _same_relation(ctx: LinkContext, claim: Relation, derived: Relation, what: str) -> Verdict:
    """A derived relation matches the claim side by side (or mirrored, with the
    relation flipped), or as the same difference of sides under the same relation."""
    op, other = claim.op.symbol, derived.op.symbol
    if other != op and FLIPPED.get(other) != op:
        return Verdict.failed(f"{what}: it states '{other}', the claim '{op}'")
    if other == op:
        sides = [equivalent(claim.lhs, derived.lhs), equivalent(claim.rhs, derived.rhs)]
        if all(o.proved for o in sides):
            return Verdict.proved("substitution, " + ", ".join(o.method for o in sides))
        together = equivalent(claim.lhs - claim.rhs, derived.lhs - derived.rhs)
        if together.proved:
            return Verdict.proved("substitution, as the same relation")
    if FLIPPED.get(other) == op:
        swapped = [equivalent(claim.lhs, derived.rhs), equivalent(claim.rhs, derived.lhs)]
        if all(o.proved for o in swapped):
            return Verdict.proved("substitution (sides swapped)")
        together = equivalent(claim.lhs - claim.rhs, derived.rhs - derived.lhs)
        if together.proved:
            return Verdict.proved("substitution, as the same relation")
    if op != EQ:
        return Verdict.failed(f"{what}: the sides differ from the claim's",
                              expected=f"{ctx.latex(derived.lhs)} {other} "
                                       f"{ctx.latex(derived.rhs)}")
    sides = [equivalent(claim.lhs, derived.lhs)]
    if sides[0].status is Status.PROVED:
        return ctx.compare(claim.rhs, derived.rhs, what)
    return ctx.compare(claim.lhs - claim.rhs, derived.lhs - derived.rhs, what)


@claims(*DECIDABLE)
def substitute(ctx: LinkContext) -> Verdict:
    """Substituting the premises' equations into a target gives the claim.

    With ``into (n)`` the target is step n's final relation and the result must be
    the claim. Without it the target is the left side of the link (or an earlier
    term of its chain) and the result must be the right side.
    """
    claim = ctx.claim
    relations = [r for step in ctx.require_premises(1, 9) for r in ctx.rewrites(step)]
    targets = ctx.target_steps()
    if targets:
        verdict = None
        for target in targets:
            final = ctx.final_link(target, any_relation=True)
            derived = Relation(final.op, substituted(final.lhs, relations),
                               substituted(final.rhs, relations))
            verdict = _same_relation(ctx, claim, derived,
                                     f"substituting into ({target.tag}) gives something else")
            if verdict.status is Status.PROVED:
                return verdict
        return verdict
    claim = _equality(ctx)
    candidates = [claim.lhs] + [t for t in reversed(ctx.chain_terms[:-1])]
    first = None
    for term in candidates:
        result = substituted(term, relations)
        if result == term:
            continue
        outcome = equivalent(result, claim.rhs)
        if outcome.proved:
            return Verdict.proved("substitution, " + outcome.method)
        if first is None:
            first = (result, outcome)
    if first is None:
        names = ", ".join(f"({s.tag})" for s in ctx.premise_steps())
        raise RuleError(f"nothing in the left side matches the left side of {names}")
    result, outcome = first
    return ctx.verdict(outcome, claim.rhs, result, "the substitution gives something else")


@claims(*DECIDABLE)
def unfold(ctx: LinkContext) -> Verdict:
    """Both sides agree (or keep the claimed order) once the premises' equations are
    substituted into each of them."""
    claim = ctx.claim
    relations = [r for step in ctx.require_premises(1, 9) for r in ctx.rewrites(step)]
    lhs, rhs = substituted(claim.lhs, relations), substituted(claim.rhs, relations)
    if lhs == claim.lhs and rhs == claim.rhs:
        names = ", ".join(f"({s.tag})" for s in ctx.premise_steps())
        raise RuleError(f"neither side contains the left side of {names}")
    return ctx.holds(lhs, rhs, "the two sides differ after substituting the premises")


def _unknown(expr: Basic, target: Basic, dummy: Dummy) -> Basic:
    if isinstance(target, (Symbol, AppliedUndef, sympy.Indexed)):
        return expr.xreplace({target: dummy})
    return expr.subs(target, dummy)


def _dummy_for(target: Basic) -> Dummy:
    assumptions = {k: v for k, v in target.assumptions0.items() if v is not None
                   and k in ("positive", "negative", "real", "nonnegative", "integer")}
    return Dummy("u", **assumptions)


def _solutions(equation: Basic, target: Basic) -> list[Basic]:
    dummy = _dummy_for(target)
    replaced = _unknown(equation, target, dummy)
    if not replaced.has(dummy):
        raise RuleError("the equation does not contain the unknown")
    found = sympy.solve(replaced, dummy, dict=False)
    return [s for s in found if not s.has(dummy)]


def _target_and_value(ctx: LinkContext, claim: Relation) -> tuple[Basic, Basic]:
    (target,) = ctx.argument("for", 1) or (claim.lhs,)
    for side, value in ((claim.lhs, claim.rhs), (claim.rhs, claim.lhs)):
        if equivalent(side, target).proved:
            if _unknown(value, target, _dummy_for(target)).has(Dummy):
                raise RuleError(f"the claim is not solved for {ctx.math(target)}: the other "
                                "side still contains it")
            return target, value
    raise RuleError(f"the claim must read ${ctx.latex(target)} = \\dots$",
                    expected=ctx.latex(target))


def _check_unique(ctx: LinkContext, target: Basic, value: Basic, solutions: list[Basic],
                  source: str) -> Verdict:
    assumptions = ctx.declared(target)
    if not solutions:
        raise RuleError(f"SymPy finds no solution for {ctx.math(target)} in {source}",
                        Status.UNDECIDED)
    matches = [s for s in solutions if equivalent(value, s).proved]
    if matches and len(solutions) == 1:
        return Verdict.proved("solve", assumptions)
    if matches:
        others = ", ".join(ctx.math(s) for s in solutions if s not in matches)
        return Verdict.failed(f"{source} has other solutions too: {others}",
                              expected=" \\text{ or } ".join(ctx.latex(s) for s in solutions),
                              assumptions=tuple(assumptions))
    return ctx.compare(value, solutions[0], f"solving {source} for {ctx.math(target)} gives "
                       f"{ctx.math(solutions[0])}", assumptions)


def solve(ctx: LinkContext) -> Verdict:
    """The claim ``x = value`` is the unique solution of the premise for x.

    Without a premise (after ``\\Rightarrow``) the equation is the previous link.
    """
    claim = _equality(ctx)
    steps = ctx.require_premises(0, 1)
    target, value = _target_and_value(ctx, claim)
    if steps:
        candidates = [ctx.final_link(steps[0])] + list(steps[0].formula.links)
        source = f"({steps[0].tag})"
    elif ctx.previous is not None:
        candidates = [ctx.previous]
        source = "the previous line"
    else:
        raise RuleError("solve needs an equation: a premise, or a previous line",
                        Status.UNDECIDED)
    for relation in candidates:
        equation = relation.lhs - relation.rhs
        if _unknown(equation, target, _dummy_for(target)).has(Dummy):
            return _check_unique(ctx, target, value, _solutions(equation, target), source)
    raise RuleError(f"{source} does not contain {ctx.math(target)}")


def eliminate(ctx: LinkContext) -> Verdict:
    """Solve a system of premises for one unknown, eliminating the symbols the claim lacks."""
    claim = _equality(ctx)
    steps = ctx.require_premises(2, 9)
    target, value = _target_and_value(ctx, claim)
    equations = [ctx.final_link(s).lhs - ctx.final_link(s).rhs for s in steps]
    keep = claim.lhs.free_symbols | claim.rhs.free_symbols
    eliminated = sorted(set().union(*(e.free_symbols for e in equations)) - keep, key=str)
    names = ", ".join(f"({s.tag})" for s in steps)
    for symbol in eliminated:
        pivot = next((e for e in equations if e.has(symbol)), None)
        if pivot is None:
            continue
        if len(equations) == 1:
            # the last equation still ties the target to a symbol the claim lacks:
            # the claim follows only if it satisfies that equation for every value
            return ctx.compare(pivot.subs(target, value), sympy.S.Zero,
                               f"{names} do not give the claim: with it the system still "
                               f"depends on {ctx.math(symbol)}")
        found = _solutions(pivot, symbol)
        if len(found) != 1:
            raise RuleError(f"cannot eliminate {ctx.math(symbol)}: "
                            f"{len(found)} solutions", Status.UNDECIDED)
        equations = [sympy.simplify(e.subs(symbol, found[0])) for e in equations
                     if e is not pivot]
    equations = [e for e in equations if e != 0]
    if not equations:
        raise RuleError("nothing is left to solve after elimination", Status.UNDECIDED)
    solutions = _solutions(equations[0], target)
    return _check_unique(ctx, target, value, solutions, names)


@claims(*DECIDABLE)
def expand_log(ctx: LinkContext) -> Verdict:
    """``log(ab) = log a + log b``, ``log(a^k) = k log a`` and ``log(exp x) = x``
    where the declared assumptions make them valid."""
    claim = ctx.claim
    lhs, rhs = claim.lhs, claim.rhs
    if isinstance(lhs, _Operator) and type(lhs) is type(rhs):
        lhs, rhs = lhs.body, rhs.body
    logs = [a for e in (lhs, rhs) for a in e.atoms(sympy.log)]
    bound = {lim[0] for e in (lhs, rhs) for s in e.atoms(sympy.Sum, sympy.Product,
                                                          sympy.Integral) for lim in s.limits}
    used = {s for log_ in logs for s in log_.args[0].free_symbols
            if isinstance(s, Symbol)} - bound
    assumptions = ctx.declared(*sorted(used, key=str))
    return ctx.holds(expand_logs(lhs), expand_logs(rhs), "the logarithms do not expand to "
                     "the right side", assumptions, original=(claim.lhs, claim.rhs))


RULES = {
    "equal": equal,
    "restate": restate,
    "substitute": substitute,
    "unfold": unfold,
    "solve": solve,
    "eliminate": eliminate,
    "expand_log": expand_log,
}
