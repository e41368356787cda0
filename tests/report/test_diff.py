"""The erratum diff: what differs between a printed formula and its correction is
marked on the parse trees, exactly there, in LaTeX that derive's guard still accepts,
and in Markdown that KaTeX renders."""

import re
import shutil
import subprocess

import pytest

from fabricated import ROOT
from derive.report.diff import (MARK_COMMANDS, counterpart, diff_latex, differing_spans,
                                differs, fits_beside, mark)
from derive.report.filters import is_derive_latex

KATEX = ROOT / "vendor" / "katex" / "katex.min.js"

#: (printed, corrected, printed as marked, corrected as marked), with M for \diffmark.
CASES = [
    # a sign between two terms: only the operator, as a binary operator
    (r"a + b = 0", r"a - b = 0",
     r"a \mathbin{M{+}} b = 0", r"a \mathbin{M{-}} b = 0"),
    # a sign in front: only the sign; nothing to mark where there is none
    (r"x = -y", r"x = y", r"x = {M{-}}y", r"x = y"),
    (r"x = y", r"x = -y", r"x = y", r"x = {M{-}}y"),
    # an exponent: only the script, grouped so that ^ takes it whole
    (r"x = y^2", r"x = y^3", r"x = y^{M{2}}", r"x = y^{M{3}}"),
    # a relation: as a relation
    (r"x = y", r"x < y", r"x \mathrel{M{=}} y", r"x \mathrel{M{<}} y"),
    # a factor deep inside: that factor only
    (r"f = \frac{a}{\sqrt{b c}}", r"f = \frac{a}{\sqrt{b d}}",
     r"f = \frac{a}{\sqrt{b {M{c}}}}", r"f = \frac{a}{\sqrt{b {M{d}}}}"),
    # a link added to a chain: the new link's relation and side
    (r"a = b", r"a = b = c", r"a = b", r"a = b \mathrel{M{=}} {M{c}}"),
    # spelling is no difference: \left( against (, \dfrac against \frac, spacing
    (r"x = \left( a + b \right) \dfrac{1}{2}", r"x = (a+b)\frac{1}{2}",
     r"x = \left( a + b \right) \dfrac{1}{2}", r"x = (a+b)\frac{1}{2}"),
]


def expand(text: str) -> str:
    return text.replace("M{", r"\diffmark{")


@pytest.mark.parametrize("printed, corrected, marked_printed, marked_corrected", CASES)
def test_marks_exactly_what_differs(printed, corrected, marked_printed, marked_corrected):
    assert diff_latex(printed, corrected) == (expand(marked_printed), expand(marked_corrected))


def test_identical_formulas_are_not_marked():
    formula = r"p(\epsilon) = \exp(\lambda_0 - 1) \exp(-\lambda_1 \epsilon^2)"
    assert differing_spans(formula, formula) == ([], [])
    assert diff_latex(formula + r" \tag{8}", formula) == (formula + r" \tag{8}", formula)


def step(document, tag):
    return document.step(tag)


def test_why_mse_erratum_marks_only_the_sign(mse_document):
    """(7') and (6') redo (7) and (6) with the sign of the variance term flipped; (8')
    prints the same formula as the erratum (8)."""
    d = mse_document
    printed, corrected = diff_latex(d.step("7").latex, d.step("7'").latex)
    assert printed == (r"\frac{\delta \mathcal{L}}{\delta p(\epsilon)} = -\log p(\epsilon) - 1 "
                       r"+ \lambda_0 \mathbin{\diffmark{+}} \lambda_1 \epsilon^2 = 0 \tag{7}")
    assert corrected == (r"\frac{\delta \mathcal{L}}{\delta p(\epsilon)} = -\log p(\epsilon) "
                         r"- 1 + \lambda_0 \mathbin{\diffmark{-}} \lambda_1 \epsilon^2 = 0")
    printed, corrected = diff_latex(d.step("6").latex, d.step("6'").latex)
    assert re.findall(r"\\diffmark\{(.*?)\}", printed) == ["+"]
    assert re.findall(r"\\diffmark\{(.*?)\}", corrected) == ["-"]
    assert r"&\mathbin{\diffmark{+}} \lambda_1 \left( \int \epsilon^2" in printed
    assert r"\mathbin{\diffmark{-}} \lambda_1 \left( \int \epsilon^2" in corrected
    assert not differs(d.step("8"), d.step("8'"))
    assert differs(d.step("7"), d.step("7'"))


