"""Every notation the grammar supports, as a table of (LaTeX, expected SymPy).

The scope is the one of tests/conftest.py (NOTATION_DECLARATIONS); the expected
values are built here by hand with the same names and assumptions.
"""

from __future__ import annotations

import pytest
from sympy import (Abs, Derivative, Function, IndexedBase, Integral, Mul, Product, Rational,
                   Sum, Symbol, cos, exp, log, oo, pi, sin, sqrt)

from derive.errors import DeriveError, LatexSyntaxError
from derive.latex.formula import Chain, RelOp, Relation
from derive.latex.notation import (ArgMax, ArgMin, Expectation, FunctionalDerivative, Maximize,
                                   Minimize, NormalDist, NormalPDF)
from derive.latex.parser import read_expression, parse_formula
from derive.latex.scope import IndexLabel

x = Symbol("x", real=True)
y = Symbol("y", real=True)
a = Symbol("a", real=True)
b = Symbol("b", real=True)
c = Symbol("c", real=True)
d = Symbol("d", real=True)
z = Symbol("z", real=True)
n = Symbol("n", positive=True, integer=True)
i = Symbol("i", positive=True, integer=True)
theta = Symbol("theta", real=True)
theta_star = Symbol("theta^*", real=True)
x_hat = Symbol("hatx", real=True)
mu = Symbol("mu", real=True)
sigma = Symbol("sigma", positive=True)
eps = Symbol("epsilon", real=True)
alpha = Symbol("alpha", real=True)
beta = Symbol("beta", nonnegative=True)
Omega = Symbol("Omega", real=True)
lambda_0 = Symbol("lambda_0", real=True)
eps_total = Symbol("epsilon_total", real=True)
w = IndexedBase(IndexLabel("w", real=True))
p = Function("p", positive=True)
p3 = Function("p", positive=True, derive_arity=3)
f = Function("f", real=True)
h = Function("h", real=True)
g = Function("g", real=True)            # g_\theta(z) = g(z, theta)
L = Function("calL", real=True)
p_ref = Symbol("p")                     # p itself, as in \max_{p} or \mathcal{L}(p)

