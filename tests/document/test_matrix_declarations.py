"""[matrices]: each matrix or vector with its shape, every dimension a declared positive
integer or a whole number; a bad declaration is refused at its place."""

from __future__ import annotations

import pytest
import sympy

from derive.document.loader import loads
from derive.errors import DeriveError

HEAD = """\
[meta]
title = "t"

[symbols]
'n' = "positive integer"
'p' = "positive integer"
'x' = "real"

[matrices]
"""
# [matrices] is line 9; its first declaration is line 10.
STEP = "\n[[step]]\ntag = \"1\"\nlatex = '1 = 1'\nby = \"definition\"\n"


def scope_of(declarations: str):
    return loads(HEAD + declarations + STEP, "m.toml", known_rules={"definition"}).scope


def refused(declarations: str) -> DeriveError:
    with pytest.raises(DeriveError) as caught:
        scope_of(declarations)
    return caught.value


def test_shapes_become_matrix_symbols_and_the_identity():
    scope = scope_of("'\\mathbf{X}' = 'n \\times p'\n'\\mathbf{w}' = 'p \\times 1'\n"
                     "'I' = 'identity p'\n'M' = { shape = '2 \\times 2', note = \"a rotation\" }\n")
    n, p = scope.symbols["n"], scope.symbols["p"]
    assert scope.matrices[r"\mathbf{X}"].shape == (n, p)
    assert scope.matrices[r"\mathbf{w}"].shape == (p, 1)
    assert scope.matrices["I"] == sympy.Identity(p)
    assert scope.matrices["M"].shape == (2, 2)
    assert any(d.note == "a rotation" for d in scope.declarations)


@pytest.mark.parametrize("declaration, message, column", [
    ("'A' = 'x \\times p'", "must be a whole number from 1 or a symbol declared", 8),
    ("'A' = 'n \\times 0'", "must be a whole number from 1", 17),
    ("'A' = 'n \\times q'", "undeclared name 'q'", 17),
    ("'A' = 'n p'", "a shape is 'rows \\times columns'", 8),
    ("'A' = 'n \\times p \\times n'", "a shape is", 8),
    ("'I' = 'identity n \\times p'", "an identity matrix is square", 8),
    ("'x' = 'n \\times 1'", "declared twice", 2),
    ("'A' = 3", "declare a matrix's shape as a string", 7),
    ("'A' = { shape = 'n \\times p', size = 2 }", "unknown key 'size'", 38),
])
def test_a_bad_declaration_is_refused_at_its_place(declaration, message, column):
    error = refused(declaration + "\n")
    assert message in error.message
    assert (error.position.line, error.position.column) == (10, column)


def test_a_matrix_is_a_function_argument():
    scope = scope_of("'\\mathbf{w}' = 'p \\times 1'\n[functions]\n'E(\\mathbf{w})' = \"real\"\n")
    (sig,) = scope.functions["E"]
    assert sig.arguments == (scope.matrices[r"\mathbf{w}"],)