def test_each_correction_is_shown_beside_the_step_it_redoes(mse_document):
    d = mse_document
    assert [counterpart(d.step(t), d, "8").tag for t in ("6'", "7'", "8'")] == ["6", "7", "8"]
    assert fits_beside(d.step("7"), d.step("7'"))
    assert not fits_beside(d.step("6"), d.step("6'"))   # an aligned block


def test_marked_latex_is_still_derives_latex(mse_document):
    """The last guard accepts the marks only as extra commands: marks wrap whole groups."""
    for tag in ("6", "7"):
        for marked in diff_latex(mse_document.step(tag).latex,
                                 mse_document.step(tag + "'").latex):
            assert r"\diffmark" in marked
            assert is_derive_latex(marked, extra=MARK_COMMANDS)
            assert not is_derive_latex(marked)


def test_a_mark_never_holds_an_alignment_point():
    """A differing subtree across the lines of an aligned block is marked line by line:
    a group holding & or \\\\ would not compile."""
    printed = r"\begin{aligned} a &= b + c \\ &+ d \end{aligned}"
    corrected = r"\begin{aligned} a &= e \end{aligned}"
    marked, _ = diff_latex(printed, corrected)
    assert marked.count(r"\diffmark{") >= 2
    for group in re.findall(r"\\diffmark\{((?:[^{}]|\{[^{}]*\})*)\}", marked):
        assert "&" not in group and "\\\\" not in group
    assert is_derive_latex(marked, extra=MARK_COMMANDS)


def test_what_derive_does_not_read_is_not_marked():
    assert diff_latex(r"x = \foo{y}", r"x = y") is None
    assert diff_latex(r"x = y", r"x = \input{/etc/passwd}") is None
    assert diff_latex(r"x = (y", r"x = y") is None


def test_overlapping_spans_are_refused():
    from derive.report.diff import Span
    with pytest.raises(ValueError):
        mark("abcdef", [Span(0, 3), Span(2, 5)])


@pytest.mark.skipif(shutil.which("node") is None or not KATEX.is_file(),
                    reason="node or the vendored KaTeX (vendor/katex) not present")
def test_katex_renders_the_markdown_marks(mse_document, tmp_path):
    formulas = [m for tag in ("6", "7") for m in diff_latex(
        mse_document.step(tag).latex, mse_document.step(tag + "'").latex, "md")]
    assert all(r"\color{#cf222e}" in f for f in formulas)
    script = tmp_path / "render.js"
    script.write_text(
        "const katex = require(process.argv[2]);\n"
        "const formulas = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        "for (const f of formulas) {\n"
        "  const html = katex.renderToString(f, {displayMode: true, throwOnError: true});\n"
        "  if (!html.includes('#cf222e')) throw new Error('no colour: ' + f);\n"
        "}\nconsole.log('rendered ' + formulas.length);\n")
    import json
    done = subprocess.run(["node", str(script), str(KATEX)], input=json.dumps(formulas),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"rendered {len(formulas)}"


def test_an_equation_shown_again_is_not_numbered_again(mse_document):
    from derive.report.diff import md_marked, tex_marked
    d = mse_document
    assert r"\tag" not in tex_marked(d.step("7"), d.step("7'"), tagged=False)
    assert r"\tag" not in md_marked(d.step("6"), d.step("6'"), tagged=False)
    # unmarked, as tex_display shows it, whose tag for (7') is \tag{7\ensuremath{'}}
    assert r"\tag" not in tex_marked(d.step("7'"), None, tagged=False)
    assert tex_marked(d.step("7'"), None).endswith(r"\tag{7\ensuremath{'}}")


def test_reports_show_each_correction_beside_what_it_redoes(mse_result):
    from derive.report.render import render_latex, render_markdown
    markdown = render_markdown(mse_result, labels="en", today="2026-01-01")
    assert "As printed, (7), with what (7') changes in colour:" in markdown
    assert r"\mathbin{\color{#cf222e}{-}} \lambda_1 \epsilon^2 = 0 \tag{7'}" in markdown
    assert "The same formula as the printed (8)." in markdown
    latex = render_latex(mse_result, labels="en", today="2026-01-01")
    beside = latex[latex.index(r"As printed, (7):"):latex.index(r"\textbf{(7')}")]
    assert beside.count(r"\end{minipage}") == 2 and r"\mathbin{\diffmark{+}}" in beside
    assert r"\newcommand{\diffmark}" in latex
