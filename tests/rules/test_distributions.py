"""Densities and expectations unfold to their definitions: normalisations, means and
variances proved; wrong ones failed with a reason; an expectation under a law the
formula does not name is never guessed."""

from __future__ import annotations

import pytest

from derive.check.engine import check_document
from derive.check.verdict import Status
from derive.document.loader import loads
from tests.rules.derivations import TIME_LIMIT, step

HEADER = r"""
[meta]
title = "distributions test"

[symbols]
'x' = "real"
'k' = "nonnegative integer"
'\mu' = "real"
'\mu_1' = "real"
'\mu_2' = "real"
'\sigma' = "positive"
'\sigma_1' = "positive"
'\sigma_2' = "positive"
'\lambda' = "positive"
'\theta' = "positive"
'a' = "positive"
'b' = "positive"
'c' = "real"
'K' = "positive integer"
'j' = "positive integer"
'm' = "positive integer"

[indexed]
'w' = "nonnegative"

[functions]
'p(x)' = "positive"
'g(x)' = "real"

[domains]
'x' = ['-\infty', '\infty']
'm' = ['1', 'K']
"""


def verdict(latex: str, by: str):
    """The verdict of a one-step derivation."""
    document = loads(HEADER + step("1", latex, by), "test.toml")
    return check_document(document, time_limit=TIME_LIMIT).result("1")


TRUE = [
    (r"\int_{-\infty}^{\infty} \mathcal{N}(x; \mu, \sigma^2) \, dx = 1", "integrate"),
    (r"\int_{-\infty}^{\infty} \mathrm{Laplace}(x \mid \mu, b) \, dx = 1", "integrate"),
    (r"\int_{0}^{\infty} \mathrm{Exp}(x; \lambda) \, dx = 1", "integrate"),
    (r"\int_{-1}^{1} \mathrm{Exp}(x; \lambda) \, dx = 1 - \exp(-\lambda)", "integrate"),
    (r"\int_0^1 \mathrm{Beta}(\theta; 2, 3) \, d\theta = 1", "integrate"),
    (r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}[x] = \mu", "integrate"),
    (r"\mathbb{E}_{x \sim \mathcal{N}(\mu, \sigma^2)}[x^2] = \mu^2 + \sigma^2", "integrate"),
    (r"\mathbb{E}_{x \sim \mathrm{Exp}(\lambda)}[x] = \frac{1}{\lambda}", "integrate"),
    (r"\mathbb{E}_{x \sim \mathcal{U}(a, a + b)}[x] = a + \frac{b}{2}", "integrate"),
    (r"\mathbb{E}_{x \sim \mathrm{Gamma}(3, \lambda)}[x] = \frac{3}{\lambda}", "integrate"),
    (r"\mathbb{E}_{k \sim \mathrm{Bern}(\theta)}[k] = \theta", "equal"),
    (r"\mathrm{Var}_{x \sim \mathcal{N}(\mu, \sigma^2)}[x] = \sigma^2", "integrate"),
    (r"\mathrm{Var}_{x \sim \mathrm{Exp}(\lambda)}(x) = \frac{1}{\lambda^2}", "integrate"),
    (r"\mathrm{Var}_{k \sim \mathrm{Bernoulli}(\theta)}[k] = \theta (1 - \theta)", "equal"),
    (r"\mathcal{N}(x; \mu, \sigma^2) = \frac{1}{\sqrt{2 \pi \sigma^2}} "
     r"\exp\left(-\frac{(x - \mu)^2}{2 \sigma^2}\right)", "equal"),
    (r"\mathbb{E}_{x \sim p}[g(x)] = \int_{-\infty}^{\infty} g(x) p(x) \, dx", "equal"),
    (r"\mathrm{Var}[x] = \mathbb{E}[x^2] - \mathbb{E}[x]^2", "equal"),
    (r"\mathbb{E}[2 x + c] = 2 \mathbb{E}[x] + \mathbb{E}[c]", "equal"),
    (r"\mathrm{Var}[x] = \mathbb{E}\left[(x - \mathbb{E}[x])^2\right]", "equal"),
    (r"\mathbb{E}_{m \sim \mathrm{Cat}(w)}[m^2] = \sum_{j=1}^{K} j^2 w_j", "equal"),
    (r"\mathrm{Cat}(m; w) = w_m", "equal"),
]


@pytest.mark.parametrize("latex, by", TRUE, ids=[t[0][:60] for t in TRUE])
def test_a_true_step_holds(latex, by):
    result = verdict(latex, by)
    assert result.status in (Status.PROVED, Status.NUMERIC), result.reason


def test_kl_of_two_normal_distributions_is_proved():
    result = verdict(r"D_{\mathrm{KL}}(\mathcal{N}(\mu_1, \sigma_1^2) \| \mathcal{N}(\mu_2, "
                     r"\sigma_2^2)) = \log \frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + "
                     r"(\mu_1 - \mu_2)^2}{2 \sigma_2^2} - \frac{1}{2}", "integrate")
    assert result.status is Status.PROVED, result.reason


FALSE = [
    (r"\mathbb{E}_{x \sim \mathrm{Exp}(\lambda)}[x] = \lambda", "integrate", "counterexample"),
    (r"\mathrm{Var}_{x \sim \mathcal{N}(\mu, \sigma^2)}[x] = \sigma", "integrate",
     "counterexample"),
    (r"\int_{-1}^{1} \mathrm{Exp}(x; \lambda) \, dx = \int_{-1}^{1} \lambda \exp(-\lambda x)"
     r" \, dx", "integrate", "counterexample"),
    (r"\mathbb{E}_{x \sim \mathcal{U}(0, 2)}[x] = \frac{1}{2}", "integrate", "evaluates to"),
    (r"\mathbb{E}_{k \sim \mathrm{Bern}(\theta)}[k] = 1 - \theta", "equal", "counterexample"),
    (r"\mathbb{E}[x] = \mu", "equal", "unknown values"),
    (r"\mathbb{E}[x^2] = \mathbb{E}[x]^2", "equal", "counterexample"),
    (r"\mathbb{E}[x] = \mathbb{E}_{x \sim p}[x]", "equal", "counterexample"),
    (r"\mathbb{E}_{m \sim \mathrm{Cat}(w)}[m] = \sum_{j=1}^{K} w_j", "equal", "counterexample"),
]


@pytest.mark.parametrize("latex, by, reason", FALSE, ids=[t[0][:60] for t in FALSE])
def test_a_false_step_fails_with_its_reason(latex, by, reason):
    result = verdict(latex, by)
    assert result.status is Status.FAILED, result.reason
    assert reason in result.reason
