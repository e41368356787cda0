"""The Markdown report: tags in order, marks, failures, the erratum, the conclusion."""

import re

from fabricated import fabricate, small_document
from derive.report.phrases import anchor
from derive.report.render import render_markdown

ORDER = ["1", "2", "3", "4", "5", "6", "7", "8", "6'", "7'", "8'", "9", "10", "11", "12",
         "13", "14", "15", "16", "17"]
ANNOTATION = re.compile(r"^> \*\*\((.+?)\)\*\* \S+ \*\*(.+?)\*\*", re.M)


def test_every_tag_in_order_with_its_mark(mse_result):
    text = render_markdown(mse_result, labels="en", today="2026-01-01")
    marks = ANNOTATION.findall(text)
    assert [tag for tag, _ in marks] == ORDER
    # every equation once, in order, and the conclusion restated at the end
    assert re.findall(r"\\tag\{(.+?)\}", text) == ORDER + ["17"]
    expected = {r.step.tag: r.mark for r in mse_result.steps}
    words = {"numeric": "checked numerically", "expected failure": "erratum"}
    for tag, shown in marks:
        assert shown == words.get(expected[tag], expected[tag]), tag
    assert dict(marks)["8"] == "erratum"
    assert dict(marks)["1"] == "assumed"
    assert dict(marks)["9"] == "checked numerically"


def test_display_math_blocks_stand_alone(mse_result):
    lines = render_markdown(mse_result, labels="en").splitlines()
    opening = [i for i, line in enumerate(lines) if line == "$$"]
    again = ["6", "7"]   # shown once more, untagged, above (6') and (7') which redo them
    assert len(opening) == 2 * (len(ORDER) + len(again) + 1)   # and the conclusion restated
    for i in opening[::2]:
        assert lines[i - 1] == ""
    anchors = [line for line in lines if line.startswith("<a id=")]
    assert anchors == [f'<a id="{anchor(tag)}"></a>' for tag in ORDER]
    step5 = mse_result.document.step("5").latex.strip()
    assert step5 in "\n".join(lines)   # as printed, aligned and all


def test_failure_shows_reason_residual_counterexample_expected(mse_result):
    text = render_markdown(mse_result, labels="en")
    section = text[text.index(r"\tag{8}"):text.index(r"\tag{6'}")]
    assert "reason: the solved form does not satisfy (7)" in section
    assert r"residual: $2 \lambda_{1} \epsilon^{2}$" in section
    assert r"$\lambda_{1} = \frac{1}{2}$" in section
    assert r"the rule expected: $p(\epsilon) = \exp(\lambda_{0} - 1)" in section
    assert r"solving [(7)](#eq-7) for $p(\epsilon)$" in section


def test_erratum_beside_its_correction(mse_result):
    text = render_markdown(mse_result, labels="en")
    printed = text.index(r"\tag{8}")
    note = text.index("Erratum, as noted in the derivation file")
    corrected = text.index("**Corrected:** (6'), (7'), (8') replace (8)")
    assert printed < note < corrected < text.index(r"\tag{6'}") < text.index(r"\tag{9}")
    assert "the sign of λ₁ε² flips" in text


def test_multi_link_steps_show_each_rule(mse_result):
    text = render_markdown(mse_result, labels="en")
    section = text[text.index("> **(9)**"):text.index(r"\tag{10}")]
    rules = re.findall(r"^> \d+\. (.+?) — \S+ \*\*(.+?)\*\*", section, re.M)
    assert rules == [("substituting [(8')](#eq-8:p)", "proved"), ("by linearity", "proved"),
                     ("integrating", "checked numerically"),
                     ("substituting [(5)](#eq-5)", "proved"), ("solving", "proved")]


def test_conclusion_established_with_assumptions(mse_result):
    text = render_markdown(mse_result, labels="en", today="2026-01-01")
    closing = text[text.index("## Verification"):]
    assert "**The conclusion (17) is established**" in closing
    for assumption in (r"$\sigma > 0$", r"$\lambda_{1} > 0$", r"$N \in \mathbb{Z}$"):
        assert f"- {assumption}" in closing
    assert "Given or defined without proof: [(1)](#eq-1), [(3)](#eq-3), [(5)](#eq-5)." \
        in closing
    assert "the central limit theorem" in closing
    assert "on 2026-01-01" in closing and "SymPy" in closing
    assert text.index("这正是均方误差（MSE）损失函数的形式。") < text.index("## Verification")


def test_conclusion_not_established(mse_document):
    from fabricated import failure
    result = fabricate(mse_document, failing={"8": failure(), "13": failure()},
                       established=False)
    text = render_markdown(result, labels="en")
    assert "**The conclusion (17) is not established**" in text
    assert "Some steps did not check as the derivation file expects: (13)." in text
    assert dict(ANNOTATION.findall(text))["13"] == "failed"


def test_small_english_document():
    text = render_markdown(fabricate(small_document("Let **a** be $a > 0$:")))
    assert text.startswith("# A small derivation\n")
    assert [t for t, _ in ANNOTATION.findall(text)] == ["1", "2"]
    assert "Let **a** be $a > 0$:" in text
