"""The HTML report: one self-contained page with every equation anchored, its verdict
badge, errata beside their corrections, the conclusion; and, in a real browser
(headless Chromium), every formula rendered by the inlined KaTeX, no math error, the
verdicts ``derive verify --json`` gives, and nothing loaded from anywhere."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import dataclasses
from types import SimpleNamespace

import pytest
import sympy

from fabricated import ROOT, failure, fabricate, small_document
from html_tree import parse
from test_claim import DERIVATIONS, WORDS
from derive.check.verdict import Verdict
from derive.document.model import Source
from derive.errors import ReportError
from derive.latex.printer import latex
from derive.report.diff import COLOUR_MARK, html_marked
from derive.report.conclusion import conclusion_of
from derive.report.graph import dependency_graph
from derive.report.filters import (MARKS, display_latex, html_anchor, html_citation,
                                   html_inline, html_justification, html_math, html_prose)
from derive.report.phrases import anchor
from derive.report.page import KATEX, inline_fonts, inline_text, page_assets
from derive.report.render import html_environment, render_html, report_context

ORDER = ["1", "2", "3", "4", "5", "6", "7", "8", "6'", "7'", "8'", "9", "10", "11", "12",
         "13", "14", "15", "16", "17"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install chromium); "
                             ".ci/run installs it")


def verdict_lines(page) -> dict[str, str]:
    """The verdict shown under each equation: tag -> mark, read from its words."""
    shown = {}
    for line in page.find_all(cls="verdict"):
        tag = line.find(cls="tag").text()
        badge = line.find(cls="badge").text()
        assert tag.startswith("(") and tag.endswith(")"), tag
        assert tag[1:-1] not in shown, f"({tag}) shown twice"
        shown[tag[1:-1]] = WORDS[badge]
    return shown


def page_scripts(page) -> list[str]:
    return [script.text() for script in page.find_all("script")]


def csp(page) -> str:
    metas = [m for m in page.find_all("meta")
             if (m.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(metas) == 1
    return metas[0].attrs["content"]


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_loads_nothing(page, html: str):
    """No element refers to anything outside the page, and the policy forbids loading."""
    for element in page.iter():
        assert "src" not in element.attrs, element.tag
        href = element.attrs.get("href") or "#"
        if not href.startswith("#"):   # the article's own address: a link, never loaded
            assert element.tag == "a" and re.match(r"https?://", href), href
            assert element.attrs["rel"] == "noopener noreferrer"
    assert not re.search(r"url\(\s*['\"]?(?!data:|#)", html)   # url(#...): in the page
    policy = csp(page)
    assert "default-src 'none'" in policy and "font-src data:" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


# -- the page, as rendered -------------------------------------------------------------

@pytest.fixture(scope="module")
def mse_page(mse_document):
    html = render_html(fabricate(mse_document, failing={"8": failure()}), today="2026-01-01", labels="en")
    return html, parse(html)


def test_every_equation_has_an_anchor_and_its_verdict(mse_page, mse_result):
    html, page = mse_page
    equations = page.find_all(cls="equation")
    assert [e.attrs["id"] for e in equations] == [html_anchor(t) for t in ORDER]
    assert verdict_lines(page) == {r.step.tag: r.mark for r in mse_result.steps}
    assert verdict_lines(page)["8"] == "expected failure"
    for equation in equations:
        math = equation.find_all(cls="math")
        assert len(math) == 1 and "display" in math[0].classes
    shown = " ".join(e.find(cls="math").text() for e in equations)
    assert re.findall(r"\\tag\{(.+?)\}", shown) == ORDER


def test_anchors_are_distinct_and_plain():
    """The page's ids are the anchors Markdown and LaTeX use, and valid HTML ids."""
    tags = ["6", "6'", "6''", "6*", "6-p", "6.p", "6p", "A.2", "x''", "6'*", "6*'"]
    anchors = [html_anchor(t) for t in tags]
    assert len(set(anchors)) == len(tags)
    assert all(re.fullmatch(r"eq-[A-Za-z0-9.:-]+", a) for a in anchors)
    assert anchors == [anchor(t) for t in tags]
    assert html_anchor("6'") == "eq-6:p"


