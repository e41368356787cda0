"""Read a derivation file (TOML) into a :class:`~derive.document.model.Document`.

Every problem is raised as a :class:`~derive.errors.DeriveError` pointing at the
file's line and column: TOML syntax, a missing field, an unknown rule, a premise
that does not exist or comes later, a formula that does not parse.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import lru_cache
from pathlib import Path

import sympy
from lark import Lark
from lark.exceptions import UnexpectedInput

from derive.check.patterns import admits
from derive.document.locate import Origin, locate
from derive.document.model import Document, Justification, Source, Step
from derive.errors import DeriveError, FileFormatError, JustificationError, Position
from derive.grammars import build
from derive.latex.parser import parse_declaration, read_expression, parse_formula
from derive.latex.scope import Scope, parse_assumptions
from derive.latex.transform import CallRef, NameRef

TABLES = {"meta", "symbols", "functions", "indexed", "constants", "domains", "matrices",
          "step", "epilogue"}
DECLARATION_TABLES = ("symbols", "indexed", "functions", "constants", "domains", "matrices")
META_KEYS = {"title", "source", "language", "author", "date", "tags"}
SOURCE_KEYS = {"title", "author", "url", "date", "path"}
#: A URL in a citation: http(s), and only characters a URL may hold unescaped, none that
#: LaTeX or Markdown would read inside ``\url{}`` or ``<...>``.
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!&'()*+,;=%]+")
#: The key that holds a declaration's value when the declaration is a table with a note.
VALUE_KEY = {"symbols": "assumptions", "indexed": "assumptions", "functions": "assumptions",
             "constants": "value", "matrices": "shape"}
#: Keys a declaration table may hold beside its value and note.
EXTRA_KEYS = {"indexed": {"indices", "superscript"}}
STEP_KEYS = {"tag", "latex", "by", "prose", "expect_failure", "corrects"}
#: What a step's tag may hold: nothing that LaTeX or Markdown would read as markup.
TAG = re.compile(r"[A-Za-z0-9'.*-]+")


class _File:
    """The text of one file and the origins of its values, for positions."""

    def __init__(self, path: str, text: str, data: dict):
        self.path = path
        self.text = text
        self.data = data
        self.lines = text.splitlines()
        self.values, self.keys = locate(text)

    def position(self, offset: int) -> Position:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        source = self.lines[line - 1] if line <= len(self.lines) else ""
        return Position(self.path, line, column, source)

    def _spelt(self, path: tuple) -> tuple:
        """``path`` as the scanner keys it: ``[meta.source]`` is one table name."""
        if path in self.values or path in self.keys:
            return path
        for i in range(len(path), 1, -1):
            if not all(isinstance(part, str) for part in path[:i]):
                continue
            dotted = (".".join(path[:i]),) + path[i:]
            if dotted in self.values or dotted in self.keys:
                return dotted
        return path

    def origin(self, *path) -> Origin:
        path = self._spelt(path)
        found = self.values.get(path)
        if isinstance(found, Origin):
            return found
        table = self.values.get(path[:-1])   # a value inside an inline table
        if isinstance(table, dict) and isinstance(table.get(path[-1]), Origin):
            return table[path[-1]]
        return self.keys.get(path) or self.keys.get(path[:-1]) or Origin(0, "")

    def at(self, *path) -> Position:
        return self.position(self.origin(*path).offset)

    def key_at(self, *path) -> Position:
        origin = self.keys.get(self._spelt(path))
        if origin is None and len(path) > 1:   # a key inside an inline table
            return self.at(*path)
        return self.position((origin or Origin(0, "")).offset)

    def inside(self, origin: Origin, error: DeriveError) -> DeriveError:
        """Move an error positioned in a value's text to its place in the file."""
        line, column = error.position.line, error.position.column
        start = self.position(origin.offset)
        if line == 1:
            column = start.column + column - 1
        line = start.line + line - 1
        source = self.lines[line - 1] if line <= len(self.lines) else ""
        return error.at(Position(self.path, line, column, source))


