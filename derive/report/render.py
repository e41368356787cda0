"""Render a checked derivation as Markdown, LaTeX, PDF and a self-contained HTML page.

The text is shaped by the Jinja templates in the repository's ``templates/``
folder and the filters of :mod:`derive.report.filters`; this module only gathers
what the templates show and writes the files, each atomically: nothing replaces
an earlier report until every requested format has been produced.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import jinja2
import sympy

import derive
from derive.check.verdict import DerivationResult
from derive.errors import Position, ReportError
from derive.report.conclusion import conclusion_of
from derive.report.diff import FILTERS as DIFF_FILTERS
from derive.report.filters import FILTERS, MARKS
from derive.report.graph import FILTERS as GRAPH_FILTERS, dependency_graph
from derive.report.i18n import translations
from derive.report.page import page_assets
from derive.report.pdf import build_pdf

_PACKAGE = Path(derive.__file__).resolve().parent


def default_templates() -> Path:
    """The shipped templates: ``derive/templates`` in an installed package, else the
    checkout's ``templates/`` beside the package."""
    for folder in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if (folder / "article.md.j2").is_file():
            return folder
    return _PACKAGE / "templates"


#: The templates shipped with derive.
TEMPLATES = default_templates()
FORMATS = ("md", "tex", "pdf", "html")
#: The template each format is rendered from.
ARTICLES = {"md": "article.md.j2", "tex": "article.tex.j2", "pdf": "article.tex.j2",
            "html": "article.html.j2"}
#: Fonts for Chinese documents (from fonts-noto-cjk).
CJK_FONTS = {"cjk_serif": "Noto Serif CJK SC", "cjk_sans": "Noto Sans CJK SC",
             "cjk_mono": "Noto Sans Mono CJK SC"}


def _environment(templates: Path | None, language: str, autoescape: bool = False,
                 **syntax) -> jinja2.Environment:
    """Jinja with derive's filters and the words of ``language`` (``_()`` in templates);
    a missing variable is an error."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates or TEMPLATES)),
        undefined=jinja2.StrictUndefined, autoescape=autoescape, keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"], **syntax)
    words = translations(language)
    env.install_gettext_translations(words, newstyle=True)
    env.derive_gettext = words.gettext
    env.filters.update(FILTERS)
    env.filters.update(DIFF_FILTERS)
    env.filters.update(GRAPH_FILTERS)
    return env


def markdown_environment(templates: Path | None = None, language: str = "en") -> jinja2.Environment:
    """Jinja for Markdown: the usual delimiters."""
    return _environment(templates, language)


def latex_environment(templates: Path | None = None, language: str = "en") -> jinja2.Environment:
    """Jinja for LaTeX: ``<% %>``, ``<< >>`` and ``<# #>`` so that TeX braces stay TeX's."""
    return _environment(templates, language,
                        block_start_string="<%", block_end_string="%>",
                        variable_start_string="<<", variable_end_string=">>",
                        comment_start_string="<#", comment_end_string="#>")


def html_environment(templates: Path | None = None, language: str = "en") -> jinja2.Environment:
    """Jinja for HTML: every value escaped unless a filter built it as markup from
    escaped parts."""
    return _environment(templates, language, autoescape=True, trim_blocks=True,
                        lstrip_blocks=True)