def test_premises_link_to_their_equations(mse_page):
    _, page = mse_page
    ids = {e.attrs["id"] for e in page.iter() if "id" in e.attrs}
    links = [a.attrs["href"] for a in page.find_all("a")]
    assert "#eq-7:p" in links and "#eq-16" in links
    assert all(href[1:] in ids for href in links)


def test_the_page_is_self_contained(mse_page):
    html, page = mse_page
    assert_loads_nothing(page, html)
    policy = csp(page)
    scripts = page_scripts(page)
    assert len(scripts) == 2 and "katex" in scripts[0] and "katex.render" in scripts[1]
    for script in scripts:
        assert sha256(script) in policy   # only the page's own scripts may run
    fonts = re.findall(r"@font-face\{[^}]*\}", html)
    assert len(fonts) == len(list((KATEX / "fonts").glob("*.woff2")))
    assert all("url(data:font/woff2;base64," in f and "woff)" not in f for f in fonts)


def test_language_and_title(mse_page):
    html, page = mse_page
    assert page.find("html").attrs["lang"] == "zh"
    assert page.find("title").text() == "为什么生成模型要使用MSE？"
    english = parse(render_html(fabricate(small_document("Let:"))))
    assert english.find("html").attrs["lang"] == "en"


def test_failure_shows_reason_expected_residual_counterexample(mse_page):
    _, page = mse_page
    step = page.by_id("eq-8")[0].parent
    details = {dt.text(): dt for dt in step.find_all("dt")}
    assert set(details) == {"reason", "the rule expected", "residual", "counterexample"}
    shown = {name: [m.text() for m in step.find_all("dd")[i].find_all(cls="math")]
             for i, name in enumerate(details)}
    assert "the solved form does not satisfy (7)" in step.find_all("dd")[0].text()
    assert shown["the rule expected"] == [
        r"p(\epsilon) = \exp(\lambda_{0} - 1) \exp(\lambda_{1} \epsilon^{2})"]
    assert shown["residual"] == [r"2 \lambda_{1} \epsilon^{2}"]
    assert shown["counterexample"] == [r"\lambda_{0} = 1", r"\lambda_{1} = \frac{1}{2}",
                                       r"\epsilon = 1"]
    assert "the sign of λ₁ε² flips" in step.find(cls="erratum-note").text()


def test_erratum_beside_its_corrections(mse_page):
    _, page = mse_page
    errata = page.find_all(cls="erratum")
    assert len(errata) == 1
    printed, corrected = errata[0].find(cls="printed"), errata[0].find(cls="corrected")
    assert [e.attrs["id"] for e in printed.find_all(cls="equation")] == ["eq-8"]
    assert [e.attrs["id"] for e in corrected.find_all(cls="equation")] == \
        ["eq-6:p", "eq-7:p", "eq-8:p"]
    assert "replace (8)" in corrected.find(cls="erratum-label").text()
    style = page.find_all("style")[1].text()
    rule = re.search(r"\.erratum \{([^}]*)\}", style).group(1)
    assert "display: grid" in rule and "grid-template-columns: minmax(0, 1fr) minmax(0, 1fr)" \
        in rule and "border-left: 4px solid var(--expected)" in rule