def _require_literal(file: _File, origin: Origin, what: str, path) -> None:
    if not origin.literal:
        raise FileFormatError(
            f"write {what} as a literal string ('...' or '''...''') so that backslashes "
            "stay as written", file.at(*path))


def _string(file: _File, table: dict, key: str, path: tuple, required: bool = False) -> str:
    value = table.get(key)
    if value is None:
        if required:  # point at the table that lacks the key
            raise FileFormatError(f"missing '{key}'", file.key_at(*path[:-1]))
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and key in ("tag", "corrects"):
        return str(value)
    if not isinstance(value, str):
        raise FileFormatError(f"'{key}' must be a string", file.at(*path, key))
    return value


def _check_keys(file: _File, table: dict, allowed: set[str], path: tuple, what: str) -> None:
    for key in table:
        if key not in allowed:
            raise FileFormatError(
                f"unknown key '{key}' in {what} (allowed: {', '.join(sorted(allowed))})",
                file.key_at(*path, key))


# -- declarations --------------------------------------------------------------
def _declared_name(file: _File, latex: str, origin: Origin):
    try:
        return parse_declaration(latex)
    except DeriveError as error:
        raise file.inside(origin, error) from None


def _declared(file: _File, kind: str, latex: str, spec) -> tuple[object, Origin, str]:
    """A declaration's value, where it starts, and its note: ``'x' = "real"``, or a table
    ``'x' = { assumptions = "real", note = "..." }`` (``value`` for a constant)."""
    path = (kind, latex)
    if not isinstance(spec, dict):
        return spec, file.origin(*path), ""
    key = VALUE_KEY[kind]
    _check_keys(file, spec, {key, "note"} | EXTRA_KEYS.get(kind, set()), path,
                f"the declaration of '{latex}'")
    if key not in spec:
        raise FileFormatError(f"missing '{key}' in the declaration of '{latex}'",
                              file.key_at(*path))
    note = spec.get("note", "")
    if not isinstance(note, str) or ("note" in spec and not note.strip()):
        raise FileFormatError("'note' must be a non-empty string: what the declaration means "
                              "in the article", file.at(*path, "note"))
    return spec[key], file.origin(*path, key), " ".join(note.split())


def _indices(file: _File, latex: str, spec) -> int:
    """How many indices declared indexed data takes: 1, or ``indices = 2`` for x_{ij}."""
    if not isinstance(spec, dict) or "indices" not in spec:
        return 1
    count = spec["indices"]
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 6:
        raise FileFormatError("'indices' is the number of indices, a whole number from 1 "
                              "to 6", file.at("indexed", latex, "indices"))
    return count


def _superscript(file: _File, latex: str, spec) -> bool:
    """Whether indexed data is written with its index above: ``superscript = true`` makes
    y^{(i)} the i-th entry (the i-th example of ML texts), and y_i no entry."""
    if not isinstance(spec, dict) or "superscript" not in spec:
        return False
    if not isinstance(spec["superscript"], bool):
        raise FileFormatError("'superscript' is true or false",
                              file.at("indexed", latex, "superscript"))
    if spec["superscript"] and spec.get("indices", 1) != 1:
        raise FileFormatError("data written y^{(i)} takes one index",
                              file.at("indexed", latex, "superscript"))
    return spec["superscript"]


