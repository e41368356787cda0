"""Lark's parser cache: one file per grammar text, so that checkouts with different
grammars (worktrees, versions) never rebuild over one another's file."""

from __future__ import annotations

from derive import grammars


def _write(folder, text):
    grammar = folder / "g.lark"
    grammar.write_text(text, encoding="utf-8")
    return grammar


def test_each_grammar_text_has_its_own_cache_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "src"
    source.mkdir()
    first = grammars.build(_write(source, 'start: "a"\n'), "g")
    assert first.parse("a")
    second = grammars.build(_write(source, 'start: "b"\n'), "g")
    assert second.parse("b")
    files = sorted((tmp_path / "cache" / "derive").glob("g-*.lark-cache"))
    assert len(files) == 2
    again = grammars.build(_write(source, 'start: "a"\n'), "g")
    assert again.parse("a")
    assert sorted((tmp_path / "cache" / "derive").glob("g-*.lark-cache")) == files


def test_an_imported_grammar_changes_the_fingerprint(tmp_path):
    grammar = _write(tmp_path, 'start: WORD\n%import words.WORD\n')
    (tmp_path / "words.lark").write_text('WORD: "x"\n', encoding="utf-8")
    before = grammars._fingerprint(grammar)
    (tmp_path / "words.lark").write_text('WORD: "y"\n', encoding="utf-8")
    assert grammars._fingerprint(grammar) != before
