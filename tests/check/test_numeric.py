"""The numeric check: false claims of every kind the old box-shaped sampling let
through are refuted, true ones agree, undefined values are reported as such, and
every run draws the same sample."""

from __future__ import annotations

import pytest
import sympy
from sympy import Abs, Derivative, Integer, Integral, Rational, Sum, exp, oo, sqrt

from derive.check.numeric import Disagreement, NumericResult, claim_seed, compare
from derive.document.loader import loads
from derive.latex.parser import read_expression

DOC = r"""
[meta]
title = "numeric"
[symbols]
'x' = "real"
'y' = "real"
'a' = "positive"
'b' = "positive"
'z' = "complex"
'w' = "complex"
'n' = "positive integer"
'k' = "positive integer"
'j' = "positive integer"
't' = "real"
[functions]
'g(t)' = "positive"
'h(t)' = "real"
[domains]
't' = ['-\infty', '\infty']
[[step]]
tag = "1"
latex = 'a = a'
by = "equal"
"""

SCOPE = loads(DOC).scope


def parse(latex: str):
    return read_expression(latex, SCOPE)


def symbol(name: str):
    return SCOPE.symbols[name]


def _sum_correct_only_up_to_five():
    n = symbol("n")
    wrong = n * (n + 1) * (2 * n + 1) / 6 + sympy.prod(n - m for m in range(1, 6))
    return parse(r"\sum_{k=1}^{n} k^2"), wrong


#: (what, left, right): false claims, each of a kind the old check let through.
FALSE = [
    ("outside the box: large x", lambda: (Abs(symbol("x") - 10**5), 10**5 - symbol("x"))),
    ("outside the box: tiny a", lambda: (Abs(symbol("a") - Rational(1, 10**6)),
                                         symbol("a") - Rational(1, 10**6))),
    ("large integers", _sum_correct_only_up_to_five),
    ("narrow peak", lambda: (
        parse(r"\int_{-\infty}^{\infty} (g(t) + \exp(-10^{6} (t-3)^2)) dt"),
        parse(r"\int_{-\infty}^{\infty} g(t) dt"))),
    ("non-Gaussian function: log g has a constant second difference only for a Gaussian",
     lambda: (parse(r"\log g(0) + \log g(2) - 2 \log g(1)"),
              parse(r"\log g(1) + \log g(3) - 2 \log g(2)"))),
    ("offset 1e-15", lambda: (parse(r"x + 10^{-15}"), parse("x"))),
    ("factor 1 + 1e-15", lambda: (parse(r"(1 + 10^{-15}) a"), parse("a"))),
    ("exact: 10^20 + 1", lambda: (parse(r"10^{20} + 1"), parse(r"10^{20}"))),
    ("exact: 1/3", lambda: (parse(r"\frac{1}{3}"), parse("0.333333333333333"))),
    ("exact: almost an integer", lambda: (parse(r"\exp(\pi \sqrt{163})"),
                                          parse(r"640320^3 + 744"))),
    ("branch cut: complex sqrt", lambda: (parse(r"\sqrt{z^2}"), parse("z"))),
    ("branch cut: complex log", lambda: (parse(r"\log(z w)"), parse(r"\log z + \log w"))),
    ("real sqrt", lambda: (parse(r"\sqrt{x^2}"), parse("x"))),
    ("real log of negatives", lambda: (parse(r"\log(x y)"), parse(r"\log x + \log y"))),
    ("derivative", lambda: (Derivative(sympy.sin(symbol("x")) * symbol("x"), symbol("x")),
                            sympy.cos(symbol("x")) * symbol("x") - sympy.sin(symbol("x")))),
    ("second and mixed derivative", lambda: (
        Derivative(exp(symbol("x") * symbol("y")), (symbol("x"), 2), symbol("y")),
        symbol("y") ** 2 * exp(symbol("x") * symbol("y")))),
    ("the sigmoid's reflection off by 1e-8 relative", lambda: (
        _sigmoid(-symbol("x")), (1 + Rational(1, 10**8)) * (1 - _sigmoid(symbol("x"))))),
    ("the softplus' derivative off by 1e-8 relative", lambda: (
        Derivative(sympy.log(1 + exp(symbol("x"))), symbol("x")),
        (1 + Rational(1, 10**8)) * _sigmoid(symbol("x")))),
    ("a product of exponentials off by 1e-8 relative", lambda: (
        parse(r"\exp(x y) \exp(\frac{a^2 y^2}{2})"),
        parse(r"(1 + 10^{-8}) \exp(\frac{a^2 y^2}{2} + x y)"))),
    ("an odd integral is 0, not 1e-20", lambda: (
        parse(r"\int_{-\infty}^{\infty} t \exp(-\frac{t^2}{2}) dt"), parse(r"10^{-20}"))),
    ("an odd integral of any width is 0, not 1e-20 a^2", lambda: (
        parse(r"\int_{-\infty}^{\infty} t \exp(-\frac{t^2}{2 a^2}) dt"), parse(r"10^{-20} a^2"))),
    ("a tail from next to a pole, off by 1e-8 relative", lambda: (
        parse(r"\int_{a}^{\infty} \frac{1}{t^2} dt"), parse(r"\frac{1 + 10^{-8}}{a}"))),
    ("a gamma integral with the wrong shape", lambda: (
        parse(r"\int_{0}^{\infty} t^{a-1} \exp(-t) dt"), sympy.gamma(symbol("a") + 1))),
    ("a shifted Gaussian integral off by 1e-8 relative", lambda: (
        parse(r"\int_{-\infty}^{\infty} \exp(-\frac{t^2}{2}) \exp(x t) dt"),
        (1 + Rational(1, 10**8)) * sqrt(2 * sympy.pi) * exp(symbol("x")**2 / 2))),
    ("a Poisson mean off by 1e-8 relative", lambda: (
        parse(r"\sum_{k=0}^{\infty} k \exp(-a) \frac{a^k}{k!}"), parse(r"(1 + 10^{-8}) a"))),
    ("a decaying derivative with a wrong constant", lambda: (
        Derivative(symbol("a") * (1 - exp(-symbol("t") / symbol("b"))), symbol("t")),
        symbol("a") / (2 * symbol("b")) * exp(-symbol("t") / symbol("b")))),
]