def _declare(file: _File, data: dict, scope: Scope) -> None:
    for kind in ("symbols", "indexed", "matrices", "functions"):
        if kind == "matrices":
            _declare_matrices(file, data, scope)
            continue
        for latex, spec in data.get(kind, {}).items():
            key_origin = file.keys.get((kind, latex), Origin(0, ""))
            position = file.position(key_origin.offset)
            spec_table = spec
            spec, origin, note = _declared(file, kind, latex, spec)
            if not isinstance(spec, str):
                raise FileFormatError("declare assumptions as a string, e.g. \"positive\"",
                                      file.position(origin.offset))
            words = parse_assumptions(spec, file.position(origin.offset))
            ref = _declared_name(file, latex, key_origin)
            if kind == "functions":
                _declare_function(file, scope, latex, ref, words, key_origin, note)
            elif not isinstance(ref, NameRef):
                raise FileFormatError(f"'{latex}' is not a name", position)
            elif kind == "symbols":
                _check_subscript(ref, position)
                scope.add_symbol(ref.key, words, position, base=ref.head_key,
                                 indexable=_indexable(ref), note=note)
            else:
                if ref.sub is not None:
                    raise FileFormatError(f"declare the indexed base without its index: "
                                          f"'{ref.head_key}'", position)
                scope.add_indexed(ref.head_key, words, position, note=note,
                                  indices=_indices(file, latex, spec_table),
                                  superscript=_superscript(file, latex, spec_table))
    for latex, spec in data.get("constants", {}).items():
        key_origin = file.keys.get(("constants", latex), Origin(0, ""))
        ref = _declared_name(file, latex, key_origin)
        value, origin, note = _declared(file, "constants", latex, spec)
        if not isinstance(ref, NameRef) or not isinstance(value, str):
            raise FileFormatError("a constant is declared as 'name' = 'LaTeX value', or "
                                  "'name' = { value = 'LaTeX value', note = \"...\" }",
                                  file.position(key_origin.offset))
        _check_subscript(ref, file.position(key_origin.offset))
        scope.add_constant(ref.key, _expression(file, value, origin, scope),
                           file.position(key_origin.offset), f"{latex} = {value}",
                           base=ref.head_key, indexable=_indexable(ref), note=note)
    for latex, bounds in data.get("domains", {}).items():
        key_origin = file.keys.get(("domains", latex), Origin(0, ""))
        position = file.position(key_origin.offset)
        ref = _declared_name(file, latex, key_origin)
        if not isinstance(ref, NameRef) or ref.key not in scope.symbols:
            raise FileFormatError(f"'{latex}' must be a declared symbol to have a domain",
                                  position)
        if isinstance(bounds, dict):
            _declare_values(file, scope, latex, scope.symbols[ref.key], bounds)
            continue
        origins = file.values.get(("domains", latex))
        if not (isinstance(bounds, list) and len(bounds) == 2
                and all(isinstance(b, str) for b in bounds)):
            raise FileFormatError("a domain is two LaTeX bounds, e.g. ['-\\infty', '\\infty'], "
                                  "or a table of values, e.g. { values = ['0', '1'] }",
                                  file.at("domains", latex))
        low, high = (_expression(file, b, o, scope) for b, o in zip(bounds, origins))
        if _empty(low, high):
            raise FileFormatError(f"the domain of '{latex}' is empty: its lower bound is not "
                                  "below its upper bound", file.at("domains", latex))
        scope.add_domain(scope.symbols[ref.key], low, high, latex)


def _declare_matrices(file: _File, data: dict, scope: Scope) -> None:
    """``[matrices]``: ``'\\mathbf{X}' = 'n \\times p'``, ``'I' = 'identity p'``, each
    dimension a declared positive integer symbol or a whole number."""
    for latex, spec in data.get("matrices", {}).items():
        key_origin = file.keys.get(("matrices", latex), Origin(0, ""))
        position = file.position(key_origin.offset)
        spec, origin, note = _declared(file, "matrices", latex, spec)
        if not isinstance(spec, str):
            raise FileFormatError("declare a matrix's shape as a string, e.g. "
                                  "'n \\times p', or 'identity p'", file.position(origin.offset))
        ref = _declared_name(file, latex, key_origin)
        if not isinstance(ref, NameRef):
            raise FileFormatError(f"'{latex}' is not a name", position)
        _check_subscript(ref, position)
        rows, cols, identity = _shape(file, spec, origin, scope)
        scope.add_matrix(ref.key, rows, cols, identity, position, base=ref.head_key,
                         latex=spec, note=note)


