"""Every checked rule in the table, with one true step and the four classic mistakes:
a sign flipped, a constant changed, a factor dropped, the wrong variable.

A rule added to derive.rules.RULES without a row here fails the last test.
"""

from __future__ import annotations

import pytest

from derive.check.verdict import Status
from derive.rules import ASSUMED_RULES, RULES
from derive.rules.pending import PENDING
from tests.rules.derivations import last, step

ENTROPY = step("1", r"F(p) = -\int p(t) \log p(t) dt + \mu \left( \int t p(t) dt - 1 \right)",
               "definition")
PROBLEM = step("1", r"\max_{p} F(p) = -\int p(t) \log p(t) dt \quad \text{s.t.} \quad "
                    r"\int p(t) dt = 1", "definition")
LIKELIHOOD = step("1", r"\theta^{\ast} = \arg\max_{\theta} \prod_{i=1}^{N} q(x_i | \theta)",
                  "definition")
OBJECTIVE = step("1", r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} "
                      r"\left[ a (x_i - \theta)^2 + b \right]", "definition")
LINE = step("1", "y = 2 x", "given")
SYSTEM = [step("1", "x + y = 3", "given"), step("2", "x - y = 1", "given")]

#: rule -> (premise steps, justification, true claim, {mistake: (claim, reason)})
TABLE = {
    "equal": ([], "equal", r"(x + y)^2 = x^2 + 2 x y + y^2", {
        "sign": (r"(x + y)^2 = x^2 - 2 x y + y^2", "the two sides differ"),
        "constant": (r"(x + y)^2 = x^2 + 3 x y + y^2", "the two sides differ"),
        "factor": (r"(x + y)^2 = x^2 + x y + y^2", "the two sides differ"),
        "variable": (r"(x + y)^2 = x^2 + 2 x a + a^2", "the two sides differ"),
    }),
    "restate": ([step("1", "y = 2 x + 1", "given")], "restate (1)", "y = 2 x + 1", {
        "sign": ("y = -2 x + 1", "not what (1) says"),
        "constant": ("y = 3 x + 1", "not what (1) says"),
        "factor": ("y = x + 1", "not what (1) says"),
        "variable": ("y = 2 a + 1", "not what (1) says"),
    }),
    "substitute": ([LINE], "substitute (1)", "y^2 + 1 = 4 x^2 + 1", {
        "sign": ("y^2 + 1 = -4 x^2 + 1", "the substitution gives something else"),
        "constant": ("y^2 + 1 = 5 x^2 + 1", "the substitution gives something else"),
        "factor": ("y^2 + 1 = x^2 + 1", "the substitution gives something else"),
        "variable": ("y^2 + 1 = 4 a^2 + 1", "the substitution gives something else"),
    }),
    "unfold": ([LINE], "unfold (1)", "y + 1 = 2 x + 1", {
        "sign": ("y + 1 = -2 x + 1", "the two sides differ after substituting"),
        "constant": ("y + 1 = 3 x + 1", "the two sides differ after substituting"),
        "factor": ("y + 1 = x + 1", "the two sides differ after substituting"),
        "variable": ("y + 1 = 2 a + 1", "the two sides differ after substituting"),
    }),
    "solve": ([step("1", "2 x + 3 = 7", "given")], "solve (1) for x", "x = 2", {
        "sign": ("x = -2", "solving (1) for $x$ gives $2$"),
        "constant": ("x = 3", "solving (1) for $x$ gives $2$"),
        "factor": ("x = 4", "solving (1) for $x$ gives $2$"),
        "variable": ("y = 2", "the claim must read $x = \\dots$"),
    }),
    "eliminate": (SYSTEM, "eliminate (1), (2) for x", "x = 2", {
        "sign": ("x = -2", "gives $2$"),
        "constant": ("x = 3", "gives $2$"),
        "factor": ("x = 4", "gives $2$"),
        "variable": ("x = 2 a", ""),
    }),
    "expand_log": ([], "expand_log", r"\log(a^2 \exp(x)) = 2 \log a + x", {
        "sign": (r"\log(a^2 \exp(x)) = 2 \log a - x", "do not expand to the right side"),
        "constant": (r"\log(a^2 \exp(x)) = 3 \log a + x", "do not expand to the right side"),
        "factor": (r"\log(a^2 \exp(x)) = \log a + x", "do not expand to the right side"),
        "variable": (r"\log(a^2 \exp(x)) = 2 \log b + x", "do not expand to the right side"),
    }),
    "linearity": ([], "linearity", r"\int_{0}^{1} 3 g(t) dt = 3 \int_{0}^{1} g(t) dt", {
        "sign": (r"\int_{0}^{1} 3 g(t) dt = -3 \int_{0}^{1} g(t) dt", "linearity does not"),
        "constant": (r"\int_{0}^{1} 3 g(t) dt = 2 \int_{0}^{1} g(t) dt", "linearity does not"),
        "factor": (r"\int_{0}^{1} 3 g(t) dt = \int_{0}^{1} g(t) dt", "linearity does not"),
        "variable": (r"\int_{0}^{1} 3 g(t) dt = 3 \int_{0}^{1} g(x) dt", "linearity does not"),
    }),
    "integrate": ([], "integrate", r"\int \exp(-\lambda t^2) dt = \sqrt{\frac{\pi}{\lambda}}", {
        "sign": (r"\int \exp(-\lambda t^2) dt = -\sqrt{\frac{\pi}{\lambda}}", "evaluates to"),
        "constant": (r"\int \exp(-\lambda t^2) dt = \sqrt{\frac{2\pi}{\lambda}}", "evaluates to"),
        "factor": (r"\int \exp(-\lambda t^2) dt = \sqrt{\pi}", "evaluates to"),
        "variable": (r"\int \exp(-\lambda t^2) dt = \sqrt{\frac{\pi}{a}}", "evaluates to"),
    }),
    "differentiate": ([], "differentiate", r"\frac{\partial (a x^3)}{\partial x} = 3 a x^2", {
        "sign": (r"\frac{\partial (a x^3)}{\partial x} = -3 a x^2", "the derivative is different"),
        "constant": (r"\frac{\partial (a x^3)}{\partial x} = 2 a x^2", "the derivative is different"),
        "factor": (r"\frac{\partial (a x^3)}{\partial x} = 3 x^2", "the derivative is different"),
        "variable": (r"\frac{\partial (a x^3)}{\partial x} = 3 a y^2", "the derivative is different"),
    }),
    "variation": ([ENTROPY], "variation of (1)",
                  r"\frac{\delta F}{\delta p(t)} = -\log p(t) - 1 + \mu t", {
        "sign": (r"\frac{\delta F}{\delta p(t)} = -\log p(t) + 1 + \mu t", "is different"),
        "constant": (r"\frac{\delta F}{\delta p(t)} = -\log p(t) - 2 + \mu t", "is different"),
        "factor": (r"\frac{\delta F}{\delta p(t)} = -\log p(t) - 1 + \mu", "is different"),
        "variable": (r"\frac{\delta F}{\delta p(t)} = -\log p(t) - 1 + \mu x", "is different"),
    }),
    "lagrangian": ([PROBLEM], "lagrangian of (1)",
                   r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt + \mu (\int p(t) dt - 1)", {
        "sign": (r"\mathcal{L}(p, \mu) = \int p(t) \log p(t) dt + \mu (\int p(t) dt - 1)",
                 "not the Lagrangian"),
        "constant": (r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt + \mu (\int p(t) dt - 2)",
                     "not the Lagrangian"),
        "factor": (r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt + (\int p(t) dt - 1)",
                   "not the Lagrangian"),
        "variable": (r"\mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt + \lambda (\int p(t) dt - 1)",
                     "not the Lagrangian"),
    }),
    "monotone": ([LIKELIHOOD], "monotone (1)",
                 r"\theta^{\ast} = \arg\min_{\theta} - \sum_{i=1}^{N} \log q(x_i | \theta)", {
        "sign": (r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} \log q(x_i | \theta)",
                 "not the log of the premise's"),
        "constant": (r"\theta^{\ast} = \arg\min_{\theta} - \sum_{i=1}^{N} 2 \log q(x_i | \theta)",
                     "not the log of the premise's"),
        "factor": (r"\theta^{\ast} = \arg\min_{\theta} - \sum_{i=1}^{N} q(x_i | \theta)",
                   "not the log of the premise's"),
        "variable": (r"\theta^{\ast} = \arg\min_{x} - \sum_{i=1}^{N} \log q(x_i | \theta)",
                     "optimises over"),
    }),
    "argmin_equiv": ([OBJECTIVE], "argmin_equiv (1)",
                     r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} (x_i - \theta)^2", {
        "sign": (r"\theta^{\ast} = \arg\min_{\theta} - \sum_{i=1}^{N} (x_i - \theta)^2",
                 "is not positive"),
        "constant": (r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} (x_i - \theta)^3",
                     "depends on"),
        "factor": (r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} (x_i - 2 \theta)^2",
                   "depends on"),
        "variable": (r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} (x_i - \mu)^2",
                     "does not depend on"),
    }),
}

