"""Verification results as terminal lines and as JSON.

Both are made from one record per file (the JSON of :func:`derivation_json`, or of an
input error), so a result served by the cache prints exactly as a fresh one, without
importing SymPy.
"""

from __future__ import annotations

from typing import TextIO

from derive.errors import DeriveError, Position

MARKS = {
    "proved": "proved",
    "numeric": "numeric",
    "assumed": "assumed",
    "failed": "FAILED",
    "undecided": "UNDECIDED",
}

#: The statuses that may serve as ground for later steps (``Status.holds``).
HOLDING = frozenset({"proved", "numeric", "assumed"})


def _status_text(step: dict) -> str:
    if step["expected_failure"] and step["status"] == "failed":
        return "expected failure"
    if step["unexpected_pass"]:
        return "UNEXPECTED PASS"
    return MARKS[step["status"]]


def print_results(results, out: TextIO) -> None:
    """One line per step (tag, verdict, seconds, justification), then a summary per file."""
    for derivation in results:
        print_record(derivation_json(derivation), out)


def _plain(text: str, word: str) -> str:
    return text


def step_lines(step: dict, paint=_plain) -> list[str]:
    """The lines of one step's record: its verdict, and why when it does not hold;
    ``paint(text, word)`` may colour the verdict word."""
    word = _status_text(step)
    lines = [f"  ({step['tag']:>3})  {paint(f'{word:<17}', word)} {step['seconds']:5.2f}s  "
             f"{step['by']}"]
    if step["status"] not in HOLDING or step["unexpected_pass"]:
        for link in step["links"]:
            if link["status"] not in HOLDING:
                lines.append(f"         link {link['index'] + 1} ({link['rule']}): "
                             f"{link['reason']}")
                if link["expected"]:
                    lines.append(f"           expected: {link['expected']}")
                if link["counterexample"]:
                    point = ", ".join(f"{k} = {v}" for k, v in link["counterexample"].items())
                    lines.append(f"           counterexample: {point}")
        if step["unexpected_pass"]:
            lines.append("         marked expect_failure, but the step now passes")
    if step["tainted_by"]:
        lines.append(f"         rests on failed or undecided "
                     f"{', '.join(f'({t})' for t in step['tainted_by'])}")
    return lines


def print_record(record: dict, out: TextIO, paint=_plain) -> None:
    """The lines of one file's record: its steps, then its summary."""
    print(f"{record['file']}: {record['title']}", file=out)
    for step in record["steps"]:
        for line in step_lines(step, paint):
            print(line, file=out)
    counts: dict[str, int] = {}
    for step in record["steps"]:
        key = _status_text(step)
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    verdict = "established" if record["established"] else "NOT established"
    cached = " (cached)" if record.get("cached") else ""
    print(f"  {len(record['steps'])} steps: {summary}; conclusion "
          f"({record['conclusion']}) {verdict}; {record['seconds']:.2f}s{cached}", file=out)
    if record["assumptions"]:
        print(f"  assumptions: {'; '.join(record['assumptions'])}", file=out)
    if record["cited"]:
        print(f"  cited: {'; '.join(record['cited'])}", file=out)


def derivation_json(d) -> dict:
    """The record of one checked derivation (a :class:`DerivationResult`)."""
    return {
        "file": d.document.path,
        "title": d.document.title,
        "ok": d.ok,
        "established": d.established,
        "conclusion": d.conclusion,
        "assumptions": d.assumptions,
        "cited": d.cited,
        "seconds": round(d.seconds, 3),
        "steps": [{
            "tag": s.step.tag,
            "rule": ", ".join(s.step.rules),
            "by": "; ".join(j.text for j in s.step.justifications),
            "premises": list(s.step.premises),
            "status": s.status.value,
            "mark": s.mark,
            "ok": s.ok,
            "expected_failure": s.expected_failure,
            "unexpected_pass": s.unexpected_pass,
            "tainted_by": list(s.tainted_by),
            "reason": s.step.expect_failure.strip() if s.expected_failure else s.reason,
            "seconds": round(s.seconds, 3),
            "links": [{
                "index": link.index,
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
    }


def error_json(error) -> dict:
    """The record of a file that could not be read (a :class:`DeriveError`)."""
    position = error.position
    return {"error": {"path": position.path, "line": position.line,
                      "column": position.column, "kind": error.kind,
                      "message": error.message, "source_line": position.source_line}}


def show_error(error: dict) -> str:
    """An input error's record as derive prints it: ``path:line:col: error: message``,
    the source line and a caret under the fault."""
    position = Position(error["path"], error["line"], error["column"], error["source_line"])
    return DeriveError(error["message"], position).show()


def records_json(records: list[dict]) -> dict:
    """The machine-readable form of ``derive verify --json``: the derivations, the input
    errors, and totals."""
    derivations = [r for r in records if "error" not in r]
    errors = [r["error"] for r in records if "error" in r]
    steps = [s for d in derivations for s in d["steps"]]
    statuses: dict[str, int] = {}
    for step in steps:
        statuses[step["mark"]] = statuses.get(step["mark"], 0) + 1
    return {"derivations": derivations, "errors": errors, "totals": {
        "files": len(records), "checked": len(derivations), "input_errors": len(errors),
        "established": sum(d["established"] for d in derivations),
        "ok": sum(d["ok"] for d in derivations),
        "steps": len(steps), "marks": statuses,
        "cached": sum(bool(d.get("cached")) for d in derivations)}}


def results_json(results) -> dict:
    """The JSON of checked derivations (:class:`DerivationResult`), as ``--json`` gives."""
    return records_json([derivation_json(d) for d in results])
