"""Optimisation: Lagrangians, monotone transformations of an objective, argmin
equivalences."""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Product, Sum, Symbol
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError, require_equation
from derive.check.equivalence import equivalent
from derive.check.numeric import compare as numeric_compare
from derive.check.transforms import linear_form
from derive.check.verdict import Verdict
from derive.latex.notation import ArgMax, ArgMin, Maximize, Minimize


def _problem(ctx: LinkContext, step) -> tuple[Basic, list]:
    """The objective and the constraints of an optimisation problem stated by a step.

    ``\\max_p H(p) = R  s.t. ...`` reads as: maximise H(p), where H(p) = R.
    """
    for relation in step.formula.links:
        if isinstance(relation.lhs, (Maximize, Minimize)):
            return (relation.rhs if relation.is_equality else relation.lhs.body), \
                list(step.formula.constraints)
    for chain in step.formula.chains:
        for term in chain.terms:
            if isinstance(term, (Maximize, Minimize)):
                return term.body, list(step.formula.constraints)
    raise RuleError(f"({step.tag}) states no \\max or \\min problem")


def lagrangian(ctx: LinkContext) -> Verdict:
    """L = objective + sum of multiplier * (constraint lhs - constraint rhs).

    The multipliers are the Lagrangian's arguments after the first, or those given
    with ``with``, where a minus sign (``-\\lambda_1``) flips that term's sign.
    """
    claim = ctx.claim
    (step,) = ctx.require_premises(1)
    objective, constraints = _problem(ctx, step)
    for constraint in constraints:
        require_equation(constraint, f"a constraint of ({step.tag})")
    multipliers = list(ctx.argument("with"))
    if not multipliers and isinstance(claim.lhs, AppliedUndef):
        multipliers = [a for a in claim.lhs.args[1:] if isinstance(a, Symbol)]
    if len(multipliers) != len(constraints):
        raise RuleError(f"({step.tag}) has {len(constraints)} constraint(s) but there are "
                        f"{len(multipliers)} multiplier(s)")
    expected = objective + Add(*(m * (c.lhs - c.rhs) for m, c in zip(multipliers, constraints)))
    return ctx.compare(claim.rhs, expected, "this is not the Lagrangian of "
                       f"({step.tag})")


def _optimum(ctx: LinkContext, relation, kinds) -> Basic:
    if not isinstance(relation.rhs, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise RuleError(f"expected {names} on the right of ${ctx.latex(relation.lhs)} = \\dots$")
    return relation.rhs


def _optima(ctx: LinkContext, same_kind: bool):
    """The premise's argmin/argmax and the claim's, for the same variable and left side."""
    claim = ctx.claim
    (step,) = ctx.require_premises(1)
    before = ctx.conclusion(step)
    if not equivalent(claim.lhs, before.lhs).proved:
        raise RuleError(f"the left side differs from ({step.tag})",
                        expected=ctx.latex(before.lhs))
    old = _optimum(ctx, before, (ArgMax, ArgMin))
    new = _optimum(ctx, claim, (type(old),) if same_kind else (ArgMax, ArgMin))
    if old.variable != new.variable:
        raise RuleError(f"({step.tag}) optimises over {ctx.math(old.variable)}, the claim "
                        f"over {ctx.math(new.variable)}")
    return old, new


def monotone(ctx: LinkContext) -> Verdict:
    """argmax of a product of positive factors = argmin of minus the sum of their logs
    (or argmax of the sum of logs): log is strictly increasing on positive values."""
    old, new = _optima(ctx, same_kind=False)
    body = old.body
    factors = [body.function] if isinstance(body, Product) else [body]
    for factor in factors:
        if not factor.is_positive:
            raise RuleError(f"log is monotone only on positive values, and "
                            f"${ctx.latex(factor)} > 0$ does not follow from the declarations")
    logged = (Sum(sympy.log(body.function), *body.limits) if isinstance(body, Product)
              else sympy.log(body))
    # maximising f is maximising log f, and minimising -log f; minimising f likewise
    same_direction = type(old) is type(new)
    expected = logged if same_direction else -logged
    return ctx.compare(new.body, expected, "the objective is not the log of the premise's",
                       [f"{ctx.latex(f)} > 0" for f in factors])


def _split_free(expr: Basic, variable: Basic) -> tuple[Basic, Basic]:
    dependent, free = [], []
    for term in Add.make_args(sympy.expand_mul(linear_form(expr))):
        (dependent if term.has(variable) else free).append(term)
    return Add(*dependent), Add(*free)


def argmin_equiv(ctx: LinkContext) -> Verdict:
    """argmin (or argmax) is unchanged by adding terms free of the variable and by
    multiplying by a positive factor free of it; a negative or variable-dependent
    factor changes it."""
    old, new = _optima(ctx, same_kind=True)
    variable = old.variable
    old_part, _ = _split_free(old.body, variable)
    new_part, new_free = _split_free(new.body, variable)
    if new_part == 0:
        raise RuleError(f"the new objective does not depend on {ctx.math(variable)}")
    factor = sympy.simplify(old_part / new_part)
    expected = rf"c \cdot \left({ctx.latex(new.body)}\right) + d \text{{ with }} c > 0"
    if factor.has(variable) or factor.free_symbols & _bound(old.body):
        return Verdict.failed(
            f"the objectives differ by more than a positive constant factor and constant "
            f"terms: their ratio {ctx.math(factor)} depends on {ctx.math(variable)}",
            expected=expected, residual=ctx.latex(factor))
    if factor.is_positive:
        return Verdict.proved("constant terms dropped, positive factor "
                              + ctx.math(factor), ctx.declared(factor))
    if factor.is_negative or factor.is_zero:
        point = numeric_compare(factor, sympy.S.Zero, samples=1)
        sample = ()
        if point.disagreement is not None:
            sample = tuple((ctx.latex(k), str(sympy.N(v, 6))) for k, v in
                           point.disagreement.point)
        return Verdict.failed(f"the factor {ctx.math(factor)} is not positive, so "
                              f"{'argmin' if isinstance(old, ArgMin) else 'argmax'} changes",
                              expected=expected, residual=ctx.latex(factor),
                              counterexample=sample)
    return Verdict.undecided(f"cannot tell whether the factor {ctx.math(factor)} is positive",
                             expected=expected)


def _bound(expr: Basic) -> set:
    return {lim[0] for s in expr.atoms(Sum, Product, sympy.Integral) for lim in s.limits}


RULES = {
    "lagrangian": lagrangian,
    "monotone": monotone,
    "argmin_equiv": argmin_equiv,
}