EXPRESSIONS = [
    # fractions
    (r"\frac{x}{y}", x / y),
    (r"\frac12", Rational(1, 2)),
    (r"\frac{1}2", Rational(1, 2)),
    (r"\frac 1 2 x", x / 2),
    (r"\frac1x", 1 / x),
    (r"\frac ab", a / b),
    (r"\frac\alpha2", alpha / 2),
    (r"\tfrac{1}{3}", Rational(1, 3)),
    (r"\dfrac{a}{b}", a / b),
    (r"\frac{a + b}{2 c}", (a + b) / (2 * c)),
    # roots
    (r"\sqrt{x}", sqrt(x)),
    (r"\sqrt x", sqrt(x)),
    (r"\sqrt2", sqrt(2)),
    (r"\sqrt[3]{x}", x ** Rational(1, 3)),
    (r"\sqrt[n]{x}", x ** (1 / n)),
    # scripts with and without braces
    (r"x^2", x**2),
    (r"x^{2}", x**2),
    (r"x^{a+b}", x ** (a + b)),
    (r"x^2 3", 3 * x**2),                # TeX: only the first token is the exponent
                                         # (glued, x^23 is refused: test_readings.py)
    (r"x^{-1}", 1 / x),
    (r"x^{3/2}", x ** Rational(3, 2)),
    (r"x^{y^2}", x ** (y**2)),
    (r"w_i", w[i]),
    (r"w_{i}", w[i]),
    (r"w_{i+1}", w[i + 1]),
    (r"w_i^2", w[i] ** 2),
    (r"\lambda_0", lambda_0),
    (r"\lambda_{0}", lambda_0),
    (r"\epsilon_{\text{total}}", eps_total),
    # elementary functions
    (r"\exp(x)", exp(x)),
    (r"\exp x", exp(x)),
    (r"\log x", log(x)),
    (r"\log(x y)", log(x * y)),
    (r"\ln(x)", log(x)),
    (r"\log x^2", log(x**2)),
    (r"\log(x)^2", log(x)**2),
    (r"\cos(x)^2 + \sin x", cos(x)**2 + sin(x)),
    (r"\exp\left(x\right)^{2}", exp(x)**2),
    (r"\sin x + \cos x", sin(x) + cos(x)),
    (r"\exp\left(-\frac{x^2}{2}\right)", exp(-x**2 / 2)),
    # grouping
    (r"\left( x + y \right) a", a * (x + y)),
    (r"[x + y] a", a * (x + y)),
    (r"\left[ x - y \right]^2", (x - y) ** 2),
    (r"\left| x \right|", Abs(x)),
    (r"{x + y}", x + y),
    # big operators
    (r"\sum_{i=1}^{n} w_i", Sum(w[i], (i, 1, n))),
    (r"\sum_{i}^n w_i", Sum(w[i], (i, 1, n))),
    (r"\sum_i^n w_i", Sum(w[i], (i, 1, n))),
    (r"\sum_{i=2}^{\infty} w_i", Sum(w[i], (i, 2, oo))),
    (r"\sum_{i=1}^{n} w_i - 1", Sum(w[i], (i, 1, n)) - 1),
    (r"\sum_{i=1}^{n} - w_i + 1", Sum(-w[i], (i, 1, n)) + 1),
    (r"\sum_{i=1}^{n} w_i x", Sum(w[i] * x, (i, 1, n))),
    (r"\prod_{i=1}^{n} w_i", Product(w[i], (i, 1, n))),
    (r"\prod_{i}^{n} (1 + w_i)", Product(1 + w[i], (i, 1, n))),
    (r"\int_{0}^{1} x^2 dx", Integral(x**2, (x, 0, 1))),
    (r"\int_0^1 x \, dx", Integral(x, (x, 0, 1))),
    (r"\int_{-\infty}^{\infty} x \mathrm{d}x", Integral(x, (x, -oo, oo))),
    (r"\int p(\epsilon) d\epsilon", Integral(p(eps), (eps, -oo, oo))),
    (r"\int \epsilon^2 p(\epsilon) \mathrm{d}\epsilon", Integral(eps**2 * p(eps), (eps, -oo, oo))),
    (r"\int_0^1 d\, dx", Integral(d, (x, 0, 1))),
    (r"d x", d * x),                     # outside an integral d is a declared symbol
    # optimisation
    (r"\arg\min_{\theta} (\theta - a)^2", ArgMin((theta - a) ** 2, theta)),
    (r"\arg\max_{\theta} -\theta^2", ArgMax(-theta**2, theta)),
    (r"\arg \min_\theta \sum_{i=1}^{n} (w_i - \theta)^2",
     ArgMin(Sum((w[i] - theta) ** 2, (i, 1, n)), theta)),
    (r"\max_{p} \mathcal{L}(p)", Maximize(L(p_ref), p_ref)),
    (r"\min_{x} x^2 + a", Minimize(x**2 + a, x)),
    # the normal distribution
    (r"\mathcal{N}(x; \mu, \sigma^2 I)", NormalPDF(x, mu, sigma**2)),
    (r"\mathcal{N}(0, \sigma^2)", NormalDist(0, sigma**2)),
    (r"\mathcal{N}\left(0, \sigma^2\right)", NormalDist(0, sigma**2)),
    # declared functions
    (r"p(x | z; \theta)", p3(x, z, theta)),
    (r"p(x \mid z; \theta)", p3(x, z, theta)),
    (r"p\left(x | z; \theta\right)", p3(x, z, theta)),
    (r"p(\epsilon)", p(eps)),
    (r"f(x)", f(x)),
    (r"f(x + 1)", f(x + 1)),
    (r"f\left(y\right)", f(y)),
    (r"h(x, y)", h(x, y)),
    (r"g_\theta(z)", g(z, theta)),
    (r"g_{\theta}(w_i)", g(w[i], theta)),
    (r"\log p(\epsilon)", log(p(eps))),
    # derivatives and expectations
    (r"\frac{\delta \mathcal{L}}{\delta p(\epsilon)}", FunctionalDerivative(L(p_ref), p(eps))),
    (r"\frac{\partial f(x)}{\partial x}", Derivative(f(x), x)),
    (r"\frac{\partial x^2}{\partial x}", Derivative(x**2, x, evaluate=False)),
    (r"\frac{\partial \frac{\partial h(x, y)}{\partial y}}{\partial x}",
     Derivative(h(x, y), y, x)),
    (r"\mathbb{E}[x]", Expectation(x)),
    (r"\mathbb{E}\left[\epsilon^2\right]", Expectation(eps**2)),
    # decorated names and Greek letters
    (r"\theta^{\ast}", theta_star),
    (r"\theta^\ast", theta_star),
    (r"\theta^*", theta_star),
    (r"\theta^{*}", theta_star),
    (r"\hat{x}", x_hat),
    (r"\hat x", None),                   # accents need braces: an error, see below
    (r"\alpha + \beta + \Omega + \mu", alpha + beta + Omega + mu),
    (r"\pi", pi),
    (r"\infty", oo),
    # products and quotients
    (r"x \cdot y", x * y),
    (r"x \times y", x * y),
    (r"x / y", x / y),
    (r"2x", 2 * x),
    (r"0.5 x", x / 2),
    (r"a \, b \; c \quad d \qquad x", a * b * c * d * x),
    (r"\displaystyle x", x),
    (r"-x - -y", -x + y),
    # a declared symbol followed by parentheses multiplies
    (r"\lambda_0 (a+b)", lambda_0 * (a + b)),
    (r"\lambda_0(a+b)", lambda_0 * (a + b)),
    (r"x (y)", x * y),
    (r"\sigma^2 I", sigma**2),           # I is the constant 1
]

