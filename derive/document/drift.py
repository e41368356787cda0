"""Drift: has the article changed since its derivation was written, or was an equation
copied wrong?

When ``meta.source`` names an article file that exists, its tagged equations are read
(as ``derive import`` reads them) and compared, tag by tag, with the derivation's
steps. Corrections (steps with ``corrects``) are derive's own and are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # the model reads LaTeX with SymPy: a cached run need not import it
    from derive.document.model import Document

#: Characters of context shown on each side of the first difference.
CONTEXT = 24


@dataclass(frozen=True)
class Drift:
    """One difference between the article and the derivation, by tag."""

    tag: str
    message: str

    def __str__(self) -> str:
        return f"({self.tag}) {self.message}" if self.tag else self.message


def article_of(derivation_path: str | Path) -> Path | None:
    """The article file the ``meta.source`` of a derivation file names, read from the raw
    TOML (no LaTeX read, no SymPy imported); ``None`` if it names none, or the file does
    not read (its errors are the loader's to report)."""
    import tomllib
    try:
        with open(derivation_path, "rb") as file:
            meta = tomllib.load(file).get("meta", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return source_file(meta.get("source") if isinstance(meta, dict) else None, derivation_path)


def source_file(source, derivation_path: str | Path) -> Path | None:
    """The article file ``meta.source`` names, if it is a file that exists.

    ``source`` is a string (a URL or a path) or a table whose ``path`` is the article
    file; a relative path is taken from the derivation's folder, then from the
    current folder. A URL, a description or a missing file give None.
    """
    if isinstance(source, Mapping):
        source = source.get("path") or ""
    if not isinstance(source, str) or not source.strip() or "://" in source:
        return None
    for base in (Path(derivation_path).parent, Path.cwd()):
        candidate = base / source.strip()
        if candidate.is_file():
            return candidate
    return None


def _difference(article: str, derivation: str) -> str:
    """Where two formulas first differ, with a little of each around it."""
    k = 0
    while k < min(len(article), len(derivation)) and article[k] == derivation[k]:
        k += 1
    start = max(0, k - CONTEXT // 2)

    def around(text: str) -> str:
        piece = text[start:k + CONTEXT].replace("\n", " ")
        return ("..." if start else "") + piece + ("..." if k + CONTEXT < len(text) else "")
    return f"the article has '{around(article)}' where the derivation has '{around(derivation)}'"


def drift(document: Document) -> list[Drift]:
    """The differences between the derivation and the article its source names."""
    citation = getattr(document, "citation", None)
    path = source_file(getattr(citation, "path", "") or document.source, document.path)
    return [] if path is None else _compare(
        path, [(s.tag, s.latex) for s in document.steps if s.corrects is None])


def drift_in_file(derivation_path: str | Path, cache=None) -> list[Drift]:
    """:func:`drift` of a derivation file read as raw TOML: its steps' LaTeX as written,
    no formula read, no SymPy imported (a cached ``verify`` stays cheap). ``cache`` (a
    :class:`derive.cache.Cache`) keeps the result by the bytes of both files."""
    import hashlib
    import tomllib
    article = article_of(derivation_path)
    if article is None:
        return []
    try:
        data = Path(derivation_path).read_bytes()
        parts = [hashlib.sha256(data).hexdigest(), str(article),
                 hashlib.sha256(article.read_bytes()).hexdigest()]
    except OSError:
        parts = None
    if cache is not None and parts is not None:
        stored = cache.get("drift", parts)
        if isinstance(stored, list) and all(isinstance(d, list) and len(d) == 2
                                            and all(isinstance(t, str) for t in d)
                                            for d in stored):
            return [Drift(tag, message) for tag, message in stored]
    with open(derivation_path, "rb") as file:
        steps = tomllib.load(file).get("step", [])
    written = [(str(s.get("tag", "")), str(s.get("latex", ""))) for s in steps
               if isinstance(s, dict) and "corrects" not in s]
    found = _compare(article, written)
    if cache is not None and parts is not None:
        cache.put("drift", parts, [[d.tag, d.message] for d in found])
    return found


def _compare(path: Path, written: list[tuple[str, str]]) -> list[Drift]:
    """The article's tagged equations against the derivation's (tag, LaTeX) pairs."""
    from derive.document.article import ArticleError, read_article
    try:
        article = read_article(path)
    except ArticleError as error:
        return [Drift("", f"cannot compare with the article {path}: {error.message}")]
    steps = dict(written)
    found: list[Drift] = []
    for equation in article.equations:
        latex = steps.pop(equation.tag, None)
        if latex is None:
            found.append(Drift(equation.tag, f"is in the article ({path}, line "
                                             f"{equation.line}) but not in the derivation"))
        elif latex.strip() != equation.latex:
            found.append(Drift(equation.tag, "differs from the article "
                                             f"({path}, line {equation.line}): "
                               + _difference(equation.latex, latex.strip())))
    for tag in steps:
        found.append(Drift(tag, f"is not an equation of the article {path}"))
    return found
