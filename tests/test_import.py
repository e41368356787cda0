"""derive import: the seed article becomes a derivation file whose steps carry the
article's equations exactly, written with tomlkit, never overwritten by accident."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from derive.document.article import read_article
from derive.document.loader import load
from derive.errors import UsageError
from derive.importer import import_article

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_d622c4ac3bc063ff.txt"


@pytest.fixture
def seed():
    if not SEED.exists():
        pytest.skip("the seed article is not on this machine")
    return SEED


def test_seed_imports_to_seventeen_steps_byte_for_byte(seed, tmp_path):
    imported = import_article(seed, tmp_path / "mse.toml")
    document = load(imported.path)       # derive's own loader reads it back
    article_bytes = seed.read_bytes()
    assert [s.tag for s in document.steps] == [str(n) for n in range(1, 18)]
    for step, equation in zip(document.steps, read_article(seed).equations):
        assert step.latex == equation.latex
        assert step.latex.encode("utf-8") in article_bytes
        assert step.rules == ("?",)
    assert document.title == "为什么生成模型要使用MSE？"
    assert document.language == "zh" and document.date == "2025-12-09"
    assert document.tags == ("图像生成", "均方误差")
    assert (imported.path.parent / document.source).resolve() == seed.resolve()
    assert document.steps[11].prose == "将$\\lambda_1$代入(9)式中，解出$\\lambda_0$，有：\n"


def test_declarations_carry_a_check_comment(seed, tmp_path):
    text = import_article(seed, tmp_path / "mse.toml").path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["functions"][r"p(x | z; \theta)"] == "real"
    assert data["domains"][r"\epsilon"] == [r"-\infty", r"\infty"]
    for line in text.splitlines():
        if line.startswith("'") and " = " in line:
            assert "# check" in line, line


def test_refuses_to_overwrite_without_force(seed, tmp_path):
    path = tmp_path / "mse.toml"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists; use --force"):
        import_article(seed, path)
    assert path.read_text(encoding="utf-8") == "keep me"
    import_article(seed, path, force=True)
    assert len(load(path).steps) == 17


def test_pending_steps_are_undecided_not_proved(seed, tmp_path):
    from derive.check.engine import check_document
    result = check_document(load(import_article(seed, tmp_path / "m.toml").path))
    assert {r.status.value for r in result.steps} == {"undecided"}
    assert not result.ok and not result.established


def test_command_line_import(tmp_path):
    article = ROOT / "docs" / "quadratic.md"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = [sys.executable, "-m", "derive", "import", str(article), "--out",
           "equations/q.toml", "--no-suggest"]
    done = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "wrote equations/q.toml: 5 steps" in done.stdout
    again = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 2 and "--force" in again.stderr
