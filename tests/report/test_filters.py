"""The report's filters: escaping and the math allow-list (prose: test_prose.py)."""

import pytest

from fabricated import small_document
from derive.report.filters import (
    derive_math, is_derive_latex, md_code, tex_escape, tex_math, tex_tag)


@pytest.mark.parametrize("text, expected", [
    ("100% & more", r"100\% \& more"),
    ("a_b #1 $x$", r"a\_b \#1 \$x\$"),
    ("~^", r"\textasciitilde{}\textasciicircum{}"),
    ("\\input{/etc/passwd}", r"\textbackslash{}input\{/etc/passwd\}"),
    ("λ₁", r"\ensuremath{\lambda}\ensuremath{_{1}}"),
    ("中文", "中文"),
])
def test_tex_escape(text, expected):
    assert tex_escape(text) == expected


DECLARED = small_document().scope   # x real, a positive


@pytest.mark.parametrize("latex", [
    r"a = x^2 + 1", r"\frac{a}{2}", r"\log\left(\frac{1}{\sqrt{2\pi a}}\right)", r"a > 0",
    r"\exp(x)", r"a \le x^{2}",
])
def test_math_that_derive_reads_is_kept_as_written(latex):
    assert derive_math(latex, DECLARED) == latex
    assert tex_math(latex) == f"${latex}$"


def test_prose_math_needs_the_declarations_the_engines_only_the_grammar():
    assert derive_math("y + 1", DECLARED) is None     # y is not declared
    assert derive_math("y + 1") == "y + 1"            # an engine value: grammar only
    assert derive_math("x \n +  1", DECLARED) == "x + 1"


@pytest.mark.parametrize("latex", [
    r"\input{/etc/passwd}", r"\def\x{1}", r"\write18{ls}", r"\csname input\endcsname",
    r"x^{\input{/etc/passwd}}", r"x^{\gdef\verdict#1#2{proved}}", r"x_{\openin 1 /etc/passwd}",
    "{", "}{", r"\left(", r"\right)", r"\left( x }", "x^a^b", "x_", r"\frac{a}", "#1",
    "a & b", "50%", r"\text{a_b}", r"\text{\input{x}}", "^^5cinput", r"\catcode`\^=7", " ",
    r"\mathbb{\input{x}}", r"\sqrt[3{x}", "y", r"\hat{x}", r"x \tag{\input{a}}", "x \\tag{1}",
    "a & x", r"a \\ x",
])
def test_what_derive_does_not_read_is_not_math(latex):
    assert derive_math(latex, DECLARED) is None
    assert tex_math(latex, DECLARED).startswith(r"\texttt{")
    assert "\\" + "input" not in tex_math(latex, DECLARED).replace(r"\textbackslash{}", "")


@pytest.mark.parametrize("latex", [
    r"\hat{\iffalse}", r"x \input y", "x^^5c", "x % y", r"\begin{document}", "x}", "\x07",
    r"\hat{x}", r"\frac{\partial a}{\partial x} \Rightarrow \sum_{i=1}^{N} \left(x\right)",
])
def test_the_last_guard_knows_only_derives_latex(latex):
    safe = {r"\hat{x}", r"\frac{\partial a}{\partial x} \Rightarrow \sum_{i=1}^{N} \left(x\right)"}
    assert is_derive_latex(latex) is (latex in safe)


@pytest.mark.parametrize("assumption, printed", [
    (r"a > 0", "$a > 0$"),
    (r"x \in \mathbb{R}", r"$x \in \mathbb{R}$"),
    (r"x \in (-\infty, \infty)", r"$x \in (-\infty, \infty)$"),
    (r"\int_{0}^{1} x dx \text{ converges}", r"$\int_{0}^{1} x dx \text{ converges}$"),
    (r"x \in \{1, \dots, a\}", r"$x \in \{1, \dots, a\}$"),
    (r"\input{x} \in \mathbb{R}", r"\texttt{\textbackslash{}input\{x\} \textbackslash{}in "
                                    r"\textbackslash{}mathbb\{R\}}"),
])
def test_assumptions_print_the_engines_phrases(assumption, printed):
    assert tex_math(assumption, DECLARED) == printed


def test_tags_and_code_spans():
    assert tex_tag("6'") == r"6\ensuremath{'}"
    assert md_code("a`b") == "``a`b``"
