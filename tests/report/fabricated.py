"""Checked derivations fabricated by hand, so that the report can be tested
without the engine: the MSE article with plausible verdicts, and small documents."""

from __future__ import annotations

from pathlib import Path

from derive.check.verdict import DerivationResult, LinkResult, Status, StepResult, Verdict
from derive.document.loader import loads

ROOT = Path(__file__).resolve().parents[2]
RULES = {"definition", "given", "cite", "monotone", "lagrangian", "variation", "stationary",
         "solve", "substitute", "linearity", "integrate", "eliminate", "restate",
         "expand_log", "argmin_equiv"}
ASSUMED_RULES = {"definition", "given", "cite"}


def verdict_for(rule: str) -> Verdict:
    if rule in ASSUMED_RULES:
        return Verdict.assumed(f"by {rule}")
    if rule == "integrate":
        return Verdict(Status.NUMERIC, method="mpmath quadrature at 8 points",
                       assumptions=(r"\lambda_{1} > 0",))
    return Verdict.proved("simplify", assumptions=(r"\sigma > 0",) if rule == "eliminate" else ())


def failure() -> Verdict:
    return Verdict.failed(
        "the solved form does not satisfy (7)",
        expected=r"p(\epsilon) = \exp(\lambda_{0} - 1) \exp(\lambda_{1} \epsilon^{2})",
        residual=r"2 \lambda_{1} \epsilon^{2}",
        counterexample=((r"\lambda_{0}", "1"), (r"\lambda_{1}", r"\frac{1}{2}"),
                        (r"\epsilon", "1")))


def fabricate(document, failing: dict[str, Verdict] | None = None,
              established: bool = True) -> DerivationResult:
    """Every link proved, assumed or numeric by its rule; ``failing`` overrides by tag."""
    failing = failing or {}
    steps = []
    for step in document.steps:
        links = []
        for index in range(max(len(step.formula.links), 1)):
            j = step.justification_for(index)
            verdict = failing.get(step.tag) if index == 0 and step.tag in failing else \
                verdict_for(j.rule)
            relation = step.formula.links[index] if step.formula.links else None
            text = f"{relation.lhs} = {relation.rhs}" if relation is not None else step.tag
            links.append(LinkResult(index, text.replace("**", "^"), j.rule, j.all_premises,
                                    verdict, 0.01))
        order = [Status.FAILED, Status.UNDECIDED, Status.NUMERIC, Status.ASSUMED, Status.PROVED]
        status = next(s for s in order if any(l.verdict.status is s for l in links))
        steps.append(StepResult(step, links, status, 0.01 * len(links)))
    return DerivationResult(
        document, steps, conclusion=document.steps[-1].tag if not document.steps[-1].corrects
        else document.steps[-1].tag, established=established,
        assumptions=[r"\sigma > 0", r"\lambda_{1} > 0", r"N \in \mathbb{Z}"],
        givens=["1", "3", "5"], cited=["the central limit theorem"], seconds=1.5)


SMALL = """
[meta]
title = "A small derivation"
language = "{language}"

[symbols]
'x' = "real"
'a' = "positive"

[[step]]
tag = "1"
latex = 'a = x^2 + 1 \\tag{{1}}'
by = "definition"
prose = '''
{prose}
'''

[[step]]
tag = "2"
latex = 'a - 1 = x^2 \\tag{{2}}'
by = "solve (1)"
prose = '''
Hence:
'''
"""


def small_document(prose: str = "Let:", language: str = "en"):
    text = SMALL.format(prose=prose.replace("'''", "' ' '"), language=language)
    return loads(text, "/tmp/small.toml", known_rules=RULES)
