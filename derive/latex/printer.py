"""Render SymPy back into the LaTeX our grammar reads.

SymPy's own LaTeX printer writes ``e^{x}`` for exp and ``\\log{\\left(x\\right)}^{2}``
for a power of a log, which our grammar would read differently; this printer
writes the unambiguous forms and uses the declared LaTeX of every name, so that
parsing what it prints gives back the same expression.
"""

from __future__ import annotations

import sympy
from sympy import Basic, Pow, Function
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from derive.latex.distributions import DISTRIBUTIONS, Density
from derive.latex.formula import Formula, Relation
from derive.latex.notation import ArgMax, ArgMin, Maximize, Minimize
from derive.latex.scope import Scope

_OPTIMIZER_LATEX = {ArgMin: r"\arg\min", ArgMax: r"\arg\max", Minimize: r"\min",
                    Maximize: r"\max"}


class DerivePrinter(LatexPrinter):
    """LaTeX in derive's notation, with names as the scope declares them."""

    def __init__(self, scope: Scope | None = None):
        super().__init__({"mul_symbol": None})
        self.scope = scope or Scope()

    def _name(self, name: str) -> str | None:
        return self.scope.latex_of.get(name)

    def _print_Symbol(self, expr, style="plain"):
        declared = self._name(expr.name)
        return declared if declared is not None else super()._print_Symbol(expr)

    def _print_IndexedBase(self, expr):
        declared = self._name(expr.name)
        return declared if declared is not None else super()._print_IndexedBase(expr)

    def _print_Indexed(self, expr):
        base = self._print(expr.base)
        indices = ", ".join(self._print(i) for i in expr.indices)
        return f"{base}_{{{indices}}}"

    def _print_AppliedUndef(self, expr, exp=None):
        sig = self.scope.signature_of(expr.func)
        if sig is None:
            head = self._name(expr.func.__name__) or expr.func.__name__
            args = ", ".join(self._print(a) for a in expr.args)
            text = rf"{head}\left({args}\right)"
        else:
            n = len(sig.arguments)
            args, params = expr.args[:n], expr.args[n:]
            head = sig.head
            if params:
                head += "_{" + ", ".join(self._print(p) for p in params) + "}"
            pieces = [self._print(args[0])]
            for sep, arg in zip(sig.separators or ("," ,) * (n - 1), args[1:]):
                pieces.append(("\\mid" if sep == "|" else sep) + " " + self._print(arg))
            text = head + r"\left(" + " ".join(pieces) + r"\right)"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_exp(self, expr, exp=None):
        text = r"\exp\left(" + self._print(expr.args[0]) + r"\right)"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_log(self, expr, exp=None):
        text = r"\log\left(" + self._print(expr.args[0]) + r"\right)"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_Pow(self, expr):
        base = expr.base
        if isinstance(base, (Function, AppliedUndef)) and not expr.exp.is_negative \
                and expr.exp != Pow(2, -1):
            return rf"\left({self._print(base)}\right)^{{{self._print(expr.exp)}}}"
        return super()._print_Pow(expr)

    def _print_Integral(self, expr):
        """One \\int per variable, the innermost (first) variable next to the body."""
        body = self._print(expr.function)
        if expr.function.is_Add:
            body = rf"\left({body}\right)"
        signs = " ".join(rf"\int_{{{self._print(low)}}}^{{{self._print(high)}}}"
                         for _, low, high in reversed(expr.limits))
        differentials = " ".join(rf"d{self._print(v)}" for v, _, _ in expr.limits)
        return f"{signs} {body} {differentials}"

    def _print_Sum(self, expr):
        return self._big(r"\sum", expr)

    def _print_Product(self, expr):
        return self._big(r"\prod", expr)

    def _big(self, command, expr):
        (variable, low, high), = expr.limits
        body = self._print(expr.function)
        if expr.function.is_Add or expr.function.is_Mul and expr.function.could_extract_minus_sign():
            body = rf"\left({body}\right)"
        return (rf"{command}_{{{self._print(variable)} = {self._print(low)}}}"
                rf"^{{{self._print(high)}}} {body}")

    def _print_optimizer(self, expr):
        return (_OPTIMIZER_LATEX[type(expr)] + "_{" + self._print(expr.variable) + "} "
                + self._print(expr.body))

    _print_ArgMin = _print_ArgMax = _print_Minimize = _print_Maximize = _print_optimizer

    def _print_FunctionalDerivative(self, expr):
        functional = expr.functional
        sig = self.scope.signature_of(functional.func) if isinstance(functional, AppliedUndef) \
            else None
        # \mathcal{L} alone reads as \mathcal{L} applied to its declared arguments
        bare = sig is not None and functional.args == sig.arguments + sig.parameters \
            and len(self.scope.functions.get(sig.head, ())) == 1
        text = sig.head if bare else self._print(functional)
        return rf"\frac{{\delta {text}}}{{\delta {self._print(expr.function_value)}}}"

    def _print_Derivative(self, expr):
        # Higher and mixed derivatives nest, innermost first, in the one form the
        # grammar reads: \frac{\partial \frac{\partial f}{\partial y}}{\partial x}.
        text = self._print(expr.expr)
        if expr.expr.is_Add:
            text = rf"\left({text}\right)"
        for variable, count in expr.variable_count:
            for _ in range(count):
                text = rf"\frac{{\partial {text}}}{{\partial {self._print(variable)}}}"
        return text

    def _print_Subs(self, expr):
        """``f'(2t)``: the derivative of a declared function of one argument at a point,
        in the prime notation the grammar reads; anything else as SymPy prints it."""
        derivative, (variable,), (point,) = expr.args[0], expr.args[1], expr.args[2]
        if isinstance(derivative, sympy.Derivative) and len(derivative.variable_count) == 1:
            inner = derivative.expr
            sig = self.scope.signature_of(inner.func) if isinstance(inner, AppliedUndef) else None
            (wrt, count), = derivative.variable_count
            if sig is not None and len(sig.arguments) == 1 and inner.args[0] == variable == wrt:
                params = inner.args[1:]
                head = sig.head
                if params:
                    head += "_{" + ", ".join(self._print(p) for p in params) + "}"
                return head + "'" * int(count) + r"\left(" + self._print(point) + r"\right)"
        return super()._print_Subs(expr)

    def _print_inverse(self, expr, exp=None):
        names = {"asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan",
                 "asinh": r"\sinh^{-1}", "acosh": r"\cosh^{-1}", "atanh": r"\tanh^{-1}"}
        text = names[type(expr).__name__] + r"\left(" + self._print(expr.args[0]) + r"\right)"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    _print_asin = _print_acos = _print_atan = _print_inverse
    _print_asinh = _print_acosh = _print_atanh = _print_inverse

    def _print_Limit(self, expr):
        body, variable, point, _direction = expr.args
        text = self._print(body)
        if body.is_Add:
            text = rf"\left({text}\right)"
        return rf"\lim_{{{self._print(variable)} \to {self._print(point)}}} {text}"

    def _print_IndexedSet(self, expr, exp=None):
        element, index, low, high = expr.args
        inner = ", ".join(self._print(e) for e in element)
        text = (rf"\left\{{\left({inner}\right)\right\}}_{{{self._print(index)} = "
                rf"{self._print(low)}}}^{{{self._print(high)}}}")
        return self._powered(text, exp)

    def _print_Expectation(self, expr, exp=None):
        return self._powered(r"\mathbb{E}\left[" + self._print(expr.args[0]) + r"\right]", exp)

    def _powered(self, text: str, exp) -> str:
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _print_Density(self, expr, exp=None):
        point, *parameters = (self._print(a) for a in expr.args)
        text = rf"{expr.family.spelling}\left({point}; {', '.join(parameters)}\right)"
        return self._powered(text, exp)

    def _print_Distribution(self, expr, exp=None):
        parameters = ", ".join(self._print(a) for a in expr.args)
        return self._powered(rf"{expr.family.spelling}\left({parameters}\right)", exp)

    def _law_source(self, law) -> str:
        """What a law is printed as: its distribution, or the declared density."""
        weight = law.weight
        if isinstance(weight, Density) and weight.point == law.variable:
            return self._print(DISTRIBUTIONS[weight.family.name](*weight.parameters))
        return self._print(weight)

    def _print_Law(self, expr):
        return rf"{self._print(expr.variable)} \sim {self._law_source(expr)}"

    def _print_Expected(self, expr, exp=None):
        text = (rf"\mathbb{{E}}_{{{self._print(expr.law)}}}\left[{self._print(expr.body)}"
                r"\right]")
        return self._powered(text, exp)

    def _print_Variance(self, expr, exp=None):
        return self._powered(rf"\mathrm{{Var}}\left[{self._print(expr.args[0])}\right]", exp)

    def _print_VarianceUnder(self, expr, exp=None):
        text = (rf"\mathrm{{Var}}_{{{self._print(expr.law)}}}\left[{self._print(expr.body)}"
                r"\right]")
        return self._powered(text, exp)

    def _print_KLDivergence(self, expr, exp=None):
        first, second = (self._law_source(law) for law in expr.args)
        return self._powered(rf"D_{{\mathrm{{KL}}}}\left({first} \| {second}\right)", exp)

    # -- matrices: the forms the grammar reads back ---------------------------------
    def _print_MatrixSymbol(self, expr, style="plain"):
        declared = self._name(expr.name)
        return declared if declared is not None else super()._print_MatrixSymbol(expr)

    def _print_Identity(self, expr):
        for name, value in self.scope.matrices.items():
            if value == expr:
                return name
        return rf"I_{{{self._print(expr.rows)}}}"

    def _matrix_operand(self, expr) -> str:
        text = self._print(expr)
        return text if isinstance(expr, (sympy.MatrixSymbol, sympy.Identity)) \
            else rf"\left({text}\right)"

    def _print_Transpose(self, expr):
        return self._matrix_operand(expr.arg) + r"^{\top}"

    def _print_Inverse(self, expr):
        return self._matrix_operand(expr.arg) + "^{-1}"

    def _print_MatPow(self, expr):
        return self._matrix_operand(expr.base) + "^{" + self._print(expr.exp) + "}"

    def _print_Trace(self, expr):
        return r"\operatorname{tr}\left(" + self._print(expr.arg) + r"\right)"

    def _print_Determinant(self, expr):
        return r"\det\left(" + self._print(expr.arg) + r"\right)"

    def _print_MatMul(self, expr):
        """A scalar times the 1×1 identity (a scalar beside w^T w) prints as the scalar."""
        kept = [a for a in expr.args if a != sympy.Identity(1)]
        if len(kept) == len(expr.args):
            return super()._print_MatMul(expr)
        if not any(isinstance(a, (sympy.MatrixExpr, sympy.MatrixBase)) for a in kept):
            return self._print(sympy.Mul(*kept))
        return super()._print_MatMul(sympy.MatMul(*kept))

    def _print_GradientOf(self, expr):
        function = self._print(expr.function)
        if not isinstance(expr.function, (sympy.MatrixSymbol, sympy.Symbol)):
            function = rf"\left({function}\right)"
        return rf"\nabla_{{{self._print(expr.variable)}}} {function}"

    def _print_ImmutableDenseMatrix(self, expr):
        rows = r" \\ ".join(" & ".join(self._print(e) for e in row) for row in expr.tolist())
        return r"\begin{pmatrix} " + rows + r" \end{pmatrix}"


