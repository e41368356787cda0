"""Pathological formulas get a clean error, never a RecursionError traceback; common
mistakes get a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.document.loader import load
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


@pytest.mark.parametrize("text, message, column", [
    ("e^{x} = 1", r"undeclared name 'e' (for Euler's number write \exp(x)", 1),
    (r"x = d x", r"a derivative is written \frac{d f}{d x} or \frac{\partial f}{\partial x}", 5),
    (r"x = \text{foo}", r"\text{...} is only allowed in a subscript", 5),
])
def test_common_mistakes_get_a_hint(text, message, column):
    scope = load(Path(__file__).resolve().parents[2] / "docs" / "example.toml").scope
    with pytest.raises(LatexSyntaxError) as caught:
        parse_formula(text, scope)
    assert message in caught.value.message
    assert caught.value.position.column == column
