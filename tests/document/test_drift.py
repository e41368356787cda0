"""Drift: verify warns, by tag, where a derivation differs from the article its
meta.source names; --strict-source makes that a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.document.drift import drift, source_file
from derive.document.loader import load

ROOT = Path(__file__).resolve().parents[2]

ARTICLE = """\
---
title: Drift
---
Take:
$$x = 2 \\tag{1}$$
Square it:
$$x^2 = 4 \\tag{2}$$
"""

DERIVATION = """\
[meta]
title = "Drift"
source = "{source}"

[symbols]
'x' = "real"

[[step]]
tag = "1"
latex = 'x = 2 \\tag{{1}}'
by = "given"

[[step]]
tag = "2"
latex = '{second}'
by = "substitute (1)"
"""


def _files(tmp_path, article=ARTICLE, second=r"x^2 = 4 \tag{2}", source="article.md"):
    (tmp_path / "article.md").write_text(article, encoding="utf-8")
    path = tmp_path / "d.toml"
    path.write_text(DERIVATION.format(source=source, second=second), encoding="utf-8")
    return path


def test_no_drift_when_the_equations_agree(tmp_path):
    assert drift(load(_files(tmp_path))) == []


def test_a_changed_equation_is_named_by_tag(tmp_path):
    path = _files(tmp_path, article=ARTICLE.replace("x^2 = 4", "x^2 = 5"))
    (found,) = drift(load(path))
    assert found.tag == "2"
    assert "differs from the article" in found.message and "x^2 = 5" in found.message


def test_missing_and_extra_equations(tmp_path):
    article = ARTICLE + "Cube it:\n$$x^3 = 8 \\tag{3}$$\n"
    found = drift(load(_files(tmp_path, article=article.replace("\\tag{1}", "\\tag{0}"))))
    assert {(d.tag, "not in the derivation" in d.message) for d in found} >= {
        ("0", True), ("3", True)}
    assert any(d.tag == "1" and "not an equation of the article" in d.message for d in found)


@pytest.mark.parametrize("source", ["https://example.com/post", "", "no-such-file.md",
                                    "an algebra textbook"])
def test_no_article_file_no_comparison(tmp_path, source):
    assert drift(load(_files(tmp_path, article=ARTICLE.replace("4", "5"), source=source))) == []


def test_source_may_be_a_table_with_a_path(tmp_path):
    path = _files(tmp_path)
    assert source_file({"title": "Drift", "path": "article.md"}, path) == \
        tmp_path / "article.md"
    assert source_file({"url": "https://example.com"}, path) is None


def test_shipped_derivation_agrees_with_its_article():
    document = load(ROOT / "equations" / "why-mse.toml")
    if source_file(document.source, document.path) is None:
        pytest.skip("the seed article is not on this machine")
    assert drift(document) == []


def test_verify_warns_and_strict_source_fails(tmp_path):
    path = _files(tmp_path, article=ARTICLE.replace("x^2 = 4", "x^2 = 5"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "derive", "verify", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning: (2) differs from the article" in done.stderr
    strict = subprocess.run(command + ["--strict-source"], env=env, capture_output=True,
                            text=True, timeout=300)
    assert strict.returncode == 1
    assert "warning: (2) differs" in strict.stderr


@pytest.mark.parametrize("article", [ARTICLE, ARTICLE.replace("x^2 = 4", "x^2 = 5"),
                                     ARTICLE.replace("$$x = 2 \\tag{1}$$\n", "")])
def test_the_raw_file_drifts_as_the_loaded_one(tmp_path, article):
    from derive.document.drift import drift_in_file
    path = _files(tmp_path, article=article)
    assert drift_in_file(path) == drift(load(path))


def test_a_cached_rerun_of_a_file_with_its_article_imports_no_sympy(tmp_path):
    path = _files(tmp_path, article=ARTICLE.replace("x^2 = 4", "x^2 = 5"))
    script = ("import sys; from derive.cli import main; status = main(sys.argv[1:]); "
              "print('sympy imported' if 'sympy' in sys.modules else 'no sympy'); "
              "raise SystemExit(status)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DERIVE_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script, "verify", str(path)], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=600)
            for _ in range(2)]
    assert "sympy imported" in runs[0].stdout and "no sympy" in runs[1].stdout
    for run in runs:   # the drift is found both times
        assert "(2) differs from the article" in run.stderr, run.stderr


def test_drift_is_kept_by_the_bytes_of_both_files(tmp_path, monkeypatch):
    from derive.cache import Cache
    from derive.document import drift as module
    path = _files(tmp_path, article=ARTICLE.replace("x^2 = 4", "x^2 = 5"))
    cache = Cache(tmp_path / "cache")
    first = module.drift_in_file(path, cache)
    assert [d.tag for d in first] == ["2"]

    def unread(*_):
        raise AssertionError("the article was read again")
    monkeypatch.setattr(module, "_compare", unread)
    assert module.drift_in_file(path, cache) == first
    monkeypatch.undo()
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")   # the article agrees now
    assert module.drift_in_file(path, cache) == []
