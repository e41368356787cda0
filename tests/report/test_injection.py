"""Nothing in a derivation file can change what the report says: every field, filled
with TeX that defines, redefines or reads, and with HTML, reaches the .tex, the .md and
the .html only escaped, and the verdicts stay the checker's."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from fabricated import RULES, fabricate
from html_tree import parse
from derive.document.loader import loads
from derive.errors import DeriveError
from derive.report.filters import is_derive_latex
from derive.report.render import render_html, render_latex, render_markdown

#: TeX that would define, redefine, read, write or hide something if it got through.
TEX_PAYLOADS = [
    r"\input{/etc/passwd}",
    r"$\input{/etc/passwd}$",
    r"$x^{\input{/etc/passwd}}$",
    r"$x_{\include{/etc/passwd}}$",
    r"$x^{\gdef\verdict#1#2{proved}}$",
    r"\gdef\verdict#1#2{proved}",
    r"$x^{\def\a{1}}$ \let\verdict\relax",
    r"\newcommand{\pwn}{1} \renewcommand{\verdict}[2]{proved}",
    r"\catcode`\^=7 \catcode`\#=12",
    r"\openin1=/etc/passwd \read1 to\x \x",
    r"\immediate\write18{touch /tmp/pwned} \openout1=x.tex",
    r"$\csname input\endcsname{/etc/passwd}$",
    r"^^5cinput{/etc/passwd} $^^5cinput{/etc/passwd}$",
    r"$$\def\x{1}$$ and \[\input{a}\] and \(\input{b}\)",
    r"\end{document} $\end{checknote}$",
    r"$\hat{\iffalse}$ \iffalse hidden \fi",
    r"$x$\input{a}$y$ `\input{b}` **\input{c}**",
    r"$x \tag{\input{a}}$",
]
#: HTML and links that would run or load something in a Markdown viewer.
HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)",
]
#: Text that would end an element or an attribute of the web page, or open one.
HTML_BREAKOUTS = [
    "</span><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    '" onerror="alert(1)',
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!-- x --> <![CDATA[ ]]> <?php ?>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62;",
    "$x</span><script>alert(1)</script>$",
    r"$\text{</span><img src=x onerror=alert(1)>}$",
    r"$\href{javascript:alert(1)}{x}$ $\url{https://example.com}$ $\htmlClass{x}{y}$",
    "**</strong><script>alert(1)</script>** `</code><b>`",
]
FIELDS = ["title", "prose", "erratum", "epilogue", "source", "justification"]
#: Control words that must never come from a file: definitions, reading and writing,
#: conditionals, name building.
FORBIDDEN = {"def", "gdef", "edef", "xdef", "let", "newcommand", "renewcommand",
             "providecommand", "catcode", "input", "include", "openin", "openout", "read",
             "write", "immediate", "csname", "endcsname", "iffalse", "iftrue", "fi",
             "endinput", "pwn", "relax", "a", "x"}

DOCUMENT = """
[meta]
title = '''{title}'''
source = '''{source}'''

[symbols]
'x' = "real"
'a' = "positive"

[[step]]
tag = "1"
latex = 'a = x^2 + 1'
by = "definition"
prose = '''{prose}'''

[[step]]
tag = "2"
latex = 'a - 1 = x^2'
by = '''{justification}'''
expect_failure = '''{erratum}'''

