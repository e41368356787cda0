"""The pytest plugin: each step an item, an erratum a strict xfail, a failure shown with
derive's own lines, input errors as collection errors, and pytest-xdist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rules.derivations import HEADER, step

ROOT = Path(__file__).resolve().parents[1]

GOOD = HEADER + step("1", "y = a x", "given") + step("2", "y = x a", "restate (1)")
FALSE = HEADER + step("1", "a + b = b + a", "equal") + step("2", "a + b = b - a", "equal")
ERRATUM = (HEADER + step("1", "a + b = b - a", "equal", expect_failure="a sign lost")
           + step("2", "a + b = b + a", "equal"))
WRONG_ERRATUM = HEADER + step("1", "a + b = b + a", "equal", expect_failure="not wrong")
BAD = HEADER + step("1", r"a + \foo = b", "equal")


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """pytest in ``folder`` with the plugin (and nothing installed) loaded."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
           "DERIVE_CACHE_DIR": str(folder / ".derive-cache")}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "derive.pytest_plugin",
                           "-p", "no:cacheprovider", "-rA", *args],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=600)


def _outcomes(output: str) -> dict[str, str]:
    """Each item's outcome, from the -rA summary lines ('PASSED small.toml::1')."""
    found = re.findall(r"^(PASSED|FAILED|XFAIL|XPASS|ERROR) (\S+\.toml::\S+)", output, re.M)
    return {node.rsplit("/", 1)[-1]: outcome for outcome, node in found}


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "equations"
    folder.mkdir()
    for name, text in {"good": GOOD, "false": FALSE, "erratum": ERRATUM,
                       "wrong_erratum": WRONG_ERRATUM}.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    (tmp_path / "other.toml").write_text(GOOD, encoding="utf-8")   # not in a named folder
    return tmp_path


#: Each item of the corpus's equations/ folder and its outcome.
OUTCOMES = {
    "good.toml::1": "PASSED", "good.toml::2": "PASSED",
    "false.toml::1": "PASSED", "false.toml::2": "FAILED",
    "erratum.toml::1": "XFAIL", "erratum.toml::2": "PASSED",
    "wrong_erratum.toml::1": "FAILED",            # strict: an erratum that passes fails
}


def test_each_step_is_an_item_with_its_verdict(corpus):
    run = _pytest(corpus, "equations")
    assert _outcomes(run.stdout) == OUTCOMES, run.stdout
    assert run.returncode == 1
    assert "the two sides differ" in run.stdout      # derive's own reason
    assert "counterexample:" in run.stdout


def test_a_file_named_on_the_command_line_is_collected(corpus):
    run = _pytest(corpus, "other.toml")
    assert _outcomes(run.stdout) == {"other.toml::1": "PASSED", "other.toml::2": "PASSED"}
    assert run.returncode == 0


def test_an_input_error_is_a_collection_error_with_its_position(corpus):
    (corpus / "equations" / "bad.toml").write_text(BAD, encoding="utf-8")
    run = _pytest(corpus, "equations/bad.toml", "equations/good.toml")
    assert run.returncode == 2
    assert r"unsupported command \foo" in run.stdout
    assert re.search(r"bad\.toml:\d+:\d+: error", run.stdout)


def test_pytest_xdist_distributes_the_steps(corpus):
    run = _pytest(corpus, "-p", "xdist.plugin", "-n", "2", "--dist", "loadfile", "equations")
    assert _outcomes(run.stdout) == OUTCOMES, run.stdout    # as without xdist
    assert "created: 2/2 workers" in run.stdout or "2 workers" in run.stdout, run.stdout


def test_the_plugin_is_registered_through_the_pytest11_entry_point():
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["pytest11"] == {"derive": "derive.pytest_plugin"}
