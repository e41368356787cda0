"""Vectors and matrices in formulas: shapes checked as they are built.

SymPy builds ``X*y`` or ``X + y`` whatever the shapes; here every sum, product,
power, transpose, trace and determinant of a matrix is checked first, and a
mismatch is a :class:`ShapeError` that the transformer reports at its place. A
scalar written as a matrix expression (``w^T w``, ``\\|v\\|^2``) is a 1×1 matrix, and a
scalar added to or equated with one is read as that scalar times the 1×1 identity.
"""

from __future__ import annotations

import sympy
from sympy import (Basic, Determinant, Identity, ImmutableMatrix, Inverse, MatAdd, MatMul,
                   MatPow, MatrixBase, MatrixExpr, MatrixSymbol, Trace, Transpose, ZeroMatrix)


class ShapeError(Exception):
    """Two shapes that do not fit; the transformer gives it a position."""


def is_matrix(expr) -> bool:
    """Whether ``expr`` is matrix-valued (a matrix expression or an explicit matrix)."""
    return isinstance(expr, (MatrixExpr, MatrixBase))


def has_matrix(expr) -> bool:
    """Whether a matrix occurs anywhere in ``expr`` (``\\det(A)`` is a scalar of one)."""
    if is_matrix(expr):
        return True
    return isinstance(expr, Basic) and any(is_matrix(a) for a in sympy.preorder_traversal(expr))


def _size(value) -> str:
    return sympy.sstr(value)


def shape_text(expr) -> str:
    """``n \\times p``, for messages."""
    rows, cols = expr.shape
    return f"{_size(rows)}×{_size(cols)}"


def _same(a, b) -> bool:
    """Whether two dimensions are equal for every value of the declared sizes."""
    return sympy.simplify(a - b) == 0


def is_scalar_matrix(expr) -> bool:
    """A 1×1 matrix: a scalar in matrix form, such as w^T w."""
    return is_matrix(expr) and expr.shape == (1, 1)


def as_matrix(value):
    """A scalar as the 1×1 matrix it equals; a matrix as it is."""
    return value if is_matrix(value) else value * Identity(1)


def zero_beside(value, other):
    """A written 0 as the zero matrix of ``other``'s shape, when other is a matrix."""
    if is_matrix(other) and not is_matrix(value) and value == 0:
        return ZeroMatrix(*other.shape)
    return value


def negate(a):
    """``-a``, without SymPy working out a matrix's inverse as it negates it."""
    return MatMul(sympy.S.NegativeOne, *_factors(a)) if is_matrix(a) else -a


def add(a, b):
    """``a + b`` with the shapes checked; a scalar joins a 1×1 matrix."""
    if not (is_matrix(a) or is_matrix(b)):
        return sympy.Add(a, b)
    if is_scalar_matrix(a) or is_scalar_matrix(b):
        a, b = as_matrix(a), as_matrix(b)
    for first, second in ((a, b), (b, a)):
        if is_matrix(first) and not is_matrix(second):
            raise ShapeError(f"a scalar cannot be added to a {shape_text(first)} matrix")
    if not (_same(a.rows, b.rows) and _same(a.cols, b.cols)):
        raise ShapeError(f"a {shape_text(a)} and a {shape_text(b)} matrix cannot be added")
    return MatAdd(*MatAdd.make_args(a), *MatAdd.make_args(b))


def multiply(a, b):
    """The matrix product ``a b`` (or a scalar times a matrix), the shapes checked."""
    if not (is_matrix(a) and is_matrix(b)):
        return sympy.Mul(a, b) if not (is_matrix(a) or is_matrix(b)) else MatMul(a, b)
    if not _same(a.cols, b.rows):
        raise ShapeError(f"a {shape_text(a)} matrix times a {shape_text(b)} matrix: the "
                         f"columns of the first ({_size(a.cols)}) are not the rows of the "
                         f"second ({_size(b.rows)})")
    return MatMul(*_factors(a), *_factors(b))


def _factors(a):
    """The factors of a product as written, so that ``A B C`` is one flat product."""
    return a.args if isinstance(a, MatMul) else (a,)


def _square(a, what: str):
    if not _same(a.rows, a.cols):
        raise ShapeError(f"{what} needs a square matrix, not a {shape_text(a)} one")
    return a


def _invertible(base):
    """An explicit matrix whose determinant is 0 for every value has no inverse (and
    SymPy fails wherever it meets one): refused where it is written."""
    if isinstance(base, MatrixBase) and sympy.simplify(base.det()) == 0:
        raise ShapeError("this matrix is singular (its determinant is 0): it has no inverse")
    return base


