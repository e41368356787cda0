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

import pytest
from markupsafe import Markup

from fabricated import ROOT, failure, fabricate, small_document
from html_tree import parse
from test_claim import DERIVATIONS, WORDS, derive, mark
from derive.errors import ReportError
from derive.report.filters import MARKS, html_anchor, html_inline, html_math, html_prose
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
        assert (element.attrs.get("href") or "#").startswith("#"), element.attrs["href"]
    assert not re.search(r"url\(\s*['\"]?(?!data:)", html)
    policy = csp(page)
    assert "default-src 'none'" in policy and "font-src data:" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


# -- the page, as rendered -------------------------------------------------------------

@pytest.fixture(scope="module")
def mse_page(mse_document):
    html = render_html(fabricate(mse_document, failing={"8": failure()}), today="2026-01-01")
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
    tags = ["6", "6'", "6''", "6*", "6-p", "6.p", "6p", "6_p", "A.2", "x''"]
    anchors = [html_anchor(t) for t in tags]
    assert len(set(anchors)) == len(tags)
    assert all(re.fullmatch(r"eq-[A-Za-z0-9._-]+", a) for a in anchors)
    assert html_anchor("6'") == "eq-6_p"


def test_premises_link_to_their_equations(mse_page):
    _, page = mse_page
    ids = {e.attrs["id"] for e in page.iter() if "id" in e.attrs}
    links = [a.attrs["href"] for a in page.find_all("a")]
    assert "#eq-7_p" in links and "#eq-16" in links
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
        ["eq-6_p", "eq-7_p", "eq-8_p"]
    assert "replace (8)" in corrected.find(cls="erratum-label").text()
    style = page.find_all("style")[1].text()
    rule = re.search(r"\.erratum \{([^}]*)\}", style).group(1)
    assert "display: grid" in rule and "grid-template-columns: minmax(0, 1fr) minmax(0, 1fr)" \
        in rule and "border-left: 4px solid var(--expected)" in rule


def test_conclusion(mse_page):
    _, page = mse_page
    section = page.by_id("verification")[0]
    assert "The conclusion (17) is established" in section.text()
    assert [m.text() for m in section.find(cls="assumptions").find_all(cls="math")] == \
        [r"\sigma > 0", r"\lambda_{1} > 0", r"N \in \mathbb{Z}"]
    assert "Given or defined without proof: (1), (3), (5)." in section.text()
    assert section.find(cls="cited").text().strip() == "the central limit theorem"
    assert "on 2026-01-01" in section.find(cls="colophon").text()


def test_conclusion_not_established(mse_document):
    result = fabricate(mse_document, failing={"8": failure(), "13": failure()},
                       established=False)
    section = parse(render_html(result)).by_id("verification")[0]
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


def test_richer_content_shows_when_the_context_gives_it(mse_result):
    """The dependency graph and an erratum's diff have their places; markup in them is
    shown only if built as markup, a plain string is escaped."""
    context = report_context(mse_result, "2026-01-01")
    template = html_environment().get_template("article.html.j2")
    plain = parse(template.render(context, assets=page_assets()))
    assert plain.find(cls="dependency-graph") is None and plain.find(cls="erratum-diff") is None
    context["items"][7]["diff"] = Markup('<span class="diff">+</span>')
    page = parse(template.render(context, assets=page_assets(),
                                 graph_svg=Markup('<svg id="graph"></svg>')))
    assert page.find(cls="dependency-graph").find("svg").attrs["id"] == "graph"
    assert page.find(cls="erratum").find(cls="erratum-diff").find(cls="diff").text() == "+"
    html = template.render(context, assets=page_assets(), graph_svg="<svg onload=x>")
    assert "&lt;svg onload=x&gt;" in html and "<svg onload" not in html


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
def pages(tmp_path_factory):
    """Each derivation's page, written by ``derive report --format html``, and its
    verdicts from ``derive verify --json``."""
    out = tmp_path_factory.mktemp("html")
    done = derive("report", "--format", "html", "--time-limit", "60", "--out", str(out),
                  *map(str, DERIVATIONS))
    assert done.returncode in (0, 1), done.stderr
    verified = derive("verify", "--json", "--time-limit", "60", *map(str, DERIVATIONS))
    assert verified.returncode in (0, 1), verified.stderr
    import json
    verdicts = {Path(d["file"]).stem: {s["tag"]: mark(s) for s in d["steps"]}
                for d in json.loads(verified.stdout)["derivations"]}
    return out, verdicts


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