def _sigmoid(x):
    return 1 / (1 + exp(-x))


#: (what, left, right): true claims that must agree.
TRUE = [
    ("a side that cancels to 0 beside a tiny other side (the sigmoid's reflection)",
     lambda: (_sigmoid(-symbol("x")), 1 - _sigmoid(symbol("x")))),
    ("a derivative that underflows (the softplus' derivative)", lambda: (
        Derivative(sympy.log(1 + exp(symbol("x"))), symbol("x")), _sigmoid(symbol("x")))),
    ("a decaying derivative", lambda: (
        Derivative(symbol("a") * (1 - exp(-symbol("t") / symbol("b"))), symbol("t")),
        symbol("a") / symbol("b") * exp(-symbol("t") / symbol("b")))),
    ("an odd integral is exactly 0 (its halves cancel)", lambda: (
        parse(r"\int_{-\infty}^{\infty} t \exp(-\frac{t^2}{2}) dt"), Integer(0))),
    ("an odd integral of any width is 0", lambda: (
        parse(r"\int_{-\infty}^{\infty} t \exp(-\frac{t^2}{2 a^2}) dt"), Integer(0))),
    ("a tail from next to a pole (a near 1e-9)", lambda: (
        parse(r"\int_{a}^{\infty} \frac{1}{t^2} dt"), 1 / symbol("a"))),
    ("a gamma integral, shapes near 1e-9 included", lambda: (
        parse(r"\int_{0}^{\infty} t^{a-1} \exp(-t) dt"), sympy.gamma(symbol("a")))),
    ("a Gaussian integral whose peak lies far beyond the features it shows", lambda: (
        parse(r"\int_{-\infty}^{\infty} \exp(-\frac{t^2}{2}) \exp(x t) dt"),
        sqrt(2 * sympy.pi) * exp(symbol("x")**2 / 2))),
    ("a Poisson mean, means up to 1e8 included", lambda: (
        parse(r"\sum_{k=0}^{\infty} k \exp(-a) \frac{a^k}{k!}"), parse("a"))),
    ("a product of exponentials whose exponents reach 10^28", lambda: (
        parse(r"\exp(x y) \exp(\frac{a^2 y^2}{2})"),
        parse(r"\exp(\frac{a^2 y^2}{2} + x y)"))),
    ("log of a product of positives", lambda: (parse(r"\log(a b)"),
                                               parse(r"\log a + \log b"))),
    ("sqrt of a square of a positive", lambda: (parse(r"\sqrt{a^2}"), parse("a"))),
    ("a sum with a symbolic bound", lambda: (parse(r"\sum_{k=1}^{n} k"),
                                            parse(r"\frac{n (n+1)}{2}"))),
    ("the narrow peak itself", lambda: (
        parse(r"\int_{-\infty}^{\infty} \exp(-10^{6} (t-3)^2) dt"),
        parse(r"\frac{\sqrt{\pi}}{1000}"))),
    ("a Gaussian integral", lambda: (parse(r"\int_{-\infty}^{\infty} \exp(-a t^2) dt"),
                                     parse(r"\sqrt{\frac{\pi}{a}}"))),
    ("an integrable endpoint singularity", lambda: (parse(r"\int_0^1 \frac{1}{\sqrt{t}} dt"),
                                                    Integer(2))),
    ("a random function's integral, heavy tails included", lambda: (
        parse(r"\int_{-\infty}^{\infty} t^2 g(t) dt"),
        parse(r"\int_{-\infty}^{\infty} t^2 g(t) dt"))),
    ("a bump far out that the expression does not show is no divergence", lambda: (
        parse(r"\int_{-\infty}^{\infty} \exp(-(\exp(\frac{t}{10}) - \exp(4))^2) dt"),
        parse(r"\int_{-\infty}^{\infty} \exp(-(\exp(\frac{t}{10}) - \exp(4))^2) dt"))),
    ("a positive function is positive", lambda: (parse("g(t)"), Abs(parse("g(t)")))),
    ("an exact constant", lambda: (parse(r"\sqrt{2}^2"), Integer(2))),
    ("a constant that needs evaluation", lambda: (parse(r"\log 6"),
                                                  parse(r"\log 2 + \log 3"))),
    ("a derivative", lambda: (Derivative(sympy.sin(symbol("x")) * symbol("x"), symbol("x")),
                              sympy.cos(symbol("x")) * symbol("x") + sympy.sin(symbol("x")))),
    ("a mixed derivative", lambda: (
        Derivative(exp(symbol("x") * symbol("y")), (symbol("x"), 2), symbol("y")),
        (2 * symbol("y") + symbol("x") * symbol("y") ** 2) * exp(symbol("x") * symbol("y")))),
    ("a double integral", lambda: (Integral(symbol("t") * symbol("x"), (symbol("t"), 0, 1),
                                            (symbol("x"), 0, 1)), Rational(1, 4))),
    ("a convergent series", lambda: (Sum(1 / symbol("k") ** 2, (symbol("k"), 1, oo)),
                                     sympy.pi ** 2 / 6)),
]


