"""Prose read by markdown-it and written as Markdown, LaTeX and HTML: structure kept,
math only as derive reads it, no HTML, link or image from the file in any target."""

import pytest

from fabricated import small_document
from derive.report.prose import (
    html_reason, md_reason, parse_prose, prose_html, prose_latex, prose_markdown,
    tex_reason)

DECLARED = small_document().scope   # x real, a positive

BLOCKS = ("Intro line\n## Heading $x$\ntext\n1. one\n2. two $x$\n\n"
          "- a\n- b\n\n> quoted\n> more\n\nlast")


def kinds(markdown: str) -> list[str]:
    """The top-level block types of Markdown, as the prose parser reads it."""
    return [node.type for node in parse_prose(markdown).children]


def inline_tokens(markdown: str) -> list[tuple[str, str]]:
    """Every inline token (type, content) of Markdown, in order, text joined."""
    out = []
    for token in parse_prose(markdown).walk():
        if token.type in ("text", "math_inline", "code_inline", "math_block"):
            if out and token.type == "text" and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + token.content)
            else:
                out.append((token.type, token.content))
    return out


def without_spaces(tokens):
    """Tokens with the spaces of their text removed (spacing math adds some)."""
    return [(kind, "".join(text.split())) for kind, text in tokens]


def test_blocks_are_read_by_commonmark():
    assert kinds(BLOCKS) == ["paragraph", "heading", "paragraph", "ordered_list",
                             "bullet_list", "blockquote", "paragraph"]


def test_markdown_keeps_the_blocks_and_reads_back_the_same():
    written = prose_markdown(BLOCKS, DECLARED)
    assert kinds(written) == kinds(BLOCKS)
    assert without_spaces(inline_tokens(written)) == without_spaces(inline_tokens(BLOCKS))
    assert "## Heading $x$" in written and "1. one\n2. two $x$" in written


def test_latex_blocks():
    tex = prose_latex(BLOCKS, DECLARED)
    assert tex.startswith("Intro line\n\n\\section*{Heading $x$}\n\ntext\n\n")
    assert "\\begin{enumerate}\n\\item one\n\\item two $x$\n\\end{enumerate}" in tex
    assert "\\begin{itemize}\n\\item a\n\\item b\n\\end{itemize}" in tex
    assert "\\begin{quote}\nquoted\nmore\n\\end{quote}" in tex
    assert tex.endswith("last")


def test_html_blocks():
    page = prose_html(BLOCKS, DECLARED)
    assert page.startswith("<p>Intro line</p>\n\n<h2>Heading <span class=\"math inline\">x"
                           "</span></h2>")
    assert "<ol>\n<li>one</li>\n<li>two <span class=\"math inline\">x</span></li>\n</ol>" in page
    assert "<blockquote>\n<p>quoted\nmore</p>\n</blockquote>" in page


def test_inline_markdown_to_latex():
    assert prose_latex(r"**bold $x^2$** and $a$", DECLARED) == r"\textbf{bold $x^2$} and $a$"
    assert prose_latex(r"$\input{/etc/passwd}$", DECLARED) == \
        r"\texttt{\$\textbackslash{}input\{/etc/passwd\}\$}"
    assert prose_latex("**unpaired") == r"**unpaired"
    assert prose_latex(r"costs \$5 and \$6") == r"costs \$5 and \$6"
    assert prose_latex("`a_b` *it*") == r"\texttt{a\_b} \emph{it}"
    assert prose_latex("see $$x$$ and $$\\def\\x$$") == \
        r"see \[x\] and \texttt{\$\$\textbackslash{}def\textbackslash{}x\$\$}"


def test_a_heading_or_a_list_in_one_line_text_is_text():
    assert prose_markdown("1. Title # x", inline=True) == r"1\. Title \# x"
    assert prose_latex("# Title\n- x", inline=True) == r"\# Title - x"
    assert prose_html("<b>1. A</b>", inline=True) == "&lt;b&gt;1. A&lt;/b&gt;"


@pytest.mark.parametrize("prose, markdown", [
    ("数据$x$，这里的$x$可以", "数据 $x$ ，这里的 $x$ 可以"),
    ("$x$ starts a line\nand ends one $a$\nmid$x$dle", "$x$ starts a line\nand ends one $a$\nmid $x$ dle"),
    ("均值为0$x$1", "均值为0 $x$ 1"),
    ("$x$$a$", "$x$ $a$"),
    ("**$x$是**，", "$x$ **是**，"),
    ("中**条件$x$到底？**", "中**条件 $x$ 到底？**"),
    ("*$a$*", "$a$"),
    ("`c`$x$", "`c` $x$"),
    ("if $x$, $a$; or $x$. Then ($x$)", "if $x$, $a$; or $x$. Then ( $x$ )"),
])
def test_inline_math_gets_a_space_where_it_touches_text(prose, markdown):
    assert prose_markdown(prose, DECLARED) == markdown


def test_spaced_math_reads_back_as_math():
    written = prose_markdown("数据$z$，**$x$是**，0$a$1", scope=None)
    assert [t for t in inline_tokens(written) if t[0] == "math_inline"] == [
        ("math_inline", "z"), ("math_inline", "x"), ("math_inline", "a")]


