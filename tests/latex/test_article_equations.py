"""Each equation of the article, (1)-(17) and the corrected (6'), (7'), (8'),
parses to the SymPy expression written down here by hand.

The symbols are built the way derive/latex/scope.py builds them from the
file's declarations, but independently of it: a change in how a name or a
function is turned into SymPy makes these tests fail.
"""

from __future__ import annotations

import pytest
from sympy import (Function, IndexedBase, Integral, Product, Rational, Sum, Symbol, exp, log,
                   oo, pi, sqrt)

from derive.latex.formula import Chain, RelOp, Relation
from derive.latex.notation import (ArgMax, ArgMin, FunctionalDerivative, Maximize, NormalDist,
                                   NormalPDF)
from derive.latex.scope import IndexLabel

# -- the declarations of equations/why-mse.toml, by hand -------------------------
theta = Symbol("theta", real=True)
theta_star = Symbol("theta^*", real=True)
x = Symbol("x", real=True)
x_hat = Symbol("hatx", real=True)
z = Symbol("z", real=True)
N = Symbol("N", positive=True, integer=True)
n = Symbol("n", positive=True, integer=True)
i = Symbol("i", positive=True, integer=True)
eps = Symbol("epsilon", real=True)
eps_total = Symbol("epsilon_total", real=True)
sigma = Symbol("sigma", positive=True)
lambda_0 = Symbol("lambda_0", real=True)
lambda_1 = Symbol("lambda_1", positive=True)

# indexed data has a label of its own kind: x_i never shares a symbol with x
X = IndexedBase(IndexLabel("x", real=True))
Z = IndexedBase(IndexLabel("z", real=True))
E = IndexedBase(IndexLabel("epsilon", real=True))

p = Function("p", positive=True)                          # p(\epsilon)
p3 = Function("p", positive=True, derive_arity=3)         # p(x | z; \theta)
f = Function("f", real=True)                               # f_\theta(z) = f(z, theta)
H = Function("H", real=True)
L = Function("calL", real=True)
p_ref = Symbol("p")        # p itself, as the argument of H(p) and the variable of \max_{p}
L_applied = L(p_ref, lambda_0, lambda_1)   # \mathcal{L} alone: applied to its declared arguments

EQ = RelOp("=")


def over_line(body):
    """\\int ... d\\epsilon over the declared domain of epsilon."""
    return Integral(body, (eps, -oo, oo))


def normaliser():
    return 1 / sqrt(2 * pi * sigma**2)


def equalities(*terms):
    return Chain(tuple(terms), (EQ,) * (len(terms) - 1))


LOG_LIKELIHOOD = -Sum(log(p3(X[i], Z[i], theta)), (i, 1, N))
RESIDUAL = X[i] - f(Z[i], theta)

ENTROPY_LAGRANGIAN_TERMS = (
    -over_line(p(eps) * log(p(eps))),
    lambda_0 * (over_line(p(eps)) - 1),
    lambda_1 * (over_line(eps**2 * p(eps)) - sigma**2),
)

