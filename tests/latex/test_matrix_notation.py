"""Matrices in formulas: X^T refused where T is also a declared name, and the printer
writes matrix expressions back in a form the grammar reads as the same matrix."""

from __future__ import annotations

import pytest

from derive.check.matrices import symbolic
from derive.document.loader import loads
from derive.errors import LatexSyntaxError
from derive.latex.parser import parse_formula, read_expression
from derive.latex.printer import latex

DECLARED = r"""
[meta]
title = "m"

[symbols]
'n' = "positive integer"
'p' = "positive integer"
'a' = "real"
'b' = "real"
'\lambda' = "positive"

[matrices]
'\mathbf{X}' = 'n \times p'
'\mathbf{y}' = 'n \times 1'
'\mathbf{w}' = 'p \times 1'
'A' = 'p \times p'
'B' = 'p \times p'
'I' = 'identity p'

[[step]]
tag = "1"
latex = '1 = 1'
by = "definition"
"""


def scope(extra: str = ""):
    text = DECLARED.replace("[matrices]", extra + "\n[matrices]")
    return loads(text, "m.toml", known_rules={"definition"}).scope


def test_x_to_the_t_is_a_transpose_unless_t_is_declared():
    assert read_expression(r"A^T B", scope()) == read_expression(r"A^\top B", scope())
    with pytest.raises(LatexSyntaxError) as caught:
        parse_formula(r"A^T B = B", scope("'T' = \"real\""))
    assert "ambiguous" in caught.value.message and caught.value.position.column == 3
    assert read_expression(r"A^\top B", scope("'T' = \"real\"")) == \
        read_expression(r"A^\top B", scope())


@pytest.mark.parametrize("text", [
    r"(\mathbf{X}^\top \mathbf{X})^{-1} \mathbf{X}^\top \mathbf{y}",
    r"\left(\mathbf{X}^\top \mathbf{X} + \lambda I\right)^{-1} \mathbf{X}^\top \mathbf{y}",
    r"\|\mathbf{y} - \mathbf{X}\mathbf{w}\|^2",
    r"\nabla_{\mathbf{w}} \|\mathbf{y} - \mathbf{X}\mathbf{w}\|^2",
    r"\det(A B) + \operatorname{tr}(A)",
    r"\begin{pmatrix} a & b \\ b & a \end{pmatrix}",
    r"-2 \mathbf{X}^\top (\mathbf{y} - \mathbf{X}\mathbf{w})",
    r"A^2 B^{-1}",
    r"\mathbf{w}^\top \mathbf{w} + \lambda",
])
def test_printed_matrices_read_back_as_the_same_matrix(text):
    declared = scope()
    expr = read_expression(text, declared)
    again = read_expression(latex(expr, declared), declared)
    assert again == expr or symbolic(again, expr)


def test_a_shape_mismatch_in_a_file_points_into_the_formula():
    text = DECLARED + "\n[[step]]\ntag = \"2\"\nlatex = 'A = \\mathbf{w} \\mathbf{X}'\n" \
        "by = \"definition\"\n"
    with pytest.raises(LatexSyntaxError) as caught:
        loads(text, "m.toml", known_rules={"definition"})
    assert "columns of the first (1)" in caught.value.message
    assert str(caught.value.position).startswith("m.toml:") and \
        caught.value.position.column == 14
