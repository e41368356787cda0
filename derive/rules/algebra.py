"""Algebra: identities, substitution, solving and eliminating, logarithms."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy
from sympy import (Basic, ConditionSet, Dummy, ImageSet, Integral, Limit, Product, Sum,
                   Symbol)
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError, claims
from derive.check.equivalence import Outcome, equivalent, opaque
from derive.check.numeric import compare
from derive.check.shown import pair
from derive.check.solutions import (Solutions, admissible, divergence, solution_set,
                                    unknown_for)
from derive.check.transforms import expand_logs, refused, substitute as substituted
from derive.check.verdict import Status, Verdict
from derive.rules.linear import solve_matrix
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
                     else f"the claimed '{claim.op.symbol}'")


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
        if op != other:   # a < b as b > a; for = the difference above already serves
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
            verdict = _explained(ctx, verdict, (final.lhs, final.rhs))
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
        blocked = _refused(ctx, relations, candidates)
        if blocked:
            raise RuleError(f"{names} does not reach the left side: {blocked}",
                            Status.UNDECIDED)
        raise RuleError(f"nothing in the left side matches the left side of {names}"
                        + _unreached(ctx, candidates))
    result, outcome = first
    return _explained(ctx, ctx.verdict(outcome, claim.rhs, result,
                                       "the substitution gives something else"), candidates)


def _refused(ctx: LinkContext, relations, exprs) -> str:
    """Why an equation does not reach these expressions, beyond its quantification."""
    for expr in exprs:
        for relation in relations:
            found = refused(expr, relation)
            if found is None:
                continue
            if found.captured:
                names = ", ".join(ctx.math(s) for s in found.captured)
                return (f"a binder over {names} there would capture that symbol of the "
                        "premise's right side")
            domain = ", ".join(f"${a}$" for a in ctx.declared(found.variable))
            return (f"{ctx.math(found.value)} is not known to lie in the declared domain "
                    f"of {ctx.math(found.variable)} ({domain})")
    return ""


def _explained(ctx: LinkContext, verdict: Verdict, exprs) -> Verdict:
    """A verdict that does not hold, with :func:`_unreached`'s explanation added."""
    if verdict.status.holds:
        return verdict
    return replace(verdict, reason=verdict.reason + _unreached(ctx, exprs))


def _unreached(ctx: LinkContext, exprs) -> str:
    """Why a premise did not reach these expressions, when it would have if it held for
    every value: it is a given that speaks of particular values."""
    steps = ctx.premise_steps()
    everywhere = [r for step in steps for r in ctx.equations(step)]
    where = [r for step in steps for r in ctx.rewrites(step)]
    if all(substituted(e, everywhere) == substituted(e, where) for e in exprs):
        return ""
    names = sorted({ctx.latex(v) for step in steps for v in ctx.particular(step)})
    return (f" ({', '.join(f'({s.tag})' for s in steps)} holds only for the given "
            f"${', '.join(names)}$, not at other values or under an integral, sum or "
            "argmin over them; write 'given for all ...' if it holds for every value)")


@claims(*DECIDABLE)
def unfold(ctx: LinkContext) -> Verdict:
    """Both sides agree (or keep the claimed order) once the premises' equations are
    substituted into each of them."""
    claim = ctx.claim
    relations = [r for step in ctx.require_premises(1, 9) for r in ctx.rewrites(step)]
    lhs, rhs = substituted(claim.lhs, relations), substituted(claim.rhs, relations)
    if lhs == claim.lhs and rhs == claim.rhs:
        names = ", ".join(f"({s.tag})" for s in ctx.premise_steps())
        blocked = _refused(ctx, relations, (claim.lhs, claim.rhs))
        if blocked:
            raise RuleError(f"{names} does not reach either side: {blocked}",
                            Status.UNDECIDED)
        raise RuleError(f"neither side contains the left side of {names}"
                        + _unreached(ctx, (claim.lhs, claim.rhs)))
    return _explained(ctx, ctx.holds(lhs, rhs, "the two sides differ after substituting the "
                                     "premises"), (claim.lhs, claim.rhs))


def _symbol_like(target: Basic) -> bool:
    """Whether the target is a name (x, p(x), x_i) rather than a compound term."""
    return isinstance(target, (Symbol, AppliedUndef, sympy.Indexed))


