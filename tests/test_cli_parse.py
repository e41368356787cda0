"""The command line: `derive parse`, and how a bad file is reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.cli import main

from tests.conftest import ARTICLE, ARTICLE_RULES

ROOT = Path(__file__).resolve().parent.parent


def derive(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, env=env, timeout=60)


BAD_FORMULA = """\
[meta]
title = "t"
[symbols]
'x' = "real"
[[step]]
tag = "1"
latex = '''
x = 1
  + q
'''
by = "definition"
"""


def test_parse_prints_the_reading():
    result = derive("parse", r"\frac12 + 1 = \frac{3}{2}")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "3/2 = 3/2"
    assert lines[-1] == r"LaTeX: \frac{3}{2} = \frac{3}{2}"
    assert result.stderr == ""


def test_parse_with_the_declarations_of_a_file(monkeypatch, capsys):
    monkeypatch.setattr("derive.rules.RULES", {name: None for name in ARTICLE_RULES})
    status = main(["parse", "--file", str(ARTICLE),
                   r"p(x|z;\theta) = \mathcal{N}(x; f_\theta(z), \sigma^2) \text{s.t.} \sigma > 0"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[0] == "p(x, z, theta) = NormalPDF(x, f(z, theta), sigma**2)"
    assert out[1] == "s.t. sigma > 0"
    assert out[2].startswith(r"LaTeX: p\left(x \mid z ; \theta\right) = \mathcal{N}")


def test_bad_formula_on_the_command_line():
    result = derive("parse", "x = \\foo")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "<input>:1:5: error: unsupported command \\foo"
    assert "Traceback" not in result.stderr


def test_bad_file_is_reported_as_path_line_column(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_FORMULA, encoding="utf-8")
    result = derive("parse", "--file", str(bad), "x")
    assert result.returncode == 2
    assert result.stdout == ""
    first, source, caret = result.stderr.splitlines()
    assert first == f"{bad}:9:5: error: undeclared name 'q'"
    assert source.strip() == "+ q"
    assert caret.index("^") == source.index("q")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text, message", [
    ('[meta]\ntitle = "t"\n[[step]]\ntag = = "1"\n', ":4:7: error: invalid TOML: Invalid value"),
    ('[meta]\ntitle = "t"\n[[step]]\ntag = "1"\nlatex = \'1 = 1\'\nby = "frobnicate"\n',
     ":6:7: error: unknown rule 'frobnicate'"),
    ('[meta]\ntitle = "t"\n[[step]]\ntag = "1"\nlatex = "1 = 1"\nby = "x"\n',
     ":5:10: error: write the LaTeX as a literal string"),
])
def test_other_bad_files(tmp_path, text, message):
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    result = derive("parse", "--file", str(bad), "1")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}{message}")
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path):
    result = derive("parse", "--file", str(tmp_path / "absent.toml"), "1")
    assert result.returncode == 2
    assert "error: cannot read file" in result.stderr
    assert "Traceback" not in result.stderr
