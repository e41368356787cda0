"""``derive import ARTICLE``: write a derivation file from a Markdown article.

The file is built with tomlkit (never by pasting strings together): the article's
metadata, the declarations its formulas need (guessed, each with a ``# check``
comment), and one step per tagged equation, its LaTeX exactly as the article
writes it, the prose before it, and ``by = "?"`` until a justification is found.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.items import KeyType, SingleKey

from derive.document.article import Article, read_article
from derive.document.names import Declarations, infer
from derive.errors import Position, UsageError
from derive.rules.pending import PENDING
from derive.scaffold import NAME

HEADER = """\
Imported by `derive import` from {source}.
Every step's LaTeX is the article's, byte for byte. Before verifying:
- check each declaration marked "# check" (the assumptions decide what can be proved);
- fill every by = "?" (derive suggest finds justifications that check).
"""


@dataclass(frozen=True)
class Imported:
    """What ``derive import`` wrote."""

    path: Path
    article: Article
    declarations: Declarations


def _key(name: str) -> SingleKey:
    """A declaration's key, as a literal string where TOML allows one (no quote inside)."""
    return SingleKey(name, KeyType.Literal if "'" not in name else KeyType.Basic)


def _literal(text: str):
    """LaTeX in a literal string, as derive requires (backslashes stay as written)."""
    if "'''" in text:
        raise UsageError(f"a formula holds ''' and cannot be a TOML literal string: {text}",
                         Position("derive import", 1, 1))
    multiline = "\n" in text or "'" in text
    return tomlkit.string(text, literal=True, multiline=multiline)


def _prose(text: str):
    """Prose in a multi-line string: literal when it can be, so that $\\lambda$ stays."""
    literal = "'''" not in text and not text.endswith("'")
    return tomlkit.string(text + "\n", literal=literal, multiline=True)


def _declarations(document, found: Declarations) -> None:
    for table_name in ("symbols", "indexed", "functions", "constants", "domains"):
        entries = getattr(found, table_name)
        if not entries:
            continue
        table = tomlkit.table()
        for name, value in entries.items():
            if table_name == "constants":
                value = _literal(value)
            elif table_name == "domains":
                bounds = tomlkit.array()
                for bound in value:
                    bounds.append(_literal(bound))
                value = bounds
            table.add(_key(name), value)
            note = found.notes.get((table_name, name))
            if note:
                table[name].comment(note)
        document[table_name] = table


def _meta(article: Article, source: str):
    meta = tomlkit.table()
    meta["title"] = article.meta.get("title") or Path(article.path).stem
    meta["source"] = source
    for key in ("language", "author", "date"):
        if key in article.meta:
            meta[key] = article.meta[key]
    if article.meta.get("tags"):
        meta["tags"] = list(article.meta["tags"])
    return meta


def derivation(article: Article, source: str) -> tuple[tomlkit.TOMLDocument, Declarations]:
    """The derivation file of ``article`` (``source``: the article's path from the file)."""
    found, _ = infer([(e.tag, e.latex) for e in article.equations])
    document = tomlkit.document()
    for line in HEADER.format(source=source).splitlines():
        document.add(tomlkit.comment(line))
    document.add(tomlkit.nl())
    document["meta"] = _meta(article, source)
    _declarations(document, found)
    steps = tomlkit.aot()
    for equation in article.equations:
        step = tomlkit.table()
        step["tag"] = equation.tag
        step["latex"] = _literal(equation.latex)
        step["by"] = PENDING
        if equation.prose:
            step["prose"] = _prose(equation.prose)
        steps.append(step)
    document["step"] = steps
    if article.epilogue:
        epilogue = tomlkit.table()
        epilogue["prose"] = _prose(article.epilogue)
        document["epilogue"] = epilogue
    return document, found


def default_output(article_path: Path, folder: Path = Path("equations")) -> Path:
    """``equations/NAME.toml``, NAME the article's file name made simple."""
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-"
                   for c in article_path.stem).strip("-.") or "article"
    if not NAME.fullmatch(stem):
        stem = "article-" + stem
    return folder / f"{stem}.toml"


def import_article(article_path: str | Path, out: str | Path | None = None,
                   force: bool = False) -> Imported:
    """Read the article and write its derivation file; refuse to overwrite unless
    ``force``."""
    article_path = Path(article_path)
    path = Path(out) if out is not None else default_output(article_path)
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it",
                         Position(str(path), 1, 1))
    article = read_article(article_path)
    source = Path(os.path.relpath(article_path.resolve(), path.parent.resolve())).as_posix()
    document, found = derivation(article, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return Imported(path, article, found)
