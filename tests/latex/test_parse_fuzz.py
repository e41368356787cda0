"""Whatever text reaches the parser, the only exception is a DeriveError, and
no text is ever evaluated as Python."""

from __future__ import annotations

import builtins

import pytest
import sympy
import sympy.parsing.sympy_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.document.loader import loads
from derive.errors import DeriveError
from derive.latex.parser import parse_declaration, read_expression, parse_formula

from tests.conftest import ARTICLE_RULES

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

TOKENS = [
    r"\frac", r"\sqrt", "^", "_", "{", "}", "(", ")", "[", "]", r"\left(", r"\right)",
    r"\left[", r"\right]", r"\left|", r"\right|", r"\sum", r"\prod", r"\int", r"\arg\min",
    r"\arg\max", r"\max", r"\min", r"\mathcal{N}", r"\mathcal{L}", r"\mathbb{E}", "p", "f",
    "g", "h", "x", "y", "z", "d", "w", "i", "n", "q", r"\theta", r"\ast", "*", "'",
    r"\hat{x}", r"\epsilon", r"\sigma", r"\lambda_0", r"\delta", r"\partial", r"\cdot",
    r"\times", "/", "+", "-", "=", "<", r"\le", r"\to", r"\xrightarrow", r"\infty", r"\pi",
    r"\Rightarrow", r"\text{s.t.}", r"\text{total}", ",", ";", "|", r"\mid", "&", "\\\\",
    r"\begin{aligned}", r"\end{aligned}", r"\tag{1}", r"\quad", "0", "1", "2", "12", "3.5",
    r"\exp", r"\log", r"\ln", " ", "\n", r"d\epsilon", "dx", r"\mathrm{d}", r"\foo", r"\sim",
    "I", r"\{", r"\}", "%", "#", "$",
]

latex_soup = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)
mixed = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=15).map("".join)


def only_derive_errors(parse, text):
    try:
        parse(text)
    except DeriveError as error:
        assert error.message
        assert error.position.line >= 1 and error.position.column >= 1
        error.show()


@FUZZ
@given(st.text())
def test_random_unicode_gives_only_derive_errors(notation_scope, text):
    only_derive_errors(lambda t: parse_formula(t, notation_scope), text)


@FUZZ
@given(latex_soup)
def test_random_latex_tokens_give_only_derive_errors(notation_scope, text):
    only_derive_errors(lambda t: parse_formula(t, notation_scope), text)


@FUZZ
@given(mixed)
def test_tokens_mixed_with_unicode_give_only_derive_errors(mse_article, text):
    only_derive_errors(lambda t: parse_formula(t, mse_article.scope), text)


@FUZZ
@given(latex_soup)
def test_expressions_and_declarations_give_only_derive_errors(notation_scope, text):
    only_derive_errors(lambda t: read_expression(t, notation_scope), text)
    only_derive_errors(parse_declaration, text)


@settings(FUZZ, max_examples=80)   # each example loads the whole article
@given(st.integers(0, 10_000), st.integers(0, 4), st.sampled_from(TOKENS + ["'", '"', "'''"]))
def test_damaged_article_gives_only_derive_errors(mse_article, at, delete, insert):
    text = open(mse_article.path, encoding="utf-8").read()
    at %= len(text)
    damaged = text[:at] + insert + text[at + delete:]
    only_derive_errors(lambda t: loads(t, "damaged.toml", ARTICLE_RULES), damaged)


# -- nothing is evaluated ------------------------------------------------------------
def payload(marker):
    return f"__import__('os').system('touch {marker}')"


def test_python_in_a_formula_is_not_run(notation_scope, tmp_path):
    marker = tmp_path / "pwned"
    for parse in (parse_formula, read_expression):
        with pytest.raises(DeriveError):
            parse(payload(marker), notation_scope)
    with pytest.raises(DeriveError):
        parse_declaration(payload(marker))
    assert not marker.exists()


DECLARATION_PLACES = {
    "symbol": "[symbols]\n'{p}' = \"real\"\n",
    "function": "[functions]\n'{p}' = \"real\"\n",
    "indexed": "[indexed]\n'{p}' = \"real\"\n",
    "assumption": "[symbols]\n'x' = \"{p}\"\n",
    "constant": "[constants]\n'c' = '{p}'\n",
    "domain": "[symbols]\n'x' = \"real\"\n[domains]\n'x' = ['{p}', '1']\n",
}


@pytest.mark.parametrize("place", sorted(DECLARATION_PLACES))
def test_python_in_a_declaration_is_not_run(tmp_path, place):
    marker = tmp_path / "pwned"
    text = ('[meta]\ntitle = "t"\n' + DECLARATION_PLACES[place].replace("{p}", payload(marker))
            + "[[step]]\ntag = \"1\"\nlatex = '1 = 1'\nby = \"definition\"\n")
    with pytest.raises(DeriveError):
        loads(text, "evil.toml", {"definition"})
    assert not marker.exists()


@pytest.mark.parametrize("field", ["latex", "by"])
def test_python_in_a_step_is_not_run(tmp_path, field):
    marker = tmp_path / "pwned"
    latex = payload(marker) if field == "latex" else "1 = 1"
    by = f"solve for {payload(marker)}" if field == "by" else "definition"
    text = (f'[meta]\ntitle = "t"\n[[step]]\ntag = "1"\nlatex = \'{latex}\'\n'
            f'by = """{by}"""\n')
    with pytest.raises(DeriveError):
        loads(text, "evil.toml", {"definition", "solve"})
    assert not marker.exists()


def test_loading_the_article_never_evaluates_text(mse_article, monkeypatch):
    """With eval, exec and SymPy's string parser disabled, the article still loads."""
    assert sympy.sympify("1 + 1") == 2   # the patch below does catch string parsing...

    def forbidden(*args, **kwargs):
        raise AssertionError(f"text was evaluated: {args[:1]!r}")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    # sympify(str) goes through sympy_parser.parse_expr, imported when called
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", forbidden)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "eval_expr", forbidden)
    with pytest.raises(AssertionError, match="evaluated"):
        sympy.sympify("1 + 1")          # ...as this shows
    text = open(mse_article.path, encoding="utf-8").read()
    document = loads(text, mse_article.path, ARTICLE_RULES)
    assert [s.formula for s in document.steps] == [s.formula for s in mse_article.steps]