def test_conclusion(mse_result):
    """The conclusion restated, its errata, assumptions once each, declared constants with
    their notes, givens, links taken on trust and the cited theorem."""
    for tag in ("7", "7'"):   # as the checker gives them: stationarity assumed
        mse_result.result(tag).links[1].verdict = Verdict.assumed("stationarity")
    page = parse(render_html(mse_result, today="2026-01-01", labels="en"))
    conclusion = conclusion_of(mse_result)
    section = page.by_id("verification")[0]
    assert "The conclusion (17) is established" in section.text()
    restated = section.find(cls="restated").find(cls="math").text()
    assert restated.startswith(r"\theta^{\ast} = \arg\min_{\theta}") and r"\tag" not in restated
    errata = section.find(cls="errata").find_all("li")
    assert len(errata) == 1
    assert errata[0].text().startswith("(8) as printed, corrected by (6'), (7'), (8'): Solving (7)")
    assert [a.attrs["href"] for a in errata[0].find_all("a")] == \
        ["#eq-8", "#eq-6:p", "#eq-7:p", "#eq-8:p"]
    shown = [m.text() for m in section.find(cls="assumptions").find_all(cls="math")]
    assert shown == list(conclusion.assumptions) and len(set(shown)) == len(shown)
    assert [r"\sigma > 0", r"\lambda_{1} > 0"] == [a for a in shown if a in
                                                  (r"\sigma > 0", r"\lambda_{1} > 0")]
    declared = section.find(cls="declared").find_all("li")
    assert declared[0].find(cls="math").text() == "I = 1"
    assert "1 × 1 identity" in declared[0].text()
    assert conclusion.givens[:3] == ("1", "3", "5")
    assert section.find(cls="givens").text() == \
        "Given or defined without proof: " + ", ".join(f"({g})" for g in conclusion.givens) + "."
    trusted = [f"({t.tag}) link {t.index + 1} ({t.rule})" for t in conclusion.trusted]
    assert "(7') link 2 (stationary)" in trusted
    assert section.find(cls="trusted").text() == \
        "Taken without proof inside checked steps: " + ", ".join(trusted) + "."
    assert section.find(cls="cited").text().strip() == "the central limit theorem"
    assert "on 2026-01-01" in section.find(cls="colophon").text()


def test_conclusion_not_established(mse_document):
    result = fabricate(mse_document, failing={"8": failure(), "13": failure()},
                       established=False)
    section = parse(render_html(result, labels="en")).by_id("verification")[0]
    assert "The conclusion (17) is not established" in section.text()
    assert "did not check as the derivation file expects: (13)." in section.text()
    assert section.find(cls="badge").text() == "not established"


def test_badge_colours_are_the_latex_preambles():
    """Each verdict's badge has the colour the PDF gives it."""
    latex = (ROOT / "templates" / "article.tex.j2").read_text(encoding="utf-8")
    css = (ROOT / "templates" / "_style.css.j2").read_text(encoding="utf-8")
    tex_colours = {name: hex_.lower() for name, hex_ in
                   re.findall(r"\\definecolor\{(\w+)\}\{HTML\}\{(\w+)\}", latex)}
    start = css.index(":root {")
    root = css[start:css.index("}", start)]
    css_colours = dict(re.findall(r"--(\w+): #(\w+);", root))
    classes = {}
    for selectors, variable in re.findall(r"([^{}]+)\{ --verdict: var\(--(\w+)\); \}", css):
        for selector in selectors.split(","):
            classes[selector.strip().lstrip(".")] = variable
    for verdict, (_, _, colour) in MARKS.items():
        badge = parse(str(html_environment().from_string(
            "{{ m | html_badge }}").render(m=verdict))).find(cls="badge")
        verdict_class = next(c for c in badge.classes if c.startswith("verdict-"))
        assert css_colours[classes[verdict_class]] == tex_colours[colour], verdict


def test_the_graph_has_a_node_per_equation_the_conclusion_rests_on(mse_page, mse_result):
    _, page = mse_page
    section = page.by_id("verification")[0]
    figure = section.find(cls="dependency-graph")
    nodes = figure.find("svg").find_all(cls="node")
    tags = [n.attrs["data-tag"] for n in nodes]
    assert tags == [n.tag for n in dependency_graph(mse_result).nodes]
    assert {"17", "16", "8", "6'", "7'", "8'", "1", "5"} <= set(tags)
    assert "6" not in tags and "7" not in tags   # redone by (6') and (7'), not rested on
    ids = {e.attrs["id"] for e in page.iter() if "id" in e.attrs}
    assert all(html_anchor(t) in ids for t in tags)
    assert [n.find("text").text() for n in nodes] == [f"({t})" for t in tags]
    assert "verdict" in figure.find("figcaption").text()
    assert "dashed arrow from an erratum to its correction" in figure.find("figcaption").text()
    assert section.find("h3").text() == "How the conclusion is reached"