#: Rules that only check a shape (tested in test_calculus.py).
SHAPE_RULES = {"stationary"}


def run(rule: str, claim: str):
    premises, by, _, _ = TABLE[rule]
    return last(*premises, step(str(len(premises) + 1), claim, by))


@pytest.mark.parametrize("rule", sorted(TABLE))
def test_true_step_is_proved(rule):
    result = run(rule, TABLE[rule][2])
    assert result.status is Status.PROVED, result.reason


CASES = [(rule, kind) for rule in sorted(TABLE) for kind in ("sign", "constant", "factor",
                                                             "variable")]


@pytest.mark.parametrize("rule, kind", CASES)
def test_each_mistake_fails_with_its_reason(rule, kind):
    claim, reason = TABLE[rule][3][kind]
    result = run(rule, claim)
    assert result.status is Status.FAILED, (claim, result.reason)
    assert reason in result.reason


def test_every_checked_rule_has_a_row():
    assert set(RULES) - set(ASSUMED_RULES) - SHAPE_RULES - {PENDING} == set(TABLE)


@pytest.mark.parametrize("claim", ["x + x = 2 x", "x + x = 3 x", "x + x < 2 x + 1"])
def test_a_pending_justification_is_undecided_true_or_false(claim):
    result = last(step("1", claim, PENDING))
    assert result.status is Status.UNDECIDED
    assert "no justification yet" in result.reason