def _unknown(expr: Basic, target: Basic, dummy: Dummy) -> Basic:
    """``expr`` with the target replaced by ``dummy``: a name exactly, a compound term
    (``\\exp(\\lambda_0 - 1)``) wherever SymPy finds it."""
    return expr.xreplace({target: dummy}) if _symbol_like(target) else expr.subs(target, dummy)


@dataclass(frozen=True)
class _Equation:
    """An equation to solve, with a fresh unknown in place of the target."""

    lhs: Basic
    rhs: Basic
    unknown: Dummy
    source: str          # where it comes from, for messages: "(7)", "the previous line"

    def at(self, value: Basic) -> tuple[Basic, Basic]:
        """Both sides with ``value`` put in for the unknown."""
        return self.lhs.xreplace({self.unknown: value}), self.rhs.xreplace({self.unknown: value})


def _holds(left: Basic, right: Basic) -> Outcome:
    """Whether ``left = right``, checked independently of SymPy's solver: by the
    numeric comparison, or, where no numbers can be drawn, by a symbolic proof."""
    result = compare(left, right, samples=6)
    if result.agree:
        return Outcome(Status.NUMERIC, f"numeric ({result.points} points)")
    if result.agree is False:
        return Outcome(Status.FAILED, "numeric", disagreement=result.disagreement)
    shown = equivalent(left, right)
    if shown.proved:
        return shown
    return Outcome(Status.UNDECIDED, note=result.note or shown.note)


def _solves(equation: _Equation, value: Basic) -> Outcome:
    """Whether ``value`` solves the equation: substituted back, the two sides agree."""
    return _holds(*equation.at(value))


def _equation(ctx: LinkContext, relation: Relation, source: str) -> Relation:
    """The relation, which must be an equation: solving ``x \\neq 4`` gives no ``x``."""
    if not relation.is_equality:
        raise RuleError(f"{ctx.justification.rule} needs an equation, {source} states "
                        f"'{relation.op.symbol}'", Status.UNDECIDED)
    return relation


def _number_valued(ctx: LinkContext, target: Basic) -> Basic:
    """The target, which must be a number: a divergent integral is no unknown."""
    value = divergence(target)
    if value is not None:
        how = "diverges: it evaluates to" if value != target else "is not a number: it is"
        raise RuleError(f"the unknown {ctx.math(target)} {how} {ctx.math(value)}")
    return target


def _target_and_value(ctx: LinkContext, claim: Relation) -> tuple[Basic, Basic]:
    (target,) = ctx.argument("for", 1) or (claim.lhs,)
    for side, value in ((claim.lhs, claim.rhs), (claim.rhs, claim.lhs)):
        if side == target or equivalent(side, target).proved:
            if _unknown(value, target, unknown_for(target)).has(Dummy):
                raise RuleError(f"the claim is not solved for {ctx.math(target)}: the other "
                                "side still contains it")
            return _number_valued(ctx, target), value
    raise RuleError(f"the claim must read ${ctx.latex(target)} = \\dots$",
                    expected=ctx.latex(target))


def _either(ctx: LinkContext, values) -> str:
    """Several solutions as the LaTeX of what the rule expected: ``2 \\text{ or } -2``."""
    return " \\text{ or } ".join(ctx.latex(v) for v in values)


#: What a family of solutions is indexed by: k in x = pi/2 + 2 k pi.
_INDICES = {sympy.S.Integers, sympy.S.Naturals, sympy.S.Naturals0}


def _conditions(ctx: LinkContext, solutions: Solutions) -> str:
    """The conditions a solution needs, ``a \\neq 0`` first, as inline math."""
    conditions = sorted(solutions.conditions, key=lambda c: not isinstance(c, sympy.Ne))
    return ", ".join(ctx.math(c) for c in conditions)


