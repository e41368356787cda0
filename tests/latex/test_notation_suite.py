"""The notation suite (tests/latex/notation/*.toml): every formula is read as its entry
expects, or refused with the expected message at the expected column; none is read
silently otherwise."""

from __future__ import annotations

import pytest

from derive.errors import LatexSyntaxError
from derive.latex.parser import parse_formula
from tests.latex.notation.suite import BuildError, build, coverage, load_suite, reading, _names

ENTRIES = load_suite()


@pytest.mark.parametrize("entry, scope", ENTRIES, ids=[e.id for e, _ in ENTRIES])
def test_formula_reads_as_expected_or_is_refused_where_expected(entry, scope):
    if entry.refuse is not None:
        with pytest.raises(LatexSyntaxError) as caught:
            parse_formula(entry.latex, scope)
        assert entry.refuse in caught.value.message
        assert (caught.value.position.line, caught.value.position.column) == (1, entry.column)
    else:
        got = reading(parse_formula(entry.latex, scope))
        assert got == build(entry.expect, _names(scope))


def test_the_suite_is_large_and_nothing_is_silently_different():
    counts = coverage(ENTRIES)
    assert len(ENTRIES) >= 300
    assert counts["different"] == 0
    categories = {entry.category for entry, _ in ENTRIES}
    assert {"derivatives", "integrals", "functions", "bars", "names", "documents"} <= categories


def test_every_entry_says_either_what_it_reads_as_or_why_it_is_refused():
    for entry, _ in ENTRIES:
        assert (entry.expect is None) != (entry.refuse is None), entry.id
        assert entry.refuse is None or entry.column is not None, entry.id


@pytest.mark.parametrize("text", ["__import__('os')", "x.__class__", "open('f')", "lambda: 1",
                                  "[x for x in y]", "1.5"])
def test_expected_readings_are_built_from_constructors_only(text):
    with pytest.raises(BuildError):
        build(text, {"x": 1, "y": 2})
