"""What makes the HTML report one self-contained page: KaTeX's script and style inlined,
its fonts as ``data:`` URLs, the script that renders the math, and a Content-Security-
Policy that lets the page run those scripts only and load nothing from anywhere."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from derive.errors import Position, ReportError

#: KaTeX as ``npm pack katex`` ships it: katex.min.js, katex.min.css, fonts/*.woff2.
_PACKAGE = Path(__file__).resolve().parent.parent
#: Installed: ``derive/katex``; in a checkout: ``vendor/katex`` beside the package.
KATEX = next((folder for folder in (_PACKAGE / "katex", _PACKAGE.parent / "vendor" / "katex")
              if (folder / "katex.min.js").is_file()), _PACKAGE / "katex")
#: The script that renders the page's math elements with KaTeX.
RENDER_SCRIPT = Path(__file__).resolve().parent / "math.js"
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_SOURCE = re.compile(r"src\s*:[^;}]*")
_WOFF2 = re.compile(r"url\(\s*['\"]?fonts/([A-Za-z0-9_.-]+\.woff2)['\"]?\s*\)")


@dataclass(frozen=True)
class PageAssets:
    """The inlined parts of a page, already checked to hold no closing tag."""

    katex_css: Markup
    katex_js: Markup
    render_js: Markup
    csp: str


def _asset_error(message: str, path: Path) -> ReportError:
    return ReportError(message, Position(str(path), 1, 1))


def read_asset(path: Path) -> str:
    """A shipped file's text, or a :class:`ReportError` naming what is missing."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise _asset_error(f"cannot read {path.name} for the HTML report: {error.strerror}",
                           path) from None


def inline_fonts(css: str, fonts: Path) -> str:
    """KaTeX's style with each ``@font-face`` reduced to its woff2 font as a ``data:`` URL,
    so that the page loads no file; a font face without a woff2 font is an error."""
    def face(match: re.Match) -> str:
        rule = match.group(0)
        font = _WOFF2.search(rule)
        if font is None:
            raise _asset_error(f"a KaTeX font face has no woff2 font: {rule[:80]}", fonts)
        path = fonts / font.group(1)
        try:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
        except OSError as error:
            raise _asset_error(f"cannot read KaTeX font {path.name}: {error.strerror}",
                               path) from None
        return _FONT_SOURCE.sub(
            lambda _: f'src:url(data:font/woff2;base64,{data}) format("woff2")', rule, count=1)
    inlined = _FONT_FACE.sub(face, css)
    remote = [u for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", inlined)
              if not u.startswith("data:")]
    if remote:
        raise _asset_error(f"KaTeX's style refers to {remote[0]}", fonts)
    return inlined


def inline_text(text: str, element: str, path: Path) -> Markup:
    """``text`` to be written raw inside a ``<script>`` or ``<style>`` element: refused if
    it could end the element or open a comment there."""
    if re.search(rf"</{element}|<!--", text, re.I):
        raise _asset_error(f"{path.name} cannot be inlined: it holds </{element} or <!--",
                           path)
    return Markup(text)


def script_hash(text: str) -> str:
    """A CSP source allowing one inline script: ``'sha256-...'`` of its exact text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: list[str]) -> str:
    """The page's policy: nothing loaded from anywhere; only the given inline scripts run,
    inline style and ``data:`` fonts and images are allowed."""
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(script_hash(s) for s in scripts),
        "style-src 'unsafe-inline'",   # KaTeX positions glyphs with style attributes
        "font-src data:",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


@functools.lru_cache(maxsize=4)
def page_assets(katex: Path = KATEX, render_script: Path = RENDER_SCRIPT) -> PageAssets:
    """KaTeX and the render script, read once, ready to be written into a page."""
    css = inline_fonts(read_asset(katex / "katex.min.css"), katex / "fonts")
    js = read_asset(katex / "katex.min.js")
    render = read_asset(render_script)
    return PageAssets(
        katex_css=inline_text(css, "style", katex / "katex.min.css"),
        katex_js=inline_text(js, "script", katex / "katex.min.js"),
        render_js=inline_text(render, "script", render_script),
        csp=content_security_policy([js, render]))