@pytest.mark.parametrize("what, claim", FALSE, ids=[w for w, _ in FALSE])
def test_false_claims_are_refuted(what, claim):
    left, right = claim()
    result = compare(left, right)
    assert result.agree is False, (what, result)
    assert isinstance(result.disagreement, Disagreement)


@pytest.mark.parametrize("what, claim", TRUE, ids=[w for w, _ in TRUE])
def test_true_claims_agree(what, claim):
    left, right = claim()
    result = compare(left, right)
    assert result.agree is True, (what, result)
    assert not result.undefined


def test_a_refuted_point_shows_both_values_at_the_point():
    result = compare(parse(r"x + 10^{-15}"), parse("x"))
    (name, value), = result.disagreement.point
    assert name == symbol("x")
    assert abs(result.disagreement.left - result.disagreement.right - Rational(1, 10**15)) \
        < Rational(1, 10**25)


def test_a_point_where_a_side_cancels_beyond_reach_is_skipped_not_agreed():
    """1 - sigma(x) at x near 10^6 cancels to 0 at any reachable precision: such a
    point neither refutes nor supports the claim."""
    x = symbol("x")
    result = compare(_sigmoid(-x), 1 - _sigmoid(x))
    assert result.agree is True
    assert result.sample["skipped"] >= 1
    assert result.sample["agreed"] + result.sample["skipped"] <= result.sample["points"]