#: tag -> (chains, constraints)
EXPECTED = {
    "1": ((equalities(theta_star, ArgMax(Product(p3(X[i], Z[i], theta), (i, 1, N)), theta)),),
          ()),
    "2": ((equalities(theta_star, ArgMin(LOG_LIKELIHOOD, theta)),), ()),
    "3": ((equalities(x, x_hat + eps, f(z, theta) + eps),), ()),
    "4": ((Chain((eps_total, Sum(E[i], (i, 1, n)), NormalDist(0, sigma**2 * 1)),
                 (EQ, RelOp(r"\to", (n, oo)))),), ()),
    "5": ((equalities(Maximize(H(p_ref), p_ref), -over_line(p(eps) * log(p(eps)))),),
          (Relation(EQ, over_line(p(eps)), 1),
           Relation(EQ, over_line(eps**2 * p(eps)), sigma**2))),
    "6": ((equalities(L(p_ref, lambda_0, lambda_1), sum(ENTROPY_LAGRANGIAN_TERMS)),), ()),
    "7": ((equalities(FunctionalDerivative(L_applied, p(eps)),
                      -log(p(eps)) - 1 + lambda_0 + lambda_1 * eps**2, 0),), ()),
    "8": ((equalities(p(eps), exp(lambda_0 - 1) * exp(-lambda_1 * eps**2)),), ()),
    "6'": ((equalities(L(p_ref, lambda_0, lambda_1),
                       -over_line(p(eps) * log(p(eps)))
                       + lambda_0 * (over_line(p(eps)) - 1)
                       - lambda_1 * (over_line(eps**2 * p(eps)) - sigma**2)),), ()),
    "7'": ((equalities(FunctionalDerivative(L_applied, p(eps)),
                       -log(p(eps)) - 1 + lambda_0 - lambda_1 * eps**2, 0),), ()),
    "8'": ((equalities(p(eps), exp(lambda_0 - 1) * exp(-lambda_1 * eps**2)),), ()),
    "9": ((equalities(over_line(p(eps)),
                      over_line(exp(lambda_0 - 1) * exp(-lambda_1 * eps**2)),
                      exp(lambda_0 - 1) * over_line(exp(-lambda_1 * eps**2)),
                      exp(lambda_0 - 1) * sqrt(pi / lambda_1),
                      1),
           equalities(exp(lambda_0 - 1), sqrt(lambda_1 / pi))), ()),
    "10": ((equalities(over_line(eps**2 * p(eps)),
                       over_line(eps**2 * exp(lambda_0 - 1) * exp(-lambda_1 * eps**2)),
                       exp(lambda_0 - 1) * over_line(eps**2 * exp(-lambda_1 * eps**2)),
                       exp(lambda_0 - 1) * (1 / (2 * lambda_1**Rational(3, 2))) * sqrt(pi),
                       sigma**2),
            equalities(exp(lambda_0 - 1), 2 * lambda_1**Rational(3, 2) * sigma**2 / sqrt(pi))),
           ()),
    "11": ((equalities(lambda_1, 1 / (2 * sigma**2)),), ()),
    "12": ((equalities(exp(lambda_0 - 1), normaliser()),), ()),
    "13": ((equalities(p(eps), normaliser() * exp(-eps**2 / (2 * sigma**2))),), ()),
    "14": ((equalities(p3(x, z, theta), NormalPDF(x, f(z, theta), sigma**2 * 1)),), ()),
    "15": ((equalities(p3(x, z, theta),
                       normaliser() * exp(-(x - f(z, theta))**2 / (2 * sigma**2))),), ()),
    "16": ((equalities(
        theta_star,
        ArgMin(LOG_LIKELIHOOD, theta),
        ArgMin(-Sum(log(normaliser() * exp(-RESIDUAL**2 / (2 * sigma**2))), (i, 1, N)), theta),
        ArgMin(-Sum(log(normaliser()) - RESIDUAL**2 / (2 * sigma**2), (i, 1, N)), theta)),),
        ()),
    "17": ((equalities(theta_star, ArgMin(Sum(RESIDUAL**2, (i, 1, N)), theta)),), ()),
}

ARTICLE_ORDER = ["1", "2", "3", "4", "5", "6", "7", "8", "6'", "7'", "8'", "9", "10", "11",
                 "12", "13", "14", "15", "16", "17"]


def test_the_file_holds_every_equation_in_order(mse_article):
    assert [step.tag for step in mse_article.steps] == ARTICLE_ORDER


