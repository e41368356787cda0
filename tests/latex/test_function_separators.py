"""A function name declared twice with the same number of arguments but other
separators, the joint p(x, z) beside the posterior p(z | x): two functions."""

from __future__ import annotations

import textwrap

import pytest

from derive.document.loader import loads
from derive.errors import LatexSyntaxError
from derive.latex.parser import read_expression
from derive.latex.printer import latex

DECLARATIONS = textwrap.dedent('''
    [meta]
    title = "t"
    [symbols]
    'x' = "real"
    'z' = "real"
    [functions]
    'p(x, z)' = "positive"
    'p(z | x)' = "positive"
    'p(x)' = "positive"
    [[step]]
    tag = "1"
    latex = 'x = x'
    by = "definition"
''')


@pytest.fixture
def scope():
    return loads(DECLARATIONS, "t.toml", known_rules={"definition"}).scope


def test_the_joint_and_the_posterior_are_two_functions(scope):
    joint = read_expression("p(x, z)", scope)
    posterior = read_expression("p(z | x)", scope)
    assert joint.func != posterior.func
    assert joint != read_expression("p(z, x)", scope)
    assert read_expression(r"p(z \mid x)", scope) == posterior


def test_each_prints_with_its_own_separator(scope):
    assert "mid" in latex(read_expression("p(z | x)", scope), scope)
    assert "mid" not in latex(read_expression("p(x, z)", scope), scope)


def test_a_third_separator_is_refused_at_its_place(scope):
    with pytest.raises(LatexSyntaxError) as caught:
        read_expression("p(x; z)", scope)
    assert "separators" in caught.value.message
    assert (caught.value.position.line, caught.value.position.column) == (1, 1)


def test_the_same_declaration_twice_is_still_refused():
    text = DECLARATIONS.replace("'p(x)' = \"positive\"", "'p(z, x)' = \"positive\"")
    with pytest.raises(LatexSyntaxError) as caught:
        loads(text, "t.toml", known_rules={"definition"})
    assert "declared twice with 2 arguments" in caught.value.message