def _shape(file: _File, spec: str, origin: Origin, scope: Scope):
    """The rows, columns and identity flag of a shape text, each dimension checked."""
    text, identity = spec, False
    stripped = spec.lstrip()
    if stripped.startswith("identity"):
        identity = True
        text = " " * (len(spec) - len(stripped) + len("identity")) + stripped[len("identity"):]
    parts = text.split("\\times")
    if not (1 <= len(parts) <= 2) or (len(parts) == 1 and not identity):
        raise FileFormatError("a shape is 'rows \\times columns' (e.g. 'n \\times p', "
                              "'p \\times 1'), or 'identity n'", file.position(origin.offset))
    dims, offset = [], 0
    for part in parts:
        lead = len(part) - len(part.lstrip())
        where = Origin(origin.offset + offset + lead, origin.quote)
        dims.append(_dimension(file, part.strip(), where, scope))
        offset += len(part) + len("\\times")
    rows, cols = (dims * 2)[:2]
    if identity and rows != cols:
        raise FileFormatError("an identity matrix is square", file.position(origin.offset))
    return rows, cols, identity


def _dimension(file: _File, text: str, origin: Origin, scope: Scope):
    """One dimension: a whole number from 1, or a symbol declared a positive integer."""
    position = file.position(origin.offset)
    if not text:
        raise FileFormatError("a dimension is missing", position)
    value = _expression(file, text, origin, scope)
    if isinstance(value, sympy.Integer) and value >= 1:
        return value
    if isinstance(value, sympy.Symbol) and value.is_integer and value.is_positive:
        return value
    raise FileFormatError(f"the dimension '{text}' must be a whole number from 1 or a symbol "
                          "declared \"positive integer\" under [symbols]", position)


def _empty(low, high) -> bool:
    """Whether the declarations show the interval from ``low`` to ``high`` empty."""
    try:
        return bool(sympy.Ge(low, high) is sympy.true)
    except TypeError:   # a bound that is no real number
        return False


def _declare_values(file: _File, scope: Scope, latex: str, symbol, spec: dict) -> None:
    """A finite domain, ``'y' = { values = ['0', '1'] }``: numbers that the symbol's
    declared assumptions allow, each once."""
    path = ("domains", latex)
    _check_keys(file, spec, {"values", "note"}, path, f"the domain of '{latex}'")
    texts = spec.get("values")
    if not (isinstance(texts, list) and texts and all(isinstance(t, str) for t in texts)):
        raise FileFormatError("a finite domain is a list of values in LaTeX, e.g. "
                              "{ values = ['0', '1'] }", file.key_at(*path))
    note = spec.get("note", "")
    if not isinstance(note, str) or ("note" in spec and not note.strip()):
        raise FileFormatError("'note' must be a non-empty string: what the declaration means "
                              "in the article", file.at(*path, "note"))
    origins = (file.values.get(path) or {}).get("values") or [file.origin(*path)] * len(texts)
    values: list = []
    for text, origin in zip(texts, origins):
        value = _expression(file, text, origin, scope)
        where = file.position(origin.offset)
        if not (value.is_number and value.is_finite):
            raise FileFormatError(f"a value of '{latex}' must be a number", where)
        if not admits(symbol, value):
            raise FileFormatError(f"{text} is not a value that '{latex}' may take by its "
                                  "declared assumptions", where)
        if value in values:
            raise FileFormatError(f"{text} is listed twice", where)
        values.append(value)
    scope.add_values(symbol, tuple(values), latex, " ".join(note.split()))


def _check_subscript(ref: NameRef, position: Position) -> None:
    """A declared name's subscript is a name, a number or ``\\text{...}``: anything else
    (``x_{a b}``, ``x_{\\frac12}``) has no canonical spelling to look it up by."""
    if ref.sub is not None and ref.sub.key is None:
        raise FileFormatError("the subscript of a declared name must be a name, a number "
                              "or \\text{...}", position)


def _indexable(ref: NameRef) -> bool:
    """Whether ``ref``'s subscript has a value, so that it could also index data."""
    return ref.sub is not None and ref.sub.value is not None


