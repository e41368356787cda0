"""Calculus: linearity of integrals and sums, definite integrals, derivatives and
functional derivatives."""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Dummy, Integral
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError, claims
from derive.check.transforms import (Rewrite, evaluate_derivatives, evaluate_integrals, linear_form,
                                     substitute)
from derive.check.verdict import Status, Verdict
from derive.latex.notation import FunctionalDerivative
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
    integrals = [i for side in (claim.lhs, claim.rhs) for i in side.atoms(Integral)]
    if not integrals:
        raise RuleError("there is no integral to evaluate", Status.FAILED)
    lhs, rhs = evaluate_integrals(claim.lhs), evaluate_integrals(claim.rhs)
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
        used += [a for a in ctx.declared(*parameters) if a not in used]
        domain = rf"{ctx.latex(variable)} \in ({ctx.latex(low)}, {ctx.latex(high)})"
        if domain not in used:
            used.append(domain)
    lhs, rhs, original = _claim_first(claim, Integral, lhs, rhs)
    return ctx.holds(lhs, rhs, "the integral evaluates to something else", used,
                     original=original)


@claims(*DECIDABLE)
def differentiate(ctx: LinkContext) -> Verdict:
    """Derivatives evaluated by SymPy after substituting the premises' equations into both
    sides; a Kronecker delta collapses a sum only where the index's declared range lies
    inside the sum's."""
    claim = ctx.claim
    if not any(side.has(sympy.Derivative) for side in (claim.lhs, claim.rhs)):
        raise RuleError("there is no derivative to evaluate")
    relations = [Rewrite(c.lhs, c.rhs, ctx.particular(step)) for step in
                 ctx.require_premises(0, 9) for c in (ctx.conclusion(step),)]
    ranges = ctx.scope.domains
    lhs, rhs = (evaluate_derivatives(substitute(side, relations), ranges)
                for side in (claim.lhs, claim.rhs))
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
    lhs, rhs, _ = _claim_first(claim, sympy.Derivative, lhs, rhs)
    return ctx.holds(lhs, rhs, "the derivative is different", used)


def _claim_first(claim, kind, lhs: Basic, rhs: Basic):
    """The evaluated sides ordered (the claim's, the rule's) with the claim's sides
    alike, so that a failure's ``expected`` is the rule's value: an equation whose
    left side alone holds the ``kind`` the rule evaluates is turned round (equality
    is symmetric); any other claim keeps its order."""
    if claim.is_equality and claim.lhs.has(kind) and not claim.rhs.has(kind):
        return rhs, lhs, (claim.rhs, claim.lhs)
    return lhs, rhs, (claim.lhs, claim.rhs)


def _functional_derivative(functional: Basic, point: AppliedUndef) -> Basic:
    """delta F / delta p(x) for F a sum of constants times integrals of f(p(t), t) dt."""
    (x,) = point.args if len(point.args) == 1 else (None,)
    if x is None:
        raise RuleError("the variation is taken w.r.t. a function of one variable",
                        Status.UNDECIDED)
    value = Dummy("P")
    result = sympy.S.Zero
    for term in Add.make_args(sympy.expand_mul(functional)):
        integrals = [f for f in sympy.Mul.make_args(term) if isinstance(f, Integral)]
        if not integrals:
            if term.has(point.func):
                raise RuleError("a term depends on the function outside an integral",
                                Status.UNDECIDED)
            continue
        if len(integrals) > 1:
            raise RuleError("a product of integrals is not supported", Status.UNDECIDED)
        integral = integrals[0]
        factor = term / integral
        if factor.has(point.func):
            raise RuleError("a factor outside an integral depends on the function",
                            Status.UNDECIDED)
        (t, _, _), = integral.limits
        if t != x and x in integral.function.free_symbols:
            raise RuleError(f"the integrand already uses {x} besides the "
                            "integration variable", Status.UNDECIDED)
        body = integral.function.xreplace({t: x})
        local = body.replace(lambda e: isinstance(e, AppliedUndef) and e.func == point.func
                             and e.args == (x,), lambda e: value)
        if local.has(point.func):
            raise RuleError("the integrand uses the function at other points",
                            Status.UNDECIDED)
        result += factor * sympy.diff(local, value).xreplace({value: point})
    return result


def variation(ctx: LinkContext) -> Verdict:
    """The functional derivative of the functional a premise defines, at p(x)."""
    claim = ctx.claim
    if not isinstance(claim.lhs, FunctionalDerivative):
        raise RuleError("the link must start with \\frac{\\delta F}{\\delta p(x)}")
    (step,) = ctx.require_premises(1)
    definition = ctx.conclusion(step)
    defined = definition.lhs
    # the very functional the premise defines, not one that prints the same
    if defined != claim.lhs.functional:
        raise RuleError(f"({step.tag}) defines {ctx.math(defined)}, not "
                        f"{ctx.math(claim.lhs.functional)}")
    expected = _functional_derivative(definition.rhs, claim.lhs.function_value)
    return ctx.compare(claim.rhs, expected, "the functional derivative is different")


RULES = {
    "linearity": linearity,
    "integrate": integrate,
    "differentiate": differentiate,
    "variation": variation,
}