def _shape(ctx: LinkContext, solutions: Solutions) -> str:
    """Why a solution set is no single point, in words."""
    rest = solutions.rest
    if solutions.conditions:
        return f"unique only if {_conditions(ctx, solutions)}, which the declarations do " \
            "not imply"
    if isinstance(rest, ConditionSet):
        return f"SymPy cannot solve it explicitly: {ctx.math(rest)}"
    if rest is not None and any(isinstance(part, ImageSet) and set(part.base_sets) <= _INDICES
                                for part in sympy.preorder_traversal(rest)):
        return f"the solutions form a family: {ctx.math(rest)}"
    if rest is not None:
        return f"the solution set is {ctx.math(rest)}"
    if not solutions.points:
        return "SymPy finds no solution"
    return f"{len(solutions.points)} solutions: {', '.join(ctx.math(p) for p in solutions.points)}"


def _refuted(ctx: LinkContext, equation: _Equation, target: Basic, value: Basic,
             solutions: Solutions, check: Outcome, assumptions) -> Verdict:
    """The claim does not solve the equation (``check`` found the point): say what does."""
    x, points = ctx.math(target), solutions.points
    if solutions.unique is not None:
        what = f"solving {equation.source} for {x} gives {ctx.math(points[0])}"
        verdict = ctx.compare(value, points[0], what, assumptions)
        if verdict.status is Status.FAILED:
            return verdict
    if solutions.conditions and any(equivalent(value, p).proved for p in points):
        what = f"${ctx.latex(target)} = {ctx.latex(value)}$ solves {equation.source} only " \
            f"if {_conditions(ctx, solutions)}"
    elif any(equivalent(value, p).proved for p in points):
        what = f"SymPy's solution {ctx.math(value)} does not solve {equation.source}"
    elif points and solutions.exact:
        what = f"solving {equation.source} for {x} gives " + \
            " or ".join(ctx.math(p) for p in points)
    else:
        what = f"${ctx.latex(target)} = {ctx.latex(value)}$ does not solve " \
            f"{equation.source} ({_shape(ctx, solutions)})"
    verdict = ctx.verdict(check, *equation.at(value), what, assumptions)
    sides = check.disagreement
    if sides is not None:
        left, right = pair(sides.left, sides.right)
        verdict = replace(verdict, reason=f"{what}: at the counterexample, with the claimed "
                          f"value put in, its left side is {left} and its right side {right}")
    return replace(verdict, expected=_either(ctx, points) if points else "")


def _judge(ctx: LinkContext, equation: _Equation, target: Basic, value: Basic,
           solutions: Solutions) -> Verdict:
    """Is ``target = value`` the one solution? SymPy's solution set must be that single
    point, and the value, put back into the equation, must satisfy it."""
    x, source = ctx.math(target), equation.source
    assumptions = ctx.declared(target)
    if not admissible(value, equation.unknown):
        return Verdict.failed(f"{ctx.math(value)} is no possible value of {x} "
                              f"({', '.join(f'${a}$' for a in assumptions)})",
                              assumptions=tuple(assumptions))
    check = _solves(equation, value)
    if check.status is Status.FAILED:
        return _refuted(ctx, equation, target, value, solutions, check, assumptions)
    unique = solutions.unique
    matches = [p for p in solutions.points if equivalent(value, p).status
               in (Status.PROVED, Status.NUMERIC)]
    if unique is not None and matches:
        if check.status is Status.UNDECIDED:
            return Verdict.undecided(f"SymPy's solution {ctx.math(unique)} could not be "
                                     f"checked by putting it back into {source}: {check.note}")
        verdict = ctx.compare(value, unique, f"solving {source} for {x} gives "
                              f"{ctx.math(unique)}", assumptions)
        return replace(verdict, method=f"solveset, {verdict.method}; put back: {check.method}")
    others = [p for p in solutions.points if p not in matches
              and admissible(p, equation.unknown)
              and _solves(equation, p).status in (Status.PROVED, Status.NUMERIC)]
    if matches and others:
        reason = f"{source} has other solutions too: {', '.join(ctx.math(o) for o in others)}"
        if solutions.rest is not None:
            reason += f"; {_shape(ctx, solutions)}"
        return Verdict.failed(reason, expected=_either(ctx, [matches[0], *others]),
                              assumptions=tuple(assumptions))
    if unique is not None:
        return Verdict.undecided(f"solving {source} for {x} gives {ctx.math(unique)}, which "
                                 f"is not shown equal to the claim", expected=ctx.latex(unique))
    return Verdict.undecided(f"solving {source} for {x}: {_shape(ctx, solutions)}")