def _declare_function(file: _File, scope: Scope, latex: str, ref, words, origin: Origin,
                      note: str = ""):
    position = file.position(origin.offset)
    if not isinstance(ref, CallRef):
        raise FileFormatError(f"declare a function with its arguments, e.g. '{latex}(x)'",
                              position)
    name = ref.name
    arguments = []
    for arg in ref.arguments:
        if not isinstance(arg, NameRef):
            raise FileFormatError("a function's declared arguments must be names", position)
        arguments.append(_lookup(scope, arg, file, origin))
    parameters = []
    if name.parameter is not None:
        if not isinstance(name.sub.value, NameRef):
            raise FileFormatError("a function's subscript must be a declared name", position)
        parameters.append(_lookup(scope, name.sub.value, file, origin))
    scope.add_function(name.head_key, arguments, ref.separators, parameters, words,
                       position, latex, note=note)


def _lookup(scope: Scope, ref: NameRef, file: _File, origin: Origin):
    if ref.key in scope.symbols:
        return scope.symbols[ref.key]
    if ref.key in scope.functions:
        return scope.function_reference(ref.key)
    if ref.key in scope.matrices and not scope.matrices[ref.key].is_Identity:
        return scope.matrices[ref.key]
    error = FileFormatError(f"undeclared name '{ref.key}' (declare it under [symbols] first)",
                            Position(line=ref.line, column=ref.column))
    raise file.inside(origin, error)


def _expression(file: _File, latex: str, origin: Origin, scope: Scope):
    try:
        return read_expression(latex, scope)
    except DeriveError as error:
        raise file.inside(origin, error) from None


# -- justifications --------------------------------------------------------------
@lru_cache(maxsize=1)
def _justification_parser() -> Lark:
    return build(Path(__file__).with_name("justification.lark"), "justification",
                 propagate_positions=True)