def test_a_hidden_difference_is_settled_at_more_digits():
    """exp(-x^2 - 100) differs from exp(-x^2 - 100 - 10^-8) far below the round-off of
    -x^2 - 100, yet stays put at more digits: refuted, with the settled values."""
    left, right = parse(r"\exp(-x^2 - 100)"), parse(r"\exp(-x^2 - 100 - 10^{-8})")
    result = compare(left, right)
    assert result.agree is False
    shown = result.disagreement
    assert abs(shown.left / shown.right - 1 - sympy.Float("1e-8")) < sympy.Float("1e-15")


# -- undefined values ------------------------------------------------------------------
UNDEFINED = [
    ("divergent at infinity", lambda: (parse(r"\int_1^\infty \frac{1}{t} dt"), Integer(5)),
     "diverges"),
    ("divergent over the line, even equal to itself",
     lambda: (parse(r"\int_{-\infty}^{\infty} 1 dt"), parse(r"\int_{-\infty}^{\infty} 1 dt")),
     "diverges"),
    ("divergent at an endpoint", lambda: (parse(r"\int_0^1 \frac{1}{t} dt"), Integer(5)),
     "diverges"),
    ("divergent at an endpoint, a power just beyond -1",
     lambda: (parse(r"\int_0^1 t^{-\frac{21}{20}} dt"), Integer(20)), "diverges"),
    ("divergent with a parameter", lambda: (parse(r"\int_1^\infty \frac{a}{t} dt"),
                                            parse("a")), "diverges"),
    ("divergent series", lambda: (Sum(1 / symbol("k"), (symbol("k"), 1, oo)), Integer(3)),
     "converge"),
    ("a series whose terms grow", lambda: (parse(r"\sum_{k=1}^{\infty} k"), Integer(3)),
     "diverges"),
    ("division by zero", lambda: (parse(r"\frac{1}{0}"), parse(r"\frac{1}{0}")), "division"),
    ("log 0", lambda: (parse(r"\log 0"), parse(r"\log 0")), "infinity"),
    ("infinity as a value", lambda: (oo, oo), "infinity"),
    ("nan", lambda: (sympy.nan, sympy.nan), "nan"),
]


@pytest.mark.parametrize("what, claim, why", UNDEFINED, ids=[w for w, _, _ in UNDEFINED])
def test_undefined_values_never_agree(what, claim, why):
    left, right = claim()
    result = compare(left, right)
    assert result.agree is None, (what, result)
    assert why in result.undefined


def test_a_convergence_too_slow_to_tell_is_unresolved_not_divergent():
    """t^(10^-9 - 1) converges on (0, 1), shrinking by 4^(-10^-9) per piece toward 0: no
    divergence, and no value either."""
    result = compare(parse(r"\int_0^1 t^{10^{-9} - 1} dt"), parse(r"10^{9}"))
    assert result.agree is None
    assert not result.undefined
    assert "too slowly" in result.note


def test_a_decay_of_scale_1e_16_is_no_counterexample():
    """exp(-u / (2 s^2)) with s near 1e-9 decays within 1e-16: a piece from 8 scales
    to 1 still holds e^-8 of it, once read as a 2e-4 disagreement."""
    u, s = sympy.Symbol("u", positive=True), sympy.Symbol("s", positive=True)
    left = Integral(exp(-u / (2 * s**2)) / 2, (u, 0, oo))
    tiny = {s: (Rational(1, 10**9), Rational(1, 10**8))}
    assert compare(left, s**2, domains=tiny).agree is not False
    assert compare(left, (1 + Rational(1, 10**8)) * s**2).agree is False


def test_linearity_of_integrals_of_random_functions_survives_truncation():
    """With seed 8, the random p and q make the quadrature of q log q truncate at the
    same 1e-12 at every precision; the higher degree of the confirmation tells it from
    a difference. The same split off by 1e-8 relative is still refuted."""
    z = sympy.Symbol("z", real=True)
    p, q = (sympy.Function(name, positive=True)(z) for name in "pq")
    whole = Integral((sympy.log(p) - sympy.log(q)) * q, (z, -oo, oo))
    split = Integral(q * sympy.log(p), (z, -oo, oo)) - Integral(q * sympy.log(q), (z, -oo, oo))
    assert compare(whole, split, seed=8).agree is True
    assert compare(whole, (1 + Rational(1, 10**8)) * split, seed=8).agree is False


