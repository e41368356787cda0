"""Pathological formulas get a clean error, never a RecursionError traceback."""

from __future__ import annotations

import pytest

from derive.errors import LatexSyntaxError
from derive.latex.parser import MAX_DEPTH, parse_formula
from derive.latex.scope import Scope


def test_deep_nesting_is_refused_at_the_brace_past_the_limit():
    text = "{" * (MAX_DEPTH + 5) + "x" + "}" * (MAX_DEPTH + 5)
    with pytest.raises(LatexSyntaxError) as caught:
        parse_formula(text, Scope())
    assert f"nested more than {MAX_DEPTH} levels" in caught.value.message
    assert caught.value.position.column == MAX_DEPTH + 1


@pytest.mark.parametrize("text", ["x" + "+x" * 3000, "-" * 3000 + "x"])
def test_very_long_formulas_are_a_clean_error(text):
    with pytest.raises(LatexSyntaxError) as caught:
        parse_formula(text, Scope())
    assert "too long or nested too deeply" in caught.value.message
