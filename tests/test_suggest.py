"""derive suggest: only justifications that check are suggested, the best is written
with the file's layout kept, and a false step gets none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.check.engine import check_document
from derive.document.loader import load, loads
from derive.suggest import mentioned, suggest_document, write_suggestions

ROOT = Path(__file__).resolve().parents[1]

DERIVATION = """\
# A comment that must survive --write.
[meta]
title = "Suggest"

[symbols]
'a' = "positive"   # the leading coefficient
'b' = "real"
'x' = "real"

[[step]]
tag = "1"
latex = 'a x + b = 0'
by = "given"

[[step]]
tag = "2"
latex = 'x = -\\frac{b}{a}'
by = "?"
prose = "Solving (1) for $x$:"

[[step]]
tag = "3"
latex = 'x^2 = \\frac{b^2}{a^2}'
by = "?"

[[step]]
tag = "4"
latex = 'x = \\frac{b}{a} + 1'
by = "?"
"""


@pytest.mark.parametrize("prose, tags", [
    ("将$\\lambda_1$代入(9)式中", ["9"]),
    ("substitute (12) into (8')", ["12", "8'"]),
    ("由（3）得", ["3"]),
    ("no reference here", []),
])
def test_mentions_in_prose(prose, tags):
    assert mentioned(prose) == tags


@pytest.fixture
def found():
    return suggest_document(loads(DERIVATION, "s.toml"), budget=600)


def test_true_steps_get_a_justification_that_proves(found):
    by = {r.tag: r.by() for r in found}
    assert by["2"] == "solve (1) for x"
    assert by["3"] is not None
    assert all(s.status.value == "proved" for s in found[0].links[0])


def test_a_false_step_gets_nothing(found):
    (result,) = [r for r in found if r.tag == "4"]
    assert result.by() is None and not result.complete
    assert result.tried > 0


def test_write_keeps_the_layout_and_the_result_verifies(found, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(DERIVATION, encoding="utf-8")
    assert write_suggestions(path, found) == ["2", "3"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A comment that must survive --write.")
    assert "'a' = \"positive\"   # the leading coefficient" in text
    assert "by = 'solve (1) for x'" in text
    assert 'by = "?"' in text                          # (4) stays pending
    result = check_document(load(path))
    statuses = {r.step.tag: r.status.value for r in result.steps}
    assert statuses == {"1": "assumed", "2": "proved", "3": "proved", "4": "undecided"}


ERRATUM = """\
[meta]
title = "Erratum"

[symbols]
'x' = "real"
'y' = "real"

[[step]]
tag = "1"
latex = 'y = 2 x'
by = "given for all x"

[[step]]
tag = "2"
latex = 'y = 3 x'
by = "given for all x"
expect_failure = "printed wrong"

[[step]]
tag = "2'"
corrects = "2"
latex = 'y = 2 x'
by = "restate (1)"

[[step]]
tag = "3"
latex = 'y^2 = 4 x^2'
by = "?"
prose = "Squaring (2):"
"""


def test_an_erratum_is_never_a_premise_its_correction_stands_in():
    (result,) = suggest_document(loads(ERRATUM, "e.toml"), budget=600)
    assert result.by() is not None
    assert "(2)" not in result.by() and "(2')" in result.by()


def test_command_line_suggest_write(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(DERIVATION, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "derive", "suggest", str(path), "--write"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "solve (1) for x  [proved]" in done.stdout
    assert "2 of 3 pending steps have a justification that checks" in done.stdout
    assert load(path).step("2").rules == ("solve",)
