"""The verdict cache: a hit gives only what a fresh check gives; each thing a verdict
depends on invalidates it; corrupt, truncated and foreign entries are misses; concurrent
writers never leave a broken entry; a re-run of unchanged files never imports SymPy."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

import derive.cache
import derive.check.engine as engine
from derive.cache import Cache, digest
from derive.check.engine import check_document
from derive.check.stepcache import step_key
from derive.check.verdict import Status
from derive.document.loader import loads
from derive.rules import RULES
from tests.rules.derivations import HEADER, step

ROOT = Path(__file__).resolve().parents[1]

BASE = [step("1", "y = a x", "given"),
        step("2", "a + b = b + a", "equal"),
        step("3", "y = x a", "restate (1)"),
        step("4", "y + 1 = x a + 1", "substitute (3)")]


def document(steps=BASE, header=HEADER):
    return loads(header + "\n".join(steps), "cached.toml")


@pytest.fixture
def cache(tmp_path):
    return Cache(tmp_path / "cache")


@pytest.fixture
def checked(monkeypatch):
    """The tags check_step really checks (a cache hit does not call it)."""
    tags: list[str] = []
    real = engine.check_step

    def spy(step, *args, **kwargs):
        tags.append(step.tag)
        return real(step, *args, **kwargs)

    monkeypatch.setattr(engine, "check_step", spy)
    return tags


def verdicts(result):
    return [(s.step.tag, s.status, [(l.verdict.reason, l.verdict.expected,
                                     l.verdict.counterexample) for l in s.links])
            for s in result.steps]


def test_a_rerun_checks_nothing_and_gives_the_fresh_verdicts(cache, checked):
    fresh = check_document(document(), cache=cache)
    assert checked == ["1", "2", "3", "4"]
    checked.clear()
    again = check_document(document(), cache=cache)
    assert checked == []
    assert verdicts(again) == verdicts(fresh)
    assert again.established == fresh.established


def test_an_edit_rechecks_the_step_and_what_rests_on_it(cache, checked):
    check_document(document(), cache=cache)
    checked.clear()
    edited = BASE[:2] + [step("3", "y = a x", "restate (1)"), BASE[3]]
    check_document(document(edited), cache=cache)
    assert checked == ["3", "4"]


def test_a_step_made_false_is_failed_not_served_as_proved(cache):
    check_document(document(), cache=cache)
    wrong = BASE[:1] + [step("2", "a + b = b - a", "equal")] + BASE[2:]
    result = check_document(document(wrong), cache=cache)
    assert result.result("2").status is Status.FAILED
    assert result.result("2").status is check_document(document(wrong)).result("2").status


def test_a_premise_whose_formula_changes_rechecks_its_dependents(cache, checked):
    # (1) names nothing (no bare name on its left), so only what rests on it reads it
    base = [step("1", "y - a x = 0", "given")] + BASE[1:2] + [
        step("3", "y = x a", "solve (1) for y"), BASE[3]]
    check_document(document(base), cache=cache)
    checked.clear()
    edited = [step("1", "y - 2 a x = 0", "given")] + base[1:]
    result = check_document(document(edited), cache=cache)
    assert checked == ["1", "3", "4"]
    assert result.result("3").status is Status.FAILED


def test_a_step_that_names_something_is_read_by_every_later_step(cache, checked):
    """A rule may expand a name through the step that defines it (y = a x), so every
    later step's cached verdict rests on that step."""
    check_document(document(), cache=cache)
    checked.clear()
    check_document(document([step("1", "y = 2 a x", "given")] + BASE[1:]), cache=cache)
    assert checked == ["1", "2", "3", "4"]


def test_a_premises_verdict_is_part_of_the_key():
    # the same text gives the same verdict unless the code changes, which changes every
    # key; the premise's verdict is in the key all the same, as a second guard
    doc = document()
    result = check_document(doc)
    results = {s.step.tag: s for s in result.steps}
    three = doc.step("3")
    seen = engine.dependencies(three, {s.tag: s for s in doc.steps[:2]})
    assert list(seen) == ["1"]
    key = step_key(doc, three, seen, results, 30.0)
    results["1"] = dataclasses.replace(results["1"], status=Status.UNDECIDED)
    assert step_key(doc, three, seen, results, 30.0) != key


def test_declarations_change_every_key(cache, checked):
    check_document(document(), cache=cache)
    checked.clear()
    check_document(document(header=HEADER.replace("'y' = \"real\"", "'y' = \"positive\"")),
                   cache=cache)
    assert checked == ["1", "2", "3", "4"]


def test_a_definition_is_seen_by_every_later_step(cache, checked):
    steps = [step("0", "y = a x", "definition")] + BASE[1:2] + [step("5", "y = 3 x", "definition")]
    check_document(document(steps), cache=cache)
    checked.clear()
    # (0) gone: (5) no longer defines y a second time; (2) saw (0) too
    result = check_document(document(steps[1:]), cache=cache)
    assert checked == ["2", "5"]
    assert result.result("5").status is Status.ASSUMED
    assert check_document(document(steps), cache=cache).result("5").status is Status.FAILED


def test_the_time_limit_is_part_of_the_key(cache, checked):
    check_document(document(), cache=cache, time_limit=30)
    checked.clear()
    check_document(document(), cache=cache, time_limit=31)
    assert checked == ["1", "2", "3", "4"]


