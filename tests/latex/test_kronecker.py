"""``\\delta_{k j}`` with ``\\delta`` declared as nothing is the Kronecker delta, the
entries of the identity matrix; with ``\\delta`` declared, or with another number of
indices, it is no delta."""

from __future__ import annotations

import textwrap

import pytest
import sympy

from derive.document.loader import loads
from derive.errors import LatexSyntaxError
from derive.latex.parser import read_expression

HEADER = textwrap.dedent('''
    [meta]
    title = "t"
    [symbols]
    'k' = "positive integer"
    'j' = "positive integer"
    {extra}
    [[step]]
    tag = "1"
    latex = 'k = k'
    by = "definition"
''')


def scope(extra: str = ""):
    return loads(HEADER.format(extra=extra), "t.toml", known_rules={"definition"}).scope


def test_delta_with_two_indices_is_the_kronecker_delta():
    s = scope()
    k, j = s.symbols["k"], s.symbols["j"]
    assert read_expression(r"\delta_{k j}", s) == sympy.KroneckerDelta(k, j)
    assert read_expression(r"\delta_{k k}", s) == 1


def test_delta_with_one_index_is_refused():
    with pytest.raises(LatexSyntaxError):
        read_expression(r"\delta_{k}", scope())


def test_a_declared_delta_is_never_read_as_the_kronecker_delta():
    s = scope(r"'\delta' = " + '"real"')
    with pytest.raises(LatexSyntaxError):
        read_expression(r"\delta_{k j}", s)
