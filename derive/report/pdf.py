"""Build a PDF from a LaTeX report with latexmk and xelatex, in a folder of its own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from derive.errors import Position, ReportError

#: Seconds allowed for one PDF build (two or three xelatex runs).
TIME_LIMIT = 300
_ERROR_LINE = re.compile(r"^(!.*|.*:\d+: .*)$", re.M)


def first_error(log: str) -> str:
    """The first error a TeX log reports (``! ...`` or ``file:line: ...``), or ''."""
    match = _ERROR_LINE.search(log)
    return match.group(1).strip() if match else ""


def tex_environment() -> dict[str, str]:
    """The environment for TeX: no shell escape, and files read or written only below
    the build folder (kpathsea's paranoid mode: no absolute paths, no ``..``, no dot
    files), whatever the user's texmf.cnf says."""
    env = dict(os.environ)
    env.update({"openin_any": "p", "openout_any": "p", "shell_escape": "f"})
    return env


def build_pdf(latex: str, folder: Path, stem: str, time_limit: float = TIME_LIMIT) -> Path:
    """Write ``folder/<stem>.tex``, compile it with ``latexmk -xelatex`` and return
    the PDF's path; raise :class:`ReportError` with the log's first error if it fails."""
    latexmk = shutil.which("latexmk")
    if latexmk is None or shutil.which("xelatex") is None:
        raise ReportError("cannot build the PDF: latexmk and xelatex are needed "
                          "(apt-get install latexmk texlive-xetex texlive-lang-chinese "
                          "fonts-noto-cjk)", Position(f"{stem}.tex", 1, 1))
    folder = Path(folder)
    source = folder / f"{stem}.tex"
    source.write_text(latex, encoding="utf-8")
    command = [latexmk, "-xelatex", "-no-shell-escape", "-interaction=nonstopmode",
               "-halt-on-error", "-file-line-error", "-norc", "-silent", f"{stem}.tex"]
    try:
        run = subprocess.run(command, cwd=folder, stdin=subprocess.DEVNULL, env=tex_environment(),
                             capture_output=True, text=True, errors="replace",
                             timeout=time_limit)
    except subprocess.TimeoutExpired:
        raise ReportError(f"latexmk took more than {time_limit:g} s",
                          Position(f"{stem}.tex", 1, 1)) from None
    log_path = folder / f"{stem}.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    pdf = folder / f"{stem}.pdf"
    if run.returncode != 0 or not pdf.exists():
        message = first_error(log) or first_error(run.stdout) or (
            run.stderr.strip().splitlines() or ["no log"])[-1]
        raise ReportError(f"latexmk failed: {message}", Position(f"{stem}.tex", 1, 1))
    if re.search(r"There were undefined references|Reference .* undefined", log):
        raise ReportError("the PDF has undefined references", Position(f"{stem}.tex", 1, 1))
    return pdf
