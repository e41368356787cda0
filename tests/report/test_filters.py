"""The report's filters: escaping, the math allow-list, Markdown blocks."""

import pytest

from derive.report.filters import (
    math_is_safe, md_code, prose_blocks, tex_escape, tex_inline, tex_tag)


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


@pytest.mark.parametrize("latex", [
    r"\hat{x}", r"p(x|z; \theta)", r"\mathcal{D} = \{(x_n, z_n)\}_{n=1}^{N}",
    r"p_{\text{data}}(x, z): z \to f^{\ast}(z)=x",
    r"\log\left(\frac{1}{\sqrt{2\pi \sigma^2}}\right)", r"\epsilon \sim \mathcal{N}(0, \sigma^2)",
    r"\mathbb{E}[\epsilon^2] = \sigma^2", r"x^{a}_b", r"\sqrt[3]{x}", r"\sigma^2 I",
])
def test_harmless_math_is_kept(latex):
    assert math_is_safe(latex)


@pytest.mark.parametrize("latex", [
    r"\input{/etc/passwd}", r"\def\x{1}", r"\write18{ls}", r"\csname input\endcsname",
    "{", "}{", r"\left(", r"\right)", r"\left( x }", "x^a^b", "x_", r"\frac{a}", "#1",
    "a & b", "50%", r"\text{a_b}", r"\text{\input{x}}", "^^5cinput", r"\catcode`\^=7", " ",
    r"\mathbb{\input{x}}", r"\sqrt[3{x}",
])
def test_dangerous_or_broken_math_is_refused(latex):
    assert not math_is_safe(latex)


def test_inline_markdown_to_latex():
    assert tex_inline(r"**bold $\hat{x}$** and $\sigma^2$") == \
        r"\textbf{bold $\hat{x}$} and $\sigma^2$"
    assert tex_inline(r"$\input{/etc/passwd}$") == \
        r"\$\textbackslash{}input\{/etc/passwd\}\$"
    assert tex_inline("**unpaired") == "**unpaired"
    assert tex_inline(r"costs \$5 and \$6") == r"costs \$5 and \$6"
    assert tex_inline("`a_b`") == r"\texttt{a\_b}"


def test_prose_blocks():
    blocks = prose_blocks("Intro line\n## Heading\ntext\n1. one\n2. two $x$\n\n"
                          "- a\n- b\n\n> quoted\n> more\n\nlast")
    assert [b.kind for b in blocks] == [
        "paragraph", "heading", "paragraph", "ordered", "bulleted", "quote", "paragraph"]
    assert blocks[1].level == 2 and blocks[1].text == "Heading"
    assert blocks[3].items == ["one", "two $x$"]
    assert blocks[5].children[0].text == "quoted\nmore"


def test_tags_and_code_spans():
    assert tex_tag("6'") == r"6\ensuremath{'}"
    assert md_code("a`b") == "``a`b``"


@pytest.mark.parametrize("reason, md, tex", [
    ("the sign flips", "the sign flips", "the sign flips"),
    (r"gives \exp\left(x\right)", r"`gives \exp\left(x\right)`",
     r"\texttt{gives \textbackslash{}exp\textbackslash{}left(x\textbackslash{}right)}"),
    (r"gives $\exp(x)$ at 1_000", r"gives $\exp(x)$ at 1_000", r"gives $\exp(x)$ at 1\_000"),
])
def test_reasons(reason, md, tex):
    from derive.report.filters import md_reason, tex_reason
    assert md_reason(reason) == md
    assert tex_reason(reason) == tex