def test_the_graph_is_markup_only_of_escaped_parts(mse_result):
    """Words the graph shows (its legend, in the report's language) reach the page escaped."""
    graph = dataclasses.replace(dependency_graph(mse_result),
                                gettext=lambda words: "<script>" + words + '"')
    svg = str(html_environment().from_string("{{ g | html_graph }}").render(g=graph))
    assert "<script>" not in svg and "&lt;script&gt;proved" in svg
    assert parse(svg).find("svg").find_all("script") == []


def test_the_erratum_pairs_each_correction_with_what_it_redoes(mse_page):
    """(6') beside (6) and (7') beside (7), what differs in colour in both; (8) beside
    (8'), which prints the same formula; no equation numbered twice."""
    html, page = mse_page
    erratum = page.find(cls="erratum")
    assert "stacked" in erratum.classes   # (6) is an aligned block: too wide to sit beside
    printed, corrected = erratum.find(cls="printed"), erratum.find(cls="corrected")
    pairs = corrected.find_all(cls="counterpart")
    assert [p.find("a").attrs["href"] for p in pairs] == ["#eq-6", "#eq-7"]
    mark = r"\mathbin{\color{#cf222e}{+}}"
    for pair, tag in zip(pairs, ["6'", "7'"]):
        old = pair.find(cls="math").text()
        assert mark in old and r"\tag" not in old
        new = page.by_id(html_anchor(tag))[0].find(cls="math").text()
        assert r"\mathbin{\color{#cf222e}{-}}" in new and new.endswith(rf"\tag{{{tag}}}")
    assert "#cf222e" not in printed.find(cls="math").text()   # (8) and (8') agree
    assert "The same formula as the printed (8)" in corrected.text()
    shown = [m.text() for m in page.find_all(cls="math")]
    numbered = [t for m in shown for t in re.findall(r"\\tag\{(.+?)\}", m)]
    assert sorted(numbered) == sorted(ORDER)


def test_marks_are_kept_only_around_derives_latex(mse_document):
    """The colour is the diff's own; a step whose LaTeX is not derive's is never marked."""
    six, six_p = mse_document.step("6"), mse_document.step("6'")
    marked = html_marked(six, six_p, mse_document.scope, tagged=False)
    assert marked.count(COLOUR_MARK) == 1 and r"\tag" not in marked
    assert html_marked(six, None, mse_document.scope) == display_latex(six, mse_document.scope)
    forged = dataclasses.replace(six, latex=six.latex.replace("+ \\lambda_1",
                                                              "\\color{red}{+} \\lambda_1"))
    assert "color" not in html_marked(forged, six_p, mse_document.scope)


def test_justifications_read_as_words_with_links_to_present_equations(mse_page):
    _, page = mse_page
    line = page.by_id("eq-8")[0].parent.find(cls="justification")
    assert line.text() == "solving (7) for p(\\epsilon)"
    assert [a.attrs["href"] for a in line.find_all("a")] == ["#eq-7"]
    assert [m.text() for m in line.find_all(cls="math")] == ["p(\\epsilon)"]
    ids = {e.attrs["id"] for e in page.iter() if "id" in e.attrs}
    for j in page.find_all(cls="justification"):
        assert all(a.attrs["href"][1:] in ids for a in j.find_all("a"))
    absent = SimpleNamespace(text="substitute (3) into (99)")
    shown = parse(str(html_justification(absent, {"3"})))
    assert [a.attrs["href"] for a in shown.find_all("a")] == ["#eq-3"]
    assert "(99)" in shown.text()


def test_failure_numbers_in_six_significant_digits(mse_document):
    value = sympy.Float("0.693147180559945", 15) * sympy.Symbol("x")
    verdict = Verdict.failed("wrong", expected=latex(value), expected_value=value,
                             residual=latex(value - 1), residual_value=value - 1,
                             counterexample=((r"\lambda_{0}", "-2.13273631118"),))
    page = parse(render_html(fabricate(mse_document, failing={"8": verdict}), labels="en"))
    details = page.by_id("eq-8")[0].parent.find("dl")
    shown = [m.text() for m in details.find_all(cls="math")]
    assert shown == ["0.693147 x", "0.693147 x - 1", r"\lambda_{0} = -2.13274"]


