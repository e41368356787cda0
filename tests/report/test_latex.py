"""The LaTeX report: structure, marks, the erratum, and escaped hostile prose."""

import re

from fabricated import fabricate, small_document
from test_markdown import ORDER
from derive.report.phrases import anchor
from derive.report.render import render_latex

NOTE = re.compile(r"^\\textbf\{\((.+?)\)\} \\verdict\{\w+\}\{(.+?)\}", re.M)
HOSTILE = r"""Specials: % _ & # $ ~ ^ \ { } and {unbalanced and } too.

Read \input{/etc/passwd} then $\input{/etc/passwd}$ and $x^a^b$ and $\left( x$.

\end{document} **unclosed and $$\def\x{1}$$ and `\write18{rm}`

## Heading with $x^2$ and 50%

> quoted \catcode

1. item $a$ ok
"""


def test_every_tag_in_order_with_its_mark(mse_result):
    text = render_latex(mse_result, labels="en", today="2026-01-01")
    notes = NOTE.findall(text)
    assert [tag for tag, _ in notes] == ORDER
    tags = re.findall(r"\\tag\{(.+?)\} \\label\{(.+?)\}\n", text)
    assert [t.replace(r"\ensuremath{'}", "'") for t, _ in tags] == ORDER
    assert [label for _, label in tags] == [anchor(tag) for tag in ORDER]
    assert dict(notes)["8"] == "erratum" and dict(notes)["17"] == "proved"


def test_chinese_document_uses_ctex_and_noto(mse_result):
    text = render_latex(mse_result, labels="en")
    assert r"\documentclass[a4paper,11pt,fontset=none]{ctexart}" in text
    assert r"\setCJKmainfont{Noto Serif CJK SC}" in text
    assert r"\usepackage{amsmath}" in text


def test_failure_and_erratum(mse_result):
    text = render_latex(mse_result, labels="en")
    printed = text.index(r"\tag{8}")
    section = text[printed:text.index(r"\tag{6\ensuremath{'}}")]
    assert "reason: the solved form does not satisfy (7)" in section
    assert r"residual: $2 \lambda_{1} \epsilon^{2}$" in section
    assert r"counterexample: $\lambda_{0} = 1$" in section
    assert "Corrected:" in section
    assert text.index(r"\begin{leftbar}") < printed < text.index(r"\end{leftbar}")


def test_conclusion(mse_result):
    text = render_latex(mse_result, labels="en", today="2026-01-01")
    closing = text[text.index(r"\section*{Verification}"):]
    assert "The conclusion (17) is established." in closing
    assert (r"It rests on these assumptions: $\sigma > 0$, $\lambda_{1} > 0$, "
            r"$N \in \mathbb{Z}$.") in closing
    assert "Cited theorems: the central limit theorem." in closing
    assert "on 2026-01-01" in closing


def test_hostile_prose_is_escaped():
    text = render_latex(fabricate(small_document(HOSTILE)))
    body = text[text.index(r"\begin{document}"):]
    assert r"\input{" not in body and r"\def" not in body and r"\write18" not in body
    assert body.count(r"\end{document}") == 1
    assert r"\textbackslash{}input\{/etc/passwd\}" in body
    assert r"\$\textbackslash{}input\{/etc/passwd\}\$" in body
    assert r"\% \_ \& \# \$ \textasciitilde{} \textasciicircum{} \textbackslash{} \{ \}" in body
    assert r"\section*{Heading with $x^2$ and 50\%}" in body
    assert r"\item item $a$ ok" in body
    assert r"\documentclass[a4paper,11pt]{article}" in text
