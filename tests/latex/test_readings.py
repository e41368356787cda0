"""Soundness of the front end: distinct names stay distinct SymPy objects, and a formula
that a reader could read two ways is refused with a hint instead of guessed.

Each refused formula comes with its message and column, each accepted one with its
SymPy reading; the collisions are also checked end to end, as derivation steps that
must not be proved.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sympy import (Derivative, Function, IndexedBase, Rational, Sum, Symbol, exp, log, sin,
                   sqrt)

from derive.check.engine import check_document
from derive.check.verdict import Status
from derive.document.loader import load, loads
from derive.errors import LatexSyntaxError
from derive.latex.notation import FunctionalDerivative, Maximize
from derive.latex.parser import read_expression, parse_formula
from derive.latex.printer import latex
from derive.latex.scope import IndexLabel

ROOT = Path(__file__).resolve().parents[2]

DECLARATIONS = r"""
[meta]
title = "readings"

[symbols]
'x' = "real"
'y' = "real"
'a' = "real"
'b' = "real"
'c' = "real"
'\lambda' = "real"
'\theta' = "real"
'\theta^{\ast}' = "real"
'\theta^{\star}' = "real"
'u_x' = "real"
'u_{\text{x}}' = "real"
'v_{\ast}' = "real"
'v_{\star}' = "real"
'i' = "positive integer"
'n' = "positive integer"
'd' = "real"

[indexed]
'w' = "real"
'x' = "real"
'y' = "real"

