"""The PDF report: it builds with latexmk, shows hostile prose literally, and a
failed or interrupted build leaves the earlier report whole."""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import derive.report.render as render
from fabricated import fabricate, small_document
from test_latex import HOSTILE
from derive.errors import ReportError
from derive.report.pdf import build_pdf
from derive.report.render import TEMPLATES, write_reports

needs_tex = pytest.mark.skipif(
    shutil.which("xelatex") is None or shutil.which("latexmk") is None,
    reason="xelatex or latexmk not installed (apt-get install texlive-xetex "
           "texlive-lang-chinese fonts-noto-cjk latexmk); .ci/run installs them")


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@needs_tex
def test_mse_article_builds(mse_result, tmp_path):
    start = time.monotonic()
    written = write_reports(mse_result, ["md", "tex", "pdf"], tmp_path, labels="en")
    elapsed = time.monotonic() - start
    assert [p.name for p in written] == ["why-mse.md", "why-mse.tex", "why-mse.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)
    assert written[2].read_bytes().startswith(b"%PDF")
    text = pdf_text(written[2])
    assert "为什么生成模型要使用" in text
    assert "erratum" in text and "The conclusion (17) is established." in text
    assert "How the conclusion is reached" in text   # the TikZ graph compiled
    assert "As printed, (7):" in text and "Corrected, (7" in text   # \\diffmark compiled
    assert longest_bar(written[2], (0xBC, 0x4C, 0x00)) > 100   # the erratum's bar is orange
    print(f"PDF built in {elapsed:.1f} s")


def longest_bar(pdf: Path, colour: tuple[int, int, int], dpi: int = 50) -> int:
    """The longest vertical run of pixels of ``colour`` on any page of ``pdf``."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (poppler-utils)")
    pages = Path(tempfile.mkdtemp(prefix="derive-pages-"))
    subprocess.run(["pdftoppm", "-r", str(dpi), str(pdf), str(pages / "page")], check=True)
    longest = 0
    for page in sorted(pages.glob("page-*.ppm")):
        width, height, pixels = read_ppm(page)
        near = [all(abs(a - b) < 24 for a, b in zip(pixels[i:i + 3], colour))
                for i in range(0, len(pixels), 3)]
        for x in range(width):
            run = 0
            for y in range(height):
                run = run + 1 if near[y * width + x] else 0
                longest = max(longest, run)
    shutil.rmtree(pages)
    return longest


def read_ppm(path: Path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (P6) with 8-bit samples."""
    data = path.read_bytes()
    fields, position = [], 0
    while len(fields) < 4:
        match = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, position)
        fields.append(match.group(2))
        position = match.end()
    assert fields[0] == b"P6" and fields[3] == b"255"
    return int(fields[1]), int(fields[2]), data[position + 1:]


@needs_tex
def test_hostile_prose_compiles_and_shows_literally(tmp_path):
    result = fabricate(small_document(HOSTILE))
    pdf = write_reports(result, ["pdf"], tmp_path)[0]
    text = pdf_text(pdf)
    assert r"\input{/etc/passwd}" in text
    assert r"$\input{/etc/passwd}$" in text
    assert "% _ & # $ ~ ^ \\ { }" in text
    assert r"\end{document}" in text and r"\write18{rm}" in text
    assert "root:" not in text


@needs_tex
def test_failed_build_leaves_the_earlier_report(mse_result, tmp_path):
    out = tmp_path / "out"
    write_reports(mse_result, ["md", "tex", "pdf"], out)
    before = snapshot(out)
    broken = tmp_path / "templates"
    shutil.copytree(TEMPLATES, broken)
    article = broken / "article.tex.j2"
    article.write_text(article.read_text().replace(r"\begin{document}", r"\begin{document}\undefinedthing"))
    with pytest.raises(ReportError, match=r"Undefined control sequence"):
        write_reports(mse_result, ["md", "tex", "pdf"], out, templates=broken,
                      today="1999-01-01")
    assert snapshot(out) == before


def test_interrupted_build_leaves_the_earlier_report(mse_result, tmp_path, monkeypatch):
    write_reports(mse_result, ["md", "tex"], tmp_path, today="2000-01-01")
    before = snapshot(tmp_path)

    def interrupted(latex, folder, stem):
        (folder / f"{stem}.pdf").write_bytes(b"%PDF half")
        raise KeyboardInterrupt
    monkeypatch.setattr(render, "build_pdf", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_reports(mse_result, ["md", "tex", "pdf"], tmp_path, today="2001-01-01")
    assert snapshot(tmp_path) == before


def test_missing_latexmk_is_a_report_error(mse_result, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReportError, match="latexmk"):
        write_reports(mse_result, ["pdf"], tmp_path)
    assert os.listdir(tmp_path) == []


RAW_READ_AND_WRITE = r"""\documentclass{article}
\begin{document}
\immediate\write18{touch SHELL-ESCAPED}
\newread\file \immediate\openin\file=/etc/hostname
\ifeof\file NOT-READ\else READ\fi
\end{document}
"""


@needs_tex
def test_tex_runs_without_shell_escape_and_reads_nothing_outside(tmp_path):
    """Even TeX that escaped every filter could not run a command or read a file
    outside the build folder."""
    pdf = build_pdf(RAW_READ_AND_WRITE, tmp_path, "raw")
    assert not (tmp_path / "SHELL-ESCAPED").exists()
    assert "NOT-READ" in pdf_text(pdf)
    with pytest.raises(ReportError, match=r"/etc/hostname.tex' not found"):
        build_pdf(RAW_READ_AND_WRITE.replace(r"\end{document}", "\\input{/etc/hostname}\n"
                                             r"\end{document}"), tmp_path, "input")


def test_tex_is_run_with_shell_escape_off_and_paranoid_file_access(tmp_path, monkeypatch):
    seen = {}

    def run(command, **kwargs):
        seen.update(command=command, env=kwargs["env"])
        raise subprocess.TimeoutExpired(command, 1)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "run", run)
    with pytest.raises(ReportError):
        build_pdf("x", tmp_path, "x")
    assert "-no-shell-escape" in seen["command"]
    assert seen["env"]["openin_any"] == "p" and seen["env"]["openout_any"] == "p"


#: Every block and inline form of CommonMark, in the places LaTeX reads them hardest.
EVERY_CONSTRUCT = """Intro *emphasis* and **bold** and `code` and $x^2$ and $$a > 0$$ inline.\\
[a bracket after a hard break]\\
\\*a star after one

- [a bracket opening an item]
- item

  3. nested from three
  4. four
     - deeper
       - deeper still
         - five deep
           - six deep
             - seven deep

> quote
> > nested quote
> > > three
> > > > four
> > > > > five
> > > > > > six

```
\\end{quote} \\input{x} $x$
```

---

## A heading *with* $x$ and a line\\
break

1. - # a heading in a list
"""


@needs_tex
def test_every_markdown_construct_compiles(tmp_path):
    pdf = write_reports(fabricate(small_document(EVERY_CONSTRUCT)), ["pdf"], tmp_path)[0]
    text = pdf_text(pdf)
    for shown in ("[a bracket after a hard break]", "*a star after one", "[a bracket opening",
                  "seven deep", "six", r"\end{quote} \input{x} $x$", "a heading in a list"):
        assert shown in text, shown