def _split_top(text: str) -> list[tuple[str, int]]:
    """Split ``a, b`` at commas outside braces and parentheses, keeping offsets."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append((text[start:i], start))
            start = i + 1
    parts.append((text[start:], start))
    return parts


def _justification(file: _File, text: str, origin: Origin, scope: Scope,
                   known_rules) -> Justification:
    position = file.position(origin.offset)
    try:
        tree = _justification_parser().parse(text)
    except UnexpectedInput as error:
        column = getattr(error, "column", 1)
        column = column if isinstance(column, int) and column > 0 else len(text) + 1
        bad = DeriveError("cannot read this justification; write e.g. "
                          "'solve (7) for p(\\epsilon)' or 'substitute (11) into (8)'",
                          Position(line=1, column=column))
        raise file.inside(origin, JustificationError(bad.message, bad.position)) from None
    rule = str(tree.children[0])
    if rule not in known_rules:
        raise JustificationError(
            f"unknown rule '{rule}' (known: {', '.join(sorted(known_rules))})", position)
    premises, targets, words, arguments = [], [], [], {}
    for clause in tree.children[1:]:
        kind = clause.data
        token = clause.children[0] if clause.children else None
        if kind in ("premise", "target"):
            tag = token.value.strip("() \t")
            (premises if kind == "premise" else targets).append((tag, token))
        elif kind == "word":
            words.append(token.value)
        elif kind in ("for_", "for_all", "wrt", "with_"):
            token = clause.children[-1]
            values = []
            for piece, offset in _split_top(token.value):
                sub = Origin(origin.offset + token.start_pos + offset, origin.quote)
                values.append(_expression(file, piece.strip(), _strip_origin(piece, sub),
                                          scope))
            arguments[kind.rstrip("_")] = tuple(values)
    return Justification(rule, tuple(t for t, _ in premises), tuple(t for t, _ in targets),
                         arguments, " ".join(words), text, position), premises + targets


def _strip_origin(piece: str, origin: Origin) -> Origin:
    lead = len(piece) - len(piece.lstrip())
    return Origin(origin.offset + lead, origin.quote)


# -- steps ------------------------------------------------------------------------
def _step(file: _File, table: dict, index: int, scope: Scope, seen: dict[str, int],
          known_rules) -> Step:
    path = ("step", index)
    _check_keys(file, table, STEP_KEYS, path, "a step")
    tag = _string(file, table, "tag", path + ("tag",), required=True).strip()
    if not TAG.fullmatch(tag):   # a tag is printed into \tag{} and the report as is
        raise FileFormatError(f"tag {tag!r} may only hold letters, digits and ' . - *",
                              file.at(*path, "tag"))
    if tag in seen:
        raise FileFormatError(f"duplicate tag ({tag}); it is first used by step {seen[tag]}",
                              file.at(*path, "tag"))
    latex = _string(file, table, "latex", path + ("latex",), required=True)
    origin = file.origin(*path, "latex")
    _require_literal(file, origin, "the LaTeX", path + ("latex",))
    try:
        formula = parse_formula(latex, scope)
    except DeriveError as error:
        raise file.inside(origin, error) from None
    if formula.tag is not None and formula.tag != tag:
        raise FileFormatError(f"the formula says \\tag{{{formula.tag}}} but the step's tag is "
                              f"'{tag}'", file.at(*path, "latex"))
    by = table.get("by")
    if by is None:
        raise FileFormatError("missing 'by' (the justification, e.g. 'given')",
                              file.key_at(*path))
    texts = [by] if isinstance(by, str) else by
    origins = file.values.get(path + ("by",))
    origins = [origins] if isinstance(origins, Origin) else (origins or [])
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise FileFormatError("'by' is a justification or a list of them, one per link",
                              file.at(*path, "by"))
    links = len(formula.links) or 1
    if len(texts) > 1 and len(texts) != links:
        raise FileFormatError(f"{len(texts)} justifications for {links} links; give one per "
                              "link, or a single one for all", file.at(*path, "by"))
    justifications = []
    for text, by_origin in zip(texts, origins):
        justification, refs = _justification(file, text, by_origin, scope, known_rules)
        for ref_tag, token in refs:
            if ref_tag not in seen:
                later = any(isinstance(t, dict) and str(t.get("tag", "")).strip() == ref_tag
                            for t in file.data.get("step", []))
                where = "comes later" if later else "does not exist"
                raise JustificationError(
                    f"premise ({ref_tag}) {where}",
                    file.position(by_origin.offset + token.start_pos))
        justifications.append(justification)
    corrects = _string(file, table, "corrects", path + ("corrects",)).strip() or None
    if corrects is not None and corrects not in seen:
        raise FileFormatError(f"'corrects' names ({corrects}), which is not an earlier step",
                              file.at(*path, "corrects"))
    expect = table.get("expect_failure")
    if expect is not None and (not isinstance(expect, str) or not expect.strip()):
        raise FileFormatError("'expect_failure' is the reason the printed step is wrong",
                              file.at(*path, "expect_failure"))
    seen[tag] = index + 1
    return Step(tag, latex, formula, tuple(justifications),
                prose=_string(file, table, "prose", path + ("prose",)),
                expect_failure=expect, corrects=corrects, position=file.key_at(*path))


# -- metadata -----------------------------------------------------------------------
def _source(file: _File, meta: dict) -> tuple[str, Source]:
    """``meta.source``: a string (a URL or a path), or a table of title, author, url, date
    and path; as a string for what reads it so, and as a citation."""
    value = meta.get("source")
    if value is None or isinstance(value, str):
        text = (value or "").strip()
        if URL.fullmatch(text):
            return text, Source(url=text)
        return text, Source(path=text)
    if not isinstance(value, dict):
        raise FileFormatError("'source' is a URL or a path, or a table { title, author, url, "
                              "date, path }", file.at("meta", "source"))
    path = ("meta", "source")
    _check_keys(file, value, SOURCE_KEYS, path, "[meta] source")
    fields = {}
    for key in SOURCE_KEYS:
        item = value.get(key, "")
        if key == "date" and hasattr(item, "isoformat"):
            item = item.isoformat()        # a bare TOML date
        if not isinstance(item, str):
            raise FileFormatError(f"source '{key}' must be a string", file.at(*path, key))
        fields[key] = " ".join(item.split())
    if fields["url"] and not URL.fullmatch(fields["url"]):
        raise FileFormatError("source 'url' must be an http:// or https:// address without "
                              "spaces, quotes, braces or backslashes", file.at(*path, "url"))
    if not (fields["title"] or fields["url"] or fields["path"]):
        raise FileFormatError("a source table needs a 'title', a 'url' or a 'path'",
                              file.at("meta", "source"))
    return fields["url"] or fields["path"], Source(**fields)
class _Text(_File):
    """A justification's text on its own, as ``derive suggest`` writes one."""

    def __init__(self, path: str, text: str):
        self.path, self.text, self.data = path, text, {}
        self.lines = text.splitlines()
        self.values, self.keys = {}, {}