PARSEABLE = [(latex, value) for latex, value in EXPRESSIONS if value is not None]


@pytest.mark.parametrize("latex, expected", PARSEABLE, ids=[t for t, _ in PARSEABLE])
def test_expression(notation_scope, latex, expected):
    assert read_expression(latex, notation_scope) == expected


@pytest.mark.parametrize("latex, expected", PARSEABLE, ids=[t for t, _ in PARSEABLE])
def test_expression_as_a_formula(notation_scope, latex, expected):
    formula = parse_formula(latex, notation_scope)
    assert formula.chains == (Chain((expected,), ()),)
    assert formula.constraints == () and formula.tag is None and formula.links == ()


def test_symbol_assumptions_reach_sympy(notation_scope):
    assert read_expression(r"\sigma", notation_scope).is_positive
    assert read_expression("n", notation_scope).is_integer
    assert read_expression(r"\beta", notation_scope).is_nonnegative
    assert read_expression("w_i", notation_scope).is_real
    assert read_expression(r"p(\epsilon)", notation_scope).is_positive


def test_declared_function_is_an_application_and_symbol_is_a_product(notation_scope):
    application = read_expression("f(x + y)", notation_scope)
    assert application.func == f and application.args == (x + y,)
    product = read_expression(r"\lambda_0 (x + y)", notation_scope)
    assert isinstance(product, Mul) and set(product.args) == {lambda_0, x + y}


# -- formulas: relations, chains, constraints, environments, tags -----------------
EQ = RelOp("=")

