"""Calculus: linearity of integrals and sums, definite integrals, derivatives and
functional derivatives."""

from __future__ import annotations

from dataclasses import replace

import sympy
from sympy import Basic, Dummy, Integral
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError, claims
from derive.check.functional import Unsupported, functional_derivative, rename_bound
from derive.check.gateaux import CrossCheck, cross_check
from derive.check.transforms import (Rewrite, evaluate_derivatives, evaluate_integrals,
                                     linear_form,
                                     substitute)
from derive.check.verdict import Status, Verdict
from derive.latex.matrices import GradientOf
from derive.latex.notation import FunctionalDerivative, expand_notation
from derive.latex.relations import DECIDABLE


@claims(*DECIDABLE)
def linearity(ctx: LinkContext) -> Verdict:
    """Constants come out of integrals, sums and products; integrals of sums split,
    but only into parts that converge (the equivalence check insists on it)."""
    claim = ctx.claim
    return ctx.holds(linear_form(claim.lhs), linear_form(claim.rhs),
                     "linearity does not turn one side into the other",
                     original=(claim.lhs, claim.rhs))


@claims(*DECIDABLE)
def integrate(ctx: LinkContext) -> Verdict:
    """Definite integrals evaluated by SymPy; a convergence condition SymPy cannot
    settle from the declared assumptions leaves the step undecided."""
    claim = ctx.claim
    unfolded = [expand_notation(side) for side in (claim.lhs, claim.rhs)]
    integrals = [i for side in unfolded
                 for i in sorted(side.atoms(Integral), key=sympy.default_sort_key)]
    if not integrals:
        raise RuleError("there is no integral to evaluate", Status.FAILED)
    lhs, rhs = (evaluate_integrals(side) for side in unfolded)
    for side in (lhs, rhs):
        if side.has(sympy.Piecewise):
            conditions = ", ".join(ctx.math(c) for p in side.atoms(sympy.Piecewise)
                                   for _, c in p.args if c is not sympy.true)
            raise RuleError("the integral converges only if " + conditions
                            + ", which the declarations do not imply", Status.UNDECIDED)
        if side.has(Integral):
            raise RuleError("SymPy cannot evaluate "
                            + ctx.math(next(iter(side.atoms(Integral)))), Status.UNDECIDED)
    used = []
    for integral in integrals:
        variable, low, high = integral.limits[0]
        parameters = integral.function.free_symbols - {variable}
        used += [a for a in ctx.declared(*sorted(parameters, key=str)) if a not in used]
        domain = rf"{ctx.latex(variable)} \in ({ctx.latex(low)}, {ctx.latex(high)})"
        if domain not in used:
            used.append(domain)
    (lhs, rhs), original = _claim_first(claim, Integral, (lhs, rhs),
                                        (claim.lhs, claim.rhs))
    return ctx.holds(lhs, rhs, "the integral evaluates to something else", used,
                     original=original)


@claims(*DECIDABLE)
def differentiate(ctx: LinkContext) -> Verdict:
    """Derivatives evaluated by SymPy after substituting the premises' equations into both
    sides; a Kronecker delta collapses a sum only where the index's declared range lies
    inside the sum's."""
    claim = ctx.claim
    if any(side.has(GradientOf) for side in (claim.lhs, claim.rhs)):
        return _gradient(ctx)
    if not any(side.has(sympy.Derivative) for side in (claim.lhs, claim.rhs)):
        raise RuleError("there is no derivative to evaluate")
    relations = [Rewrite(c.lhs, c.rhs, ctx.particular(step)) for step in
                 ctx.require_premises(0, 9) for c in (ctx.conclusion(step),)]
    ranges = ctx.scope.domains
    written = [substitute(side, relations) for side in (claim.lhs, claim.rhs)]
    lhs, rhs = (evaluate_derivatives(side, ranges) for side in written)
    if any(side.has(sympy.Derivative) for side in (lhs, rhs)):
        raise RuleError("SymPy cannot evaluate the derivative", Status.UNDECIDED)
    deltas = sorted((d for side in (lhs, rhs) for s in side.atoms(sympy.Sum)
                     for d in s.function.atoms(sympy.KroneckerDelta)), key=str)
    if deltas:
        raise RuleError(f"the Kronecker delta {ctx.math(deltas[0])} does not collapse: "
                        "declare the range of its free index under [domains]",
                        Status.UNDECIDED)
    variables = [v for side in (claim.lhs, claim.rhs) for d in side.atoms(sympy.Derivative)
                 for v in d.variables]
    used = ctx.declared(*variables)
    indices = sorted({i for v in variables for i in getattr(v, "indices", ()) if i in ranges},
                     key=str)
    used += [rf"{ctx.latex(i)} \in \{{{ctx.latex(ranges[i][0])}, \dots, "
             rf"{ctx.latex(ranges[i][1])}\}}" for i in indices]
    (lhs, rhs), original = _claim_first(claim, sympy.Derivative, (lhs, rhs), tuple(written))
    return ctx.holds(lhs, rhs, "the derivative is different", used, original=original)