def test_the_source_is_a_citation(mse_page):
    _, page = mse_page
    source = page.find(cls="byline").find(cls="source")
    assert source.find("cite").text() == "为什么生成模型要使用MSE？"
    assert "2025-12-09" in source.text()
    cited = html_citation(Source(title="T <b>", author="A & B", url="https://example.org/p?q=1",
                                 date="2025"))
    link = parse(str(cited)).find("a")
    assert link.attrs == {"class": "source-link", "href": "https://example.org/p?q=1",
                          "rel": "noopener noreferrer"}
    assert parse(str(cited)).find("cite").text() == "T <b>"
    assert "A &amp; B" in str(cited)
    hostile = str(html_citation(Source(title="t", url="javascript:alert(1)")))
    assert "<a" not in hostile and "<code>javascript:alert(1)</code>" in hostile


# -- the filters -------------------------------------------------------------------------

DECLARED = small_document().scope   # x real, a positive


@pytest.mark.parametrize("text, math, code", [
    ("Let $a > 0$.", ["a > 0"], []),
    ("so $$a = x^2 + 1$$", ["a = x^2 + 1"], []),
    ("$y$ undeclared", [], ["$y$"]),
    (r"$\input{a}$", [], [r"$\input{a}$"]),
    ("**bold** and `code`", [], ["code"]),
    ("<b onclick=x>&amp;", [], []),
    ("$x</span><script>$", [], ["$x</span><script>$"]),
])
def test_html_inline_shows_math_derive_reads_and_nothing_else(text, math, code):
    """Prose in a line (a title, an erratum note): math that derive reads in a math
    element, other math as code, every other character as text."""
    html = html_inline(text, scope=DECLARED)
    line = parse(str(html))
    assert [m.text() for m in line.find_all(cls="math")] == math
    assert [c.text() for c in line.find_all("code")] == code
    assert {e.tag for e in line.iter()} <= {"#document", "span", "code", "strong", "em"}
    assert "<b" not in html and "<script" not in html


def test_html_inline_keeps_markup_characters_as_text():
    text = "<b onclick=x>& \"'"
    assert parse(str(html_inline(text, scope=DECLARED))).text() == text
    # prose is CommonMark: an entity reference is the character it names, shown as text
    assert parse(str(html_inline("&lt;b&gt;", scope=DECLARED))).text() == "<b>"


def test_html_prose_blocks():
    html = html_prose("# Part\nLet $a > 0$.\n\n- one\n- two\n\n> quoted", scope=DECLARED)
    page = parse(str(html))
    assert [e.tag for e in page.children if not isinstance(e, str)] == \
        ["h2", "p", "ul", "blockquote"]
    assert page.find("blockquote").find("p").text() == "quoted"


def test_html_math_reads_or_shows_code():
    assert html_math(r"\lambda_{1} > 0") == r'<span class="math inline">\lambda_{1} &gt; 0</span>'
    assert html_math(r"\href{javascript:x}{y}") == r"<code>\href{javascript:x}{y}</code>"


def test_fonts_are_inlined_woff2_only(tmp_path):
    (tmp_path / "A.woff2").write_bytes(b"wOF2")
    css = ('@font-face{font-family:A;src:url(fonts/A.woff2) format("woff2"),'
           'url(fonts/A.woff) format("woff")}.x{color:red}')
    assert inline_fonts(css, tmp_path) == \
        '@font-face{font-family:A;src:url(data:font/woff2;base64,d09GMg==) format("woff2")}' \
        '.x{color:red}'
    with pytest.raises(ReportError, match="no woff2 font"):
        inline_fonts('@font-face{src:url(fonts/A.ttf)}', tmp_path)
    with pytest.raises(ReportError, match="refers to http"):
        inline_fonts('.x{background:url(http://example.com/x.png)}', tmp_path)


@pytest.mark.parametrize("text", ["a</script>b", "a</SCRIPT >", "<!-- a"])
def test_a_script_that_could_end_its_element_is_refused(text):
    with pytest.raises(ReportError, match="cannot be inlined"):
        inline_text(text, "script", Path("x.js"))


# -- in a browser --------------------------------------------------------------------------

