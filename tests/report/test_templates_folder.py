"""A missing templates folder is a clean error, and --templates picks another folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "example.toml"


def run(*args):
    return subprocess.run([sys.executable, "-m", "derive", "report", str(EXAMPLE), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_missing_templates_folder_is_a_clean_error(tmp_path):
    done = run("--templates", str(tmp_path / "none"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "no report templates in" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "example.md").exists()


def test_templates_option_uses_that_folder(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    page = folder / "article.md.j2"
    page.write_text("custom {{ document.title }}\n", encoding="utf-8")
    done = run("--templates", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "example.md").read_text(encoding="utf-8") == \
        "custom Completing the square\n"