def report_date() -> str:
    """Today's date, or the one ``SOURCE_DATE_EPOCH`` fixes for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


def labels_language(result: DerivationResult, labels: str | None = None) -> str:
    """The language of the report's own words: ``labels`` if given, else the article's."""
    return labels or result.document.language


def report_context(result: DerivationResult, today: str | None = None,
                   labels: str | None = None) -> dict:
    """What the templates show: the steps in order, each erratum with the steps
    correcting it, the count of each verdict, versions and date."""
    present = {r.step.tag for r in result.steps}
    corrections: dict[str, list] = {}
    for r in result.steps:
        if r.step.corrects in present:
            corrections.setdefault(r.step.corrects, []).append(r)
    items = [{"result": r, "corrections": corrections.get(r.step.tag, [])}
             for r in result.steps if r.step.corrects not in present]
    counted = Counter(r.mark for r in result.steps)
    counts = [(mark, counted[mark]) for mark in MARKS if counted[mark]]
    counts += [(mark, n) for mark, n in counted.items() if mark not in MARKS]
    return {
        "result": result,
        "document": result.document,
        "items": items,
        "counts": counts,
        "problems": [r.step.tag for r in result.steps if not r.ok],
        "conclusion": conclusion_of(result),
        "versions": {"derive": derive.__version__, "sympy": sympy.__version__},
        "today": today or report_date(),
        "fonts": CJK_FONTS,
        "graph": dataclasses.replace(dependency_graph(result),
                                     gettext=translations(labels_language(result, labels)).gettext),
    }


def render_markdown(result: DerivationResult, templates: Path | None = None,
                    today: str | None = None, labels: str | None = None) -> str:
    """The checked article as Markdown."""
    env = markdown_environment(templates, labels_language(result, labels))
    template = env.get_template("article.md.j2")
    text = template.render(report_context(result, today, labels))
    return re.sub(r"\n{3,}", "\n\n", text)   # the templates' spacing, tidied


def render_latex(result: DerivationResult, templates: Path | None = None,
                 today: str | None = None, labels: str | None = None) -> str:
    """The checked article as a LaTeX document for xelatex."""
    env = latex_environment(templates, labels_language(result, labels))
    template = env.get_template("article.tex.j2")
    return template.render(report_context(result, today, labels))


def render_html(result: DerivationResult, templates: Path | None = None,
                today: str | None = None, labels: str | None = None) -> str:
    """The checked article as one HTML page that needs nothing else: KaTeX, its fonts and
    the page's style inlined, the math rendered in the browser."""
    env = html_environment(templates, labels_language(result, labels))
    template = env.get_template("article.html.j2")
    return template.render(report_context(result, today, labels), assets=page_assets())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())   # mkstemp makes it private
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_reports(result: DerivationResult, formats, out_dir: Path, *,
                  templates: Path | None = None, today: str | None = None,
                  labels: str | None = None) -> list[Path]:
    """Write ``out_dir/<stem>.md``, ``.tex``, ``.pdf`` and ``.html`` for the formats asked,
    their own words in ``labels`` (default: the article's ``meta.language``).

    Every format is produced first (the PDF in a temporary folder) and only then
    moved into place, so a failed or interrupted run leaves earlier reports whole.

    >>> write_reports(result, ["md", "pdf"], Path("out"))    # doctest: +SKIP
    [PosixPath('out/why-mse.md'), PosixPath('out/why-mse.pdf')]

    Raises :class:`~derive.errors.ReportError` if the PDF cannot be built.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(unknown)}")
    folder = Path(templates or TEMPLATES)
    missing = sorted({ARTICLES[f] for f in formats} - {p.name for p in folder.glob("*.j2")})
    if missing:
        raise ReportError(f"no report templates in {folder}: pass --templates DIR, "
                          f"a folder holding {missing[0]}", Position(str(folder), 1, 1))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(result.document.path).stem
    today = today or report_date()
    texts: dict[str, bytes] = {}
    if "md" in formats:
        texts["md"] = render_markdown(result, templates, today, labels).encode("utf-8")
    if "tex" in formats or "pdf" in formats:
        latex = render_latex(result, templates, today, labels)
        if "tex" in formats:
            texts["tex"] = latex.encode("utf-8")
    if "html" in formats:
        texts["html"] = render_html(result, templates, today, labels).encode("utf-8")
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".derive-report-") as build:
        if "pdf" in formats:
            pdf = build_pdf(latex, Path(build), stem)
        written = []
        for fmt in formats:
            target = out_dir / f"{stem}.{fmt}"
            if fmt == "pdf":
                os.replace(pdf, target)
            else:
                _write_atomic(target, texts[fmt])
            written.append(target)
    return written