FORMULAS = [
    ("x = y", (Chain((x, y), (EQ,)),), (), None),
    ("x = y = a", (Chain((x, y, a), (EQ, EQ)),), (), None),
    (r"x < y \le a", (Chain((x, y, a), (RelOp("<"), RelOp(r"\le"))),), (), None),
    (r"x > y \ge a", (Chain((x, y, a), (RelOp(">"), RelOp(r"\ge"))),), (), None),
    (r"x \geq y \leq a", (Chain((x, y, a), (RelOp(r"\ge"), RelOp(r"\le"))),), (), None),
    (r"x \ne y", (Chain((x, y), (RelOp(r"\neq"),)),), (), None),
    (r"x \neq y", (Chain((x, y), (RelOp(r"\neq"),)),), (), None),
    (r"x \approx y", (Chain((x, y), (RelOp(r"\approx"),)),), (), None),
    (r"\epsilon \sim \mathcal{N}(0, \sigma^2)",
     (Chain((eps, NormalDist(0, sigma**2)), (RelOp(r"\sim"),)),), (), None),
    (r"\mathbb{E}[\epsilon^2] = \sigma^2", (Chain((Expectation(eps**2), sigma**2), (EQ,)),), (),
     None),
    (r"x \quad = \qquad y", (Chain((x, y), (EQ,)),), (), None),
    (r"\epsilon_{\text{total}} = \sum_{i}^n w_i \xrightarrow{n \to \infty} \mathcal{N}(0, \sigma^2 I)",
     (Chain((eps_total, Sum(w[i], (i, 1, n)), NormalDist(0, sigma**2)),
            (EQ, RelOp(r"\to", (n, oo)))),), (), None),
    (r"x = y \Rightarrow y = x", (Chain((x, y), (EQ,)), Chain((y, x), (EQ,))), (), None),
    (r"x = y \implies a = b \Longrightarrow b = a",
     (Chain((x, y), (EQ,)), Chain((a, b), (EQ,)), Chain((b, a), (EQ,))), (), None),
    (r"x = y \quad \text{s.t.} \quad x > 0, y \ge 0",
     (Chain((x, y), (EQ,)),),
     (Relation(RelOp(">"), x, 0), Relation(RelOp(r"\ge"), y, 0)), None),
    (r"\max_{p} \mathcal{L}(p) \text{s.t.} \int p(\epsilon) d\epsilon = 1",
     (Chain((Maximize(L(p_ref), p_ref),), ()),),
     (Relation(EQ, Integral(p(eps), (eps, -oo, oo)), 1),), None),
    ("\\begin{aligned}\n x &= y \\\\\n &= a\n\\end{aligned}",
     (Chain((x, y, a), (EQ, EQ)),), (), None),
    (r"\begin{aligned} x &= y \\ &\Rightarrow y = x \end{aligned} \tag{3}",
     (Chain((x, y), (EQ,)), Chain((y, x), (EQ,))), (), "3"),
    (r"\begin{align*} x &= y \end{align*}", (Chain((x, y), (EQ,)),), (), None),
    (r"\begin{split} x &= y \end{split}", (Chain((x, y), (EQ,)),), (), None),
    (r"x = y \tag{3}", (Chain((x, y), (EQ,)),), (), "3"),
    (r"x = y \tag{6'}", (Chain((x, y), (EQ,)),), (), "6'"),
    (r"x = y \tag*{ A.1 }", (Chain((x, y), (EQ,)),), (), "A.1"),
]


@pytest.mark.parametrize("latex, chains, constraints, tag", FORMULAS,
                         ids=[f[0] for f in FORMULAS])
def test_formula(notation_scope, latex, chains, constraints, tag):
    formula = parse_formula(latex, notation_scope)
    assert formula.chains == chains
    assert formula.constraints == constraints
    assert formula.tag == tag


def test_links_of_a_chain_with_implication(notation_scope):
    formula = parse_formula(r"x = y = a \Rightarrow a = x", notation_scope)
    assert [(l.lhs, l.rhs, l.implied) for l in formula.links] == [
        (x, y, False), (y, a, False), (a, x, True)]
    assert formula.conclusion == Relation(EQ, a, x, implied=True)