[epilogue]
prose = '''{epilogue}'''
"""
BENIGN = {"title": "T", "source": "S", "prose": "P", "justification": "solve (1)",
          "erratum": "E", "epilogue": "Z"}


def document(field: str, payload: str):
    values = dict(BENIGN)
    if field == "justification":
        payload = "cite " + payload
    values[field] = payload.replace("'''", "' ' '")
    return loads(DOCUMENT.format(**values), "/tmp/hostile.toml", known_rules=RULES)


@lru_cache(maxsize=None)
def rendered(field: str, payload: str):
    """The .tex and .md of a document with ``payload`` in ``field``, or None if the
    file is refused (with a positioned error). Rendered once per process: the table
    test and the payload tests ask for the same pairs."""
    try:
        doc = document(field, payload)
    except DeriveError as error:
        assert error.position.line > 0 and error.position.path == "/tmp/hostile.toml"
        return None
    result = fabricate(doc)
    return render_latex(result, today="2026-01-01"), render_markdown(result, today="2026-01-01")


def control_words(tex: str) -> set[str]:
    return set(re.findall(r"\\([A-Za-z]+)", tex))


BENIGN_TEX, BENIGN_MD = rendered("title", "T")
BODY = BENIGN_TEX.index(r"\begin{document}")
#: What escaping itself writes into the body.
ESCAPES = {"textbackslash", "textasciicircum", "textasciitilde", "texttt", "textbf",
           "ensuremath", "section", "subsection", "paragraph", "item", "begin", "end",
           "text", "tag", "hat"}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("payload", TEX_PAYLOADS)
def test_tex_payload_reaches_the_tex_only_escaped(field, payload):
    out = rendered(field, payload)
    if out is None:
        assert field == "justification"   # the justification grammar refuses it
        return
    tex, _ = out
    assert tex[:tex.index(r"\begin{document}")] == BENIGN_TEX[:BODY]   # preamble untouched
    body = tex[tex.index(r"\begin{document}"):]
    words = control_words(body)
    assert not words & FORBIDDEN, words & FORBIDDEN
    assert words <= control_words(BENIGN_TEX[BODY:]) | ESCAPES, words - control_words(BENIGN_TEX)
    assert "^^" not in body
    assert not re.search(r"(?<!\\)[#%]", body)
    assert body.count(r"\verdict{") == BENIGN_TEX[BODY:].count(r"\verdict{")
    assert body.count(r"\end{document}") == 1 and body.rstrip().endswith(r"\end{document}")


def test_the_table_reaches_every_field():
    """Each payload loads in every field but a justification (whose grammar refuses
    backslashes): the table above tests the renderer, not only the loader."""
    for payload in TEX_PAYLOADS:
        for field in FIELDS[:-1]:
            assert rendered(field, payload) is not None, (field, payload)
    assert rendered("justification", "the central limit theorem") is not None


def _outside_code(markdown: str) -> str:
    """Markdown with its code spans removed (their text is shown literally), and the
    anchors and references to equations that derive writes from a tag's safe characters."""
    text = re.sub(r"(`+)(?:(?!\1).)+?\1", " ", markdown, flags=re.S)
    text = re.sub(r'^<a id="eq-[A-Za-z0-9.:-]+"></a>$', " ", text, flags=re.M)
    return re.sub(r"\[\([A-Za-z0-9'.*-]+\)\]\(#eq-[A-Za-z0-9.:-]+\)", " ", text)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("payload", HTML_PAYLOADS + TEX_PAYLOADS[:3])
def test_html_payload_reaches_the_markdown_only_escaped(field, payload):
    out = rendered(field, payload)
    if out is None:
        assert field == "justification"
        return
    _, md = out
    text = _outside_code(md)
    assert not re.search(r"(?<!\\)<[A-Za-z!/?]", text), text
    assert not re.search(r"(?<!\\)\[", text.replace("$$", "")), text
    for math in re.findall(r"(?<!\\)\$+(.+?)(?<!\\)\$+", text, re.S):
        engine_phrases = re.sub(r"\\(in|dots)(?![A-Za-z])", " ", math)  # in assumptions
        assert is_derive_latex(engine_phrases), math


@pytest.mark.parametrize("payload", HTML_PAYLOADS + [r"\input{a}", "1}", "1 2", "(1)", "$1$"])
def test_a_tag_outside_the_safe_set_is_refused_at_load_time(payload):
    text = DOCUMENT.format(**BENIGN).replace('tag = "1"', f"tag = '''{payload}'''")
    with pytest.raises(DeriveError, match="may only hold letters, digits") as raised:
        loads(text, "/tmp/hostile.toml", known_rules=RULES)
    assert raised.value.position.line == text.splitlines().index(f"tag = '''{payload}'''") + 1


@pytest.mark.parametrize("tag", ["2", "6'", "A.2", "3-b", "7*", "x''"])
def test_safe_tags_load(tag):
    text = DOCUMENT.format(**BENIGN).replace('tag = "2"', f'tag = "{tag}"')
    assert loads(text, "/tmp/t.toml", known_rules=RULES).steps[1].tag == tag


def test_a_step_that_failed_cannot_be_printed_as_proved():
    """The macro-redefinition payload, in the prose before a failed step."""
    from fabricated import failure
    doc = document("prose", r"$x^{\gdef\verdict#1#2{proved}}$ \gdef\verdict#1#2{proved}")
    tex = render_latex(fabricate(doc, failing={"2": failure()}))
    assert r"\textbf{(2)} \verdict{ExpectedColor}{erratum}" in tex
    assert r"\gdef" not in tex


HOSTILE_NAMES = r"""
[meta]
title = "declared names"

[symbols]
'\hat{\iffalse}' = "real"
'\hat{\fi}' = "real"
'x' = "real"

[[step]]
tag = "1"
latex = '\hat{\iffalse} = x'
by = "definition"
prose = 'see $\hat{\iffalse}$'

[[step]]
tag = "2"
latex = '\hat{\fi} = x'
by = "definition"
"""


def test_a_declared_name_hiding_a_command_is_refused():
    """An accent takes a letter or a Greek letter only, so ``\\hat{\\iffalse}`` cannot be
    declared, and cannot hide the steps between two such names in the PDF."""
    with pytest.raises(DeriveError) as error:
        loads(HOSTILE_NAMES, "/tmp/names.toml", known_rules=RULES)
    assert error.value.position.line == 6


