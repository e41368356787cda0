"""Shared fixtures for the front-end tests (file format and LaTeX grammar).

The loader is always called with an explicit set of rule names, so these tests
do not depend on the rule engine in derive/rules/.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from derive.document.loader import load, loads

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "equations" / "why-mse.toml"

#: Every rule name the article's justifications use.
ARTICLE_RULES = frozenset({
    "definition", "given", "cite", "stationary", "equal", "restate", "substitute",
    "linearity", "integrate", "variation", "lagrangian", "solve", "eliminate",
    "expand_log", "monotone", "argmin_equiv",
})

#: Declarations of the small scope the notation tests parse in.
NOTATION_DECLARATIONS = r"""
[meta]
title = "notation"

[symbols]
'x' = "real"
'y' = "real"
'a' = "real"
'b' = "real"
'c' = "real"
'd' = "real"
'z' = "real"
'n' = "positive integer"
'i' = "positive integer"
'\theta' = "real"
'\theta^{\ast}' = "real"
'\hat{x}' = "real"
'\mu' = "real"
'\sigma' = "positive"
'\epsilon' = "real"
'\alpha' = "real"
'\beta' = "nonnegative"
'\Omega' = "real"
'\lambda_0' = "real"
'\epsilon_{\text{total}}' = "real"

[indexed]
'w' = "real"

[functions]
'p(\epsilon)' = "positive"
'p(x | z; \theta)' = "positive"
'f(x)' = "real"
'h(x, y)' = "real"
'g_\theta(z)' = "real"
'\mathcal{L}(p)' = "real"

[constants]
'I' = '1'

[domains]
'\epsilon' = ['-\infty', '\infty']

[[step]]
tag = "1"
latex = 'x = x'
by = "definition"
"""


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory):
    """Fixtures wider than a test keep their verdict cache out of the checkout too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("derive-cache")))
        yield


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test's `derive verify` keeps its verdict cache in a folder of its own: never
    in the checkout, and never served from another test's run."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / ".derive-cache"))


@pytest.fixture(scope="session")
def mse_article():
    """The article's derivation file, loaded without the rule engine."""
    return load(ARTICLE, known_rules=ARTICLE_RULES)


@pytest.fixture(scope="session")
def notation_scope():
    """A scope declaring the names the notation tables use."""
    return loads(NOTATION_DECLARATIONS, "notation.toml", known_rules={"definition"}).scope


@pytest.fixture
def write_toml(tmp_path):
    """Write a derivation file (dedented) into tmp_path and return its path."""

    def write(text: str, name: str = "bad.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
