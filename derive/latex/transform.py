"""Turn a parse tree of the LaTeX grammar into SymPy, resolving names through a scope.

Nothing here evaluates text: every SymPy object is built by a constructor from
tokens the grammar already classified.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy
from lark import Token, Transformer, v_args
from sympy import Abs, Basic, Derivative, Indexed, Integer, Integral, Mul, Pow, Product, Rational, Sum

from derive.errors import LatexSyntaxError, Position
from derive.latex.formula import Chain, Formula, RelOp, Relation
from derive.latex.leibniz import D_NAMES, rewrite_leibniz
from derive.latex import matrices
from derive.latex.matrices import GradientOf, ShapeError, is_matrix
from derive.latex.distributions import DENSITIES, DISTRIBUTIONS, Family, family_of
from derive.latex.decorations import DECORATIONS, split_decorated
from derive.latex.indices import rewrite_indices
from derive.latex.expectations import Expected, KLDivergence, VarianceUnder
from derive.latex.laws import LawError, law, law_alone
from derive.latex.notation import (OPTIMIZERS, Expectation, FunctionalDerivative, IndexedSet,
                                   Variance, depends)
from derive.latex.scope import IndexLabel, Scope

FUNCTIONS = {
    "log": sympy.log, "ln": sympy.log, "exp": sympy.exp,
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
    "det": matrices.determinant,
}

#: Undeclared names of the trace of a matrix.
TRACE_NAMES = {r"\operatorname{tr}", r"\mathrm{tr}", r"\operatorname{Tr}", r"\mathrm{Tr}"}

#: ``\sin^{-1} x`` is arcsin x: the functions whose power -1 is their inverse.
INVERSES = {
    "sin": sympy.asin, "cos": sympy.acos, "tan": sympy.atan,
    "sinh": sympy.asinh, "cosh": sympy.acosh, "tanh": sympy.atanh,
}

#: Undeclared names that mean one thing in print: Euler's number set upright.
KNOWN_NAMES = {r"\mathrm{e}": sympy.E}

#: What an author who writes these undeclared names most likely means.
NAME_HINTS = {
    "e": r"for Euler's number write \exp(x), or declare e under [constants]",
    "d": r"a derivative is written \frac{d f}{d x} or \frac{\partial f}{\partial x}; a "
         r"differential d x only ends an \int",
    r"\mathrm{d}": r"a derivative is written \frac{\mathrm{d} f}{\mathrm{d} x}; a "
                   r"differential \mathrm{d}x only ends an \int",
    r"\Gamma": r"the gamma function is written \Gamma(x)",
}


RELATIONS = {"=": "=", r"\neq": r"\neq", r"\ne": r"\neq", "<": "<", ">": ">",
             r"\le": r"\le", r"\leq": r"\le", r"\ge": r"\ge", r"\geq": r"\ge",
             r"\sim": r"\sim", r"\approx": r"\approx", ":": ":",
             r"\to": r"\mapsto", r"\mapsto": r"\mapsto"}


#: Newton's dots: ``\\dot{x}``, ``\\ddot{x}`` and how many derivatives each marks.
NEWTON_DOTS = re.compile(r"^\\(?P<dots>d?dot)\{(?P<inner>.+)\}$")


def _squash(text: str) -> str:
    """A command's text without the spaces TeX ignores: ``\\mathcal { L }`` -> ``\\mathcal{L}``."""
    return "".join(text.split())


@dataclass(frozen=True)
class Script:
    """A sub- or superscript: its canonical text when it is a plain name, and its value."""

    key: str | None
    value: object
    equation: tuple | None = None   # (lhs, rhs) for i=1 in \sum_{i=1}
    decoration: str | None = None
    law: tuple | None = None        # (variable, law) for x \sim p below \mathbb{E}
    indices: tuple | None = None    # the names i, j of x_{ij}, unresolved
    line: int = 1
    column: int = 1
    transpose: bool = False   # ^\top, ^{\intercal}, ^{\mathsf{T}}


#: Exact numbers beyond this many digits are refused: no article needs them, and SymPy
#: would spend unbounded time and memory computing one such as ``10^{10^{10}}``.
MAX_DIGITS = 1000


def _power_digits(base, exponent) -> float:
    """About how many digits the exact value of ``base^exponent`` has (0 unless both
    are exact rational numbers, the only case SymPy works out in full)."""
    if not (isinstance(base, Rational) and isinstance(exponent, Rational)):
        return 0.0
    size = max(abs(base.p), abs(base.q))
    if size <= 1:
        return 0.0
    return float(abs(exponent)) * math.log10(size)


@dataclass(frozen=True)
class NameRef:
    """A name as written (head, subscript, decoration), not yet resolved."""

    head: str
    sub: Script | None
    decoration: str | None
    line: int
    column: int
    primes: int = 0     # y'' is the second derivative of a declared function y

    @property
    def key(self) -> str:
        text = self.head
        if self.sub is not None:
            text += "_{" + (self.sub.key or "?") + "}"
        if self.decoration:
            text += "^{" + self.decoration + "}"
        return text

    @property
    def named_sub(self) -> bool:
        """Whether the subscript is words (``p_{\\text{data}}``): part of the name, never an
        index or a function's parameter."""
        sub = self.sub
        return (sub is not None and sub.value is None and sub.key is not None
                and sub.key.startswith("\\text{"))

    @property
    def head_key(self) -> str:
        """The name a function or indexed data is declared under: the head, a subscript
        of words, the decoration."""
        named = "_{" + self.sub.key + "}" if self.named_sub else ""
        return self.head + named + ("^{" + self.decoration + "}" if self.decoration else "")

    @property
    def parameter(self):
        """The subscript that is a function's parameter (``f_\\theta``), or None."""
        return None if self.named_sub else self.sub


@dataclass(frozen=True)
class Juxtaposition:
    """``x (a + b)`` with x not a function: a product, kept apart until we know
    whether a power follows, since ``x (a+b)^2`` squares only the parenthesis."""

    left: Basic
    right: Basic


@dataclass(frozen=True)
class NormOf:
    """``\\|v\\|`` of a vector, waiting for its power: ``\\|v\\|^2`` is v^T v."""

    vector: Basic
    line: int
    column: int


@dataclass(frozen=True)
class Operator:
    r"""``\frac{d}{dx}`` or ``\frac{\partial^2}{\partial x^2}`` waiting for its operand,
    the factor right after it; ``factor`` multiplies the result (``2 \frac{d}{dx} f``)."""

    steps: tuple       # ((variable, count), ...) per operator, the outermost first
    factor: Basic
    line: int
    column: int

    def apply(self, operand):
        for variables in reversed(self.steps):
            operand = _derivative(operand, variables)
        return operand if self.factor == 1 else matrices.multiply(self.factor, operand)



def _matrix_variable(variable) -> bool:
    return isinstance(variable, sympy.MatrixSymbol)