def power(base, exponent):
    """``A^{-1}`` is the inverse, ``A^k`` a power (k a positive whole number)."""
    if exponent == -1:
        return Inverse(_invertible(_square(base, "an inverse")))
    if isinstance(exponent, sympy.Integer) and exponent > 0:
        return MatPow(_square(base, "a power"), exponent)
    raise ShapeError(f"a power {sympy.sstr(exponent)} of a matrix is not read: only A^{{-1}} "
                     "and whole powers A^{k}")


def transpose(a):
    """``A^\\top``."""
    if not is_matrix(a):
        raise ShapeError("a transpose needs a matrix or a vector")
    return Transpose(a)


def trace(a):
    """``\\operatorname{tr}(A)``, a scalar."""
    if not is_matrix(a):
        raise ShapeError("the trace needs a matrix")
    return Trace(_square(a, "the trace"))


def determinant(a):
    """``\\det(A)``, a scalar."""
    if not is_matrix(a):
        raise ShapeError("the determinant needs a matrix")
    return Determinant(_square(a, "the determinant"))


def squared_norm(v):
    """``\\|v\\|^2 = v^T v``, a 1×1 matrix, for a column vector v."""
    if not is_matrix(v) or not _same(v.cols, 1):
        raise ShapeError("the norm \\|v\\| is read for a column vector (n×1)")
    return MatMul(Transpose(v), v)


def literal(rows: list[list]) -> ImmutableMatrix:
    """A ``pmatrix``/``bmatrix``: every row as long as the first, every entry a scalar."""
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise ShapeError("every row of a matrix needs the same number of entries")
    if any(is_matrix(entry) for row in rows for entry in row):
        raise ShapeError("a matrix of matrices (a block matrix) is not read")
    return ImmutableMatrix(rows)


class GradientOf(MatrixExpr):
    """``\\nabla_{w} f``: the gradient of a scalar f (or a 1×1 matrix) with respect to a
    vector or matrix symbol w, of w's shape; unevaluated, so that the numeric check
    evaluates it by differences, independently of SymPy's matrix calculus."""

    def __new__(cls, function, variable):
        if not isinstance(variable, MatrixSymbol):
            raise ShapeError("a gradient is taken with respect to a declared vector or matrix")
        if is_matrix(function) and function.shape != (1, 1):
            raise ShapeError(f"the gradient of a {shape_text(function)} matrix is not read: "
                             "only of a scalar")
        return Basic.__new__(cls, function, variable)

    @property
    def function(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def shape(self):
        return self.variable.shape

    def doit(self, **hints):
        """SymPy's matrix derivative of the function, only when asked with
        ``gradient=True``: SymPy calls ``doit`` while it builds products, and the
        gradient as written must survive until the check evaluates it both ways."""
        function = self.function.doit(**hints) if hints.get("deep", True) else self.function
        if not hints.get("gradient"):
            return GradientOf(function, self.variable)
        return function.diff(self.variable)


#: Scalars that may hold a matrix directly: the trace, the determinant, a declared
#: function of a matrix, and SymPy's own matrix nodes.
_SCALARS_OF_MATRICES = (Trace, Determinant, sympy.core.function.AppliedUndef)


def misuse(expr):
    """The first scalar operation applied directly to a matrix where it has no reading
    (``\\sqrt{A}``, ``\\sum_i A``, ``\\exp(w^T w)``), or None."""
    if not isinstance(expr, Basic):
        return None
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, MatPow) and not (isinstance(node.exp, sympy.Integer)):
            return node
        if is_matrix(node) or isinstance(node, _SCALARS_OF_MATRICES):
            continue
        if any(is_matrix(arg) for arg in node.args):
            return node
    return None


def well_shaped(expr) -> bool:
    """Whether every product and sum of matrices in ``expr`` has fitting shapes (an
    edited expression, such as a mutant, may not)."""
    if not isinstance(expr, Basic):
        return True
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, MatMul):
            factors = [a for a in node.args if is_matrix(a)]
            if any(not _same(a.cols, b.rows) for a, b in zip(factors, factors[1:])):
                return False
        elif isinstance(node, (Inverse, MatPow, Trace, Determinant)):
            inner = node.args[0]
            if not _same(inner.rows, inner.cols):
                return False
        elif isinstance(node, MatAdd):
            first = node.args[0]
            if any(not (_same(a.rows, first.rows) and _same(a.cols, first.cols))
                   for a in node.args[1:]):
                return False
    return True
