"""Read a Markdown article: its front matter, its tagged display equations, its prose.

The article is parsed by markdown-it-py (CommonMark) with the front-matter and
dollar-math plugins; the front matter is YAML, read by PyYAML. Each display equation
with a ``\\tag{n}`` is one equation of the derivation, its LaTeX exactly as the article
writes it (a slice of the article's text); untagged and inline math stay in the prose.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar
from mdit_py_plugins.front_matter import front_matter_plugin

from derive.errors import DeriveError, Position
from derive.latex.syntax import latex_parser

#: Front-matter keys that give the article's date, in order of preference.
DATE_KEYS = ("date", "createdAt", "created", "published")
#: Block tokens whose text is an equation.
MATH_BLOCKS = {"math_block", "math_block_label", "amsmath"}


class ArticleError(DeriveError):
    """The article cannot be read: no such file, bad front matter, no tagged equation."""


@dataclass(frozen=True)
class Equation:
    """One tagged display equation of the article."""

    tag: str
    latex: str        # exactly as the article writes it, outer blank space trimmed
    line: int         # 1-based line of the article where it starts
    prose: str = ""   # the article's text since the previous tagged equation
    verbatim: bool = True   # False when the article's container prefixes (>) were dropped


@dataclass(frozen=True)
class Article:
    """What ``derive import`` takes from an article."""

    path: str
    meta: dict
    equations: tuple[Equation, ...]
    epilogue: str = ""
    warnings: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """CommonMark with front matter and $$ math; a $$ block may end a paragraph, as in
    the blogs that write ``text:\\n$$ ... $$``."""
    md = (MarkdownIt("commonmark").use(front_matter_plugin)
          .use(dollarmath_plugin, allow_labels=False, double_inline=True)
          .use(amsmath_plugin))
    md.block.ruler.at("math_block", _quiet_when_silent(math_block_dollar(allow_labels=False)),
                      {"alt": ["paragraph", "reference", "blockquote", "list"]})
    return md


def _quiet_when_silent(rule):
    """The plugin's block rule pushes its token even when asked only whether it would
    match (as a paragraph asks whether it ends): undo that in silent mode."""
    def run(state, start_line: int, end_line: int, silent: bool) -> bool:
        if not silent:
            return rule(state, start_line, end_line, False)
        count, line = len(state.tokens), state.line
        found = rule(state, start_line, end_line, False)
        del state.tokens[count:]
        state.line = line
        return found
    return run


def tags_of(latex: str) -> list[str]:
    """The ``\\tag{...}`` values of a formula, found with derive's own TAG terminal."""
    pattern = latex_parser().get_terminal("TAG").pattern.to_regexp()   # LaTeX, not Markdown
    return [m.group()[m.group().index("{") + 1:-1].strip() for m in re.finditer(pattern, latex)]


def _front_matter(content: str, path: str) -> dict:
    try:
        data = yaml.safe_load(content) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1   # after the opening ---
        raise ArticleError(f"the front matter is not valid YAML: {error}",
                           Position(path, line, 1)) from None
    if not isinstance(data, dict):
        raise ArticleError("the front matter must be a YAML mapping", Position(path, 1, 1))
    return data


def _meta(data: dict) -> dict:
    """The front matter's title, date, author and tags, as [meta] holds them."""
    meta = {}
    if data.get("title") is not None:
        meta["title"] = str(data["title"])
    for key in DATE_KEYS:
        value = data.get(key)
        if isinstance(value, (datetime.date, datetime.datetime)):
            meta["date"] = value.isoformat()[:10]
            break
        if value is not None:
            meta["date"] = str(value)
            break
    author = data.get("author") or data.get("authors")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    if author:
        meta["author"] = str(author)
    tags = data.get("tags")
    if isinstance(tags, str):
        tags = [tags]
    if isinstance(tags, list) and tags:
        meta["tags"] = [str(t) for t in tags]
    language = data.get("language") or data.get("lang")
    if language:
        meta["language"] = str(language)
    return meta


def guess_language(text: str) -> str:
    """``zh`` when Han characters are a fifth of the letters or more (the LaTeX of a
    Chinese article is Latin), else ``en``."""
    han = sum(1 for c in text if "CJK" in unicodedata.name(c, ""))
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return "zh" if han * 5 >= han + latin and han else "en"


def _prose(lines: list[str], start: int, end: int, hidden: set[int]) -> str:
    """The article's lines ``start..end`` (0-based, end excluded) without hidden ones."""
    kept = [lines[i] for i in range(start, end) if i not in hidden]
    text = "\n".join(kept).strip("\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def parse_article(text: str, path: str = "<article>") -> Article:
    """Read a Markdown article from its text."""
    tokens = _markdown().parse(text)
    lines = text.split("\n")
    meta: dict = {}
    start = 0
    hidden: set[int] = set()   # HTML comments (<!-- more -->) are no prose
    blocks = []
    warnings: list[str] = []
    for token in tokens:
        if token.type == "front_matter":
            meta = _meta(_front_matter(token.content, path))
            start = token.map[1]
        elif token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            hidden.update(range(*token.map))
        elif token.type in MATH_BLOCKS and token.map:
            blocks.append(token)
    equations: list[Equation] = []
    previous = start
    for token in blocks:
        latex = token.content.strip()
        tags = tags_of(latex)
        line = token.map[0] + 1
        if not tags:
            continue
        if len(tags) > 1:
            warnings.append(f"{path}:{line}: a display with {len(tags)} \\tag: skipped "
                            "(write one equation per display)")
            continue
        region = "\n".join(lines[token.map[0]:token.map[1]])
        verbatim = latex in region
        if not verbatim:
            warnings.append(f"{path}:{line}: ({tags[0]}) sits in a quote or list over several "
                            "lines: its LaTeX is taken without the '>' prefixes")
        equations.append(Equation(tags[0], latex, line,
                                  _prose(lines, previous, token.map[0], hidden), verbatim))
        previous = token.map[1]
    if not equations:
        raise ArticleError("the article has no display equation with a \\tag{...}",
                           Position(path, 1, 1))
    seen: dict[str, int] = {}
    for equation in equations:
        if equation.tag in seen:
            raise ArticleError(f"\\tag{{{equation.tag}}} is used twice (first on line "
                               f"{seen[equation.tag]})", Position(path, equation.line, 1))
        seen[equation.tag] = equation.line
    meta.setdefault("language", guess_language(text))
    return Article(path, meta, tuple(equations), _prose(lines, previous, len(lines), hidden),
                   tuple(warnings))


def read_article(path: str | Path) -> Article:
    """Read a Markdown article from a file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ArticleError(f"cannot read the article: {error}", Position(str(path), 1, 1)) \
            from None
    return parse_article(text, str(path))