[functions]
'f(\lambda)' = "real"
'H(x)' = "real"
'p(x)' = "positive"
'p(x, y)' = "positive"
'g_\theta(x)' = "real"
'F(p)' = "real"
'\mathcal{L}(f, \lambda)' = "real"
"""

STEP = """
[[step]]
tag = "1"
latex = 'x = x'
by = "definition"
"""

x = Symbol("x", real=True)
y = Symbol("y", real=True)
a = Symbol("a", real=True)
b = Symbol("b", real=True)
c = Symbol("c", real=True)
lam = Symbol("lambda", real=True)
theta = Symbol("theta", real=True)
i = Symbol("i", positive=True, integer=True)
n = Symbol("n", positive=True, integer=True)
w = IndexedBase(IndexLabel("w", real=True))
X = IndexedBase(IndexLabel("x", real=True))
f = Function("f", real=True)
g = Function("g", real=True)
H = Function("H", real=True)
F = Function("F", real=True)
L = Function("calL", real=True)
p = Function("p", positive=True)
p_ref = Symbol("p")          # the function p itself
f_ref = Symbol("f")


@pytest.fixture(scope="module")
def scope():
    return loads(DECLARATIONS + STEP, "readings.toml", known_rules={"definition"}).scope


def refusal(scope, text):
    with pytest.raises(LatexSyntaxError) as caught:
        parse_formula(text, scope)
    return caught.value


# -- formulas with two readings are refused ----------------------------------------
REFUSED = [
    # (latex, fragment of the message, column)
    # juxtaposed numbers print as one number
    (r"x_{1 0}", "write 10, or 1 \\cdot 0", 6),
    (r"w_{1 0}", "write 10, or 1 \\cdot 0", 6),
    (r"1 0 x", "'1 0' is ambiguous", 3),
    (r"1\,000", "write 1000, or 1 \\cdot 000", 4),
    (r"2 3", "write 23, or 2 \\cdot 3", 3),
    (r"a + 1.5 2", "the number 1.52 as printed", 9),
    (r"3\frac{1}{2}", "a mixed number or a product", 2),
    (r"x_{01}", "write the number without its leading zero", 4),
    # a number after a name prints as x2
    (r"x 2", "write 2 x for the product, or x_{2}", 3),
    (r"a x2", "'x 2' is ambiguous", 4),
    # an unparenthesised function argument followed by a product
    (r"\log 2x", r"write \log(2 x), or (\log 2) x", 1),
    (r"\ln xy", r"write \ln(x y), or (\ln x) y", 1),
    (r"a + \sin 2\theta x", r"write \sin(2 \theta x), or (\sin 2) \theta x", 5),
    (r"\exp ab", r"write \exp(a b), or (\exp a) b", 1),
    (r"\log x / y", r"write \log(x / y), or (\log x) / y", 1),
    (r"\log x \log y", r"the argument of \log without parentheses is one factor", 1),
    # a declared function before a bracket or a factor: application or product?
    (r"H[x]", "write H(x) to apply it, or H \\cdot [x]", 2),
    (r"a + H\left[x\right]", r"write H(x) to apply it", 6),
    (r"H{x}", "write H(x) to apply it", 2),
    (r"g_\theta[x]", r"the declared function g_\theta applied", 9),
    (r"H x", "write H(x) to apply it, or H \\cdot x", 3),
    (r"2 f \lambda", r"write f(\lambda) to apply it, or f \cdot \lambda", 5),
    # a product after an inline quotient
    (r"a/bc", r"write \frac{a}{b} c, or \frac{a}{b c}", 4),
    (r"a/b \cdot c", r"write \frac{a}{b} \cdot c, or \frac{a}{b \cdot c}", 5),
    (r"a/b/c", r"\frac{a}{b / c}", 4),
    # a script without braces is one character
    (r"x^2y", "write ^{2y}, or ^{2} y", 4),
    (r"x^23", "write ^{23}, or ^{2} 3", 4),
    (r"w_ij", "write _{ij}, or _{i} j", 4),
    (r"\frac12x", "write {2x}, or {2} x", 8),
    (r"\frac abc", "write {bc}, or {b} c", 9),
    (r"\sqrt2x", "write {2x}, or {2} x", 7),
    # a Leibniz fraction: a derivative, or a quotient with the symbol d?
    (r"\frac{d}{dx} x^2", r"write \frac{\partial f}{\partial x} for the derivative", 1),
    (r"a + \frac{d y}{d x}", "a derivative or a quotient with the symbol d", 5),
    (r"\frac{d^2 y}{d x^2}", "a derivative or a quotient with the symbol d", 1),
    # a term after a sum that uses the sum's index: inside the sum or not?
    (r"\sum_{i=1}^{n} w_i + w_i", "'w_i' uses i, the index of the \\sum before it, but the "
                                  "\\sum ends at '+'", 22),
    (r"a - \frac{1}{2} \prod_{i=1}^{n} w_i - i", "the index of the \\prod before it", 39),
    # a bare function of several arities
    (r"p + 1", "'p' alone is ambiguous, one reading per declared arity: write its arguments, "
               "p(x) or p(x, y)", 1),
    (r"\frac{\partial p}{\partial x}", "'p' alone is ambiguous", 16),
    # a computed subscript is no name
    (r"\lambda_{a b}", "with a computed subscript is no declared name", 1),
]


@pytest.mark.parametrize("text, message, column", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_formula_with_two_readings_is_refused(scope, text, message, column):
    error = refusal(scope, text)
    assert message in error.message
    assert (error.position.line, error.position.column) == (1, column)


def test_the_leftmost_of_several_problems_is_reported(scope):
    error = refusal(scope, r"x = 1 0 + \log 2x")
    assert "'1 0'" in error.message and error.position.column == 7


# -- and their unambiguous spellings are read ----------------------------------------
ACCEPTED = [
    (r"x_{10}", X[10]),
    (r"w_{10}", w[10]),
    (r"1000", 1000),
    (r"2 \cdot 3", 6),
    (r"3 + \frac{1}{2}", Rational(7, 2)),
    (r"2 x", 2 * x),
    (r"x_2", X[2]),
    (r"\log x", log(x)),
    (r"\log x^2", log(x**2)),
    (r"\log 2", log(2)),
    (r"\sin \theta", sin(theta)),
    (r"\log p(x)", log(p(x))),
    (r"\log(2x)", log(2 * x)),
    (r"(\log 2) x", x * log(2)),
    (r"\log x \cdot y", y * log(x)),           # an explicit product sign ends the argument
    (r"2 \log x", 2 * log(x)),
    (r"\log \left[ a b \right] c", c * log(a * b)),
    (r"\exp(a) b", b * exp(a)),
    (r"H(x)", H(x)),
    (r"\lambda [a + b]", lam * (a + b)),       # a symbol before a bracket multiplies
    (r"2x/y", 2 * x / y),
    (r"\frac{a}{b} c", a * c / b),
    (r"\frac{a}{b}(x + y)", a * (x + y) / b),
    (r"x^2 y", x**2 * y),
    (r"x^{2y}", x ** (2 * y)),
    (r"x^2 3", 3 * x**2),
    (r"w_i b", w[i] * b),
    (r"\frac12 x", x / 2),
    (r"\frac12", Rational(1, 2)),
    (r"\sqrt2 x", sqrt(2) * x),
    (r"\sqrt{2x}", sqrt(2 * x)),
    (r"\frac{a}{d x}", a / (Symbol("d", real=True) * x)),
    (r"\frac{d}{a}", Symbol("d", real=True) / a),
    (r"\sum_{i=1}^{n} (w_i + w_i)", Sum(2 * w[i], (i, 1, n))),
    (r"\sum_{i=1}^{n} w_i + \sum_{i=1}^{n} w_i", 2 * Sum(w[i], (i, 1, n))),
    (r"\sum_{i=1}^{n} w_i + x", x + Sum(w[i], (i, 1, n))),
    # a bare declared function is applied to its declared arguments and parameters
    (r"f", f(lam)),
    (r"f + f(\lambda)", 2 * f(lam)),
    (r"\frac{\partial f}{\partial \lambda}", Derivative(f(lam), lam)),
    (r"g", g(x, theta)),
    (r"g_{a}", g(x, a)),
    (r"H", H(x)),
    # where a function itself may stand, a bare name is the function
    (r"F(p)", F(p_ref)),
    (r"\max_{p} F(p)", Maximize(F(p_ref), p_ref)),
    (r"\frac{\delta \mathcal{L}}{\delta f(\lambda)}", FunctionalDerivative(L(f_ref, lam), f(lam))),
]


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_an_unambiguous_formula_is_read(scope, text, expected):
    assert read_expression(text, scope) == expected


def test_a_bare_function_is_never_a_constant(scope):
    r"""With f(\lambda) declared, d f / d lambda is not 0."""
    derivative = read_expression(r"\frac{\partial f}{\partial \lambda}", scope)
    assert derivative.doit() != 0
    assert derivative.doit() == Derivative(f(lam), lam)


# -- names: distinct declarations are distinct SymPy objects ----------------------------
def test_ast_and_star_are_different_symbols(scope):
    star = read_expression(r"\theta^{\star}", scope)
    ast = read_expression(r"\theta^{\ast}", scope)
    assert ast != star
    assert read_expression(r"\theta^{\ast} - \theta^{\star}", scope) != 0
    assert latex(ast, scope) == r"\theta^{\ast}" and latex(star, scope) == r"\theta^{\star}"


def test_decorated_subscripts_are_names_of_their_own(scope):
    ast, star, asterisk = (read_expression(t, scope) for t in (r"v_{\ast}", r"v_{\star}",
                                                                  r"v_{*}"))
    assert ast != star and ast == asterisk
    assert latex(ast, scope) == r"v_{\ast}" and latex(star, scope) == r"v_{\star}"


def test_names_that_sympy_would_spell_alike_stay_apart(scope):
    r"""u_x and u_{\text{x}} both spell u_x in SymPy: the scope gives them distinct names."""
    plain, text = (read_expression(t, scope) for t in (r"u_x", r"u_{\text{x}}"))
    assert plain != text and plain.name != text.name
    assert latex(plain, scope) == "u_{x}" and latex(text, scope) == r"u_{\text{x}}"


def test_every_declared_name_has_its_own_sympy_object(scope):
    objects = list(scope.symbols.values()) + [b.label for b in scope.indexed.values()] \
        + [sig.func for sigs in scope.functions.values() for sig in sigs] \
        + list(scope.references.values())
    assert len(set(objects)) == len(objects)


def test_indexed_data_never_shares_a_symbol_with_a_symbol_of_its_name(scope):
    entry, scalar = read_expression("x_1", scope), read_expression("x", scope)
    assert entry.base.label != scalar
    assert (entry + scalar).subs(scalar, 5) == entry + 5
    assert latex(entry, scope) == "x_{1}"


# -- the same, end to end: collisions no longer prove a false step -----------------------
def derivation(*steps):
    text = DECLARATIONS
    for tag, formula, by in steps:
        text += f"\n[[step]]\ntag = \"{tag}\"\nlatex = '{formula}'\nby = '{by}'\n"
    return check_document(loads(text, "steps.toml"), time_limit=60)


@pytest.mark.parametrize("steps", [
    [("1", r"\theta^{\ast} = \theta^{\star}", "equal")],
    [("1", r"\frac{\partial f}{\partial \lambda} = 0", "differentiate")],
    [("1", "x = y", "given"), ("2", "x_1 = y_1", "substitute (1)")],
], ids=["ast-star", "bare-function", "data-vs-symbol"])
def test_a_step_resting_on_a_collision_is_not_proved(steps):
    result = derivation(*steps).steps[-1]
    assert result.status in (Status.FAILED, Status.UNDECIDED)


def test_a_true_step_with_the_same_names_is_still_proved():
    result = derivation(("1", r"\theta^{\ast} - \theta^{\star} = \theta^{\ast} - \theta^{\star}",
                         "equal")).steps[-1]
    assert result.status is Status.PROVED


# -- conflicting declarations ---------------------------------------------------------------
def load_text(write_toml, text):
    path = write_toml(textwrap.dedent(text) + STEP)
    with pytest.raises(LatexSyntaxError) as caught:
        load(path, known_rules={"definition"})
    error = caught.value
    assert error.position.path == str(path)
    return error


CONFLICTS = [
    # (tables, message, line, column of the later declaration)
    ("[meta]\ntitle = 't'\n[symbols]\n'x' = \"real\"\n[indexed]\n'x' = \"positive\"\n",
     "'x' is declared real under [symbols] but positive under [indexed]: declare both with "
     "the same assumptions (the other declaration is on line 4)", 6, 2),
    ("[meta]\ntitle = 't'\n[indexed]\n'x' = \"positive\"\n[symbols]\n'x' = \"real\"\n",
     "'x' is declared real under [symbols] but positive under [indexed]", 6, 2),
    ("[meta]\ntitle = 't'\n[symbols]\n'f' = \"real\"\n'x' = \"real\"\n[functions]\n"
     "'f(x)' = \"real\"\n",
     "'f' is declared both as a function and as the symbol 'f': give them different names", 7, 2),
    ("[meta]\ntitle = 't'\n[symbols]\n'f_x' = \"real\"\n'x' = \"real\"\n[functions]\n"
     "'f(x)' = \"real\"\n",
     "'f' is declared both as a function and as the symbol 'f_{x}'", 7, 2),
    ("[meta]\ntitle = 't'\n[symbols]\n'x' = \"real\"\n[indexed]\n'f' = \"real\"\n[functions]\n"
     "'f(x)' = \"real\"\n",
     "'f' is declared both as a function and as indexed data", 8, 2),
    ("[meta]\ntitle = 't'\n[symbols]\n'x_1' = \"real\"\n[indexed]\n'x' = \"real\"\n",
     "'x_{1}' would also read as an entry of the indexed 'x'", 6, 2),
    ("[meta]\ntitle = 't'\n[indexed]\n'I' = \"real\"\n[constants]\n'I' = '1'\n",
     "'I' is declared both as a constant and as indexed data", 6, 2),
]


@pytest.mark.parametrize("tables, message, line, column", CONFLICTS,
                         ids=["assumptions", "file-order", "function-symbol",
                              "function-subscripted-symbol", "function-indexed",
                              "symbol-entry", "constant-indexed"])
def test_conflicting_declarations_are_refused_at_the_later_one(write_toml, tables, message,
                                                                line, column):
    error = load_text(write_toml, tables)
    assert error.message.startswith(message)
    assert (error.position.line, error.position.column) == (line, column)


def test_names_subscripted_apart_from_a_functions_variables_stand_beside_it(write_toml):
    """x_0 and x_m beside x(t): x takes no subscript and 0, m are no variables of x, so
    each written name has one reading (x_t would be refused: a partial derivative?)."""
    path = write_toml("[meta]\ntitle = 't'\n[symbols]\n't' = \"real\"\n'x_0' = \"real\"\n"
                      "'x_m' = \"real\"\n[functions]\n'x(t)' = \"real\"\n" + STEP)
    scope = load(path, known_rules={"definition"}).scope
    assert read_expression("x_0 + x(t)", scope) == scope.symbols["x_{0}"] + \
        scope.functions["x"][0].func(scope.symbols["t"])
    clash = write_toml("[meta]\ntitle = 't'\n[symbols]\n't' = \"real\"\n'x_t' = \"real\"\n"
                       "[functions]\n'x(t)' = \"real\"\n" + STEP)
    with pytest.raises(LatexSyntaxError, match="both as a function"):
        load(clash, known_rules={"definition"})


@pytest.mark.parametrize("symbol, data", [("real", "real"), ("positive", "real positive"),
                                          ("positive integer", "integer positive")])
def test_a_symbol_and_data_of_one_name_with_the_same_assumptions_stand(symbol, data):
    text = (f"[meta]\ntitle = 't'\n[symbols]\n'x' = \"{symbol}\"\n'i' = \"positive integer\"\n"
            f"[indexed]\n'x' = \"{data}\"\n"
            "[[step]]\ntag = '1'\nlatex = 'x_i = x'\nby = 'given'\n")
    scope = loads(text, "ok.toml", known_rules={"given"}).scope
    assert scope.symbols["x"] != scope.indexed["x"].label


def test_a_text_subscript_never_indexes_so_it_may_share_a_base_with_data():
    """Whatever its assumptions: x_{\\text{total}} is never an entry of the data x."""
    ok = ("[meta]\ntitle = 't'\n[symbols]\n'x_{\\text{total}}' = \"positive\"\n[indexed]\n"
          "'x' = \"real\"\n[[step]]\ntag = '1'\nlatex = 'x_{\\text{total}} = x_1'\n"
          "by = 'given'\n")
    scope = loads(ok, "ok.toml", known_rules={"given"}).scope
    assert scope.symbols[r"x_{\text{total}}"] != scope.indexed["x"][1]


def test_a_refused_formula_in_a_file_points_at_its_column(write_toml):
    text = ("[meta]\ntitle = 't'\n[symbols]\n'x' = \"real\"\n"
            "[[step]]\ntag = '1'\nlatex = 'x = \\log 2x'\nby = 'definition'\n")
    path = write_toml(text)
    with pytest.raises(LatexSyntaxError) as caught:
        load(path, known_rules={"definition"})
    error = caught.value
    assert (error.position.line, error.position.column) == (7, 14)
    assert error.show().splitlines()[-1].index("^") == error.show().splitlines()[-2].index("\\")


def test_a_declared_name_with_two_readings_is_refused(write_toml):
    error = load_text(write_toml, "[meta]\ntitle = 't'\n[symbols]\n'x' = \"real\"\n"
                                  "'x_{1 0}' = \"real\"\n")
    assert "'1 0' is ambiguous" in error.message
    assert (error.position.line, error.position.column) == (5, 7)


# -- the shipped derivations still read -----------------------------------------------------
@pytest.mark.parametrize("path", sorted((ROOT / "equations").glob("*.toml")),
                         ids=lambda p: p.name)
def test_every_shipped_derivation_loads(path):
    assert load(path).steps


def test_a_functional_of_another_arity_is_another_functional():
    r"""\mathcal{L}(p) and \mathcal{L}(p, \mu) print alike; (1) defines only the second."""
    text = r"""
[meta]
title = "two functionals"
[symbols]
't' = "real"
'\mu' = "real"
[functions]
'p(t)' = "positive"
'\mathcal{L}(p, \mu)' = "real"
'\mathcal{L}(p)' = "real"
[domains]
't' = ['-\infty', '\infty']
[[step]]
tag = "1"
latex = '\mathcal{L}(p, \mu) = \mu \int p(t)^2 dt'
by = "definition"
[[step]]
tag = "2"
latex = '\frac{\delta \mathcal{L}(p)}{\delta p(t)} = 2 \mu p(t)'
by = "variation of (1)"
[[step]]
tag = "3"
latex = '\frac{\delta \mathcal{L}(p, \mu)}{\delta p(t)} = 2 \mu p(t)'
by = "variation of (1)"
"""
    result = check_document(loads(text, "functionals.toml"), time_limit=60)
    assert result.result("2").status is Status.FAILED
    assert result.result("3").status is Status.PROVED