def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium, no network services, a profile of its own."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--hide-scrollbars", f"--user-data-dir={profile}",
               "--virtual-time-budget=30000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def pages(shipped_runs):
    """Each derivation's page, written by ``derive report --format html``, and its
    verdicts from ``derive verify --json``."""
    verdicts = {stem: dict(steps) for stem, steps in shipped_runs.verdicts().items()}
    return shipped_runs.out, verdicts


@needs_chromium
@pytest.mark.parametrize("path", DERIVATIONS, ids=lambda p: p.stem)
def test_in_a_browser_the_math_renders_and_the_verdicts_are_the_checkers(
        path, pages, tmp_path):
    out, verdicts = pages
    page_file = out / f"{path.stem}.html"
    done = chromium("--dump-dom", page_file.as_uri(), profile=tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = parse(done.stdout)
    assert "math-rendered" in dom.find("html").classes   # the render script ran
    math = dom.find_all(cls="math")
    assert math and not dom.find_all(cls="math-error")
    assert not dom.find_all(cls="katex-error")
    for element in math:   # each formula rendered once, by KaTeX
        assert len([e for e in element.iter() if "katex" in e.classes]) == 1, element.text()
    assert len(dom.find_all(cls="katex")) == len(math)
    static = parse(page_file.read_text(encoding="utf-8"))
    assert len(static.find_all(cls="math")) == len(math)
    assert verdict_lines(dom) == verdicts[path.stem]
    assert_loads_nothing(dom, done.stdout)


@needs_chromium
def test_in_a_browser_the_erratum_marks_are_drawn_in_colour(pages, tmp_path):
    """KaTeX renders the diff's ``\\color`` (it is no command that ``trust`` guards) as
    coloured glyphs, with no math error, in the erratum and nowhere else."""
    out, _ = pages
    done = chromium("--dump-dom", (out / "why-mse.html").as_uri(), profile=tmp_path / "p")
    dom = parse(done.stdout)
    assert not dom.find_all(cls="math-error") and not dom.find_all(cls="katex-error")
    coloured = [e for e in dom.iter()
                if re.search(r"color:\s*(#cf222e|rgb\(207,\s*34,\s*46\))",
                             e.attrs.get("style") or "", re.I)]
    assert coloured
    erratum = set(map(id, dom.find(cls="erratum").iter()))
    assert all(id(e) in erratum for e in coloured)
    signs = sorted(e.text() for e in coloured)
    assert signs.count("+") >= 2 and signs.count("−") + signs.count("-") >= 2


@needs_chromium
def test_in_a_browser_the_page_is_drawn(pages, tmp_path):
    """A screenshot of why-mse's page: Chromium draws it (the picture in docs/ is made
    the same way, see docs/report-html.md)."""
    out, _ = pages
    shot = tmp_path / "why-mse.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1200,1600",
                    (out / "why-mse.html").as_uri(), profile=tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1600)
    assert len(data) > 50_000   # not a blank page


@needs_chromium
def test_in_a_browser_a_formula_katex_refuses_is_marked(pages, tmp_path):
    """The check above can fail: a parse error, an unknown command and an untrusted one,
    planted in a page, are each marked math-error, and the link is not made."""
    out, _ = pages
    html = (out / "why-mse.html").read_text(encoding="utf-8")
    planted = [r"\frac{z", r"\foo", r"\href{https://example.com}{x}"]
    for latex in planted:
        html = re.sub(r'(<span class="math inline">)(?!\\frac\{z|\\foo|\\href)[^<]*(</span>)',
                      lambda m: m.group(1) + latex + m.group(2), html, count=1)
    page_file = tmp_path / "planted.html"
    page_file.write_text(html, encoding="utf-8")
    done = chromium("--dump-dom", page_file.as_uri(), profile=tmp_path / "profile")
    dom = parse(done.stdout)
    marked = [(e.find("annotation") or e).text() for e in dom.find_all(cls="math-error")]
    assert marked == planted
    assert len(dom.find_all(cls="katex")) == len(dom.find_all(cls="math")) - 1   # \frac{z
    assert not [a for a in dom.find_all("a") if "example.com" in (a.attrs.get("href") or "")]
