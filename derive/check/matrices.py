"""Equality of matrix expressions: SymPy's matrix algebra for a proof, and a numeric
check of its own that instantiates every symbolic size and every entry.

The numeric check draws each declared dimension (n, p) as a small whole number (1 to
4), every entry of every matrix symbol and every scalar as a random real of its
declared sign, and evaluates both sides entrywise in high precision with mpmath,
walking the SymPy tree itself: a transpose, a product, an inverse, a trace, a
determinant, and a gradient by numeric differentiation of the scalar it
differentiates. An inverse of a (nearly) singular sample is skipped, never counted as
agreement. A proof needs SymPy's canonical form to vanish *and* the numbers to agree.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

import mpmath
import sympy
from sympy import (Basic, Determinant, Identity, Inverse, MatAdd, MatMul, MatPow,
                   MatrixBase, MatrixSymbol, OneMatrix, Trace, Transpose, ZeroMatrix)

from derive.check.numeric import Disagreement, NumericResult
from derive.check.verdict import Status
from derive.latex.matrices import GradientOf, as_matrix, has_matrix, is_matrix

#: Working precision, the tolerance of agreement relative to the values' size, and
#: the condition number beyond which an inverse's sample is skipped.
DIGITS = 40
TOLERANCE = mpmath.mpf(10) ** -18
ILL_CONDITIONED = mpmath.mpf(10) ** 10
#: Sample points tried, and how many must be evaluated for agreement.
POINTS = 24
NEEDED = 8
SIZES = (1, 2, 3, 4)
#: The first points draw every size from these, so that a claim true only for 1×1
#: matrices (A B = B A) meets a counterexample; one of them must be evaluated.
GENERIC_SIZES = (2, 3, 4)
GENERIC_POINTS = 4

_SCALAR_FUNCTIONS = {sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.sin: mpmath.sin,
                     sympy.cos: mpmath.cos, sympy.tan: mpmath.tan, sympy.Abs: abs}


class NotEvaluable(Exception):
    """A node the matrix evaluator does not know: the check is undecided."""


class _Skip(Exception):
    """This sample cannot decide (a singular inverse, a value out of range)."""


@dataclass
class _Point:
    """One instantiation: sizes, scalar values and matrices, drawn on demand."""

    rng: random.Random
    sizes: dict
    scalars: dict
    matrices: dict

    def size(self, dimension: Basic) -> int:
        value = dimension.xreplace({d: sympy.Integer(v) for d, v in self.sizes.items()})
        if not isinstance(value, sympy.Integer) or value < 1:
            raise NotEvaluable(f"the size {dimension}")
        return int(value)

    def scalar(self, symbol: sympy.Symbol):
        if symbol in self.sizes:
            return mpmath.mpf(self.sizes[symbol])
        if symbol not in self.scalars:
            self.scalars[symbol] = _draw(symbol, self.rng)
        return self.scalars[symbol]

    def matrix(self, symbol: MatrixSymbol):
        if symbol not in self.matrices:
            rows, cols = self.size(symbol.rows), self.size(symbol.cols)
            self.matrices[symbol] = mpmath.matrix(
                [[_entry(self.rng) for _ in range(cols)] for _ in range(rows)])
        return self.matrices[symbol]


def _entry(rng: random.Random):
    """A real entry: mostly of unit size and either sign, now and then 0 or an integer."""
    kind = rng.random()
    if kind < 0.1:
        return mpmath.mpf(rng.choice((0, 1, -1, 2)))
    return mpmath.mpf(rng.uniform(-3, 3))


def _draw(symbol: sympy.Symbol, rng: random.Random):
    """A scalar of the symbol's declared sign; one not declared real is not drawn (the
    entries are real, and a complex value the check would never try is no evidence)."""
    if symbol.is_real is not True:
        raise NotEvaluable(f"the scalar {symbol}, not declared real,")
    if symbol.is_integer:
        value = mpmath.mpf(rng.randint(1 if symbol.is_positive else 0, 5))
    else:
        value = mpmath.mpf(10) ** mpmath.mpf(rng.uniform(-1, 0.6))
    if symbol.is_nonpositive or (not symbol.is_nonnegative and rng.random() < 0.4):
        value = -value
    if value == 0 and (symbol.is_positive or symbol.is_negative or symbol.is_nonzero):
        value = mpmath.mpf(1) if not symbol.is_negative else mpmath.mpf(-1)
    return value


# -- the evaluator ---------------------------------------------------------------------
def _square(value, what: str):
    if value.rows != value.cols:
        raise NotEvaluable(f"{what} of a {value.rows}×{value.cols} matrix")
    return value


def _inverse(value):
    """The inverse, or a skipped sample when the matrix is (nearly) singular."""
    _square(value, "an inverse")
    try:
        inverse = mpmath.inverse(value)
    except ZeroDivisionError:
        raise _Skip("a singular matrix") from None
    condition = mpmath.mnorm(value, 1) * mpmath.mnorm(inverse, 1)
    if not mpmath.isfinite(condition) or condition > ILL_CONDITIONED:
        raise _Skip("a nearly singular matrix")
    return inverse


def _product(values):
    result = None
    for value in values:
        if result is None:
            result = value
        elif isinstance(result, mpmath.matrix) and isinstance(value, mpmath.matrix):
            if result.cols != value.rows:
                raise NotEvaluable("a product of matrices whose shapes do not fit")
            result = result * value
        else:
            result = result * value
    return result


def _sum(values):
    result = values[0]
    for value in values[1:]:
        if isinstance(result, mpmath.matrix) != isinstance(value, mpmath.matrix):
            raise NotEvaluable("a sum of a scalar and a matrix")
        if isinstance(result, mpmath.matrix) and (result.rows, result.cols) != \
                (value.rows, value.cols):
            raise NotEvaluable("a sum of matrices of different shapes")
        result = result + value
    return result


def _as_scalar(value):
    if isinstance(value, mpmath.matrix):
        if (value.rows, value.cols) != (1, 1):
            raise NotEvaluable("a matrix where a scalar is needed")
        return value[0, 0]
    return value


def _gradient(node: GradientOf, point: _Point):
    """Each entry of the gradient by mpmath's numeric differentiation of the scalar
    along that entry of the variable."""
    variable = node.variable
    base = point.matrix(variable)
    result = mpmath.matrix(base.rows, base.cols)
    for i in range(base.rows):
        for j in range(base.cols):
            def along(t, i=i, j=j):
                moved = base.copy()
                moved[i, j] = base[i, j] + t
                point.matrices[variable] = moved
                try:
                    return _as_scalar(evaluate(node.function, point))
                finally:
                    point.matrices[variable] = base
            result[i, j] = mpmath.diff(along, 0)
    return result


def evaluate(expr: Basic, point: _Point):
    """The value of ``expr`` at the point: an mpmath matrix or number."""
    if isinstance(expr, GradientOf):
        return _gradient(expr, point)
    if isinstance(expr, MatrixSymbol):
        return point.matrix(expr)
    if isinstance(expr, Identity):
        return mpmath.eye(point.size(expr.rows))
    if isinstance(expr, ZeroMatrix):
        return mpmath.zeros(point.size(expr.rows), point.size(expr.cols))
    if isinstance(expr, OneMatrix):
        return mpmath.ones(point.size(expr.rows), point.size(expr.cols))
    if isinstance(expr, MatrixBase):
        return mpmath.matrix([[_as_scalar(evaluate(e, point)) for e in row]
                              for row in expr.tolist()])
    if isinstance(expr, (MatMul, sympy.Mul)):
        return _product([evaluate(a, point) for a in expr.args])
    if isinstance(expr, (MatAdd, sympy.Add)):
        return _sum([evaluate(a, point) for a in expr.args])
    if isinstance(expr, Transpose):
        return evaluate(expr.arg, point).T
    if isinstance(expr, Inverse):
        return _inverse(evaluate(expr.arg, point))
    if isinstance(expr, MatPow):
        return _matrix_power(evaluate(expr.base, point), expr.exp)
    if isinstance(expr, Trace):
        value = _square(evaluate(expr.arg, point), "a trace")
        return mpmath.fsum(value[k, k] for k in range(value.rows))
    if isinstance(expr, Determinant):
        return mpmath.det(_square(evaluate(expr.arg, point), "a determinant"))
    return _scalar(expr, point)


def _matrix_power(value, exponent):
    if not (isinstance(exponent, sympy.Integer)):
        raise NotEvaluable(f"the matrix power {exponent}")
    _square(value, "a power")
    if exponent < 0:
        value, exponent = _inverse(value), -exponent
    result = mpmath.eye(value.rows)
    for _ in range(int(exponent)):
        result = result * value
    return result


def _scalar(expr: Basic, point: _Point):
    if isinstance(expr, sympy.Rational):
        return mpmath.mpf(expr.p) / expr.q
    if isinstance(expr, sympy.Float):
        return mpmath.mpf(expr)
    if expr is sympy.pi:
        return +mpmath.pi
    if expr is sympy.E:
        return +mpmath.e
    if isinstance(expr, sympy.Symbol):
        return point.scalar(expr)
    if isinstance(expr, sympy.Pow):
        base = evaluate(expr.base, point)
        if isinstance(base, mpmath.matrix):
            return _matrix_power(base, expr.exp)
        exponent = evaluate(expr.exp, point)
        if base == 0 and exponent < 0:
            raise _Skip("a division by zero")
        return base ** exponent
    function = _SCALAR_FUNCTIONS.get(type(expr))
    if function is not None:
        return function(_as_scalar(evaluate(expr.args[0], point)))
    raise NotEvaluable(type(expr).__name__)


# -- comparing -------------------------------------------------------------------------
def _matrix(value):
    return value if isinstance(value, mpmath.matrix) else mpmath.matrix([[value]])


def _differs(left, right) -> bool:
    left, right = _matrix(left), _matrix(right)
    if (left.rows, left.cols) != (right.rows, right.cols):
        return True
    scale = max([mpmath.mpf(1)] + [abs(left[i, j]) for i in range(left.rows)
                                   for j in range(left.cols)]
                + [abs(right[i, j]) for i in range(right.rows) for j in range(right.cols)])
    difference = max(abs(left[i, j] - right[i, j]) for i in range(left.rows)
                     for j in range(left.cols))
    return difference > TOLERANCE * scale


def _sympy_value(value):
    if isinstance(value, mpmath.matrix):
        return sympy.ImmutableMatrix(value.rows, value.cols,
                                     [sympy.Float(mpmath.nstr(value[i, j], 15), 15)
                                      for i in range(value.rows) for j in range(value.cols)])
    return sympy.Float(mpmath.nstr(value, 15), 15)


def _seed(left: Basic, right: Basic) -> int:
    text = sympy.srepr(left) + "=" + sympy.srepr(right)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _dimensions(*exprs) -> list:
    """The symbolic sizes of every matrix in the expressions."""
    found = set()
    for expr in exprs:
        for node in sympy.preorder_traversal(expr):
            if is_matrix(node) and not isinstance(node, MatrixBase):
                for size in node.shape:
                    found |= getattr(size, "free_symbols", set())
    return sorted(found, key=str)


def compare(left: Basic, right: Basic, points: int = POINTS) -> NumericResult:
    """Search for a point where the two sides differ, every size and entry drawn."""
    seed = _seed(left, right)
    rng = random.Random(seed)
    dimensions = _dimensions(left, right)
    agreed = skipped = generic = 0
    record = {"seed": seed, "digits": DIGITS, "relation": "="}
    with mpmath.workdps(DIGITS):
        for index in range(points):
            sizes = GENERIC_SIZES if index < GENERIC_POINTS else SIZES
            point = _Point(rng, {d: rng.choice(sizes) for d in dimensions}, {}, {})
            try:
                first, second = evaluate(left, point), evaluate(right, point)
            except _Skip:
                skipped += 1
                continue
            except NotEvaluable as error:
                record.update(points=agreed, agreed=agreed)
                return NumericResult(None, agreed, note=f"cannot evaluate {error} "
                                     "numerically", sample=record)
            if _differs(first, second):
                record.update(points=agreed + skipped + 1, agreed=agreed)
                where = tuple([(d, sympy.Integer(v)) for d, v in point.sizes.items()]
                              + [(s, _sympy_value(v)) for s, v in point.scalars.items()]
                              + [(m, _sympy_value(v)) for m, v in point.matrices.items()])
                return NumericResult(False, agreed, Disagreement(
                    where, _sympy_value(first), _sympy_value(second)), sample=record)
            agreed += 1
            generic += all(size > 1 for size in point.sizes.values())
            if agreed >= NEEDED and generic:
                break
    record.update(points=agreed + skipped, agreed=agreed, skipped=skipped)
    if agreed < NEEDED or not generic:
        return NumericResult(None, agreed, note="too few sample matrices could be evaluated "
                             f"({skipped} were singular)", sample=record)
    return NumericResult(True, agreed, sample=record)


def canonical(expr: Basic) -> Basic:
    """SymPy's matrix canonical form: gradients and transposes worked out, products
    expanded over sums, and each term of a 1×1 sum written as the smaller of itself and
    its transpose (a 1×1 matrix is its own transpose: y^T X w = w^T X^T y)."""
    form = _scalars_out_of_inverses(expr.doit(gradient=True))
    if not is_matrix(form):
        return sympy.expand(form)
    form = _scalars_out_of_inverses(form.expand().doit())
    if form.shape != (1, 1):
        return form
    terms = [min(term, term.T.doit(), key=sympy.default_sort_key)
             for term in MatAdd.make_args(form)]
    return MatAdd(*terms).doit() if len(terms) > 1 else terms[0]


def _scaled_inverse(node) -> bool:
    return isinstance(node, Inverse) and isinstance(node.arg, MatMul) and \
        node.arg.as_coeff_matrices()[0] != 1


def _scalars_out_of_inverses(form: Basic) -> Basic:
    """``(c M)^{-1}`` as ``c^{-1} M^{-1}``, which SymPy leaves alone (c a nonzero
    scalar: where c is 0 neither side exists)."""
    def out(node):
        coefficient, factors = node.arg.as_coeff_matrices()
        return MatMul(1 / coefficient, Inverse(MatMul(*factors).doit())).doit()
    return form.replace(_scaled_inverse, out)


def _zero(expr: Basic) -> bool:
    return expr == 0 or isinstance(expr, ZeroMatrix) or (
        isinstance(expr, MatrixBase) and all(e == 0 for e in expr))


def symbolic(left: Basic, right: Basic) -> bool:
    """Whether SymPy's matrix algebra makes ``left - right`` vanish."""
    if is_matrix(left) or is_matrix(right):
        left, right = as_matrix(left), as_matrix(right)
    try:
        difference = canonical(left) - canonical(right)
        return _zero(difference) or _zero(canonical(difference))
    except (TypeError, ValueError, AttributeError, NotImplementedError):
        return False      # SymPy's shape and inverse errors are ValueErrors: no proof


def equivalent(left: Basic, right: Basic):
    """Decide ``left = right`` for matrix expressions (or scalars made of matrices):
    proved when SymPy's canonical form vanishes and the numbers agree; numeric when
    only the numbers agree; failed at a counterexample; undecided otherwise."""
    from derive.check.equivalence import Outcome
    if left == right:
        return Outcome(Status.PROVED, "identical")
    result = compare(left, right)
    if result.agree is False:
        return Outcome(Status.FAILED, "numeric", disagreement=result.disagreement,
                       sample=result.sample)
    shown = symbolic(left, right)
    if shown and result.agree:
        return Outcome(Status.PROVED, "matrix algebra; entries checked at "
                       f"{result.points} sizes", sample=result.sample)
    if result.agree:
        return Outcome(Status.NUMERIC, f"numeric ({result.points} random sizes and "
                       f"entries, {DIGITS} digits)", sample=result.sample)
    return Outcome(Status.UNDECIDED, note=result.note, sample=result.sample)


__all__ = ["compare", "equivalent", "evaluate", "has_matrix", "symbolic"]
