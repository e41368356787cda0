"""Step verdicts through the cache: an edit re-checks only the changed step and the
steps that rest on it.

A step's key holds the step as written and as read (the LaTeX, its justifications, the
SymPy form of its formula and arguments), the declarations, the time limit, and every
earlier step the rules may read for it (:func:`derive.check.engine.dependencies`), each
with its verdict. A stored verdict is used only if it decodes to exactly what was
stored; verdicts the machine decided (a time limit, an exception) are never stored.
"""

from __future__ import annotations

import json

from sympy import srepr

from derive.cache import CIRCUMSTANTIAL, canonical
from derive.check.verdict import LinkResult, Status, StepResult, Verdict
from derive.document.model import Document, Step

KIND = "steps"


def _as_read(step: Step) -> str:
    """The step's formula and arguments as SymPy holds them, assumptions included."""
    formula = step.formula
    chains = [(chain.terms, [(op.symbol, op.limit) for op in chain.ops])
              for chain in formula.chains]
    constraints = [(r.op.symbol, r.op.limit, r.lhs, r.rhs) for r in formula.constraints]
    arguments = [sorted(j.arguments.items()) for j in step.justifications]
    return srepr((chains, constraints, formula.written, arguments))


def step_identity(step: Step) -> list:
    """Everything in a step that a check can read."""
    return [step.tag, step.latex, [j.text for j in step.justifications],
            [[j.rule, list(j.premises), list(j.targets), j.words] for j in step.justifications],
            step.expect_failure, step.corrects, _as_read(step)]


def step_key(document: Document, step: Step, seen: dict[str, Step],
             results: dict[str, StepResult], time_limit: float) -> list:
    """The key parts of a step's verdict (see the module's docstring)."""
    return [document.declarations, step_identity(step), float(time_limit),
            [[step_identity(s), results[t].status.value] for t, s in seen.items()]]


def encode(links: list[LinkResult]) -> list:
    """Link results as JSON values."""
    return [{"index": link.index, "relation": link.relation, "rule": link.rule,
             "premises": list(link.premises), "seconds": link.seconds,
             "verdict": {"status": link.verdict.status.value, "reason": link.verdict.reason,
                         "expected": link.verdict.expected, "residual": link.verdict.residual,
                         "counterexample": [list(p) for p in link.verdict.counterexample],
                         "assumptions": list(link.verdict.assumptions),
                         "method": link.verdict.method,
                         "sample": [list(p) for p in link.verdict.sample]}}
            for link in links]


def _text(*values) -> None:
    if not all(isinstance(v, str) for v in values):
        raise TypeError("a cached verdict holds a value that is not text")


def decode(value) -> list[LinkResult]:
    """Link results from their JSON values; any other shape raises."""
    links = []
    for item in value:
        v = item["verdict"]
        _text(item["relation"], item["rule"], *item["premises"], v["reason"], v["expected"],
              v["residual"], v["method"], *v["assumptions"],
              *(x for pair in v["counterexample"] for x in pair))
        verdict = Verdict(Status(v["status"]), reason=v["reason"], expected=v["expected"],
                          residual=v["residual"],
                          counterexample=tuple(tuple(p) for p in v["counterexample"]),
                          assumptions=tuple(v["assumptions"]), method=v["method"],
                          sample=tuple(tuple(p) for p in v["sample"]))
        links.append(LinkResult(int(item["index"]), item["relation"], item["rule"],
                                tuple(item["premises"]), verdict, float(item["seconds"])))
    return links


def _storable(result: StepResult):
    """The JSON value of a result, or None when it must not be stored: a verdict the
    machine decided, or one that would not come back exactly as it is."""
    if any(link.verdict.reason.startswith(CIRCUMSTANTIAL) for link in result.links):
        return None
    try:
        value = encode(result.links)
        return value if decode(json.loads(canonical(value))) == result.links else None
    except (TypeError, ValueError, KeyError):
        return None


def _combined(links: list[LinkResult]) -> Status:
    from derive.check.engine import _combine
    return _combine([link.verdict for link in links])


def cached_check(cache, document: Document, step: Step, seen: dict[str, Step],
                 results: dict[str, StepResult], time_limit: float) -> StepResult:
    """The step's result from the cache, or checked now and stored."""
    from derive.check.engine import check_step

    try:
        parts = step_key(document, step, seen, results, time_limit)
    except (TypeError, ValueError):  # a key that cannot be written: check, do not store
        return check_step(step, seen, document.scope, time_limit)
    stored = cache.get(KIND, parts)
    if stored is not None:
        try:
            links = decode(stored)
        except (TypeError, ValueError, KeyError, AttributeError):
            links = None
        if links:
            return StepResult(step, links, _combined(links), 0.0)
    result = check_step(step, seen, document.scope, time_limit)
    value = _storable(result)
    if value is not None:
        cache.put(KIND, parts, value)
    return result