def _solve(ctx: LinkContext, relation: Relation, target: Basic, value: Basic,
           source: str) -> Verdict:
    """Solve one equation for the target and judge the claimed value."""
    for bound in (relation.lhs - relation.rhs).atoms(Integral, Sum, Product):
        variables = {limit[0] for limit in bound.limits}
        if bound.has(target) and variables & target.free_symbols:
            # p(x) under an integral over x is the whole function, not the unknown value
            raise RuleError(f"{ctx.math(target)} also appears under {ctx.math(bound)}, where "
                            f"its variable is bound: it is no single unknown there",
                            Status.UNDECIDED)
    unknown = unknown_for(target)
    equation = _Equation(_unknown(relation.lhs, target, unknown),
                         _unknown(relation.rhs, target, unknown), unknown, source)
    difference = equation.lhs - equation.rhs
    if not difference.has(unknown):
        raise RuleError("the equation does not contain the unknown")
    for term in difference.atoms(Integral, Sum, Product, Limit):
        diverges = None if term.has(unknown) else divergence(term)
        if diverges is not None:
            raise RuleError(f"{source} is no equation between numbers: {ctx.math(term)} "
                            f"diverges, it evaluates to {ctx.math(diverges)}")
    return _judge(ctx, equation, target, value, solution_set(difference, unknown))


def solve(ctx: LinkContext) -> Verdict:
    """The claim ``x = value`` is the unique solution of the premise for x, over x's
    declared domain.

    Without a premise (after ``\\Rightarrow``) the equation is the previous link.
    """
    claim = _equality(ctx)
    steps = ctx.require_premises(0, 1)
    (target,) = ctx.argument("for", 1) or (claim.lhs,)
    if isinstance(target, sympy.MatrixSymbol):
        return _solve_matrix(ctx, claim, target, steps)
    target, value = _target_and_value(ctx, claim)
    if steps:
        source = f"({steps[0].tag})"
        candidates = [_equation(ctx, ctx.final_link(steps[0]), source)] + \
            [r for r in steps[0].formula.links if r.is_equality]
    elif ctx.previous is not None:
        source = "the previous line"
        candidates = [_equation(ctx, ctx.previous, source)]
    else:
        raise RuleError("solve needs an equation: a premise, or a previous line",
                        Status.UNDECIDED)
    for relation in candidates:
        if _unknown(relation.lhs - relation.rhs, target, unknown_for(target)).has(Dummy):
            return _solve(ctx, relation, target, value, source)
    raise RuleError(f"{source} does not contain {ctx.math(target)}")


def _solve_matrix(ctx: LinkContext, claim: Relation, target, steps) -> Verdict:
    """``solve (k) for w`` with w a vector or matrix: a linear equation A w = b."""
    if claim.lhs != target or claim.rhs.has(target):
        raise RuleError(f"the claim must read ${ctx.latex(target)} = \\dots$ without "
                        f"{ctx.math(target)} on the right", expected=ctx.latex(target))
    if steps:
        source, relation = f"({steps[0].tag})", _equation(ctx, ctx.final_link(steps[0]),
                                                          f"({steps[0].tag})")
    elif ctx.previous is not None:
        source, relation = "the previous line", _equation(ctx, ctx.previous,
                                                          "the previous line")
    else:
        raise RuleError("solve needs an equation: a premise, or a previous line",
                        Status.UNDECIDED)
    return solve_matrix(ctx, relation, target, claim.rhs, source)


def _eliminated(ctx: LinkContext, equation: Basic, symbol: Basic, source: str) -> Basic:
    """The one value of ``symbol`` that ``equation = 0`` allows, checked by putting it
    back; anything less (several values, a family, a condition) stops the elimination."""
    unknown = unknown_for(symbol)
    replaced = equation.xreplace({symbol: unknown})
    solutions = solution_set(replaced, unknown)
    point = solutions.unique
    if point is None:
        raise RuleError(f"cannot eliminate {ctx.math(symbol)} from {source}: "
                        f"{_shape(ctx, solutions)}", Status.UNDECIDED)
    if _solves(_Equation(replaced, sympy.S.Zero, unknown, source), point).status \
            not in (Status.PROVED, Status.NUMERIC):
        raise RuleError(f"cannot eliminate {ctx.math(symbol)}: SymPy's solution "
                        f"{ctx.math(point)} does not check out when put back into {source}",
                        Status.UNDECIDED)
    return point


