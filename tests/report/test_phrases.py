"""Justifications as words, math and links; anchors and labels; the source as a
citation; the conclusion section as the reports show it."""

import dataclasses
import re
import subprocess

import pytest

from fabricated import RULES, fabricate, small_document
from test_pdf import needs_tex, pdf_text
from derive.document.loader import loads
from derive.document.model import Source
from derive.report.filters import (md_citation, md_justification, md_ref, tex_citation,
                                   tex_justification, tex_ref)
from derive.report.phrases import anchor, phrase
from derive.report.render import render_latex, render_markdown, write_reports


def parts(document, tag, link=0):
    step = document.step(tag)
    return [(p.kind, p.text) for p in phrase(step.justification_for(link), document.scope)]


def test_a_justification_reads_as_words_math_and_references(mse_document):
    assert parts(mse_document, "8") == [("words", "solving"), ("ref", "7"), ("words", "for"),
                                        ("math", r"p(\epsilon)")]
    assert parts(mse_document, "13") == [
        ("words", "substituting"), ("ref", "11"), ("words", ","), ("ref", "12"),
        ("words", "into"), ("ref", "8'")]
    assert parts(mse_document, "6'") == [
        ("words", "the Lagrangian of"), ("ref", "5"), ("words", "with"),
        ("math", r"\lambda_0"), ("words", ","), ("math", r"-\lambda_1")]
    assert parts(mse_document, "14")[-6:] == [
        ("words", "for all"), ("math", "x"), ("words", ","), ("math", "z"), ("words", ","),
        ("math", r"\theta")]
    assert parts(mse_document, "4") == [("words", "citing the central limit theorem")]


def test_justifications_in_markdown_and_latex(mse_document):
    eight = mse_document.step("8").justifications[0]
    scope = mse_document.scope
    assert md_justification(eight, scope) == r"solving [(7)](#eq-7) for $p(\epsilon)$"
    assert tex_justification(eight, scope) == \
        r"solving \hyperref[eq-7]{(7)} for $p(\epsilon)$"
    thirteen = mse_document.step("13").justifications[0]
    assert md_justification(thirteen, scope) == \
        "substituting [(11)](#eq-11), [(12)](#eq-12) into [(8')](#eq-8:p)"


def test_every_reference_in_the_reports_has_its_target(mse_result):
    md = render_markdown(mse_result, labels="en")
    anchors = set(re.findall(r'^<a id="(.+?)"></a>$', md, re.M))
    links = set(re.findall(r"\]\(#(.+?)\)", md))
    assert links and links <= anchors
    tex = render_latex(mse_result, labels="en")
    labels = set(re.findall(r"\\label\{(.+?)\}", tex))
    refs = set(re.findall(r"\\hyperref\[(.+?)\]", tex))
    assert refs and refs <= labels
    assert r"\usepackage[colorlinks=true" in tex


@pytest.mark.parametrize("tags", [["8", "8'", "8''", "8*", "8.1", "8-1", "A", "a"]])
def test_anchors_are_distinct_and_safe(tags):
    names = [anchor(t) for t in tags]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"eq-[A-Za-z0-9.:-]+", n) for n in names)


def test_a_reference_to_a_missing_equation_is_not_a_link():
    assert md_ref("9", {"1", "2"}) == "(9)"
    assert tex_ref("9", {"1"}) == "(9)"
    assert md_ref("1", {"1"}) == "[(1)](#eq-1)"


def test_the_source_is_a_citation():
    source = Source("Why MSE", "A. Author", "https://example.org/a?b=1&c=2#d", "2025-12-09",
                    "../a.txt")
    assert md_citation(source) == ("*Why MSE*, A. Author, 2025-12-09, "
                                   "<https://example.org/a?b=1&c=2#d>")
    assert tex_citation(source) == (r"\emph{Why MSE}, A. Author, 2025-12-09, "
                                    r"\url{https://example.org/a?b=1&c=2#d}")
    local = Source(title="T <b>", path="../shared/a_b.txt")
    assert md_citation(local) == r"*T \<b\>*, `../shared/a_b.txt`"
    assert tex_citation(local) == r"\emph{T <b>}, \texttt{../shared/a\_b.txt}"
    # an address the loader would refuse is never a link
    assert md_citation(Source(url="javascript:alert(1)")) == "`javascript:alert(1)`"
    assert r"\url" not in tex_citation(Source(url=r"https://a/}\input{x}"))


def test_the_mse_report_cites_its_article(mse_result):
    md = render_markdown(mse_result, labels="en")
    assert md.splitlines()[2] == ("Source: *为什么生成模型要使用MSE？*, 2025-12-09, "
                                  "`../shared/seed/000_d622c4ac3bc063ff.txt`")
    assert r"\emph{为什么生成模型要使用MSE？}" in render_latex(mse_result, labels="en")


def test_the_conclusion_section(mse_result):
    mse_result.assumptions = [r"\epsilon \in (-\infty, \infty)", r"\sigma > 0",
                              r"\epsilon \in \mathbb{R}", r"\sigma \in (0, \infty)", "I = 1"]
    md = render_markdown(mse_result, labels="en")
    closing = md[md.index("## Verification"):]
    assert "$$\n" + mse_result.document.step("17").latex.strip() + "\n$$" in closing
    assert "- [(8)](#eq-8) as printed, corrected by [(6')](#eq-6:p), [(7')](#eq-7:p), " \
           "[(8')](#eq-8:p): Solving (7)" in closing
    assumptions = re.findall(r"^- (\$.+\$)$", closing, re.M)
    assert assumptions == [r"$\sigma > 0$", r"$\epsilon \in \mathbb{R}$"]
    assert re.search(r"^- \$I = 1\$: The article writes the covariance of the error as σ²I",
                     closing, re.M)
    tex = render_latex(mse_result, labels="en")
    closing = tex[tex.index(r"\section*{Verification}"):]
    assert r"It rests on these assumptions: $\sigma > 0$, $\epsilon \in \mathbb{R}$." in closing
    assert r"\item $I = 1$: The article writes the covariance" in closing
    assert r"\item \hyperref[eq-8]{(8)} as printed, corrected by" in closing


@needs_tex
def test_a_cited_url_and_links_build(tmp_path):
    document = small_document("Let:")
    document.citation = Source("T", "A", "https://example.org/a_b?x=1&y=50%25#s~t", "", "")
    pdf = write_reports(fabricate(document), ["pdf"], tmp_path)[0]
    text = pdf_text(pdf)
    assert "https://example.org/a_b?x=1&y=50%25#s~t" in text
    assert "solving (1)" in text


def test_a_rule_after_a_semicolon_reads_as_its_words():
    from derive.document.model import Justification
    shown = [(p.kind, p.text) for p in phrase(Justification(
        "substitute", ("1",), text="substitute (1); integrate", then=("integrate",)))]
    assert shown == [("words", "substituting"), ("ref", "1"), ("words", "; integrating")]