def test_a_pole_at_a_special_point_skips_the_point_only():
    x = symbol("x")
    result = compare((x**2 - 1) / (x - 1), x + 1)
    assert result.agree is True and not result.undefined


def test_a_sum_too_wide_for_a_point_skips_that_point():
    n, k = symbol("n"), symbol("k")
    result = compare(Sum(k, (k, 1, n**4)), n**4 * (n**4 + 1) / 2)    # 7^4 terms: too wide
    assert result.agree is True
    assert result.sample["skipped"] >= 1
    nested = compare(parse(r"\sum_{k=1}^{n} \sum_{j=1}^{k} 1"), parse(r"\frac{n (n+1)}{2}"))
    assert nested.agree is True


# -- relations -------------------------------------------------------------------------
RELATIONS = [
    (r"x^2", "0", ">=", True),
    (r"x^2", "0", ">", False),           # x = 0 is among the special points
    ("x", "x + 1", "<", True),
    ("x", "4", "<=", False),             # x past the old box
    (r"\sin x", "1", "<=", True),
    ("a + b", "a", ">", True),
    ("x", "x", "!=", False),
    (r"x^2 + 1", "0", "!=", True),
    (r"x + 10^{-15}", "x", "=", False),
]


@pytest.mark.parametrize("left, right, relation, holds", RELATIONS)
def test_relations(left, right, relation, holds):
    result = compare(parse(left), parse(right), relation=relation)
    assert result.agree is holds, result


def test_an_unknown_relation_is_an_error():
    with pytest.raises(ValueError, match="unknown relation"):
        compare(parse("x"), parse("x"), relation="~")


def test_domains_bound_the_points():
    x = symbol("x")
    assert compare(sqrt(x**2), x, domains={x: (0, 10)}).agree is True
    assert compare(x, Integer(10), relation="<", domains={x: (0, 10)}).agree is True
    assert compare(sqrt(x**2), x).agree is False


# -- reproducible and recorded -----------------------------------------------------------
def test_the_same_claim_draws_the_same_sample():
    left, right = parse(r"\log(x y)"), parse(r"\log x + \log y")
    first, second = compare(left, right), compare(left, right)
    assert first == second
    assert first.sample["seed"] == claim_seed(left, right)


def test_the_seed_depends_on_the_claim_and_can_be_given():
    assert claim_seed(parse("x"), parse("y")) != claim_seed(parse("y"), parse("x"))
    given = compare(parse(r"\log(a b)"), parse(r"\log a + \log b"), seed=7)
    assert given.sample["seed"] == 7


def test_the_sample_is_recorded():
    result = compare(parse(r"\log(a b)"), parse(r"\log a + \log b"))
    assert isinstance(result, NumericResult)
    sample = result.sample
    assert sample["points"] >= sample["agreed"] == result.points >= 6
    assert sample["digits"] == 30 and sample["confirm_digits"] == 45
    assert 0 <= sample["largest_relative_difference"] < 1e-20


def test_the_engine_fails_a_claim_with_a_divergent_integral_and_says_why():
    from derive.check.equivalence import equivalent
    from derive.check.verdict import Status
    outcome = equivalent(parse(r"\int_1^\infty \frac{a}{t} dt"), parse("a"))
    assert outcome.status is Status.FAILED
    assert "diverges" in outcome.note


def test_compare_takes_expressions_never_text():
    """Text must never reach SymPy's parser through the checker."""
    with pytest.raises(TypeError):
        compare("__import__('os')", 1)
    assert compare(2, sympy.Integer(2)).agree


@pytest.mark.parametrize("relation, agree", [("<", True), (">=", False), ("!=", True)])
def test_exact_numbers_decide_every_relation(relation, agree):
    assert compare(sympy.Rational(1, 2), sympy.Integer(1), relation=relation).agree is agree