def _gradient(ctx: LinkContext) -> Verdict:
    """A gradient with respect to a vector or matrix, once the premises' equations are
    substituted: SymPy's matrix derivative, proved only where the gradient evaluated by
    numeric differentiation at random sizes and entries agrees."""
    claim = ctx.claim
    relations = [Rewrite(c.lhs, c.rhs, ctx.particular(step)) for step in
                 ctx.require_premises(0, 9) for c in (ctx.conclusion(step),)]
    lhs, rhs = (substitute(side, relations) for side in (claim.lhs, claim.rhs))
    return ctx.holds(lhs, rhs, "the gradient is different")


def _claim_first(claim, kind, *pairs):
    """Each (left, right) pair of sides ordered (the claim's, the rule's), so that a
    failure's ``expected`` is the rule's value: for an equation whose left side alone
    holds the ``kind`` the rule evaluates, every pair is turned round (equality is
    symmetric); any other claim keeps its order."""
    if claim.is_equality and claim.lhs.has(kind) and not claim.rhs.has(kind):
        return tuple((right, left) for left, right in pairs)
    return pairs


def _definition(ctx: LinkContext, claim: FunctionalDerivative) -> Basic:
    """The right side of the premise that defines the claim's functional."""
    (step,) = ctx.require_premises(1)
    definition = ctx.conclusion(step)   # an equation, or the rule is refused
    defined = definition.lhs
    if defined != claim.functional:  # the very functional, not one that prints alike
        raise RuleError(f"({step.tag}) defines {ctx.math(defined)}, not "
                        f"{ctx.math(claim.functional)}")
    function = claim.function_value.func.__name__
    arguments = [getattr(a, "name", None) for a in getattr(defined, "args", ())]
    if arguments and function not in arguments:
        raise RuleError(f"{ctx.math(defined)} is not a functional of "
                        f"{ctx.math(claim.function_value)}")
    return definition.rhs


def _domain(ctx: LinkContext, x: Basic) -> tuple[Basic, Basic]:
    """The declared range of the point's variable: [domains], else its sign."""
    if x in ctx.scope.domains:
        return ctx.scope.domains[x]
    if x.is_nonnegative:
        return (sympy.S.Zero, sympy.oo)
    if x.is_nonpositive:
        return (-sympy.oo, sympy.S.Zero)
    if x.is_real:
        return (-sympy.oo, sympy.oo)
    raise RuleError(f"{ctx.math(x)} is not declared real", Status.UNDECIDED)


def _region(ctx: LinkContext, x: Basic, ranges: set) -> tuple[tuple[Basic, Basic], bool]:
    """Where the derivative is known, and whether that is the whole domain of x."""
    domain = _domain(ctx, x)
    if not ranges:
        return domain, True
    if len(ranges) > 1:
        shown = ", ".join(f"$({ctx.latex(low)}, {ctx.latex(high)})$"
                          for low, high in sorted(ranges, key=str))
        raise RuleError(f"the integrals over the function run over different ranges: "
                        f"{shown}", Status.UNDECIDED)
    (low, high), = ranges
    if (low, high) == tuple(domain):
        return (low, high), True
    inside = sympy.Ge(low, domain[0]) is sympy.true and sympy.Le(high, domain[1]) is sympy.true
    if not inside:
        raise RuleError(f"the integral over {ctx.math(x)} in ({ctx.latex(low)}, "
                        f"{ctx.latex(high)}) reaches beyond its declared domain "
                        f"({ctx.latex(domain[0])}, {ctx.latex(domain[1])})", Status.UNDECIDED)
    return (low, high), False


def _cross_check_failure(ctx: LinkContext, check: CrossCheck, what: str) -> str:
    """The numbers of a failed Gateaux check, for the reason."""
    x = ctx.latex(ctx.claim.lhs.function_value.args[0])
    sample = ", ".join([f"${ctx.latex(ctx.claim.lhs.function_value)} = {ctx.latex(check.p)}$",
                        rf"$\varphi({x}) = {ctx.latex(check.phi)}$"]
                       + [f"${ctx.latex(k)} = {ctx.latex(v)}$" for k, v in check.values])
    return (f"{what} disagrees with the numeric directional derivative: "
            rf"$\frac{{d}}{{dh}} F[p + h \varphi] = {check.directional}$ at $h = 0$ but "
            rf"$\int \frac{{\delta F}}{{\delta p}} \varphi = {check.projected}$ "
            f"(for {sample})")


