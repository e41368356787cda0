"""Every rule in a chain: a link cited without the premise its rule needs takes the
previous line (after \\Rightarrow, that line; within a chain s = ... = L = R, what the
earlier links give, s = L). Each row holds a true chain and a false one.

A rule added to derive.rules.RULES without a row here fails the last test.
"""

from __future__ import annotations

import pytest

from derive.check.verdict import Status
from derive.rules import RULES
from derive.rules.pending import PENDING
from tests.rules.derivations import last, step

ENTROPY = r"F(p) = -\int p(t) \log p(t) dt + \mu \left( \int t p(t) dt - 1 \right)"
LIKELIHOOD = r"\theta^{\ast} = \arg\max_{\theta} \prod_{i=1}^{N} q(x_i | \theta)"
OBJECTIVE = (r"\theta^{\ast} = \arg\min_{\theta} \sum_{i=1}^{N} "
             r"\left[ a (x_i - \theta)^2 + b \right]")

#: rule -> (earlier steps, first line, its justification, (true rest, false rest), the
#: link's justification)
TABLE = {
    "equal": ([], "y = (x + 1)^2", "given", (r"= x^2 + 2 x + 1", r"= x^2 + 1"), "equal"),
    "restate": ([], "y = 2 x + 1", "given",
                (r"\Rightarrow y = 1 + 2 x", r"\Rightarrow y = 3 x + 1"), "restate"),
    "substitute": ([], "y = 2 x", "given", (r"\Rightarrow y^2 + 1 = 4 x^2 + 1",
                                             r"\Rightarrow y^2 + 1 = 2 x^2 + 1"), "substitute"),
    "unfold": ([], "y = 2 x", "given", (r"\Rightarrow y + 1 = 2 x + 1",
                                         r"\Rightarrow y + 1 = 2 x - 1"), "unfold"),
    "solve": ([], "2 x + 3 = 7", "given", (r"\Rightarrow x = 2", r"\Rightarrow x = 3"),
              "solve for x"),
    "eliminate": ([step("1", "x - y = 1", "given")], "x + y = 3", "given",
                  (r"\Rightarrow x = 2", r"\Rightarrow x = 3"), "eliminate (1) for x"),
    "expand_log": ([], r"y = \log(a^2 \exp(x))", "given",
                   (r"= 2 \log a + x", r"= \log a + x"), "expand_log"),
    "linearity": ([], r"y = \int_{0}^{1} 3 g(t) dt", "given",
                  (r"= 3 \int_{0}^{1} g(t) dt", r"= -3 \int_{0}^{1} g(t) dt"), "linearity"),
    "integrate": ([], r"y = \int_{0}^{1} 3 t^2 dt", "given", ("= 1", "= 3"), "integrate"),
    "differentiate": ([], r"y = \frac{\partial (a x^3)}{\partial x}", "given",
                      ("= 3 a x^2", "= 3 a x"), "differentiate"),
    "variation": ([], ENTROPY, "definition",
                  (r"\Rightarrow \frac{\delta F}{\delta p(t)} = -\log p(t) - 1 + \mu t",
                   r"\Rightarrow \frac{\delta F}{\delta p(t)} = \log p(t) - 1 + \mu t"),
                  "variation"),
    "lagrangian": ([], r"\max_{p} F(p) = -\int p(t) \log p(t) dt", "definition",
                   (r"\Rightarrow \mathcal{L}(p, \mu) = -\int p(t) \log p(t) dt + \mu "
                    r"(\int p(t) dt - 1) \quad \text{s.t.} \quad \int p(t) dt = 1",
                    r"\Rightarrow \mathcal{L}(p, \mu) = \int p(t) \log p(t) dt + \mu "
                    r"(\int p(t) dt - 1) \quad \text{s.t.} \quad \int p(t) dt = 1"),
                   "lagrangian"),
    "monotone": ([], LIKELIHOOD, "given",
                 (r"= \arg\min_{\theta} - \sum_{i=1}^{N} \log q(x_i | \theta)",
                  r"= \arg\min_{\theta} \sum_{i=1}^{N} \log q(x_i | \theta)"), "monotone"),
    "argmin_equiv": ([], OBJECTIVE, "given",
                     (r"= \arg\min_{\theta} \sum_{i=1}^{N} (x_i - \theta)^2",
                      r"= \arg\min_{\theta} - \sum_{i=1}^{N} (x_i - \theta)^2"), "argmin_equiv"),
    "stationary": ([], r"\frac{\partial (x - 1)^2}{\partial x} = 2 (x - 1)", "differentiate",
                   ("= 0", "= 1"), "stationary"),
}

#: Rules of what is taken without proof: a chain's later link never needs them checked.
ASSUMED = {"definition", "given", "cite", PENDING}


def run(rule: str, which: int):
    earlier, first, first_by, rests, by = TABLE[rule]
    tag = str(len(earlier) + 1)
    return last(*earlier, step(tag, f"{first} {rests[which]}", [first_by, by]))


@pytest.mark.parametrize("rule", sorted(TABLE))
def test_a_true_link_holds_with_the_previous_line_as_premise(rule):
    result = run(rule, 0)
    link = result.links[-1]
    assert link.verdict.status in (Status.PROVED, Status.NUMERIC, Status.ASSUMED), \
        link.verdict.reason


@pytest.mark.parametrize("rule", sorted(set(TABLE) - {"stationary"}))
def test_a_false_link_fails(rule):
    result = run(rule, 1)
    link = result.links[-1]
    assert link.verdict.status is Status.FAILED, link.verdict.reason


def test_stationarity_must_end_in_zero():
    link = run("stationary", 1).links[-1]
    assert link.verdict.status is Status.FAILED
    assert "must end in '= 0'" in link.verdict.reason


def test_the_first_line_has_no_previous_line():
    result = last(step("1", r"\theta^{\ast} = \arg\min_{\theta} \theta^2", "argmin_equiv"))
    assert result.status is Status.UNDECIDED
    assert "needs 1 premise(s), got 0" in result.reason


def test_a_particular_first_line_stays_particular():
    # the chain's first line is given at one t only: under an integral over t it says
    # nothing, so the substitution is refused
    result = last(step("1", r"g(t) = 0 \Rightarrow \int_0^1 g(t) dt = 0",
                       ["given", "substitute"]))
    assert result.links[-1].verdict.status is not Status.PROVED


def test_every_rule_has_a_row():
    assert set(RULES) - ASSUMED == set(TABLE)