def _derivative(expr, variables):
    r"""The unevaluated derivative of ``expr``; the last variable written is taken first,
    as in ``\frac{\partial}{\partial x}\frac{\partial}{\partial y} f``; with respect
    to a vector or matrix, the gradient."""
    if any(_matrix_variable(v) for v, _ in variables):
        if len(variables) != 1 or variables[0][1] != 1:
            raise ShapeError("a derivative with respect to a vector or matrix is read only "
                             "once and alone (the gradient)")
        if is_matrix(expr) and expr.shape != (1, 1):
            raise ShapeError(f"the gradient of a {matrices.shape_text(expr)} matrix is not "
                             "read, only of a scalar; the operand of \\nabla_{w} is the one "
                             "factor after it: write \\nabla_{w} \\left(w^\\top A w\\right)")
        return GradientOf(expr, variables[0][0])
    if is_matrix(expr):
        raise ShapeError("the derivative of a matrix with respect to a scalar is not read")
    return Derivative(expr, *reversed(variables))


@dataclass(frozen=True)
class CallRef:
    """``name(args)`` read without a scope, as in a function declaration."""

    name: NameRef
    arguments: tuple
    separators: tuple[str, ...]


@v_args(inline=True)
class ToSympy(Transformer):
    """The transformer: one method per grammar rule, named after it.

    With ``declaring=True`` names and calls are returned unresolved, which is how
    declarations themselves are read.
    """

    def __init__(self, scope: Scope, declaring: bool = False):
        super().__init__()
        self.scope = scope
        self.declaring = declaring
        self.written: list = []   # every integral, sum and product, before SymPy simplifies

    # -- errors and names --------------------------------------------------
    def _error(self, message: str, line: int, column: int):
        return LatexSyntaxError(message, Position(line=line, column=column))

    def value(self, item):
        """Resolve a name to its SymPy value; everything else passes through."""
        if isinstance(item, NameRef):
            if self.declaring:  # a name used as a value: arithmetic in a declaration
                raise self._error("declare a name, or a function applied to names",
                                  item.line, item.column)
            return self._resolve_name(item)
        if isinstance(item, Script):
            if item.indices is not None:
                raise self._error("a subscript of juxtaposed names has two readings, several "
                                  "indices or their product: only indexed data declared with "
                                  "that many indices takes several; write the product with "
                                  "\\cdot", item.line, item.column)
            if item.value is None:  # \text{..}, a decoration or i=1 where a value is needed
                what = item.key or item.decoration or "'='"
                raise self._error(f"{what} is not a value here", item.line, item.column)
            return self.value(item.value)
        if isinstance(item, CallRef):
            raise self._error("a call is not allowed here", item.name.line, item.name.column)
        if isinstance(item, Juxtaposition):
            return self._shaped(None, matrices.multiply, item.left, item.right)
        if isinstance(item, NormOf):
            raise self._error(r"the norm of a vector is read squared: write \|v\|^2 (v^T v)",
                              item.line, item.column)
        if isinstance(item, Operator):
            raise self._error("a derivative operator needs the expression it differentiates "
                              r"right after it, as in \frac{d}{dx} f(x)", item.line, item.column)
        return item

    def transform(self, tree):
        """Transform the tree once Leibniz fractions are recognised (see leibniz.py)."""
        declared = [d for d in D_NAMES if self.scope.declares(d)]
        tree = rewrite_indices(rewrite_leibniz(tree, declared), set(self.scope.ranks),
                               self.scope.superscripted)
        return super().transform(tree)

    def _resolve_name(self, ref: NameRef):
        if self.declaring:
            if ref.primes:
                raise self._error("a declared name cannot carry a prime: write "
                                  r"y^{\prime} for a name of its own", ref.line, ref.column)
            return ref
        if ref.primes:
            return self._primed(ref, None)
        dotted = self._newton(ref)
        if dotted is not None:
            return self._primed(dotted, None)
        increment = self._increment(ref)
        if increment is not None:
            return increment
        scope = self.scope
        if ref.sub is not None and ref.sub.indices is not None and ref.head_key in scope.indexed:
            return self._entry(ref)
        key = ref.key
        spelled = ref.sub is None or ref.sub.key is not None   # x_{a b} names no symbol
        if spelled and key in scope.symbols:
            return scope.symbols[key]
        if spelled and key in scope.constants:
            return scope.constants[key]
        if spelled and key in scope.matrices:
            return scope.matrices[key]
        if ref.sub is not None and ref.head_key in scope.indexed and not ref.decoration:
            return self._entry(ref)
        if ref.head_key in scope.functions:
            return self._bare_function(ref)
        if key in KNOWN_NAMES:
            return KNOWN_NAMES[key]
        delta = self._kronecker(ref)
        if delta is not None:
            return delta
        if not spelled:
            raise self._error(f"'{ref.head_key}' with a computed subscript is no declared name "
                              "(only data declared under [indexed] takes one)",
                              ref.line, ref.column)
        hint = NAME_HINTS.get(key, "")
        raise self._error(f"undeclared name '{key}'" + (f" ({hint})" if hint else ""),
                          ref.line, ref.column)

    def _kronecker(self, ref: NameRef):
        """``\\delta_{k j}``, where ``\\delta`` is declared as nothing: the Kronecker delta,
        1 where the two indices agree and 0 elsewhere (the entries of the identity)."""
        names = ref.sub.indices if ref.sub is not None else None
        if ref.head_key != r"\delta" or self.scope.declares(ref.head_key) or ref.decoration \
                or ref.primes or names is None or len(names) != 2:
            return None
        return sympy.KroneckerDelta(*(self.value(n) for n in names))

    def _entry(self, ref: NameRef):
        """``x_i`` or ``x_{ij}``: an entry of declared indexed data, with as many indices as
        the data is declared with. ``x_{ij}`` of data with one index is x at i·j or a
        misdeclared matrix: refused, as is any other count."""
        base = self.scope.indexed[ref.head_key]
        rank = self.scope.ranks.get(ref.head_key, 1)
        if ref.head_key in self.scope.superscripted:
            raise self._error(f"'{ref.head_key}' is declared with its index above, "
                              f"{ref.head_key}^{{(i)}}: a subscript has no reading here",
                              ref.line, ref.column)
        names = ref.sub.indices
        if names is None and rank == 1:
            return base[self.value(ref.sub)]
        if names is not None and len(names) == rank and not ref.decoration:
            return base[tuple(self.value(n) for n in names)]
        written = " ".join(self._index_text(n) for n in names) if names else ref.sub.key or "?"
        if rank == 1:
            spaced = " \\cdot ".join(self._index_text(n) for n in names)
            raise self._error(f"'{ref.head_key}_{{{written}}}' is ambiguous, the entry at the "
                              f"index {spaced} or an entry with {len(names)} indices: write "
                              f"{ref.head_key}_{{{spaced}}} for the product, or declare "
                              f"'{ref.head_key}' under [indexed] with indices = {len(names)}",
                              ref.line, ref.column)
        raise self._error(f"'{ref.head_key}' is declared with {rank} indices: write them "
                          f"as {ref.head_key}_{{{'ijk'[:rank] if rank <= 3 else '...'}}}",
                          ref.line, ref.column)

    @staticmethod
    def _index_text(index) -> str:
        return index.key if isinstance(index, NameRef) else str(index)

    def superscript_entry(self, ref: NameRef, index):
        """``y^{(i)}`` of data declared ``superscript = true``: the entry y[i]."""
        return self.scope.indexed[ref.head_key][self.value(index)]

    def _bare_function(self, ref: NameRef):
        """A declared function written without arguments is that function applied to its
        declared arguments: with ``f(\\lambda)`` declared, ``f`` is f(lambda), never a
        constant. Several declared arities leave no single reading: refused."""
        sigs = self.scope.functions[ref.head_key]
        if len(sigs) > 1:
            forms = " or ".join(s.latex for s in sigs)
            raise self._error(f"'{ref.key}' alone is ambiguous, one reading per declared "
                              f"arity: write its arguments, {forms}", ref.line, ref.column)
        (sig,) = sigs
        if not all(isinstance(a, (sympy.Symbol, sympy.MatrixSymbol)) for a in sig.arguments):
            raise self._error(f"'{ref.key}' alone cannot stand for its declared arguments: "
                              "write them", ref.line, ref.column)
        parameters = ([self.value(ref.parameter)] if ref.parameter is not None
                      else list(sig.parameters))
        if len(parameters) != len(sig.parameters):
            raise self._error(f"function '{ref.head_key}' is declared with "
                              f"{len(sig.parameters)} subscript parameter(s), not "
                              f"{len(parameters)}", ref.line, ref.column)
        return sig.apply(sig.arguments, parameters)

    def _increment(self, ref: NameRef):
        """``\\Delta t``: the declared name, or (undeclared) \\Delta times t as before;
        both declared, \\Delta and \\Delta t, give two readings: refused."""
        if not ref.head.startswith("\\Delta "):
            return None
        whole = NameRef(ref.head, None, None, ref.line, ref.column).key
        if self.scope.declares(whole) or self.scope.declares(ref.key):
            if self.scope.declares(r"\Delta"):
                raise self._error(f"'{whole}' is ambiguous, the declared name or \\Delta "
                                  f"times {ref.head[7:]}: give one of them another name",
                                  ref.line, ref.column)
            return None
        rest = NameRef(ref.head[len("\\Delta "):], ref.sub, ref.decoration, ref.line,
                       ref.column + 6, ref.primes)
        if r"\Delta" in self.scope.functions:
            raise self._error(f"'{whole}' is ambiguous, the declared function \\Delta applied "
                              f"to {rest.key} or \\Delta times {rest.key}: write "
                              f"\\Delta({rest.key}) to apply it, or \\Delta \\cdot {rest.key}",
                              ref.line, ref.column)
        delta = NameRef(r"\Delta", None, None, ref.line, ref.column)
        return Mul(self._resolve_name(delta), self._resolve_name(rest))

    def _newton(self, ref: NameRef) -> NameRef | None:
        """``\\dot{x}``, ``\\ddot{x}`` with x a declared function: x with one or two
        primes, the derivative with respect to its single argument. A dotted name that is
        also declared on its own has two readings: refused."""
        found = NEWTON_DOTS.match(ref.head)
        if found is None or found["inner"] not in self.scope.functions or ref.decoration:
            return None
        if self.scope.declares(ref.key):
            raise self._error(f"'{ref.key}' is ambiguous, the declared name or the time "
                              f"derivative of the declared function {found['inner']}: give "
                              "one of them another name", ref.line, ref.column)
        count = 2 if found["dots"] == "ddot" else 1
        return NameRef(found["inner"], ref.sub, None, ref.line, ref.column, count)

    def _primed(self, ref: NameRef, arguments):
        """``y''`` or ``f'(x)``: the derivative of a declared function of one argument,
        at its declared argument or at the one written. A prime on anything else has no
        single reading (a derivative with respect to what?): refused."""
        scope = self.scope
        primes = "'" * ref.primes
        named = NameRef(ref.head, ref.sub, r"\prime", ref.line, ref.column).key
        if ref.primes == 1 and not ref.decoration and named in scope.symbols:
            if ref.head_key in scope.functions:
                raise self._error(f"'{ref.key}'' is ambiguous, the declared name {named} or "
                                  f"the derivative of the declared function {ref.head_key}: "
                                  "give one of them another name", ref.line, ref.column)
            return scope.symbols[named]   # R' with R^{\prime} declared and R no function
        sigs = [s for s in scope.functions.get(ref.head_key, ()) if len(s.arguments) == 1]
        if ref.head_key not in scope.functions or ref.key in scope.symbols:
            raise self._error(f"'{ref.key}{primes}' is ambiguous: a prime is a derivative only "
                              f"of a declared function of one argument (declare "
                              f"{ref.head_key}(t) under [functions]); write "
                              f"{ref.head_key}^{{\\prime}} for a name of its own",
                              ref.line, ref.column)
        if len(sigs) != 1:
            raise self._error(f"'{ref.key}{primes}': a prime needs a function of one "
                              r"argument; write \frac{\partial f}{\partial x} for a partial "
                              "derivative", ref.line, ref.column)
        (sig,) = sigs
        parameters = ([self.value(ref.parameter)] if ref.parameter is not None
                      else list(sig.parameters))
        if len(parameters) != len(sig.parameters):
            raise self._error(f"function '{ref.head_key}' is declared with "
                              f"{len(sig.parameters)} subscript parameter(s), not "
                              f"{len(parameters)}", ref.line, ref.column)
        (variable,) = sig.arguments
        if not isinstance(variable, sympy.Symbol):
            raise self._error(f"'{ref.key}{primes}' needs a declared argument that is a "
                              "symbol", ref.line, ref.column)
        derivative = Derivative(sig.apply((variable,), parameters), (variable, ref.primes))
        if arguments is None:
            return derivative
        (point,) = arguments
        return derivative.subs(variable, point) if point != variable else derivative

    def _function_or_value(self, item):
        """Where a function itself may stand (a functional's argument, the variable of
        \\max_{p}), a bare declared function name is the function, not its value."""
        if isinstance(item, Script) and item.value is not None:
            item = item.value
        scope = self.scope
        if (isinstance(item, NameRef) and item.sub is None and not self.declaring
                and item.key not in scope.symbols and item.head_key in scope.functions):
            return scope.function_reference(item.head_key)
        return self.value(item)

    def _shaped(self, where, build, *operands):
        """``build(*operands)`` (a matrix operation); a shape mismatch is an error at
        ``where`` (a token, a meta or a name with a line and column)."""
        try:
            return build(*operands)
        except ShapeError as error:
            raise self._error(str(error), getattr(where, "line", 1) or 1,
                              getattr(where, "column", 1) or 1) from None

    # -- statement ---------------------------------------------------------
    def start(self, body, tag=None):
        chains, constraints = body
        tag_text = None
        if tag is not None:
            tag_text = tag.value[tag.value.index("{") + 1:-1].strip()
        return Formula(tuple(chains), tuple(constraints), tag_text,
                       written=tuple(dict.fromkeys(self.written)))

    def statement(self, begin, body, end):
        return body

    def body(self, *items):
        chains, constraints = [], ()
        for item in items:
            if isinstance(item, Chain):
                chains.append(item)
            elif isinstance(item, tuple):
                constraints = item
        return chains, constraints

    def chain(self, *items):
        terms = [self.value(items[0])]
        if len(items) == 1:
            terms[0], _ = self._same_shape(terms[0], terms[0], (1, 1))
        ops, positions = [], []
        for k in range(1, len(items), 2):
            op, pos = items[k]
            ops.append(op)
            positions.append(pos)
            terms.append(self.value(items[k + 1]))
            terms[-2], terms[-1] = self._same_shape(terms[-2], terms[-1], pos)
        return Chain(tuple(terms), tuple(ops), tuple(positions))

    def _same_shape(self, left, right, position):
        """The two sides of a relation, which must have one shape (a scalar equals a 1×1
        matrix, and a 0 beside a matrix is the zero matrix of its shape, as printed in
        ``\nabla_{w} E = 0``), with no scalar operation applied to a matrix."""
        for side in (left, right):
            wrong = matrices.misuse(side)
            if wrong is not None:
                raise self._error(f"{type(wrong).__name__} of a matrix is not read (only "
                                  r"sums, products, A^\top, A^{-1}, \det, \operatorname{tr}, "
                                  r"\|v\|^2 and \nabla_{w})", position[0], position[1])
        if not (is_matrix(left) or is_matrix(right)):
            return left, right
        left, right = matrices.zero_beside(left, right), matrices.zero_beside(right, left)
        self._shaped(Position(line=position[0], column=position[1]), matrices.add,
                     left, right)
        return left, right

    def constraints(self, _such_that, *relations):
        return tuple(relations)

    def relation(self, lhs, relop, rhs):
        op, (line, column) = relop
        lhs, rhs = self._same_shape(self.value(lhs), self.value(rhs), (line, column))
        return Relation(op, lhs, rhs, line=line, column=column)

    def relop(self, token):
        return RelOp(RELATIONS[_squash(token.value)]), (token.line, token.column)

    def tends(self, token, variable, _to, point):
        return RelOp(r"\to", (self.value(variable), self.value(point))), (token.line, token.column)

    # -- arithmetic --------------------------------------------------------
    @v_args(inline=True, meta=True)
    def add(self, meta, a, b):
        a, b = self.value(a), self.value(b)
        if is_matrix(a) or is_matrix(b):
            return self._shaped(meta, matrices.add, a, b)
        return sympy.Add(a, b)

    @v_args(inline=True, meta=True)
    def sub(self, meta, a, b):
        a, b = self.value(a), self.value(b)
        if is_matrix(a) or is_matrix(b):
            return self._shaped(meta, matrices.add, a, matrices.negate(b))
        return sympy.Add(a, -b)

    def neg(self, a):
        return matrices.negate(self.value(a))

    def pos(self, a):
        return self.value(a)

    def mul_explicit(self, a, op, b):
        a, b = self.value(a), self.value(b)
        if is_matrix(a) or is_matrix(b):
            if op.type == "SLASH" and is_matrix(b):
                raise self._error("a division by a matrix is not read: write its inverse, "
                                  "A^{-1}", op.line, op.column)
            if op.type == "TIMES" and is_matrix(a) and is_matrix(b):
                raise self._error(r"\times between matrices is not read (a cross product?): "
                                  r"write the matrix product A B or A \cdot B", op.line,
                                  op.column)
            if op.type == "SLASH":
                b = Pow(b, -1)
            return self._shaped(op, matrices.multiply, a, b)
        if op.type == "SLASH":
            return Mul(a, Pow(b, -1))
        return Mul(a, b)

    @v_args(inline=True, meta=True)
    def mul_implicit(self, meta, a, b):
        if isinstance(a, Operator):
            if isinstance(b, Operator):
                return Operator(a.steps + b.steps, a.factor * b.factor, a.line, a.column)
            variables = [pair for step in a.steps for pair in step]
            operand = self._operand(a, b, variables)
            return self._shaped(a, a.apply, operand)
        if isinstance(b, Operator):
            return Operator(b.steps, self._scalar(self.value(a), b, "an operator's factor")
                            * b.factor, b.line, b.column)
        a, b = self.value(a), self.value(b)
        if is_matrix(a) or is_matrix(b):
            return self._shaped(meta, matrices.multiply, a, b)
        return Mul(a, b)

    def power(self, base, script: Script):
        if script.decoration is not None:
            if not isinstance(base, NameRef) or base.decoration:
                raise self._error(f"decoration ^{{{script.decoration}}} needs a plain name",
                                  script.line, script.column)
            return NameRef(base.head, base.sub, script.decoration, base.line, base.column)
        if script.equation is not None:
            raise self._error("'=' is only allowed in the limits of \\sum and \\prod",
                              script.line, script.column)
        if isinstance(base, NormOf):
            if self.value(script) != 2:
                raise self._error(r"the norm of a vector is read squared: \|v\|^2",
                                  script.line, script.column)
            return self._shaped(base, matrices.squared_norm, base.vector)
        if isinstance(base, Juxtaposition):
            right = self._matrix_power(base.right, script)
            if right is None:
                right = self._power(base.right, self.value(script), script)
            return self._shaped(script, matrices.multiply, base.left, right)
        if isinstance(base, NameRef) and base.head.startswith("\\Delta ") \
                and not self.scope.declares(NameRef(base.head, None, None, 1, 1).key):
            raise self._error(f"'{base.key}^{{...}}' is ambiguous, the power of the increment "
                              f"({base.key}) or \\Delta times a power of {base.head[7:]}: "
                              f"write \\left({base.key}\\right)^{{...}} or \\Delta "
                              f"\\cdot {base.head[7:]}^{{...}}", base.line, base.column)
        found = self._matrix_power(self.value(base), script)
        if found is not None:
            return found
        return self._power(self.value(base), self.value(script), script)

    def _matrix_power(self, base, script: Script):
        """``X^\top``, ``X^T``, ``A^{-1}``, ``A^2`` of a matrix; None for a scalar base.
        ``X^T`` with T also a declared name has two readings: refused."""
        if script.transpose:
            return self._shaped(script, matrices.transpose, base)
        if not is_matrix(base):
            return None
        if script.key == "T" and isinstance(script.value, NameRef):
            if self.scope.declares("T"):
                raise self._error("X^T is ambiguous: T is a declared name, so this may be a "
                                  r"power; write X^\top for the transpose", script.line,
                                  script.column)
            return matrices.transpose(base)
        return self._shaped(script, matrices.power, base, self.value(script))

    def _power(self, base, exponent, script: Script):
        """``base^exponent``, refused when it is an exact number too large to write out:
        SymPy would compute ``10^{10^{10}}`` in full and never finish loading."""
        digits = _power_digits(base, exponent)
        if digits > MAX_DIGITS:
            raise self._error(f"the number is too large: about {digits:.3g} digits, more "
                              f"than the {MAX_DIGITS} derive accepts", script.line,
                              script.column)
        return Pow(base, exponent)

    def factorial(self, base, bang):
        if len(bang.value) > 1:
            raise self._error(f"'{bang.value}' is ambiguous, a multiple factorial or a "
                              "factorial of a factorial: write (n!)! for the latter",
                              bang.line, bang.column)
        return sympy.factorial(self.value(base))

    def binomial(self, _token, top, bottom):
        return sympy.binomial(self.value(top), self.value(bottom))

    def number(self, token):
        digits = len(token.value.replace(".", ""))
        if digits > MAX_DIGITS:
            raise self._error(f"the number is too long: {digits} digits, more than the "
                              f"{MAX_DIGITS} derive accepts", token.line, token.column)
        value = Fraction(token.value)
        return Rational(value.numerator, value.denominator)

    def pi(self, _token):
        return sympy.pi

    def infinity(self, _token):
        return sympy.oo

    def paren(self, *items):
        inner = [i for i in items if not isinstance(i, Token)]
        return self.value(inner[0])

    def abs(self, left, inner, _right):
        value = self.value(inner)
        if is_matrix(value):
            raise self._error(r"bars around a matrix are ambiguous (a determinant or a norm): "
                              r"write \det(A), or \|v\|^2 for a vector", left.line,
                              left.column)
        return Abs(value)

    def frac(self, token, numerator: Script, denominator: Script):
        top, bottom = self.value(numerator), self.value(denominator)
        if is_matrix(bottom):
            raise self._error("a division by a matrix is not read: write its inverse, A^{-1}",
                              token.line, token.column)
        if is_matrix(top):
            return self._shaped(token, matrices.multiply, Pow(bottom, -1), top)
        return Mul(top, Pow(bottom, -1))

    def fderiv(self, token, _d1, functional, _d2, point):
        functional = self.value(functional)
        point = self.value(point)
        if not isinstance(point, sympy.core.function.AppliedUndef):
            raise self._error("\\frac{\\delta F}{\\delta p(x)} needs a declared function "
                              "applied to its variable below", token.line, token.column)
        return FunctionalDerivative(functional, point)

    def _variables(self, token, pairs):
        """The variables below a derivative with their counts, each a symbol."""
        variables = []
        for ref, count in pairs:
            variable = None if ref is None else self.value(ref)
            if isinstance(ref, NameRef) and isinstance(variable, Derivative):
                raise self._error(f"a derivative with respect to '{ref.key}', itself a "
                                  "derivative, is not read: declare a symbol for it under "
                                  "[symbols] with another name", ref.line, ref.column)
            if not isinstance(variable, (sympy.Symbol, Indexed, sympy.MatrixSymbol)):
                raise self._error("\\frac{\\partial f}{\\partial x} needs a symbol below",
                                  token.line, token.column)
            variables.append((variable, count))
        return tuple(variables)

    def pderiv(self, token, _partial, *items):
        order = next((i[1] for i in items if isinstance(i, tuple) and i[0] == "order"), None)
        pairs = items[-1]
        operand = [i for i in items[:-1] if not (isinstance(i, tuple) and i[0] == "order")]
        variables = self._variables(token, pairs)
        total = sum(count for _, count in variables)
        written = 1 if order is None else self.value(order)
        if written != total:
            raise self._error(f"the derivative's order is {written} in the numerator but "
                              f"{total} in the denominator", token.line, token.column)
        if not operand:
            return Operator((variables,), Integer(1), token.line, token.column)
        return self._shaped(token, _derivative, self.value(operand[0]), variables)

    def leibniz(self, token, operand, *pairs):
        variables = self._variables(token, zip(pairs[::2], pairs[1::2]))
        if operand is None:
            return Operator((variables,), Integer(1), token.line, token.column)
        return self._shaped(token, _derivative, self._operand(token, operand, variables),
                            variables)

    def _shown(self, operand, value) -> str:
        return operand.key if isinstance(operand, NameRef) else str(value)

    def _operand(self, where, operand, variables):
        r"""The expression a derivative differentiates. One in which nothing depends on
        the variable (``\frac{dy}{dx}`` with y a declared symbol, ``\frac{d}{dt} m v^2``)
        is read by a reader as depending on it and by SymPy as a constant, whose
        derivative is 0: refused."""
        value = self.value(operand)
        missing = [v for v, _ in variables if not depends(value, v)]
        if missing and not value.is_number:
            raise self._error(f"nothing in '{self._shown(operand, value)}' depends on "
                              f"{', '.join(str(v) for v in missing)}, so its derivative is 0, "
                              "while a reader takes its names as depending on it: declare "
                              "them as functions under [functions] (v(t) for v), or write 0",
                              where.line, where.column)
        return value

    def order(self, script):
        return "order", script

    def partials(self, *items):
        return [v for v in items if not isinstance(v, Token)]

    def partial_variable(self, ref):
        return ref, 1

    def partial_power(self, ref, script):
        count = self.value(script)
        if not (isinstance(count, sympy.Integer) and count > 0):
            raise self._error("the power of a variable below a derivative is its count, a "
                              "positive whole number", script.line, script.column)
        return ref, int(count)

    def partial_group(self, _group):
        return None, 1

    def sqrt(self, token, arg: Script):
        return sympy.sqrt(self._scalar(self.value(arg), token, r"\sqrt"))

    def root(self, token, degree, arg: Script):
        return Pow(self._scalar(self.value(arg), token, r"\sqrt"), Pow(self.value(degree), -1))

    def _scalar(self, value, token, what: str):
        """``value``, which must not be a matrix: ``what`` of a matrix has no reading."""
        if is_matrix(value):
            raise self._error(f"{what} of a matrix is not read", token.line, token.column)
        return value

    def func(self, token, arg):
        name, value = token.value[1:], self.value(arg)
        if (name == "det") != is_matrix(value):
            what = "the determinant needs a matrix" if name == "det" else \
                f"\\{name} of a matrix is not read"
            raise self._error(what, token.line, token.column)
        return self._shaped(token, FUNCTIONS[name], value)

    function_of_group = func

    def func_power(self, token, script, arg):
        r"""``\sin^2 x`` is (sin x)^2 and ``\sin^{-1} x`` is arcsin x, as printed; any
        other power of a function name has no settled reading."""
        name = token.value[1:]
        power = self.value(script)
        if name == "det":
            raise self._error(r"write a power of a determinant as \det(A)^{k}", token.line,
                              token.column)
        if power == -1 and name in INVERSES:
            return INVERSES[name](self.value(arg))
        if isinstance(power, sympy.Integer) and power > 0:
            return Pow(FUNCTIONS[name](self.value(arg)), power)
        raise self._error(f"'\\{name}^{{{power}}}' has no single reading: write "
                          f"\\{name}(x)^{{{power}}} for a power", token.line, token.column)

    func_power_of_group = func_power

    def log_base(self, token, base, arg):
        r"""``\log_b x`` is the logarithm of x to the base b."""
        if token.value[1:] != "log":
            raise self._error(f"only \\log takes a base, not {token.value}", token.line,
                              token.column)
        return sympy.log(self.value(arg), self.value(base))

    log_base_of_group = log_base

    def extremum(self, token, _open, args, _close):
        r"""``\max(a, b)``, ``\min\{a, b, c\}``: the largest or smallest of its arguments."""
        arguments, separators = args
        if "arg" in token.value or len(arguments) < 2 or set(separators) != {","}:
            raise self._error(f"{_squash(token.value)} of values takes two or more arguments "
                              "separated by commas", token.line, token.column)
        function = sympy.Max if token.value.endswith("max") else sympy.Min
        return function(*(self.value(a) for a in arguments))

    def extremum_open(self, token):
        return token

    extremum_close = extremum_open

    def norm(self, left, inner, _right):
        r"""``\|x\|`` of a scalar is its absolute value; of a vector, it waits for its
        square."""
        value = self.value(inner)
        if is_matrix(value):
            return NormOf(value, left.line, left.column)
        return Abs(value)

    def norm_sub(self, left, inner, right, script):
        r"""``\|v\|_2``: the Euclidean norm of a vector; no other is read."""
        if self.value(script) != 2:
            raise self._error(r"only the Euclidean norm \|v\|_2 is read", script.line,
                              script.column)
        value = self.value(inner)
        if not is_matrix(value):
            raise self._error(r"\|x\|_2 is read for a vector", left.line, left.column)
        return self.norm(left, inner, right)

    def matrix_literal(self, begin, *items):
        r"""``\begin{pmatrix} a & b \\ c & d \end{pmatrix}``: an explicit matrix."""
        end = items[-1]
        if "".join(begin.value.split())[7:] != "".join(end.value.split())[5:]:
            raise self._error(f"{end.value} closes {begin.value}", end.line, end.column)
        rows = [row for row in items[:-1] if not isinstance(row, Token)]
        return self._shaped(begin, matrices.literal, rows)

    def matrix_row(self, *items):
        return [self.value(i) for i in items if not isinstance(i, Token)]

    def nabla(self, token, script: Script):
        r"""``\nabla_{w}``: the gradient operator, applied to the factor after it."""
        variable = self.value(script)
        if not isinstance(variable, sympy.MatrixSymbol):
            raise self._error(r"\nabla_{w} needs a declared vector or matrix w below",
                              token.line, token.column)
        return Operator((((variable, 1),),), Integer(1), token.line, token.column)

    def expectation(self, _token, *items):
        """``\\mathbb{E}[f]`` under an open law (an unknown value), or ``\\mathbb{E}_{x \\sim
        p}[f]`` under the law its script names (an integral or a sum)."""
        script, body = self._statistic(items)
        if script is None:
            return Expectation(self.value(body))
        return Expected(self.value(body), self._law(script))

    def angle_expectation(self, _open, body, _close):
        """``\\langle f \\rangle``: an expectation under an undetermined law, as
        ``\\mathbb{E}[f]`` is: an unknown value, never evaluated."""
        return Expectation(self.value(body))

    def variance(self, _token, *items):
        """``\\mathrm{Var}[f]``, ``\\mathrm{Var}_{x \\sim p}(f)``: as an expectation."""
        script, body = self._statistic(items)
        if script is None:
            return Variance(self.value(body))
        return VarianceUnder(self.value(body), self._law(script))

    def statistic_group(self, *items):
        return next(i for i in items if not isinstance(i, Token))

    def kl(self, token, *items):
        """``D_{\\mathrm{KL}}(q \\| p)``: the expectation under q of log(q/p)."""
        first, second = (i for i in items if not isinstance(i, Token))
        laws = []
        for item in (first, second):
            try:
                laws.append(law_alone(self.value(item), self.scope.domains))
            except LawError as error:
                raise self._error(str(error), token.line, token.column) from None
        if laws[0].variable != laws[1].variable:
            raise self._error("the two laws of a KL divergence must be densities of one "
                              "declared variable, or both distributions",
                              token.line, token.column)
        return KLDivergence(*laws)

    @staticmethod
    def _statistic(items):
        """The script (or None) and the body of a statistic, brackets skipped."""
        values = [i for i in items if not isinstance(i, Token)]
        return (values[0], values[1]) if len(values) == 2 else (None, values[0])

    def _law(self, script: Script):
        """The law a statistic's script names: ``x \\sim D``, or a density alone."""
        try:
            if script.law is not None:
                variable, source = script.law
                variable = self.value(variable)
                return law(variable, self._law_source(source, variable), self.scope.domains)
            if script.value is None:
                raise LawError("name the law of the expectation, as in "
                               r"\mathbb{E}_{x \sim p}[f]")
            if isinstance(script.value, NameRef) and script.value.key in self.scope.symbols:
                raise LawError(f"'{script.key}' names a variable, not its law: write "
                               rf"\mathbb{{E}}_{{{script.key} \sim p}}[...] with its density p")
            return law_alone(self.value(script.value), self.scope.domains)
        except LawError as error:
            raise self._error(str(error), script.line, script.column) from None

    def _law_source(self, source, variable):
        """What follows ``\\sim``: a distribution, or a declared density (alone, at x)."""
        scope = self.scope
        if isinstance(source, NameRef) and source.sub is None \
                and source.head_key in scope.functions and source.key not in scope.symbols:
            sigs = scope.functions[source.head_key]
            if len(sigs) == 1 and len(sigs[0].arguments) == 1:
                return sigs[0].apply((variable,), sigs[0].parameters)
        return self.value(source)

    def evaluated(self, *items):
        r"""``\left[ F \right]_{a}^{b}``: F at b minus F at a, in the variable written
        (``_{x=a}``) or else in the one symbol F depends on; any other F has no single
        reading: refused."""
        body, lower, upper = (i for i in items if not isinstance(i, Token))
        value = self.value(body)
        if lower.equation is not None:
            variable, low = (self.value(v) for v in lower.equation)
        else:
            variable, low = self._evaluation_variable(value, lower), self.value(lower)
        if not isinstance(variable, sympy.Symbol) or isinstance(variable, IndexLabel):
            raise self._error("the variable of an evaluation must be a declared symbol",
                              lower.line, lower.column)
        return value.subs(variable, self.value(upper)) - value.subs(variable, low)

    def evaluated_bar(self, body, _bar, lower: Script, upper: Script):
        r"""``F \Big|_{a}^{b}``: as ``\left[ F \right]_{a}^{b}``."""
        return self.evaluated(body, lower, upper)

    def _evaluation_variable(self, value, lower: Script):
        """The one declared symbol ``value`` depends on; none or several: refused."""
        found = {s for s in value.free_symbols if isinstance(s, sympy.Symbol)
                 and not isinstance(s, IndexLabel) and not self.scope.is_function_reference(s)}
        if not found:
            raise self._error("an evaluation between limits of what depends on no symbol is "
                              r"0 or a misprint: write 0, or \left[ ... \right]_{x=a}^{b}",
                              lower.line, lower.column)
        if len(found) == 1 and not value.has(Indexed):
            return next(iter(found))
        raise self._error("an evaluation between limits needs its variable: write "
                          r"\left[ ... \right]_{x=a}^{b}, with x the variable",
                          lower.line, lower.column)

    def tuple(self, _open, *items):
        return [self.value(i) for i in items if not isinstance(i, Token)]

    def indexed_set(self, token, elements, _close, lower: Script, upper: Script):
        r"""``\{(x_n, z_n)\}_{n=1}^{N}``: the set of tuples, kept unevaluated."""
        if lower.equation is None:
            raise self._error("a set indexed by n needs its range, as in \\{(x_n, y_n)\\}"
                              "_{n=1}^{N}", token.line, token.column)
        index, low = (self.value(v) for v in lower.equation)
        if not isinstance(index, sympy.Symbol):
            raise self._error("the index of a set must be a declared symbol", lower.line,
                              lower.column)
        return IndexedSet(sympy.Tuple(*elements), index, low, self.value(upper))

    # -- big operators -----------------------------------------------------
    def limits(self, *parts):
        lower = next((s for kind, s in parts if kind == "lower"), None)
        upper = next((s for kind, s in parts if kind == "upper"), None)
        return lower, upper

    def lower(self, script):
        return "lower", script

    def upper(self, script):
        return "upper", script

    def _index_limits(self, token, scripts, what):
        lower, upper = scripts
        if lower is not None and upper is None and lower.equation is None:
            return self._declared_range(token, lower, what)
        if lower is None or upper is None:
            raise self._error(f"{what} needs both limits, as in {what}_{{i=1}}^{{N}}",
                              token.line, token.column)
        if lower.equation is not None:
            variable, start = (self.value(v) for v in lower.equation)
        else:
            variable, start = self.value(lower), Integer(1)  # \sum_{i}^{n}: i from 1
        if not isinstance(variable, sympy.Symbol):
            raise self._error(f"the index of {what} must be a declared symbol",
                              lower.line, lower.column)
        return variable, start, self.value(upper)

    def _declared_range(self, token, lower: Script, what: str):
        r"""``\sum_{j}``: j runs over the integers of its declared domain, both ends
        included (``'j' = ['1', 'K']`` is 1, ..., K), as under an expectation."""
        variable = self.value(lower)
        if not (isinstance(variable, sympy.Symbol) and variable.is_integer
                and variable in self.scope.domains):
            raise self._error(f"{what}_{{{lower.key or 'i'}}} without limits needs an integer "
                              "index with a declared domain (['1', 'K'] under [domains]), or "
                              f"both limits, as in {what}_{{i=1}}^{{N}}", token.line,
                              token.column)
        return (variable, *self.scope.domains[variable])

    def _written(self, term):
        """Remember a big operator as written: SymPy cancels ``I - I`` and ``0 I`` at
        once, and a divergent I must not vanish unseen."""
        self.written.append(term)
        return term

    def bigsum(self, token, scripts, body):
        return self._written(Sum(self.value(body), self._index_limits(token, scripts,
                                                                      r"\sum")))

    def bigprod(self, token, scripts, body):
        return self._written(Product(self.value(body), self._index_limits(token, scripts,
                                                                          r"\prod")))

    def _integration_variable(self, differential):
        text = _squash(differential.value)
        name = text[text.index("}") + 1:] if text.startswith("\\mathrm") else text[1:]
        primed = name.endswith("'")
        name = name.rstrip("'")
        ref = NameRef(name, None, r"\prime" if primed else None, differential.line,
                      differential.column)
        name = ref.key
        variable = self._resolve_name(ref)
        if not isinstance(variable, sympy.Symbol):
            raise self._error(f"'{name}' is not a symbol to integrate over",
                              differential.line, differential.column)
        return name, variable

    def _domain(self, token, name, variable):
        if variable in self.scope.domains:
            return self.scope.domains[variable]
        raise self._error(f"\\int without limits needs a declared domain for '{name}'",
                          token.line, token.column)

    def integral(self, token, scripts, body, differential):
        name, variable = self._integration_variable(differential)
        if scripts != (None, None):
            if None in scripts:
                raise self._error("\\int needs both limits or none", token.line, token.column)
            low, high = (self.value(s) for s in scripts)
        else:
            low, high = self._domain(token, name, variable)
        return self._written(Integral(self.value(body), (variable, low, high)))

    def integral_of_one(self, token, scripts, differential):
        r"""``\int dE``: the integral of 1 over E."""
        return self.integral(token, scripts, Integer(1), differential)

    def integral_fraction(self, token, scripts, _frac, *items):
        r"""``\int \frac{dz}{z}``, ``\int \frac{x\,dx}{1 + x^2}``: the differential
        written in the numerator."""
        *numerator, differential, denominator = items
        top = self.value(numerator[0]) if numerator else Integer(1)
        body = Mul(top, Pow(self.value(denominator), -1))
        return self.integral(token, scripts, body, differential)

    def multiple_integral(self, token, scripts, body, *differentials):
        r"""``\iint f \,dx\,dy``: one integral per differential, the first innermost, each
        over its variable's declared domain."""
        count = _squash(token.value).count("i")
        if len(differentials) != count:
            raise self._error(f"{_squash(token.value)} needs {count} differentials, not "
                              f"{len(differentials)}", token.line, token.column)
        if scripts != (None, None):
            raise self._error(f"{_squash(token.value)} over a region is not read: write one "
                              r"\int per variable with its limits", token.line, token.column)
        limits = []
        for differential in differentials:
            name, variable = self._integration_variable(differential)
            limits.append((variable, *self._domain(token, name, variable)))
        if len({v for v, _, _ in limits}) != len(limits):
            raise self._error("each differential of a multiple integral needs its own variable",
                              token.line, token.column)
        return self._written(Integral(self.value(body), *limits))

    def limit(self, token, variable, _to, point, body):
        r"""``\lim_{x \to a} f``: the two-sided limit (one-sided at an infinite point)."""
        variable, point = self.value(variable), self.value(point)
        if not isinstance(variable, sympy.Symbol):
            raise self._error("the variable of \\lim must be a declared symbol", token.line,
                              token.column)
        direction = "-" if point == sympy.oo else "+" if point == -sympy.oo else "+-"
        return self._written(sympy.Limit(self.value(body), variable, point, dir=direction))

    def optimize(self, token, script: Script, body):
        kind = "arg" if "arg" in token.value else ""
        kind += "min" if token.value.endswith("min") else "max"
        variable = self._function_or_value(script)
        return OPTIMIZERS[kind](self.value(body), variable)

    # -- names and calls ---------------------------------------------------
    def head(self, token):
        return token

    def name(self, head: Token, *rest):
        script = next((r for r in rest if isinstance(r, Script)), None)
        primes = next((len(r.value) for r in rest if isinstance(r, Token)), 0)
        text = _squash(head.value)
        if text.startswith(r"\mathit{") and len(text) == len(r"\mathit{x}"):
            text = text[len(r"\mathit{"):-1]      # math italic is how a letter prints anyway
        decoration = None
        if head.type == "DECORATED":
            text, decoration = split_decorated(head.value)
        if head.type == "DELTA_NAME":
            text = r"\Delta " + text[len(r"\Delta"):]
        return NameRef(text, script, decoration, head.line, head.column, primes)

    def name_primed_first(self, head: Token, primes: Token, script: Script):
        return self.name(head, script, primes)

    def arglist(self, *items):
        arguments = [items[0]]
        separators = []
        for k in range(1, len(items), 2):
            separators.append(items[k])
            arguments.append(items[k + 1])
        return arguments, separators

    def argsep(self, token):
        return "|" if token.value in ("|", r"\mid") else token.value

    def call(self, ref: NameRef, _open, args, _close):
        arguments, separators = args
        if self.declaring:
            self._resolve_name(ref)      # refuses a prime
            return CallRef(ref, tuple(arguments), tuple(separators))
        scope = self.scope
        if ref.primes:
            if len(arguments) != 1:
                raise self._error(f"'{ref.key}' with a prime takes one argument", ref.line,
                                  ref.column)
            return self._primed(ref, [self.value(arguments[0])])
        if ref.head in TRACE_NAMES and ref.sub is None and not scope.declares(ref.head):
            if len(arguments) != 1:
                raise self._error("the trace takes one matrix", ref.line, ref.column)
            return self._shaped(ref, matrices.trace, self.value(arguments[0]))
        dotted = self._newton(ref)
        if dotted is not None:
            if len(arguments) != 1:
                raise self._error(f"'{ref.key}' takes one argument", ref.line, ref.column)
            return self._primed(dotted, [self.value(arguments[0])])
        if (ref.head == r"\Gamma" and ref.sub is None and ref.key not in scope.symbols
                and ref.key not in scope.constants and ref.head not in scope.functions):
            if len(arguments) != 1:
                raise self._error(r"\Gamma(x) takes one argument", ref.line, ref.column)
            return sympy.gamma(self.value(arguments[0]))
        if ref.head_key in scope.functions and ref.key not in scope.symbols:
            return self._application(ref, arguments, separators)
        family = family_of(ref.head)
        if family is not None and ref.sub is None and not scope.declares(ref.head):
            return self._distribution(ref, family, arguments, separators)
        values = [self.value(a) for a in arguments]
        if len(values) == 1 and not separators:
            return Juxtaposition(self._resolve_name(ref), values[0])
        raise self._error(f"'{ref.key}' is not a declared function", ref.line, ref.column)

    def _distribution(self, ref: NameRef, family: Family, arguments, separators):
        r"""``\mathcal{N}(x; \mu, \sigma^2)`` or ``\mathcal{N}(x \mid \mu, \sigma^2)``, a density
        at x; ``\mathcal{N}(\mu, \sigma^2)``, the distribution. Anything else is refused:
        ``\mathcal{N}(x, \mu, \sigma^2)`` could be either."""
        count = len(family.parameters)
        values = [self._family_argument(a, family) for a in arguments]
        spelled = ", ".join(family.parameters)
        if len(values) == count + 1 and separators[:1] in ([";"], ["|"]) \
                and all(s == "," for s in separators[1:]):
            return DENSITIES[family.name](*values)
        if len(values) == count and all(s == "," for s in separators):
            return DISTRIBUTIONS[family.name](*values)
        raise self._error(f"write {ref.head}(x; {spelled}) or {ref.head}(x \\mid {spelled}) "
                          f"for a density at x, or {ref.head}({spelled}) for the distribution "
                          f"({family.name}: {family.meaning})",
                          ref.line, ref.column)

    def _family_argument(self, item, family: Family):
        r"""An argument of a distribution; indexed data alone is the vector of a
        categorical law (``\mathrm{Cat}(k; p)``)."""
        if (family.vector and isinstance(item, NameRef) and item.sub is None
                and item.head_key in self.scope.indexed):
            return self.scope.indexed[item.head_key]
        return self.value(item)

    def _application(self, ref: NameRef, arguments, separators):
        """A declared function applied: where its declaration has a function as an
        argument (``H(p)``), a bare function name there is that function itself."""
        scope = self.scope
        parameters = [self.value(ref.parameter)] if ref.parameter is not None else []
        sig = scope.function(ref.head_key, len(arguments) + len(parameters), separators)
        if sig is None or len(sig.parameters) != len(parameters):
            declared = ", ".join(str(s.arity) for s in scope.functions[ref.head_key])
            raise self._error(
                f"function '{ref.head_key}' is declared with {declared} argument(s), "
                f"not {len(arguments) + len(parameters)}", ref.line, ref.column)
        if separators and tuple(separators) != sig.separators:
            raise self._error(f"'{ref.key}' is declared with separators "
                              f"{' '.join(sig.separators) or ','}", ref.line, ref.column)
        values = [self._function_or_value(a) if scope.is_function_reference(declared)
                  else self.value(a) for a, declared in zip(arguments, sig.arguments)]
        return sig.apply(values, parameters)

    # -- scripts -----------------------------------------------------------
    @v_args(inline=True, meta=True)
    def script(self, meta, side):
        key = side.key if isinstance(side, NameRef) else None
        if isinstance(side, sympy.Integer):
            key = str(side)
        line, column = ((side.line, side.column) if isinstance(side, NameRef)
                        else (getattr(meta, "line", 1), getattr(meta, "column", 1)))
        return Script(key, side, line=line, column=column)

    @v_args(inline=True, meta=True)
    def script_indices(self, meta, *names):
        """``_{ij}``: juxtaposed names kept apart as indices (see indices.py)."""
        line, column = getattr(meta, "line", 1), getattr(meta, "column", 1)
        if self.declaring:
            raise self._error("a subscript of several indices is declared on the base: "
                              "'x' = { assumptions = \"real\", indices = 2 } under [indexed]",
                              line, column)
        return Script(None, None, indices=tuple(names), line=line, column=column)

    def script_eq(self, lhs, eq, rhs):
        return Script(None, None, equation=(lhs, rhs), line=eq.line, column=eq.column)

    def script_sim(self, lhs, sim, rhs):
        """``x \\sim p`` below an expectation: the variable and its law, kept unread."""
        line, column = (lhs.line, lhs.column) if isinstance(lhs, NameRef) else (sim.line,
                                                                                 sim.column)
        return Script(r"\sim", None, law=(lhs, rhs), line=line, column=column)

    def script_text(self, token):
        text = _squash(token.value).replace(r"\mathrm", r"\text")
        return Script(text, None, line=token.line, column=token.column)

    def script_decoration(self, token):
        # x_{\ast} spells a name of its own; as a superscript the decoration marks its base
        return Script(DECORATIONS[token.value], None, decoration=DECORATIONS[token.value],
                      line=token.line, column=token.column)

    def script_number(self, token):
        if len(token.value) > MAX_DIGITS:
            raise self._error(f"the number is too long: {len(token.value)} digits, more "
                              f"than the {MAX_DIGITS} derive accepts", token.line, token.column)
        return Script(token.value, Integer(int(token.value)), line=token.line,
                      column=token.column)

    def script_name(self, token):
        ref = NameRef(_squash(token.value), None, None, token.line, token.column)
        return Script(ref.key, ref, line=token.line, column=token.column)

    def script_transpose(self, token):
        return Script(r"\top", None, line=token.line, column=token.column, transpose=True)

    def script_infinity(self, token):
        return Script(r"\infty", sympy.oo, line=token.line, column=token.column)