@pytest.mark.parametrize("tag", ARTICLE_ORDER)
def test_equation_parses_to_the_expected_sympy(mse_article, tag):
    formula = mse_article.step(tag).formula
    chains, constraints = EXPECTED[tag]
    assert len(formula.chains) == len(chains)
    for got, want in zip(formula.chains, chains):
        assert got.ops == want.ops
        assert len(got.terms) == len(want.terms)
        for k, (got_term, want_term) in enumerate(zip(got.terms, want.terms)):
            assert got_term == want_term, f"term {k} of ({tag})"
    assert formula.constraints == constraints


@pytest.mark.parametrize("tag", ARTICLE_ORDER)
def test_equation_tag_matches_the_step(mse_article, tag):
    """Printed equations carry \\tag{n}; the corrections added beside them do not."""
    formula = mse_article.step(tag).formula
    assert formula.tag == (None if tag.endswith("'") else tag)


def test_names_resolve_with_their_declared_assumptions(mse_article):
    """The assumptions of the declarations reach SymPy."""
    step5 = mse_article.step("5").formula
    assert step5.constraints[1].rhs.base.is_positive              # sigma > 0
    step3 = mse_article.step("3").formula
    assert all(t.is_real for t in step3.chains[0].terms)
    step1 = mse_article.step("1").formula
    product = step1.chains[0].terms[1].body
    assert product.limits[0][0].is_integer and product.limits[0][0].is_positive
    assert product.function.is_positive                           # p(x|z;theta) > 0


def test_the_two_densities_named_p_are_distinct_functions(mse_article):
    one = mse_article.step("8").formula.chains[0].terms[0]
    three = mse_article.step("14").formula.chains[0].terms[0]
    assert one.func != three.func
    assert one == p(eps) and three == p3(x, z, theta)


def test_links_and_implications(mse_article):
    """(9) has 4 equalities, then \\Rightarrow one more: five links, the last implied."""
    links = mse_article.step("9").formula.links
    assert len(links) == 5
    assert [link.implied for link in links] == [False] * 4 + [True]
    assert links[4].lhs == exp(lambda_0 - 1) and links[4].rhs == sqrt(lambda_1 / pi)
    conclusion = mse_article.step("9").formula.conclusion
    assert conclusion.lhs == exp(lambda_0 - 1) and conclusion.implied


def test_justifications_are_read(mse_article):
    step8 = mse_article.step("8")
    (solve,) = step8.justifications
    assert (solve.rule, solve.premises, solve.arguments) == ("solve", ("7",), {"for": (p(eps),)})
    assert step8.expect_failure and "sign" in step8.expect_failure
    assert mse_article.step("8'").corrects == "8"
    step7 = mse_article.step("7")
    assert [j.rule for j in step7.justifications] == ["variation", "stationary"]
    assert step7.justifications[0].premises == ("6",)
    step13 = mse_article.step("13").justifications[0]
    assert (step13.rule, step13.premises, step13.targets) == ("substitute", ("11", "12"), ("8'",))
    assert mse_article.step("4").justifications[0].words == "the central limit theorem"


def test_justification_arguments_are_resolved_names(mse_article):
    """A lone name after 'for' or 'with' is a SymPy symbol, not a parser object."""
    lagrangian = mse_article.step("6'").justifications[0]
    assert lagrangian.arguments == {"with": (lambda_0, -lambda_1)}
    eliminate = mse_article.step("11").justifications[0]
    assert eliminate.arguments == {"for": (lambda_1,)}
    assert eliminate.premises == ("9", "10")


def test_scope_of_the_article(mse_article):
    scope = mse_article.scope
    assert scope.constants == {"I": 1}
    assert scope.domains == {eps: (-oo, oo)}
    assert scope.symbols[r"\theta^{\ast}"] == theta_star
    assert scope.symbols[r"\lambda_{0}"] == lambda_0
    assert scope.symbols[r"\epsilon_{\text{total}}"] == eps_total
    assert scope.indexed["x"] == X
    assert [sig.arity for sig in scope.functions["p"]] == [1, 3]
    assert scope.functions["p"][1].separators == ("|", ";")
    assert scope.function("f", 2).parameters == (theta,)