def test_positions_of_relations_are_kept(notation_scope):
    formula = parse_formula("x = y\n  < a", notation_scope)
    assert formula.chains[0].positions == ((1, 3), (2, 3))
    constraint = parse_formula(r"x = y \text{s.t.} y > 0", notation_scope).constraints[0]
    assert (constraint.line, constraint.column) == (1, 21)


# -- errors of notation -----------------------------------------------------------
ERRORS = [
    # (latex, message fragment, line, column)
    ("x = q", "undeclared name 'q'", 1, 5),
    ("x +\n  2 q", "undeclared name 'q'", 2, 5),
    (r"q(x)", "undeclared name 'q'", 1, 1),
    (r"x = \hat{y}", r"undeclared name '\hat{y}'", 1, 5),
    (r"x^{\ast}", r"undeclared name 'x^{\ast}'", 1, 1),
    (r"w_{i}^{\ast}", r"undeclared name", 1, 1),
    (r"\hat x", "unsupported command \\hat", 1, 1),
    (r"x = \foo y", r"unsupported command \foo", 1, 5),
    (r"x = \frac{x}{y", "unbalanced brace '{': never closed", 1, 13),
    (r"x = y)", "unbalanced parenthesis ')': nothing open to close", 1, 6),
    (r"\left( x \right]", r"unexpected '\right]' (expected '\right)')", 1, 10),
    (r"\begin{aligned} x = y", r"unbalanced \begin: never closed", 1, 1),
    (r"x = ", "the formula ends too early", 1, 5),
    ("", "empty formula", 1, 1),
    ("   ", "empty formula", 1, 1),
    (r"x = y =", "ends too early", 1, 8),
    ("x # y", "unexpected character '#'", 1, 3),
    (r"f(x, y)", "declared with 1 argument(s), not 2", 1, 1),
    (r"p(x, z, \theta)", "declared with separators | ;", 1, 1),
    (r"\mathcal{N}(x)", r"write \mathcal{N}(x; \mu, \sigma^2)", 1, 1),
    (r"\sum_{i=1} w_i", r"\sum needs both limits", 1, 1),
    (r"\sum_{x=1}^{n} x^{i=1}", "'=' is only allowed in the limits", 1, 20),
    (r"\int_0 x dx", r"\int needs both limits or none", 1, 1),
    (r"\int x dx", r"\int without limits needs a declared domain for 'x'", 1, 1),
    (r"\int_0^1 x dq", "undeclared name 'q'", 1, 12),
    (r"\frac{\delta \mathcal{L}}{\delta x}", "needs a declared function", 1, 1),
    (r"\frac{\partial x}{\partial (x + y)}", "needs a symbol below", 1, 1),
    (r"x^{\text{total}}", r"\text{total} is not a value here", 1, 4),
    (r"\sqrt*", r"\ast is not a value here", 1, 6),
    (r"x' = y", "a prime is a derivative only of a declared function", 1, 1),
    (r"|a|b|c|", "its bars | pair up in more than one way", 1, 3),
    (r"|x", "unexpected '|'", 1, 1),
]


@pytest.mark.parametrize("latex, message, line, column", ERRORS, ids=[e[0] for e in ERRORS])
def test_error_message_and_position(notation_scope, latex, message, line, column):
    with pytest.raises(LatexSyntaxError) as caught:
        parse_formula(latex, notation_scope)
    error = caught.value
    assert message in error.message
    assert (error.position.line, error.position.column) == (line, column)


def test_error_carries_its_source_line(notation_scope):
    with pytest.raises(DeriveError) as caught:
        parse_formula("x = y\n  + q", notation_scope)
    assert caught.value.position.source_line == "  + q"
    assert caught.value.show().splitlines()[-1].strip() == "^"
    assert caught.value.show().splitlines()[-1].index("^") - 4 == 4   # under the q


def test_expression_rejects_a_relation(notation_scope):
    with pytest.raises(LatexSyntaxError):
        read_expression("x = y", notation_scope)