def read_justification(text: str, scope: Scope, earlier, path: str = "<suggestion>"
                       ) -> Justification:
    """Read one justification exactly as the loader reads a step's ``by`` (for
    ``derive suggest``); its premises must be among the tags ``earlier``."""
    file = _Text(path, text)
    justification, refs = _justification(file, text, Origin(0, "'"), scope, _known_rules())
    for tag, token in refs:
        if tag not in earlier:
            raise JustificationError(f"premise ({tag}) is not an earlier step",
                                     file.position(token.start_pos))
    return justification


def _known_rules():
    from derive.rules import RULES
    return set(RULES)


def load(path: str | Path, known_rules=None) -> Document:
    """Read and check one derivation file."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FileFormatError(f"cannot read file: {error}", Position(path, 1, 1)) from None
    return loads(text, path, known_rules)


def loads(text: str, path: str = "<input>", known_rules=None) -> Document:
    """Read a derivation from its text (``path`` is used in messages)."""
    known_rules = _known_rules() if known_rules is None else known_rules
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        else:  # "(at end of document)": the last character of the file
            line = max(text.count("\n") + (0 if text.endswith("\n") else 1), 1)
            column = len(text.splitlines()[line - 1]) + 1 if text.strip() else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "",
                         message)
        lines = text.splitlines()
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        raise FileFormatError(f"invalid TOML: {message}",
                              Position(path, line, column, source)) from None
    file = _File(path, text, data)
    for key in data:
        if key not in TABLES:
            raise FileFormatError(f"unknown table '{key}' (allowed: {', '.join(sorted(TABLES))})",
                                  file.key_at(key))
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise FileFormatError("missing [meta] table with the article's title",
                              Position(path, 1, 1, text.splitlines()[0] if text else ""))
    _check_keys(file, meta, META_KEYS, ("meta",), "[meta]")
    scope = Scope()
    _declare(file, data, scope)
    steps_data = data.get("step", [])
    if not isinstance(steps_data, list) or not steps_data:
        raise FileFormatError("no [[step]] tables: a derivation needs at least one step",
                              Position(path, 1, 1, text.splitlines()[0] if text else ""))
    seen: dict[str, int] = {}
    steps = [_step(file, table, i, scope, seen, known_rules) for i, table in enumerate(steps_data)]
    epilogue = data.get("epilogue", {})
    source, citation = _source(file, meta)
    tags = meta.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise FileFormatError("'tags' is a list of strings", file.at("meta", "tags"))
    return Document(
        path=path,
        title=_string(file, meta, "title", ("meta", "title"), required=True),
        scope=scope,
        steps=steps,
        source=source,
        citation=citation,
        language=_string(file, meta, "language", ("meta", "language")) or "en",
        author=_string(file, meta, "author", ("meta", "author")),
        date=str(meta.get("date", "")),
        tags=tuple(tags),
        epilogue=epilogue.get("prose", "") if isinstance(epilogue, dict) else "",
        declarations=_declarations_text(data),
    )


def _declarations_text(data: dict) -> str:
    """The declaration tables as read, in order, as one JSON text (what a cached verdict
    is keyed on: every name's meaning comes from these)."""
    tables = {name: data.get(name) for name in DECLARATION_TABLES}
    return json.dumps(tables, ensure_ascii=False, default=str)
