"""The claim of the report itself: for every shipped derivation and every test
derivation here, the verdict printed beside each step in the Markdown and in the PDF
(read back with pdftotext) is the one ``derive verify --json`` gives."""

from __future__ import annotations

import re
import subprocess

import pytest

from shipped import DERIVATIONS, HAS_PDF_TOOLS
from derive.report.filters import MARKS
from derive.report.i18n import languages, translations

#: A verdict's words in every language a report may be written in.
WORDS = {translations(language).gettext(words): mark for language in languages()
         for mark, (_, words, _) in MARKS.items()}
#: "(tag) words" at the start of a line: how a verdict is printed under an equation.
VERDICT_WORDS = "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True))
MD_VERDICT = re.compile(rf"^> \*\*\((?P<tag>[^)]+)\)\*\* \S+ \*\*(?P<words>{VERDICT_WORDS})\*\*",
                        re.M)
PDF_VERDICT = re.compile(rf"^\s*\((?P<tag>[A-Za-z0-9'.*-]+)\)\s+(?P<words>{VERDICT_WORDS})\b",
                         re.M)


@pytest.fixture(scope="module")
def verdicts(shipped_runs) -> dict[str, list[tuple[str, str]]]:
    """Each derivation's (tag, mark) in file order, from ``derive verify --json``."""
    return shipped_runs.verdicts()


def reported(pattern: re.Pattern, text: str) -> dict[str, str]:
    """The verdict printed for each tag; a tag printed twice is an error."""
    found = [(m["tag"], WORDS[m["words"]]) for m in pattern.finditer(text)]
    tags = [tag for tag, _ in found]
    assert len(tags) == len(set(tags)), f"a tag is printed twice: {tags}"
    return dict(found)


def test_the_test_derivations_show_every_verdict(verdicts):
    marks = {m for steps in verdicts.values() for _, m in steps}
    assert marks >= {"proved", "assumed", "failed", "expected failure", "undecided",
                     "unexpected pass"}


def test_markdown_verdicts_are_the_checkers(verdicts, shipped_runs):
    for path in DERIVATIONS:
        text = (shipped_runs.out / f"{path.stem}.md").read_text(encoding="utf-8")
        assert reported(MD_VERDICT, text) == dict(verdicts[path.stem]), path.name


@pytest.mark.skipif(not HAS_PDF_TOOLS,
                    reason="xelatex, latexmk or pdftotext not installed (apt-get install "
                           "texlive-xetex texlive-lang-chinese fonts-noto-cjk latexmk "
                           "poppler-utils); .ci/run installs them")
def test_pdf_verdicts_are_the_checkers(verdicts, shipped_runs):
    for path in DERIVATIONS:
        pdf = shipped_runs.out / f"{path.stem}.pdf"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        text = text.replace("’", "'").replace("′", "'")
        assert reported(PDF_VERDICT, text) == dict(verdicts[path.stem]), path.name


def test_html_verdicts_are_the_checkers(verdicts, shipped_runs):
    """The badge under each equation of the web page (tests/report/test_html.py checks
    the same in a browser, after the math is rendered)."""
    from html_tree import parse
    for path in DERIVATIONS:
        page = parse((shipped_runs.out / f"{path.stem}.html").read_text(encoding="utf-8"))
        found = [(line.find(cls="tag").text().strip("()"), WORDS[line.find(cls="badge").text()])
                 for line in page.find_all(cls="verdict")]
        assert found == verdicts[path.stem], path.name