@lru_cache(maxsize=None)
def rendered_html(field: str, payload: str):
    """The web page of a document with ``payload`` in ``field``, or None if refused
    (once per process, as ``rendered``)."""
    try:
        doc = document(field, payload)
    except DeriveError as error:
        assert error.position.line > 0 and error.position.path == "/tmp/hostile.toml"
        return None
    return render_html(fabricate(doc), today="2026-01-01")


BENIGN_PAGE = parse(rendered_html("title", "T"))
#: The elements and attributes of a page; nothing from the file may add others.
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2",
             "h3", "h4", "h5", "h6", "p", "span", "a", "strong", "code", "cite", "section",
             "div", "ol", "ul", "li", "dl", "dt", "dd", "blockquote", "script", "em", "pre",
             "hr", "br", "figure", "figcaption"}
PAGE_ATTRIBUTES = {"class", "id", "href", "lang", "charset", "http-equiv", "content", "name",
                   "start"}


def page_classes(page) -> set[str]:
    return {c for element in page.iter() for c in element.classes}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("payload", HTML_PAYLOADS + HTML_BREAKOUTS + TEX_PAYLOADS[:3])
def test_html_payload_reaches_the_page_only_escaped(field, payload):
    html = rendered_html(field, payload)
    if html is None:
        assert field == "justification"
        return
    page = parse(html)
    head, benign_head = page.find("head"), BENIGN_PAGE.find("head")
    assert [e.tag for e in head.iter()] == [e.tag for e in benign_head.iter()]
    assert [(e.attrs, e.text()) for e in head.iter() if e.tag in ("meta", "style")] == \
        [(e.attrs, e.text()) for e in benign_head.iter() if e.tag in ("meta", "style")]
    assert [s.text() for s in page.find_all("script")] == \
        [s.text() for s in BENIGN_PAGE.find_all("script")]
    # a cited justification has no premise: its graph is a benign citation's
    # (a "(1)" in the payload cites step (1), as in a benign "the theorem (1)")
    cited = "the theorem (1)" if "(1)" in payload else "the central limit theorem"
    benign = parse(rendered_html("justification", cited)) \
        if field == "justification" else BENIGN_PAGE
    graph, benign_graph = page.find("svg"), benign.find("svg")
    assert [(e.tag, e.attrs, e.text()) for e in graph.iter()] == \
        [(e.tag, e.attrs, e.text()) for e in benign_graph.iter()]   # tags only, no field
    inside_graph = set(map(id, graph.iter()))
    for element in page.iter():
        if element.tag == "#document" or id(element) in inside_graph:
            continue
        assert element.tag in PAGE_TAGS, element.tag
        assert set(element.attr_names) <= PAGE_ATTRIBUTES, element.attr_names
        assert len(element.attr_names) == len(set(element.attr_names))
    assert page_classes(page) <= page_classes(BENIGN_PAGE) | {"math", "inline", "display"}
    for a in page.find_all("a"):   # links within the page only, to an equation
        assert re.fullmatch(r"#eq-[A-Za-z0-9.:-]+|#verification", a.attrs["href"])
    assert len(page.find_all(cls="badge")) == len(BENIGN_PAGE.find_all(cls="badge"))
    for math in page.find_all(cls="math"):
        engine_phrases = re.sub(r"\\(in|dots)(?![A-Za-z])", " ", math.text())
        assert is_derive_latex(engine_phrases), math.text()


def test_the_html_table_reaches_every_field():
    """Each breakout loads in every field but a justification: the page is tested."""
    for payload in HTML_BREAKOUTS:
        for field in FIELDS[:-1]:
            assert rendered_html(field, payload) is not None, (field, payload)


def test_a_title_that_closes_the_title_element_stays_text():
    page = parse(rendered_html("title", "</title><script>alert(1)</script>"))
    assert page.find("title").text() == "</title><script>alert(1)</script>"
    assert page.find("h1").text() == "</title><script>alert(1)</script>"


@pytest.mark.parametrize("payload", HTML_BREAKOUTS[:6])
def test_language_author_and_date_reach_the_page_only_escaped(payload):
    meta = {"language": payload, "author": payload, "date": payload}
    text = DOCUMENT.format(**BENIGN).replace(
        "[symbols]", "".join(f"{k} = '''{v}'''\n" for k, v in meta.items()) + "\n[symbols]")
    page = parse(render_html(fabricate(loads(text, "/tmp/hostile.toml", known_rules=RULES))))
    assert page.find("html").attr_names == ["lang"]
    assert page.find("html").attrs["lang"] == payload
    assert page.find(cls="author").text() == payload and page.find(cls="date").text() == payload
    assert [e.tag for e in page.find(cls="byline").iter()] == ["p", "span", "span", "span", "code"]
    assert [s.text() for s in page.find_all("script")] == \
        [s.text() for s in BENIGN_PAGE.find_all("script")]