@pytest.mark.parametrize("prose", [
    r"\2. not a list", r"\- not a list", r"\# not a heading", "text\n\\=\\=\\=",
    r"\> not a quote", r"\+ not a list", r"1\) not a list",
])
def test_escaped_markup_stays_text(prose):
    written = prose_markdown(prose)
    assert kinds(written) == ["paragraph"], written
    assert inline_tokens(written) == inline_tokens(prose)


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "![x](javascript:alert(1))", "<javascript:alert(1)>", "[x]: javascript:alert(1)\n\n[x]",
    "&lt;script&gt;", "<div>\n*x*\n</div>",
])
def test_no_html_link_or_image_gets_through(payload):
    written = prose_markdown(payload)
    tokens = [t.type for t in parse_prose(written).walk()]
    assert not {"html_inline", "html_block", "link", "image"} & set(tokens), written
    page = prose_html(payload)
    assert "<script" not in page and "<img" not in page and "<a " not in page
    assert "<div" not in page, page


@pytest.mark.parametrize("latex", [r"\input{x}", "y + 1", r"x^{\gdef\a{1}}", "x \\tag{1}"])
def test_math_derive_does_not_read_is_code_everywhere(latex):
    prose = f"see ${latex}$ and $$ {latex} $$"
    assert "$" not in "".join(c for t, c in inline_tokens(prose_markdown(prose, DECLARED))
                              if t == "text")
    assert [t for t, _ in inline_tokens(prose_markdown(prose, DECLARED))
            if t != "text"] == ["code_inline", "code_inline"]
    assert prose_latex(prose, DECLARED).count(r"\texttt{\$") == 2
    page = prose_html(prose, DECLARED)
    assert page.count("<code>$") == 2 and "math" not in page


def test_html_math_is_escaped_latex_for_katex():
    page = prose_html("if $a < x$ then\n\n$$a > 0$$", DECLARED)
    assert '<span class="math inline">a &lt; x</span>' in page
    assert '<div class="math display">a &gt; 0</div>' in page


def test_display_math_in_a_paragraph_becomes_its_own_block():
    written = prose_markdown("before $$a > 0$$ after", DECLARED)
    assert written == "before\n\n$$\na > 0\n$$\n\nafter"
    assert kinds(written) == ["paragraph", "math_block", "paragraph"]
    page = prose_html("before $$a > 0$$ after", DECLARED)
    assert page == '<p>before</p>\n<div class="math display">a &gt; 0</div>\n<p>after</p>'


def test_code_blocks_stay_literal():
    prose = "```\n\\end{quote}\\input{x} $x$\n```"
    assert kinds(prose_markdown(prose)) == ["fence"]
    tex = prose_latex(prose)
    assert r"\input" not in tex and r"\end{quote}\textbackslash" not in tex
    assert tex == ("\\begin{quote}\n\\texttt{\\textbackslash{}end\\{quote\\}\\textbackslash{}"
                   "input\\{x\\}~\\$x\\$}\n\\end{quote}")
    assert prose_html(prose) == "<pre><code>\\end{quote}\\input{x} $x$\n</code></pre>"


def test_latex_lists_nested_deeper_than_latex_allows_are_flat():
    deep = "".join("  " * i + "- level\n" for i in range(8))
    tex = prose_latex(deep)
    assert tex.count(r"\begin{itemize}") == 4
    assert tex.count(r"\begin{itemize}") == tex.count(r"\end{itemize}")


def test_an_ordered_list_keeps_its_start():
    assert prose_markdown("3. a\n4. b") == "3. a\n4. b"
    assert r"\setcounter{enumi}{2}" in prose_latex("3. a\n4. b")
    assert prose_html("3. a\n4. b").startswith('<ol start="3">')


@pytest.mark.parametrize("reason, md, tex, html", [
    ("the sign flips", "the sign flips", "the sign flips", "the sign flips"),
    (r"gives \exp\left(x\right)", r"`gives \exp\left(x\right)`",
     r"\texttt{gives \textbackslash{}exp\textbackslash{}left(x\textbackslash{}right)}",
     r"<code>gives \exp\left(x\right)</code>"),
    (r"gives $\exp(x)$ at 1_000", r"gives $\exp(x)$ at 1\_000", r"gives $\exp(x)$ at 1\_000",
     r'gives <span class="math inline">\exp(x)</span> at 1_000'),
    (r"gives $\input{x}$ <b>", r"gives `$\input{x}$` \<b\>",
     r"gives \texttt{\$\textbackslash{}input\{x\}\$} <b>",
     r"gives <code>$\input{x}$</code> &lt;b&gt;"),
])
def test_reasons(reason, md, tex, html):
    assert md_reason(reason, DECLARED) == md
    assert tex_reason(reason, DECLARED) == tex
    assert html_reason(reason, DECLARED) == html


def test_latex_reads_no_bracket_or_star_as_an_argument():
    assert prose_latex("- [x] done") == "\\begin{itemize}\n\\item {}[x] done\n\\end{itemize}"
    assert prose_latex("a\\\n[b]\\\n\\*c") == "a\\\\{}\n[b]\\\\{}\n*c"
