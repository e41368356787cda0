"""Solving a linear matrix equation ``A w = b`` for a vector or matrix w.

The equation is brought to ``A w - b = 0`` by SymPy's matrix algebra, each term
either free of w or a product ending in w; the one solution is ``A^{-1} b`` when A
is square and invertible. Invertibility is not decided: it is an assumption, and the
verdict lists it. The claimed value must equal ``A^{-1} b`` (matrix algebra, with the
entries checked at random sizes) and, put back into the equation, satisfy it at random
sizes and entries, which no step of SymPy's takes part in.
"""

from __future__ import annotations

from dataclasses import replace

import sympy
from sympy import Identity, Inverse, MatAdd, MatMul, MatrixSymbol

from derive.check import matrices as numeric
from derive.check.context import LinkContext, RuleError
from derive.check.equivalence import Outcome
from derive.check.shown import pair
from derive.check.verdict import Status, Verdict
from derive.latex.formula import Relation
from derive.latex.matrices import add, as_matrix, is_matrix


def _coefficient(term, unknown: MatrixSymbol):
    """The matrix multiplying ``unknown`` in one term, or None when the term is no
    product ending in the unknown (``w^T A``, ``A w B``, ``w^T w``)."""
    if term == unknown:
        return Identity(unknown.rows)
    if not isinstance(term, MatMul) or term.args[-1] != unknown:
        return None
    rest = term.args[:-1]
    if any(arg.has(unknown) for arg in rest):
        return None
    coefficient = MatMul(*rest).doit()
    return coefficient if is_matrix(coefficient) else coefficient * Identity(unknown.rows)


def linear_form(relation: Relation, unknown: MatrixSymbol):
    """``(A, b)`` with the equation equivalent to ``A w = b``; RuleError otherwise."""
    difference = numeric.canonical(add(as_matrix(relation.lhs), -as_matrix(relation.rhs)))
    coefficients, constants = [], []
    for term in MatAdd.make_args(difference):
        if not term.has(unknown):
            constants.append(term)
            continue
        coefficient = _coefficient(term, unknown)
        if coefficient is None:
            raise RuleError("the equation is not linear of the form A w = b in the unknown "
                            "(a product ending in it)", Status.UNDECIDED)
        coefficients.append(coefficient)
    if not coefficients:
        raise RuleError("the equation does not contain the unknown")
    matrix = MatAdd(*coefficients).doit() if len(coefficients) > 1 else coefficients[0]
    right = -MatAdd(*constants).doit() if constants else sympy.ZeroMatrix(*unknown.shape)
    written = add(as_matrix(relation.lhs), -as_matrix(relation.rhs))
    if numeric.compare(written, add(MatMul(matrix, unknown), -right)).agree is not True:
        raise RuleError("SymPy's linear form A w - b of the equation could not be confirmed "
                        "numerically", Status.UNDECIDED)
    if matrix.could_extract_minus_sign():      # -X^T X w = -X^T y: as X^T X w = X^T y
        matrix, right = (-matrix).doit(), (-right).doit()
    return matrix, right


def solve_matrix(ctx: LinkContext, relation: Relation, unknown: MatrixSymbol, value,
                 source: str) -> Verdict:
    """The claim ``w = value`` is the one solution of ``relation`` for w, given that
    its coefficient matrix A is invertible (an assumption the verdict lists)."""
    matrix, right = linear_form(relation, unknown)
    if sympy.simplify(matrix.rows - matrix.cols) != 0:
        raise RuleError(f"the coefficient {ctx.math(matrix)} of {ctx.math(unknown)} is not "
                        "square: the solution is not unique", Status.UNDECIDED)
    assumption = f"{ctx.latex(matrix)} \\text{{ is invertible}}"
    expected = Inverse(matrix) * right
    put_back = numeric.compare(relation.lhs.xreplace({unknown: value}),
                               relation.rhs.xreplace({unknown: value}))
    if put_back.agree is False:
        outcome = Outcome(Status.FAILED, "numeric", disagreement=put_back.disagreement,
                          sample=put_back.sample)
        what = f"${ctx.latex(unknown)} = {ctx.latex(value)}$ does not solve {source}"
        verdict = ctx.verdict(outcome, value, expected, what, (assumption,))
        left, right = pair(put_back.disagreement.left, put_back.disagreement.right)
        return replace(verdict, reason=f"{what}: at the counterexample, with the claimed "
                       f"value put in, its left side is {left} and its right side {right}")
    verdict = ctx.compare(value, expected, f"solving {source} for {ctx.math(unknown)} "
                          f"gives {ctx.math(expected)}", (assumption,))
    if verdict.status.holds and put_back.agree is not True:
        return Verdict.undecided(f"the solution could not be put back into {source}: "
                                 f"{put_back.note}", expected=ctx.latex(expected))
    return verdict
