"""The soundness suite: small derivations, each ending in one false step that must come
out failed, undecided or refused with the right reason, and true controls beside them
that must stay proved.

Every case is a file ``cases/<class>/<name>.toml``; ``expected.toml`` holds, keyed by
``<class>/<name>``:

- ``step``: the tag of the step to judge;
- ``status``: the statuses allowed for it (``failed``, ``undecided``, ``proved``,
  ``numeric``, or ``input-error`` when loading the file must be refused);
- ``reason``: a case-insensitive regex the step's reason (or the input error's message)
  must match, in topic words so that the exact phrasing may evolve; controls omit it;
- ``mark``: optional, the allowed marks (``StepResult.mark``) of the step, for errata;
- ``kind``: optional: ``"false"`` for a case whose conclusion must not be established
  even though its last step's own inference may hold (a step resting on a false one);
  ``"erratum"`` for a case judging an ``expect_failure`` step, which is not the
  conclusion; by default a case allowing neither ``proved`` nor ``numeric`` is false,
  one allowing them is a control;
- ``verify_exit``: optional, the exit status ``derive verify`` must give (errata);
- ``time_limit_ok``: optional, true if reaching the time limit is an acceptable reason.

A false case must also leave its conclusion not established and make ``derive verify``
exit non-zero; a control must be established and verify with exit 0. The time limit is
generous so that no verdict depends on the machine's speed. Each case is checked once:
``derive verify`` then finds its verdicts in the test's own cache.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from derive.cache import Cache
from derive.check.engine import check_document
from derive.cli import main
from derive.document.loader import load
from derive.errors import DeriveError

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
EXPECTED = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))
CLASSES = ("relations", "undefined", "uniqueness", "sympy", "numeric", "variation",
           "names", "readings", "premises", "errata", "distributions", "matrices")
TIME_LIMIT = 60
HOLDING = {"proved", "numeric"}
TIME_LIMIT_REASON = re.compile(r"time limit", re.IGNORECASE)


def kind(entry: dict) -> str:
    """'input-error', 'false', 'erratum' or 'control': what the case asserts beyond its
    status."""
    if entry.get("kind"):
        return entry["kind"]
    if entry["status"] == ["input-error"]:
        return "input-error"
    return "control" if HOLDING & set(entry["status"]) else "false"


def case_files() -> list[str]:
    """Every case on disk, as ``<class>/<name>``."""
    return sorted(p.relative_to(CASES).with_suffix("").as_posix()
                  for p in CASES.glob("*/*.toml"))


def verify_exit(path: Path, capsys) -> int:
    """Exit status of ``derive verify path``, with its output swallowed."""
    status = main(["verify", str(path), "--time-limit", str(TIME_LIMIT)])
    capsys.readouterr()
    return status


def matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=sorted(EXPECTED))
def test_case(name: str, capsys):
    """The judged step has an allowed status and reason; a false conclusion is not
    established and fails verify, a control is established and verifies."""
    entry = EXPECTED[name]
    path = CASES / f"{name}.toml"
    allowed = entry["status"]
    try:
        document = load(path)
    except DeriveError as error:
        assert "input-error" in allowed, f"the file was refused: {error}"
        assert matches(entry["reason"], error.message), f"wrong error: {error}"
        assert verify_exit(path, capsys) == 2
        return
    assert allowed != ["input-error"], "the file must be refused with a positioned error"
    # checked once: `derive verify` below is served these verdicts by the cache, which
    # tests/test_cache.py shows gives exactly what a fresh check gives
    result = check_document(document, time_limit=TIME_LIMIT,
                            cache=Cache(os.environ["DERIVE_CACHE_DIR"]))
    step = result.result(entry["step"])
    reason = step.reason
    report = f"{step.status.value} ({step.mark}): {reason!r}"
    if not entry.get("time_limit_ok"):
        assert not TIME_LIMIT_REASON.search(reason), f"hit the time limit: {report}"
    assert step.status.value in allowed, f"status not in {allowed}: {report}"
    if "reason" in entry:
        assert matches(entry["reason"], reason), f"reason does not match: {report}"
    if "mark" in entry:
        assert step.mark in entry["mark"], f"mark not in {entry['mark']}: {report}"
    if kind(entry) == "false":
        assert not result.established, f"conclusion established: {report}"
        assert verify_exit(path, capsys) != 0, f"verify exits 0: {report}"
    elif kind(entry) == "control":
        assert result.established, f"control not established: {report}"
        assert verify_exit(path, capsys) == 0
    elif "verify_exit" in entry:
        assert verify_exit(path, capsys) == entry["verify_exit"], report
    elif step.mark == "expected failure" and result.ok:
        assert verify_exit(path, capsys) == 0, f"a confirmed erratum fails verify: {report}"
    else:
        assert verify_exit(path, capsys) != 0, f"verify exits 0: {report}"


def is_control(entry: dict) -> bool:
    """A true step that must stay proved, or an erratum that must verify cleanly."""
    return kind(entry) == "control" or entry.get("verify_exit") == 0


def test_every_case_has_an_entry_and_every_entry_a_case():
    assert case_files() == sorted(EXPECTED)


def test_entries_are_well_formed():
    known = {"step", "status", "reason", "mark", "kind", "time_limit_ok", "verify_exit"}
    statuses = {"proved", "numeric", "assumed", "failed", "undecided", "input-error"}
    for name, entry in EXPECTED.items():
        assert set(entry) <= known, name
        assert entry["status"] and set(entry["status"]) <= statuses, name
        assert name.split("/")[0] in CLASSES, name
        assert kind(entry) in ("input-error", "false", "erratum", "control"), name
        if not (HOLDING | {"assumed"}) & set(entry["status"]):
            assert entry.get("reason"), f"{name}: a false case names its defect"
        re.compile(entry.get("reason", ""))


def test_coverage_of_every_class():
    """At least 150 false cases, 15 or more in each class, and a control in each
    class."""
    false = [n for n, e in EXPECTED.items() if not is_control(e)]
    controls = [n for n, e in EXPECTED.items() if is_control(e)]
    assert len(false) >= 150
    for name in CLASSES:
        assert sum(n.startswith(name + "/") for n in false) >= 15, name
        assert any(n.startswith(name + "/") for n in controls), name


def test_every_case_says_what_is_false():
    """Each file opens with a comment saying in one line what is false (or true) and why."""
    for name in case_files():
        first = (CASES / f"{name}.toml").read_text(encoding="utf-8").lstrip()
        assert first.startswith("#"), name
