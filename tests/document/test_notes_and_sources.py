"""Notes on declarations and ``meta.source`` as a citation: read when well formed,
refused at their place when not."""

from __future__ import annotations

import pytest

from derive.document.loader import loads
from derive.document.model import Source
from derive.errors import FileFormatError

RULES = {"given"}


def document(meta="", symbol='"real"', constant="'1'"):
    text = (f'[meta]\ntitle = "t"\n{meta}\n[symbols]\n\'x\' = {symbol}\n'
            f"[constants]\n'I' = {constant}\n"
            "[[step]]\ntag = \"1\"\nlatex = 'x = I'\nby = \"given\"\n")
    return loads(text, "t.toml", known_rules=RULES), text.splitlines()


def refused(**parts):
    with pytest.raises(FileFormatError) as caught:
        document(**parts)
    error = caught.value
    lines = document_lines(**parts)
    return error, lines[error.position.line - 1][error.position.column - 1:]


def document_lines(meta="", symbol='"real"', constant="'1'"):
    return (f'[meta]\ntitle = "t"\n{meta}\n[symbols]\n\'x\' = {symbol}\n'
            f"[constants]\n'I' = {constant}\n").splitlines()


def notes(doc):
    return {d.latex: d.note for d in doc.scope.declarations}


def test_a_declaration_may_carry_a_note():
    doc, _ = document(symbol='{ assumptions = "real", note = "the input" }',
                      constant="{ value = '1', note = \"the 1 x 1   identity\" }")
    assert notes(doc) == {"x": "the input", "I": "the 1 x 1 identity"}
    assert doc.scope.constants["I"] == 1
    assert doc.scope.symbols["x"].is_real


def test_a_declaration_without_a_note_reads_as_before():
    doc, _ = document()
    assert notes(doc) == {"x": "", "I": ""}


@pytest.mark.parametrize("parts, message, at", [
    (dict(symbol='{ assumptions = "real", note = 3 }'), "'note' must be a non-empty", "3 }"),
    (dict(symbol='{ assumptions = "real", note = " " }'), "'note' must be a non-empty", ' " }'),
    (dict(symbol='{ assumption = "real" }'), "unknown key 'assumption'", 'real" }'),
    (dict(constant="{ note = 'x' }"), "missing 'value' in the declaration of 'I'", "I' = "),
    (dict(constant="{ value = 1 }"), "a constant is declared as", "I' = "),
])
def test_a_malformed_note_is_refused_at_its_place(parts, message, at):
    error, there = refused(**parts)
    assert message in error.message
    assert there.startswith(at), there


def test_a_string_source_is_a_path_or_a_url():
    doc, _ = document('source = "../shared/seed/article.txt"')
    assert doc.source == "../shared/seed/article.txt"
    assert doc.citation == Source(path="../shared/seed/article.txt")
    doc, _ = document('source = "https://example.org/a"')
    assert doc.citation == Source(url="https://example.org/a")


def test_a_source_table_is_a_citation():
    doc, _ = document('source = { title = "T", author = "A", url = "https://e.org/a#b", '
                      'date = 2025-12-09, path = "../a.txt" }')
    assert doc.citation == Source("T", "A", "https://e.org/a#b", "2025-12-09", "../a.txt")
    assert doc.source == "https://e.org/a#b"


def test_a_source_table_under_its_own_header():
    doc, _ = document('[meta.source]\ntitle = "T"\npath = "../a.txt"')
    assert doc.citation == Source(title="T", path="../a.txt")
    assert doc.source == "../a.txt"


@pytest.mark.parametrize("meta, message, at", [
    ('source = 3', "'source' is a URL or a path, or a table", "3"),
    ('source = { title = 3 }', "source 'title' must be a string", "3 }"),
    ('source = { titel = "T" }', "unknown key 'titel'", 'T" }'),
    ('source = { author = "A" }', "needs a 'title', a 'url' or a 'path'", "source = "),
    ('source = { title = "T", url = "javascript:alert(1)" }', "http:// or https://",
     'javascript:'),
    ('source = { title = "T", url = "https://e.org/a b" }', "http:// or https://", "https:"),
    ('source = { title = "T", url = "https://e.org/}\\\\input" }', "http:// or https://",
     "https"),
    ('[meta.source]\ntitle = "T"\nurl = "https://e.org/<x>"', "http:// or https://", "https:"),
])
def test_a_malformed_source_is_refused_at_its_place(meta, message, at):
    error, there = refused(meta=meta)
    assert message in error.message
    assert there.startswith(at), there