def test_the_code_is_part_of_the_key(cache, checked, monkeypatch):
    check_document(document(), cache=cache)
    checked.clear()
    changed = {**derive.cache.fingerprint(), "derive": "an edited rule"}
    monkeypatch.setattr(derive.cache, "fingerprint", lambda: changed)
    check_document(document(), cache=cache)
    assert checked == ["1", "2", "3", "4"]


def test_the_fingerprint_covers_derives_source_and_sympy():
    code = derive.cache.fingerprint()
    assert len(code["derive"]) == 64
    assert code["sympy"] == __import__("sympy").__version__


def test_a_time_limit_verdict_is_never_stored(cache, checked, monkeypatch):
    def stall(ctx):  # never returns: the time limit is reached on any machine
        while True:
            pass
    monkeypatch.setitem(RULES, "stall", stall)
    stalled = [step("1", "x = 1", "stall")]
    first = check_document(document(stalled), cache=cache, time_limit=0.5)
    assert "time limit" in first.result("1").reason
    checked.clear()
    check_document(document(stalled), cache=cache, time_limit=0.5)
    assert checked == ["1"]


# -- entries -----------------------------------------------------------------------------
VALUE = [{"verdict": "proved", "text": "x" * 1000}]


def _entry(cache: Cache) -> Path:
    cache.put("t", ["k"], VALUE)
    (path,) = (cache.root / "t").rglob("*.json")
    return path


def test_an_entry_comes_back(cache):
    _entry(cache)
    assert cache.get("t", ["k"]) == VALUE
    assert cache.get("t", ["other"]) is None


@pytest.mark.parametrize("spoil", [
    lambda text: text[: len(text) // 2],                                   # truncated
    lambda text: "",                                                       # empty
    lambda text: "\x00\xff garbage",                                       # corrupt
    lambda text: text.replace('"proved"', '"failed"'),                     # checksum fails
    lambda text: json.dumps({**json.loads(text), "format": "other/1"}),     # foreign format
    lambda text: json.dumps({**json.loads(text), "key": "0" * 64}),         # another key
    lambda text: json.dumps(["a", "list"]),                                # foreign shape
    lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != "checksum"}),
], ids=["truncated", "empty", "corrupt", "checksum", "format", "key", "shape", "unsigned"])
def test_a_spoilt_entry_is_a_miss(cache, spoil):
    path = _entry(cache)
    path.write_text(spoil(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert cache.get("t", ["k"]) is None


@pytest.mark.parametrize("spoil", ["truncate", "forge"])
def test_a_spoilt_step_entry_is_checked_again(cache, checked, spoil):
    fresh = check_document(document(), cache=cache)
    for path in (cache.root / "steps").rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if spoil == "truncate":
            path.write_text(text[:-10], encoding="utf-8")
        else:  # a well-formed entry whose verdicts have the wrong shape
            entry = json.loads(text)
            entry["value"] = [{"verdict": {"status": "proved"}}]
            entry["checksum"] = digest(entry["value"])
            path.write_text(json.dumps(entry), encoding="utf-8")
    checked.clear()
    again = check_document(document(), cache=cache)
    assert checked == ["1", "2", "3", "4"]
    assert verdicts(again) == verdicts(fresh)


def _hammer(root: str, index: int) -> None:
    cache = Cache(root)
    for round in range(40):
        cache.put("t", ["k"], VALUE)
        assert cache.get("t", ["k"]) in (None, VALUE)


def test_concurrent_writers_never_leave_a_broken_entry(cache):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hammer, args=(str(cache.root), i)) for i in range(4)]
    for worker in workers:
        worker.start()
    for _ in range(200):
        assert cache.get("t", ["k"]) in (None, VALUE)
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    assert cache.get("t", ["k"]) == VALUE
    assert not list((cache.root / "t").rglob(".tmp-*"))


# -- the command -------------------------------------------------------------------------
SMALL = HEADER + "\n".join(BASE)


def _verify(*args, cwd) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", (
        "import sys; from derive.cli import main; status = main(sys.argv[1:]); "
        "print('sympy imported' if 'sympy' in sys.modules else 'no sympy'); "
        "raise SystemExit(status)"), "verify", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_a_rerun_of_unchanged_files_does_not_import_sympy(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    first = _verify("small.toml", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "sympy imported" in first.stdout
    assert (tmp_path / ".derive-cache" / ".gitignore").exists()
    second = _verify("small.toml", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "no sympy" in second.stdout and "(cached)" in second.stdout
    assert second.stdout.replace(" (cached)", "").splitlines()[:-2] == \
        first.stdout.splitlines()[:-2]   # all but the total time and the sympy line


def test_no_cache_neither_reads_nor_writes(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    assert _verify("small.toml", "--no-cache", cwd=tmp_path).returncode == 0
    assert not (tmp_path / ".derive-cache").exists()
    assert _verify("small.toml", cwd=tmp_path).returncode == 0
    third = _verify("small.toml", "--no-cache", cwd=tmp_path)
    assert "sympy imported" in third.stdout and "(cached)" not in third.stdout


def test_a_file_whose_bytes_change_is_checked_again(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    assert _verify("small.toml", cwd=tmp_path).returncode == 0
    path.write_text(SMALL.replace("a + b = b + a", "a + b = b - a"), encoding="utf-8")
    again = _verify("small.toml", cwd=tmp_path)
    assert again.returncode == 1
    assert "(cached)" not in again.stdout and "FAILED" in again.stdout