def _pivot(ctx: LinkContext, candidates: list[Basic], symbol: Basic,
           source: str) -> tuple[Basic, Basic]:
    """The first equation that gives ``symbol`` one value, and that value."""
    first = None
    for equation in candidates:
        try:
            return equation, _eliminated(ctx, equation, symbol, source)
        except RuleError as error:
            first = first or error
    raise first


def _back_substituted(eliminations: list[tuple[Basic, Basic]], target: Basic,
                      value: Basic) -> dict[Basic, Basic]:
    """Each eliminated symbol's value in the kept symbols, once the target is ``value``."""
    unknown = unknown_for(target)
    values: dict[Basic, Basic] = {}
    for symbol, solved in reversed(eliminations):
        solved = _unknown(solved.xreplace(values), target, unknown)
        values[symbol] = solved.xreplace({unknown: value})
    return values


def _premises_hold(ctx: LinkContext, steps, target: Basic, value: Basic,
                   eliminations: list[tuple[Basic, Basic]]) -> Verdict | None:
    """Cross-check: the claim and the eliminated symbols' values satisfy every premise.

    None when they do; otherwise the verdict (failed with the point, or undecided)."""
    values = _back_substituted(eliminations, target, value)
    unknown = unknown_for(target)
    for step in steps:
        relation = ctx.final_link(step)
        left, right = (_unknown(side.xreplace(values), target, unknown)
                       .xreplace({unknown: value}) for side in (relation.lhs, relation.rhs))
        outcome = _holds(left, right)
        if outcome.status in (Status.PROVED, Status.NUMERIC):
            continue
        what = f"the claim, with the eliminated symbols solved, does not satisfy ({step.tag})"
        if outcome.status is Status.FAILED and _symbol_like(target):
            return ctx.verdict(outcome, left, right, what)
        return Verdict.undecided(f"{what}, or this cannot be checked"
                                 + (f": {outcome.note}" if outcome.note else ""))
    return None


def eliminate(ctx: LinkContext) -> Verdict:
    """Solve a system of premises for one unknown, eliminating the symbols the claim lacks.

    Every elimination must be unique over the eliminated symbol's domain, the last
    equation must have the claim as its one solution, and the claim, with the
    eliminated symbols at their values, must satisfy every premise.
    """
    claim = _equality(ctx)
    steps = ctx.require_premises(2, 9)
    target, value = _target_and_value(ctx, claim)
    names = ", ".join(f"({s.tag})" for s in steps)
    relations = [_equation(ctx, ctx.final_link(s), f"({s.tag})") for s in steps]
    equations = [r.lhs - r.rhs for r in relations]
    keep = claim.lhs.free_symbols | claim.rhs.free_symbols
    eliminated = sorted(set().union(*(e.free_symbols for e in equations)) - keep, key=str)
    eliminations: list[tuple[Basic, Basic]] = []
    for symbol in eliminated:
        pivot = next((e for e in equations if e.has(symbol)), None)
        if pivot is None:
            continue
        if len(equations) == 1:
            # the last equation still ties the target to a symbol the claim lacks: the
            # claim must satisfy it for every value of that symbol, and be its one solution
            unknown = unknown_for(target)
            left = _unknown(pivot, target, unknown).xreplace({unknown: value})
            verdict = ctx.compare(left, sympy.S.Zero, f"{names} do not give the claim: with it "
                                  f"the system still depends on {ctx.math(symbol)}")
            if verdict.status is Status.FAILED:
                return verdict
            break
        pivot, found = _pivot(ctx, [e for e in equations if e.has(symbol)], symbol, names)
        eliminations.append((symbol, found))
        equations = [sympy.simplify(e.subs(symbol, found)) for e in equations
                     if e is not pivot]
    equations = [e for e in equations if e != 0]
    if not equations:
        raise RuleError("nothing is left to solve after elimination", Status.UNDECIDED)
    verdict = _solve(ctx, Relation(claim.op, equations[0], sympy.S.Zero), target, value,
                     names)
    if verdict.status in (Status.PROVED, Status.NUMERIC):
        return _premises_hold(ctx, steps, target, value, eliminations) or verdict
    return verdict


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
