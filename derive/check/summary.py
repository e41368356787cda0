"""Verification results as terminal lines and as JSON."""

from __future__ import annotations

from typing import TextIO

from derive.check.verdict import DerivationResult, Status

MARKS = {
    Status.PROVED: "proved",
    Status.NUMERIC: "numeric",
    Status.ASSUMED: "assumed",
    Status.FAILED: "FAILED",
    Status.UNDECIDED: "UNDECIDED",
}


def _status_text(result) -> str:
    if result.expected_failure and result.status is Status.FAILED:
        return "expected failure"
    if result.unexpected_pass:
        return "UNEXPECTED PASS"
    return MARKS[result.status]


def print_results(results: list[DerivationResult], out: TextIO) -> None:
    """One line per step (tag, verdict, seconds, justification), then a summary per file."""
    for derivation in results:
        doc = derivation.document
        print(f"{doc.path}: {doc.title}", file=out)
        for step in derivation.steps:
            by = "; ".join(j.text for j in step.step.justifications)
            print(f"  ({step.step.tag:>3})  {_status_text(step):<17} {step.seconds:5.2f}s  {by}",
                  file=out)
            if not step.status.holds or step.unexpected_pass:
                for link in step.links:
                    if not link.verdict.status.holds:
                        print(f"         link {link.index + 1} ({link.rule}): "
                              f"{link.verdict.reason}", file=out)
                        if link.verdict.expected:
                            print(f"           expected: {link.verdict.expected}", file=out)
                        if link.verdict.counterexample:
                            point = ", ".join(f"{k} = {v}" for k, v in
                                              link.verdict.counterexample)
                            print(f"           counterexample: {point}", file=out)
                if step.unexpected_pass:
                    print("         marked expect_failure, but the step now passes", file=out)
            if step.tainted_by:
                print(f"         rests on failed or undecided "
                      f"{', '.join(f'({t})' for t in step.tainted_by)}", file=out)
        counts: dict[str, int] = {}
        for step in derivation.steps:
            key = _status_text(step)
            counts[key] = counts.get(key, 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        verdict = "established" if derivation.established else "NOT established"
        print(f"  {len(derivation.steps)} steps: {summary}; conclusion "
              f"({derivation.conclusion}) {verdict}; {derivation.seconds:.2f}s", file=out)
        if derivation.assumptions:
            print(f"  assumptions: {'; '.join(derivation.assumptions)}", file=out)
        if derivation.cited:
            print(f"  cited: {'; '.join(derivation.cited)}", file=out)


def results_json(results: list[DerivationResult]) -> dict:
    """The machine-readable form of ``derive verify --json``."""
    return {"derivations": [{
        "file": d.document.path,
        "title": d.document.title,
        "established": d.established,
        "conclusion": d.conclusion,
        "assumptions": d.assumptions,
        "cited": d.cited,
        "seconds": round(d.seconds, 3),
        "steps": [{
            "tag": s.step.tag,
            "rule": ", ".join(s.step.rules),
            "premises": list(s.step.premises),
            "status": s.status.value,
            "expected_failure": s.expected_failure,
            "reason": s.step.expect_failure.strip() if s.expected_failure else s.reason,
            "seconds": round(s.seconds, 3),
            "links": [{
                "relation": link.relation,
                "rule": link.rule,
                "premises": list(link.premises),
                "status": link.verdict.status.value,
                "method": link.verdict.method,
                "reason": link.verdict.reason,
                "expected": link.verdict.expected,
                "residual": link.verdict.residual,
                "counterexample": dict(link.verdict.counterexample),
                "assumptions": list(link.verdict.assumptions),
                "sample": dict(link.verdict.sample),
                "seconds": round(link.seconds, 3),
            } for link in s.links],
        } for s in d.steps],
    } for d in results]}
