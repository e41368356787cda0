"""The Markdown report renders where articles live. The report of every shipped and
test derivation is read by markdown-it with dollar math at its strictest, and with
GitHub's rule for where inline math may stand (a space or a line's edge before it, a
space, ``.,;:!?`` or a line's edge after it); every formula is typeset by the vendored
KaTeX under Node with errors thrown; and the prose arrives whole."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar

from derive.document.loader import load
from derive.report.prose import MATH_FOLLOWERS, parse_prose, prose_markdown

from shipped import DERIVATIONS, ROOT
KATEX = ROOT / "vendor" / "katex" / "katex.min.js"
NODE = shutil.which("node")
#: Typesets each formula read as JSON from stdin; prints null or the error of each.
KATEX_SCRIPT = """
const katex = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const errors = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      katex.renderToString(tex, {throwOnError: true, displayMode, strict: "error"});
      return null;
    } catch (error) {
      return String(error.message);
    }
  });
  process.stdout.write(JSON.stringify(errors));
});
"""

needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def github_placed(rule):
    """``rule`` for inline math, taken only where GitHub renders it: after a space or
    at a line's start, and before a space, ``.,;:!?`` or a line's end."""
    def math_inline(state, silent):
        start = state.pos
        if start > 0 and not state.src[start - 1].isspace():
            return False
        if not rule(state, True):
            return False
        end, state.pos = state.pos, start
        after = state.src[end:end + 1]
        if after and not after.isspace() and after not in MATH_FOLLOWERS:
            return False
        return rule(state, silent)
    return math_inline


def strict_reader() -> MarkdownIt:
    """CommonMark with dollar math at its strictest, placed as GitHub places it."""
    md = MarkdownIt("commonmark")
    dollarmath_plugin(md, allow_labels=False, allow_space=False, allow_digits=False,
                      allow_blank_lines=False, double_inline=False)
    md.inline.ruler.at("math_inline", github_placed(
        math_inline_dollar(allow_space=False, allow_digits=False, allow_double=False)))
    return md


def tokens(markdown: str, md: MarkdownIt):
    """Every token of ``markdown``, inline ones included, in order."""
    for token in md.parse(markdown):
        yield token
        yield from token.children or ()


def math_of(markdown: str) -> tuple[list[tuple[str, bool]], list[str]]:
    """The formulas a strict reader finds (LaTeX, display?), and the text left holding
    a dollar: math that would show as its source."""
    md = strict_reader()
    formulas, stray = [], []
    for token in tokens(markdown, md):
        if token.type in ("math_inline", "math_block"):
            formulas.append((token.content.strip(), token.type == "math_block"))
        elif token.type == "text" and "$" in token.content:
            stray.append(token.content)
    return formulas, stray


def katex_errors(formulas: list[tuple[str, bool]]) -> dict[str, str]:
    """Each formula that KaTeX refuses, with its error: one Node process for all."""
    done = subprocess.run([NODE, "-e", KATEX_SCRIPT, str(KATEX)], input=json.dumps(formulas),
                          capture_output=True, text=True, timeout=600, check=True)
    errors = json.loads(done.stdout)
    return {tex: error for (tex, _), error in zip(formulas, errors) if error is not None}


def plain(markdown: str) -> str:
    """The text a reader reads in Markdown read strictly: no math, code or spaces."""
    found = (t.content for t in tokens(markdown, strict_reader()) if t.type == "text")
    return "".join("".join(found).split())


def source_text(prose: str) -> str:
    """The text of prose as derive reads it: no math, code or spaces."""
    found = (node.content for node in parse_prose(prose).walk() if node.type == "text")
    return "".join("".join(found).split())


@pytest.fixture(scope="module")
def reports(shipped_runs) -> dict[Path, str]:
    """The Markdown report of every derivation, checked by derive."""
    return {path: (shipped_runs.out / f"{path.stem}.md").read_text(encoding="utf-8")
            for path in DERIVATIONS}


@needs_node
def test_every_formula_is_math_and_katex_typesets_it(reports):
    every = []
    for path, markdown in reports.items():
        formulas, stray = math_of(markdown)
        assert not stray, f"{path.name}: dollars left as text: {stray}"
        assert sum(display for _, display in formulas) >= len(load(path).steps), path.name
        assert any(not display for _, display in formulas), path.name
        every += formulas
    assert sum(r"\tag{" in tex for tex, _ in every) >= len(reports)
    assert katex_errors(every) == {}


def test_the_prose_arrives_whole(reports):
    for path, markdown in reports.items():
        document = load(path)
        rendered = plain(markdown)
        texts = [step.prose for step in document.steps] + [document.epilogue]
        paragraphs = [p for text in texts for p in text.split("\n\n") if p.strip()]
        for paragraph in paragraphs:
            assert source_text(paragraph) in rendered, (path.name, paragraph)
        if document.language == "zh":
            assert sum(any("\u4e00" <= c <= "\u9fff" for c in p) for p in paragraphs) > 10


@needs_node
def test_katex_refuses_what_is_not_latex():
    errors = katex_errors([(r"\frac{1}{2}", False), (r"\frac{1}{", False),
                           (r"x \tag{1}", True), (r"\notacommand", False)])
    assert set(errors) == {r"\frac{1}{", r"\notacommand"}


@pytest.mark.parametrize("glued", ["数据$z$，这里的", "数据 $z$，这里的", "数据$z$ 这里",
                                   "f($x$)", "a$x$b"])
def test_math_glued_to_text_is_not_read_as_math(glued):
    """The check above would catch the old output: inline math glued to text."""
    formulas, stray = math_of(glued)
    assert formulas == [] and stray


def test_spaced_math_is_read_as_math():
    written = prose_markdown("数据$z$，这里的$z$可以，均值为0$z$1", scope=None)
    formulas, stray = math_of(written)
    assert formulas == [("z", False)] * 3 and not stray


def test_display_math_and_tags_are_blocks():
    formulas, stray = math_of("text\n\n$$\nx = 1 \\tag{1}\n$$\n\nmore $y$.")
    assert formulas == [("x = 1 \\tag{1}", True), ("y", False)] and not stray


def test_the_prose_check_sees_lost_text():
    """The prose check compares the text a reader reads, so a lost word shows."""
    source = "数据$z$，这里的`code`可以"
    assert source_text(source) == plain(prose_markdown(source)) == "数据，这里的可以"
    assert source_text(source) not in plain("数据 $z$ ，这的可以")