def latex(expr: Basic, scope: Scope | None = None) -> str:
    """LaTeX for one expression, in derive's notation."""
    return DerivePrinter(scope).doprint(expr)


def relation_latex(relation: Relation, scope: Scope | None = None) -> str:
    """LaTeX for ``lhs op rhs``."""
    return f"{latex(relation.lhs, scope)} {_op(relation.op)} {latex(relation.rhs, scope)}"


def _op(op) -> str:
    if op.symbol == r"\to" and op.limit is not None:
        variable, point = (latex(v) for v in op.limit)
        return rf"\xrightarrow{{{variable} \to {point}}}"
    return op.symbol


def formula_latex(formula: Formula, scope: Scope | None = None) -> str:
    """LaTeX for a whole formula: its chains, implications and constraints."""
    chains = []
    for chain in formula.chains:
        text = latex(chain.terms[0], scope)
        for op, term in zip(chain.ops, chain.terms[1:]):
            op_text = _op(op) if op.limit is None else (
                rf"\xrightarrow{{{latex(op.limit[0], scope)} \to {latex(op.limit[1], scope)}}}")
            text += f" {op_text} {latex(term, scope)}"
        chains.append(text)
    text = r" \Rightarrow ".join(chains)
    if formula.constraints:
        text += r" \quad \text{s.t.} \quad " + ", ".join(
            relation_latex(c, scope) for c in formula.constraints)
    return text