def variation(ctx: LinkContext) -> Verdict:
    """The functional derivative of the functional a premise defines, at p(x), by the
    chain and Euler-Lagrange rules, cross-checked against the functional numerically."""
    claim = ctx.claim
    if not isinstance(claim.lhs, FunctionalDerivative):
        raise RuleError("the link must start with \\frac{\\delta F}{\\delta p(x)}")
    functional = _definition(ctx, claim.lhs)
    point = claim.lhs.function_value
    if not (isinstance(point, AppliedUndef) and len(point.args) == 1
            and isinstance(point.args[0], sympy.Symbol)):
        raise RuleError("the variation is taken w.r.t. a function of one variable, at a "
                        "symbol", Status.UNDECIDED)
    (x,) = point.args
    if x in functional.free_symbols:
        raise RuleError(f"the functional already uses {x} besides its integration "
                        "variables", Status.UNDECIDED)
    at = Dummy("x", real=True)
    try:
        derived = functional_derivative(functional, point.func, at)
    except Unsupported as error:
        return _refute_or_undecided(ctx, functional, point, error.render(ctx.math))
    region, whole = _region(ctx, x, derived.ranges)
    names = {s.name for side in (claim.rhs, derived.value, functional)
             for s in side.atoms(sympy.Symbol)} | {x.name}
    expected = linear_form(rename_bound(derived.value, names).xreplace({at: x}))
    claimed = linear_form(rename_bound(claim.rhs, names))
    used = [rf"{ctx.latex(x)} \in ({ctx.latex(region[0])}, {ctx.latex(region[1])})"]
    verdict = ctx.compare(claimed, expected, "the functional derivative is different", used)
    return _cross_checked(ctx, verdict, functional, point, expected, region, whole, used[0])


def _refute_or_undecided(ctx: LinkContext, functional: Basic, point: AppliedUndef,
                         reason: str) -> Verdict:
    """Without a symbolic derivative the claim can still be refuted numerically, where
    every integral covers the whole domain of the point (else the claim may hold in part)."""
    domain = _domain(ctx, point.args[0])
    limits = {tuple(limit[1:]) for i in functional.atoms(Integral) for limit in i.limits}
    if limits == {tuple(domain)}:
        (check,) = cross_check(functional, [ctx.claim.rhs], point.func, point.args[0], domain)
        if check.agree is False:
            return Verdict.failed(_cross_check_failure(ctx, check, "the claim"))
    raise RuleError(f"the functional derivative is not computed: {reason}", Status.UNDECIDED)


def _cross_checked(ctx: LinkContext, verdict: Verdict, functional: Basic,
                   point: AppliedUndef, expected: Basic, region, whole: bool,
                   where: str) -> Verdict:
    """The symbolic verdict, trusted only as far as the numeric Gateaux check agrees."""
    x = point.args[0]
    (check,) = cross_check(functional, [ctx.claim.rhs], point.func, x, region)
    shown = ctx.latex(expected)
    if verdict.status is Status.FAILED:
        if check.agree:   # the numbers side with the claim: the rule may have erred
            (rule,) = cross_check(functional, [expected], point.func, x, region)
            reason = (_cross_check_failure(ctx, rule, "the rule's derivative")
                      if rule.agree is False else
                      "the numeric directional derivative agrees with the claim, "
                      "not with the rule: " + verdict.reason)
            return Verdict.undecided(reason, expected=shown)
        return verdict
    if check.agree is False:
        return Verdict.failed(_cross_check_failure(ctx, check, "the claim"), expected=shown)
    if not verdict.status.holds:
        return verdict
    if check.agree is None:
        return Verdict.undecided("cannot be cross-checked numerically: " + check.note,
                                 expected=shown)
    if not whole:
        return Verdict.undecided(
            f"the functional derivative is {ctx.math(expected)} only for ${where}$: the "
            f"integral does not cover the declared domain of {ctx.math(x)}, and outside "
            "it the derivative is 0", expected=shown)
    return replace(verdict, method=verdict.method + ", cross-checked numerically")


RULES = {
    "linearity": linearity,
    "integrate": integrate,
    "differentiate": differentiate,
    "variation": variation,
}
