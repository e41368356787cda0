"""The matrix check: SymPy's matrix algebra proves, an evaluator of its own (sizes and
entries drawn, mpmath at 40 digits) refutes and confirms, and neither alone proves."""

from __future__ import annotations

import mpmath
import pytest
import sympy
from sympy import Identity, Inverse, MatrixSymbol, Symbol, Transpose

from derive.check import matrices
from derive.check.equivalence import equivalent
from derive.check.numeric import compare as numeric_compare
from derive.check.verdict import Status
from derive.latex.matrices import GradientOf

n = Symbol("n", positive=True, integer=True)
p = Symbol("p", positive=True, integer=True)
lam = Symbol("lambda", positive=True)
X, y, w = MatrixSymbol("X", n, p), MatrixSymbol("y", n, 1), MatrixSymbol("w", p, 1)
A, B = MatrixSymbol("A", p, p), MatrixSymbol("B", p, p)
residual = y - X * w
rss = Transpose(residual) * residual


@pytest.mark.parametrize("left, right", [
    (Inverse(A * B), Inverse(B) * Inverse(A)),
    (Transpose(A * B), Transpose(B) * Transpose(A)),
    (GradientOf(rss, w), -2 * Transpose(X) * residual),
    (GradientOf(Transpose(w) * A * w, w), (A + Transpose(A)) * w),
    (sympy.Determinant(A * B), sympy.Determinant(A) * sympy.Determinant(B)),
    (GradientOf(sympy.Trace(A * B), A), Transpose(B)),    # with respect to a matrix
])
def test_true_identities_are_proved(left, right):
    assert equivalent(left, right).status is Status.PROVED


@pytest.mark.parametrize("left, right", [
    (A * B, B * A),                                   # true for 1×1 matrices only
    (Inverse(A * B), Inverse(A) * Inverse(B)),
    (GradientOf(rss, w), -Transpose(X) * residual),
    (GradientOf(Transpose(w) * A * w, w), 2 * A * w),
    (sympy.Trace(A * B * A), sympy.Trace(A * A * B) + 1),
])
def test_false_identities_fail_with_a_counterexample(left, right):
    outcome = equivalent(left, right)
    assert outcome.status is Status.FAILED
    sizes = dict(outcome.disagreement.point)
    assert sizes[p] >= 1 and outcome.disagreement.left != outcome.disagreement.right


def test_a_claim_true_only_for_1x1_matrices_meets_a_larger_size():
    result = matrices.compare(A * B, B * A)
    assert result.agree is False and dict(result.disagreement.point)[p] > 1


def test_numeric_compare_of_the_scalar_check_hands_matrices_over():
    assert numeric_compare(Transpose(A * B), Transpose(B) * Transpose(A)).agree is True
    assert numeric_compare(A * B, B * A).agree is False


def test_singular_samples_are_skipped_never_agreement():
    """The inverse of a matrix singular at every sample decides nothing, whatever it is
    claimed to equal (w w^T has rank 1; at p = 1 the inverse exists, and agrees)."""
    singular = Inverse(w * Transpose(w) + w * Transpose(w))
    twice = sympy.MatMul(sympy.Rational(1, 2), Inverse(w * Transpose(w)))
    result = matrices.compare(singular, twice)
    assert result.agree is None and "singular" in result.note
    assert equivalent(singular, twice).status is Status.UNDECIDED


def test_samples_where_x_transpose_x_is_singular_are_skipped():
    """(X^T X)^{-1} X^T X = I holds wherever the inverse exists (n >= p)."""
    gram = Transpose(X) * X
    result = matrices.compare(Inverse(gram) * gram, Identity(p))
    assert result.agree is True and result.sample["agreed"] >= matrices.NEEDED


def test_the_gradient_is_evaluated_without_sympy(monkeypatch):
    """A wrong matrix derivative from SymPy does not become a proof: the numeric
    gradient, by differences of the scalar, refutes the claim built on it."""
    wrong = 2 * Transpose(X) * residual
    monkeypatch.setattr(type(rss), "diff", lambda self, *a, **k: wrong)
    outcome = equivalent(GradientOf(rss, w), wrong)
    assert outcome.status is Status.FAILED


def test_the_evaluator_computes_a_gradient_by_differences():
    rng = __import__("random").Random(1)
    point = matrices._Point(rng, {p: 3}, {}, {})
    with mpmath.workdps(40):
        value = matrices.evaluate(GradientOf(Transpose(w) * w, w), point)
        expected = 2 * point.matrix(w)
        assert max(abs(value[i, 0] - expected[i, 0]) for i in range(3)) < mpmath.mpf(10) ** -25


def test_a_scalar_equals_a_1x1_matrix():
    outcome = equivalent(lam, Transpose(w) * w + lam * Identity(1) - Transpose(w) * w)
    assert outcome.status is Status.PROVED


def test_a_scalar_not_declared_real_is_not_drawn():
    z = Symbol("z")
    assert matrices.compare(z * A, A * z).agree is None


def test_a_symbolic_proof_without_numbers_is_no_proof():
    """The gamma function is not evaluated by the matrix check: SymPy shows the two
    sides equal, but without the numbers the step stays undecided."""
    outcome = equivalent(sympy.gamma(sympy.Trace(A)), sympy.gamma(sympy.Trace(Transpose(A))))
    assert outcome.status is Status.UNDECIDED
