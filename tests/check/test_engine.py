"""The engine: time limits, dependencies, errata, the conclusion, and `derive verify`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.cache import Cache
from derive.check.engine import check_document, deadline, StepTimeout
from derive.check.verdict import Status, Verdict
from derive.document.loader import load
from derive.rules import RULES
from tests.rules.derivations import HEADER, derivation, step

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "equations" / "why-mse.toml"


@pytest.fixture(scope="module")
def checked_article(tmp_path_factory):
    """The article checked once, its verdicts kept in a cache that `derive verify` below
    is served from (tests/test_cache.py shows a hit is what a fresh check gives)."""
    folder = tmp_path_factory.mktemp("article-cache")
    return check_document(load(ARTICLE), cache=Cache(folder)), folder


def test_the_article_reaches_its_conclusion_on_checked_ground(checked_article):
    result, _ = checked_article
    assert result.established
    assert result.conclusion == "17"
    statuses = {s.step.tag: s.status for s in result.steps}
    for tag, status in statuses.items():
        rules = set(result.result(tag).step.rules)
        if rules <= {"definition", "given", "cite"}:
            assert status is Status.ASSUMED, tag
        elif tag != "8":
            assert status in (Status.PROVED, Status.NUMERIC), (tag, status)
    # the printed (8) is the article's erratum: a sign lost when solving (7)
    eight = result.result("8")
    assert eight.status is Status.FAILED and eight.expected_failure and eight.ok
    assert r"\epsilon^{2} \lambda_{1}" in eight.links[0].verdict.expected
    assert eight.links[0].verdict.counterexample
    # the corrected path, not the printed (8), carries the rest
    assert result.result("9").step.premises[0] == "8'"
    assert not result.result("17").tainted_by
    assert r"\lambda_{1} > 0" in result.assumptions
    assert r"\sigma > 0" in result.assumptions
    assert result.cited == ["the central limit theorem"]     # through (14)


def test_steps_resting_on_a_failed_step_are_marked():
    result = derivation(step("1", "y = 2 x", "given"),
                        step("2", "y + 1 = 2 x - 1", "substitute (1)"),
                        step("3", "y + 1 = 1 + 2 x - 2", "restate (2)"))
    assert result.result("2").status is Status.FAILED
    assert result.result("3").tainted_by == ("2",)
    assert not result.established
    assert not result.ok


def test_an_expected_failure_that_passes_is_an_error():
    result = derivation(step("1", "y = 2 x", "given"),
                        step("2", "y + 1 = 2 x + 1", "substitute (1)",
                             expect_failure="thought wrong"))
    two = result.result("2")
    assert two.status is Status.PROVED
    assert two.unexpected_pass and not two.ok
    assert not result.ok


def test_an_expected_failure_that_fails_is_fine_but_not_ground():
    result = derivation(step("1", "y = 2 x", "given"),
                        step("2", "y + 1 = 2 x - 1", "substitute (1)",
                             expect_failure="the article drops a sign"),
                        step("3", "y + 1 = 2 x + 1", "substitute (1)", corrects="2"),
                        step("4", "y + 2 = 2 x + 2", "substitute (1)"))
    assert result.ok
    assert result.conclusion == "4"
    assert result.established


def test_a_step_past_its_time_limit_is_undecided_and_the_run_goes_on(monkeypatch):
    # a rule that never returns: the outcome cannot depend on the machine's speed
    def stall(ctx):
        while True:
            pass
    monkeypatch.setitem(RULES, "stall", stall)
    result = derivation(step("1", "x = 1", "stall"), step("2", "x + 1 = 2", "given"),
                        time_limit=0.5)
    one = result.result("1")
    assert one.status is Status.UNDECIDED
    assert "time limit" in one.reason
    assert result.result("2").status is Status.ASSUMED


def test_the_time_limit_applies_to_each_link_of_a_chain(monkeypatch):
    # link 1 never returns; link 2 answers at once: it must still get its own time,
    # and the reason must say which link ran out
    def stall(ctx):
        while True:
            pass
    monkeypatch.setitem(RULES, "stall", stall)
    monkeypatch.setitem(RULES, "instant", lambda ctx: Verdict.proved("instant"))
    result = derivation(step("1", "x = 1 = 1", ["stall", "instant"]), time_limit=0.5)
    first, second = result.result("1").links
    assert first.verdict.status is Status.UNDECIDED
    assert "time limit of 0.5 s reached on link 1 of 2" in first.verdict.reason
    assert second.verdict.status is Status.PROVED
    assert "link 1 of 2" in result.result("1").reason


def test_deadline_interrupts():
    with pytest.raises(StepTimeout):
        with deadline(0.05):
            while True:
                pass


def run_cli(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "derive", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_verify_cli_json_shape(checked_article):
    _, folder = checked_article
    done = run_cli("verify", "--json", str(ARTICLE),
                   env={**os.environ, "DERIVE_CACHE_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (d,) = data["derivations"]
    assert set(d) >= {"file", "title", "established", "steps"}
    assert d["established"] is True
    tags = [s["tag"] for s in d["steps"]]
    assert tags[:8] == ["1", "2", "3", "4", "5", "6", "7", "8"] and tags[-1] == "17"
    for s in d["steps"]:
        assert set(s) >= {"tag", "rule", "premises", "status", "expected_failure", "reason",
                          "seconds"}
        assert s["status"] in {"proved", "numeric", "assumed", "failed", "undecided"}
    eight = next(s for s in d["steps"] if s["tag"] == "8")
    assert eight["status"] == "failed" and eight["expected_failure"] is True
    # the numeric check that refuted (8) records its sample: reproducible from the seed
    sample = eight["links"][0]["sample"]
    assert sample["seed"] > 0 and sample["digits"] == 30 and sample["points"] >= 1
    assert all("sample" in link for s in d["steps"] for link in s["links"])


def test_verify_cli_exit_status(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(HEADER + step("1", "x + 1 = 1 + x", "equal"), encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(HEADER + step("1", "x + 1 = 2 + x", "equal"), encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(HEADER + step("1", r"x + \foo = 1", "equal"), encoding="utf-8")
    done = run_cli("verify", str(good))
    assert done.returncode == 0 and "proved" in done.stdout
    done = run_cli("verify", str(bad))
    assert done.returncode == 1
    assert "FAILED" in done.stdout and "counterexample" in done.stdout
    done = run_cli("verify", str(broken))
    assert done.returncode == 2
    assert "unsupported command \\foo" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{broken}:")


def test_only_steps_whose_verdict_is_assumed_are_listed_as_given():
    # (1) is refused (a > 0 is declared), (3) is proved with a link taken on trust
    result = derivation(step("1", "a = -1", "given"),
                        step("2", "y = a x", "given"),
                        step("3", "b = a x = x a", ["given", "equal"]),
                        step("4", "y + 1 = a x + 1", "substitute (1), (2), (3)"))
    assert result.result("1").status is Status.FAILED
    assert result.result("3").status is Status.PROVED
    assert result.givens == ["2"]


def test_a_refused_citation_is_not_listed_as_cited():
    result = derivation(step("1", "a = -1", "cite the wrong theorem"),
                        step("2", "y = a x", "given"),
                        step("3", "y + 1 = a x + 1", "substitute (1), (2)"))
    assert result.result("1").status is Status.FAILED
    assert result.cited == []
    assert result.givens == ["2"]
