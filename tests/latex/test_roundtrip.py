"""Render -> parse: what derive.latex.printer writes, the grammar reads back
to the same chains and constraints."""

from __future__ import annotations

import pytest
from sympy import Derivative, Function, Symbol

from derive.latex.parser import read_expression, parse_formula
from derive.latex.printer import formula_latex, latex

from tests.latex.test_article_equations import ARTICLE_ORDER


@pytest.mark.parametrize("tag", ARTICLE_ORDER)
def test_every_step_of_the_article_round_trips(mse_article, tag):
    formula = mse_article.step(tag).formula
    text = formula_latex(formula, mse_article.scope)
    again = parse_formula(text, mse_article.scope)
    assert again.chains == formula.chains
    assert again.constraints == formula.constraints


SMALL = [
    r"\frac{x}{y}",
    r"\frac12 x",
    r"x^{-1} + \frac{1}{x^2}",
    r"\sqrt{f(x)}",
    r"\sqrt[3]{x}",
    r"\sqrt[n]{x}",
    r"x^{3/2}",
    r"(\log x)^2",
    r"(f(x))^2",
    r"(f(x))^{-1}",
    r"\exp(x) \exp(y)",
    r"\log(x y)",
    r"\left| x - y \right|",
    r"\sum_{i=1}^{n} w_i - 1",
    r"\sum_{i=1}^{n} (w_i + 1)",
    r"\sum_{i=1}^{n} (- w_i)",
    r"(\sum_{i=1}^{n} w_i)^2",
    r"a \sum_{i=1}^{n} w_i \prod_{i=1}^{n} w_i^2",
    r"\prod_{i=1}^{n} (1 + w_i)",
    r"w_{i+1} + w_{2 i}",
    r"g_\theta(z) + g_\theta(w_i)",
    r"p(x | z; \theta) + p(\epsilon)",
    r"h(x, y)",
    r"\mathcal{N}(x; \mu, \sigma^2 I)",
    r"\mathcal{N}(0, 1)",
    r"\mathbb{E}[x^2]",
    r"\int_0^1 x^2 dx",
    r"\int_0^1 (x + 1) dx + 1",
    r"\int p(\epsilon) \log p(\epsilon) d\epsilon",
    r"\arg\min_{\theta} \sum_{i=1}^n (w_i - \theta)^2",
    r"\arg\max_{\theta} -\theta^2",
    r"\max_{p} \mathcal{L}(p)",
    r"\min_{x} x^2",
    r"\frac{\delta \mathcal{L}}{\delta p(\epsilon)}",
    r"\frac{\partial f(x)}{\partial x}",
    r"\frac{\partial (x + y)}{\partial x}",
    r"\frac{\partial \frac{\partial f(x)}{\partial x}}{\partial x}",
    r"\frac{\partial \frac{\partial h(x, y)}{\partial y}}{\partial x}",
    r"\pi x - \infty",
    r"-\frac{x}{2}",
    r"\theta^{\ast} \hat{x} \epsilon_{\text{total}}",
    r"\lambda_0 (a + b)",
    r"\sin(x) + \cos(x) + \tan x",
    r"\exp(-\frac{x^2}{2\sigma^2})",
    r"x^{y^2} (a b)^{n}",
    r"2.25 x",
    r"x = y \Rightarrow y = x",
    r"x = y \quad \text{s.t.} \quad x > 0, y \ge 0",
    r"\sum_{i}^n w_i \xrightarrow{n \to \infty} \mathcal{N}(0, \sigma^2 I)",
    r"x \ne y",
    r"x < y \le a",
    r"x \sim \mathcal{N}(0, \sigma^2)",
    r"x \approx y",
    r"\begin{aligned} x &= y \\ &= a \end{aligned}",
]


@pytest.mark.parametrize("text", SMALL)
def test_small_formula_round_trips(notation_scope, text):
    formula = parse_formula(text, notation_scope)
    printed = formula_latex(formula, notation_scope)
    again = parse_formula(printed, notation_scope)
    assert again.chains == formula.chains
    assert again.constraints == formula.constraints


def test_higher_derivatives_print_in_a_form_the_grammar_reads(notation_scope):
    x = Symbol("x", real=True)
    y = Symbol("y", real=True)
    h = Function("h", real=True)
    for derivative in (Derivative(h(x, y), x, x), Derivative(h(x, y), y, x),
                       Derivative(h(x, y), (x, 2), y)):
        assert read_expression(latex(derivative, notation_scope), notation_scope) == derivative


def test_printer_uses_the_declared_latex_of_names(mse_article):
    text = formula_latex(mse_article.step("16").formula, mse_article.scope)
    for piece in (r"\theta^{\ast}", r"\arg\min_{\theta}", r"f_{\theta}\left(z_{i}\right)",
                  r"p\left(x_{i} \mid z_{i} ; \theta\right)", r"\sigma"):
        assert piece in text
