"""docs/adding-a-derivation.md is followed literally: its commands run, its rule table
lists the real rules, its error messages are the real ones, its erratum verifies."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

from derive.check.engine import check_document
from derive.document.loader import load, loads
from derive.errors import DeriveError
from derive.rules import RULES
from derive.rules.pending import PENDING
from derive.scaffold import write_skeleton

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "adding-a-derivation.md").read_text(encoding="utf-8")


def _blocks(language: str, text: str = GUIDE) -> list[str]:
    return re.findall(rf"^\s*```{language}\n(.*?)^\s*```", text, re.S | re.M)


def _commands() -> list[str]:
    return [line.strip() for block in _blocks("sh") for line in block.splitlines()
            if line.strip().startswith("python3 -m derive")]


def _check_declarations(path: Path) -> None:
    """Section 3 done by hand: the guide's [symbols], and the justifications of the
    article's own assumptions it names."""
    block = next(b for b in _blocks("toml") if b.startswith("[symbols]"))
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["symbols"] = tomlkit.parse(block)["symbols"]
    for tag, by in (("1", "definition"), ("3", "given")):
        assert f'({tag}) ' in GUIDE and f'`by = "{by}"`' in GUIDE
        (step,) = [s for s in document["step"] if s["tag"] == tag]
        step["by"] = by
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def test_guide_commands_run_in_order(tmp_path):
    commands = _commands()
    assert [c.split()[3] for c in commands] == ["import", "suggest", "parse", "verify",
                                                "report", "mutate"]
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "quadratic.md", tmp_path / "docs" / "quadratic.md")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for command in commands:
        argv = shlex.split(command)
        if "report" in argv and shutil.which("pdflatex") is None:
            argv = [a for a in argv if a != "pdf"]
            argv = [a for i, a in enumerate(argv) if not (a == "--format" and
                                                          i + 1 < len(argv) and
                                                          argv[i + 1].startswith("-"))]
        done = subprocess.run([sys.executable, *argv[1:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if "import" in argv:
            assert "wrote equations/quadratic.toml: 5 steps" in done.stdout
            _check_declarations(tmp_path / "equations" / "quadratic.toml")
        if "suggest" in argv:
            assert "1 of 1 pending steps have a justification that checks" in done.stdout
        if "parse" in argv:
            assert "a*(x + b/(2*a))**2" in done.stdout
        if "verify" in argv:
            assert "conclusion (5) established" in done.stdout
            assert "warning" not in done.stderr     # the file agrees with the article
        if "mutate" in argv:
            assert "(100%)" in done.stdout
    assert (tmp_path / "out" / "quadratic.md").exists()


def test_rule_table_lists_every_rule():
    table = GUIDE.split("<!-- rules -->", 1)[1].split("<!-- /rules -->", 1)[0]
    assert set(re.findall(r"^\| `(\w+)` \|", table, re.M)) == set(RULES) - {PENDING}
    assert f"| `{PENDING}` |" in table


@pytest.fixture
def skeleton(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write_skeleton("quadratic", Path("equations"))


@pytest.mark.parametrize("old, new", [
    (r"c - \frac{b^2}{4a} \tag{5}", r"c - \frac{b^2}{4k} \tag{5}"),
    ('by = "solve (3) for x_0"', 'by = "solve (5) for x_0"'),
    ('by = "given"', 'by = "assume"'),
])
def test_error_examples_are_real(skeleton, old, new):
    text = skeleton.read_text(encoding="utf-8")
    assert old in text
    skeleton.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DeriveError) as caught:
        load(skeleton)
    first = str(caught.value)
    if "known:" in first:
        first = first.split("(known:")[0] + "(known: argmin_equiv, cite, ...)"
    assert first in GUIDE


def test_failure_example_is_real(skeleton):
    text = skeleton.read_text(encoding="utf-8")
    skeleton.write_text(text.replace(r"x_0 = -\frac{b}{2a}", r"x_0 = \frac{b}{2a}"),
                        encoding="utf-8")
    result = check_document(load(skeleton))
    step = result.result("4")
    assert step.status.value == "failed"
    link = step.links[0].verdict
    assert f"link 1 (solve): {link.reason}" in GUIDE
    assert f"expected: {link.expected}" in GUIDE
    assert result.result("5").tainted_by == ("4",)
    assert not result.established


def test_erratum_example_verifies(skeleton):
    (block,) = [b for b in _blocks("toml") if "corrects" in b]
    text = skeleton.read_text(encoding="utf-8")
    start = text.index('[[step]]\ntag = "4"')
    end = text.index("# Optional closing text")
    result = check_document(loads(text[:start] + block + "\n" + text[end:], "erratum.toml"))
    assert result.ok and result.established
    assert result.result("4").mark == "expected failure"
    assert result.result("4'").status.value == "proved"
