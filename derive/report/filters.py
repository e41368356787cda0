"""Small pure functions that shape text for the report templates.

Markdown prose comes from derivation files written by anyone, so nothing of it
reaches the report as written: text is escaped, and math is read by derive's own
grammar with the document's declarations and printed back by derive's printer
(:func:`derive_math`), or shown literally when it does not read. The filters that
show math read the document's declarations from the template's ``document``.

The functions are gathered in :data:`FILTERS` at the bottom, which the report
environments install as Jinja filters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import jinja2
from markupsafe import Markup, escape

from derive.errors import DeriveError
from derive.latex.parser import parse_formula, parse_tree
from derive.latex.printer import formula_latex
from derive.latex.scope import ASSUMPTION_TEXT, Scope
from derive.report.i18n import N_

# -- verdict marks ----------------------------------------------------------------

#: How each :attr:`StepResult.mark` is shown: emoji, words (in English, translated where
#: shown), LaTeX colour. A step kept as the article printed it, and failing as the file
#: expects, is an erratum.
MARKS = {
    "proved": ("✅", N_("proved"), "ProvedColor"),
    "numeric": ("🔢", N_("checked numerically"), "NumericColor"),
    "assumed": ("📌", N_("assumed"), "AssumedColor"),
    "failed": ("❌", N_("failed"), "FailedColor"),
    "expected failure": ("⚠️", N_("erratum"), "ExpectedColor"),
    "undecided": ("❓", N_("undecided"), "UndecidedColor"),
    "unexpected pass": ("❗", N_("unexpected pass"), "FailedColor"),
}


def _translated(env: jinja2.Environment, words: str) -> str:
    """``words`` in the language of the template's environment (English without one)."""
    gettext = getattr(env, "derive_gettext", None)
    return gettext(words) if gettext else words


@jinja2.pass_environment
def mark_words(env, mark: str) -> str:
    """The verdict in words: ``numeric`` -> ``checked numerically``."""
    return _translated(env, MARKS.get(mark, ("", mark, ""))[1])


@jinja2.pass_environment
def md_badge(env, mark: str) -> str:
    """A Markdown badge for a verdict: emoji and bold words."""
    emoji, words, _ = MARKS.get(mark, ("•", mark, ""))
    return f"{emoji} **{md_escape(_translated(env, words))}**"


@jinja2.pass_environment
def tex_badge(env, mark: str) -> str:
    """A LaTeX badge for a verdict (``\\verdict`` is defined in the preamble)."""
    _, words, colour = MARKS.get(mark, ("", mark, "UndecidedColor"))
    return rf"\verdict{{{colour}}}{{{tex_escape(_translated(env, words))}}}"


# -- LaTeX text -------------------------------------------------------------------

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi "
          "rho varsigma sigma tau upsilon phi chi psi omega").split()
#: Unicode symbols the text fonts may lack, typeset as math instead.
_UNICODE_MATH = {chr(0x3B1 + i): ("o" if name == "o" else "\\" + name)
                 for i, name in enumerate(_GREEK)}
_UNICODE_MATH.update({
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi",
    "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "ϵ": r"\epsilon", "ε": r"\varepsilon", "ϕ": r"\phi",
    "−": "-", "×": r"\times", "÷": r"\div", "±": r"\pm", "≤": r"\le", "≥": r"\ge",
    "≠": r"\neq", "≈": r"\approx", "→": r"\to", "⇒": r"\Rightarrow", "∞": r"\infty",
    "′": "'", "″": "''", "·": r"\cdot", "∈": r"\in", "∑": r"\sum", "∫": r"\int",
    "√": r"\surd", "∂": r"\partial", "∇": r"\nabla", "∼": r"\sim",
})
_UNICODE_MATH.update({chr(0x2080 + d): f"_{{{d}}}" for d in range(10)})
_UNICODE_MATH.update({s: f"^{{{d}}}" for d, s in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")})


def _tex_char(c: str) -> str:
    if c in _TEX_SPECIAL:
        return _TEX_SPECIAL[c]
    if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c not in "\n\t":
        return "?"   # TeX gives control characters meanings of their own
    if c in _TEX_SPECIAL:
        return _TEX_SPECIAL[c]
    if c in _UNICODE_MATH:
        return rf"\ensuremath{{{_UNICODE_MATH[c]}}}"
    return c


def tex_escape(text) -> str:
    """Plain text as LaTeX: every special character escaped, nothing interpreted."""
    return "".join(_tex_char(c) for c in str(text))


def tex_tag(tag: str) -> str:
    """A tag's text for ``\\tag{}``: escaped, with a prime as a prime."""
    return tex_escape(tag).replace("'", r"\ensuremath{'}")


# -- math, as derive reads and prints it --------------------------------------------

#: The control words of derive's grammar and printer: the only ones math in a report holds.
DERIVE_COMMANDS = frozenset((
    # Greek (greek.lark), \delta and \pi
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta "
    "Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
    # grammar.lark
    "tag Rightarrow implies Longrightarrow text mathrm xrightarrow to neq ne leq le "
    "geq ge sim approx arg min max sum prod int frac dfrac tfrac sqrt log ln exp sin cos tan "
    "sinh cosh tanh mathbb mathcal hat bar tilde vec dot ddot check mathbf boldsymbol "
    "partial infty ast star prime cdot times left right mid quad qquad displaystyle limits"
).split())
#: Control symbols they use: braces, thin spaces, a line break in an aligned block.
_CONTROL_SYMBOLS = {"\\{", "\\}", "\\,", "\\;", "\\:", "\\!", "\\ ", "\\|", "\\\\"}
#: The environments derive's grammar reads.
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{\s*(aligned|align\*?|split|gathered)\s*\}")
_CONTROL = re.compile(r"\\[A-Za-z]+|\\.", re.S)
#: What an assumption may say of a printed expression, as the engine writes it.
_ASSUMED = tuple(ASSUMPTION_TEXT.values()) + (r"\text{ converges}",)
_INTERVAL = re.compile(r"(?P<name>.+?) \\in (?P<open>[(\[])(?P<low>.+), (?P<high>.+)(?P<close>[)\]])")
_RANGE = re.compile(r"(?P<name>.+?) \\in \\\{(?P<low>.+), \\dots, (?P<high>.+)\\\}")


def is_derive_latex(latex: str, inline: bool = False) -> bool:
    r"""Whether ``latex`` holds only what derive's grammar reads and its printer writes:
    the control words of :data:`DERIVE_COMMANDS`, balanced braces, printable ASCII, no
    ``# % $ ^^``; ``inline`` math also no ``\tag``, ``&`` or line break.

    A second guard behind parsing: a declaration such as ``\hat{\iffalse}`` passes the
    grammar's accent rule, and its name would be printed as declared."""
    latex = _ENVIRONMENT.sub(" ", str(latex))
    if not re.fullmatch(r"[\x20-\x7e\n\t]*", latex) or re.search(r"[#%$]|\^\^", latex):
        return False
    if inline and re.search(r"&|\\\\|\\tag(?![A-Za-z])", latex):
        return False
    for control in _CONTROL.findall(latex):
        if control not in _CONTROL_SYMBOLS and control[1:] not in DERIVE_COMMANDS:
            return False
    depth = 0
    for brace in re.findall(r"(?<!\\)[{}]", re.sub(r"\\\\", "", latex)):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def derive_math(latex, scope: Scope | None = None) -> str | None:
    """Inline math that derive reads, as written; ``None`` if it does not read, so that
    it is shown as text, never as TeX.

    It must parse with derive's grammar, and with the document's declarations when
    ``scope`` is given (prose); the text is then a sequence of the grammar's own tokens.
    It is not printed back through SymPy, which would change what it says (a declared
    constant ``I = 1`` would read ``1 = 1``, ``\\sigma^2 I`` would lose its ``I``)."""
    text = " ".join(str(latex).split())
    if not text or not is_derive_latex(text, inline=True):
        return None
    try:
        parse_tree(text)
        if scope is not None:
            parse_formula(text, scope)
    except (DeriveError, ValueError, TypeError, RecursionError):
        return None
    return text


def assumption_math(latex, scope: Scope | None = None) -> str | None:
    r"""An assumption as derive prints it: a formula, or a printed expression followed by
    one of the engine's own phrases (``\in \mathbb{R}``, ``\text{ converges}``, an
    interval or a range of indices); ``None`` if it does not read."""
    text = " ".join(str(latex).split())
    if (whole := derive_math(text, scope)) is not None:
        return whole
    for phrase in _ASSUMED:
        if text.endswith(" " + phrase):
            head = derive_math(text[:-len(phrase) - 1], scope)
            return None if head is None else f"{head} {phrase}"
    for pattern, template in ((_INTERVAL, r"{name} \in {open}{low}, {high}{close}"),
                              (_RANGE, r"{name} \in \{{{low}, \dots, {high}\}}")):
        if match := pattern.fullmatch(text):
            parts = {k: derive_math(match.group(k), scope) for k in ("name", "low", "high")}
            if None in parts.values():
                return None
            brackets = {k: match.groupdict().get(k) for k in ("open", "close")}
            return template.format(**parts, **brackets)
    return None


def tex_math(latex, scope: Scope | None = None) -> str:
    """Inline math for LaTeX: ``$...$`` as derive prints it, or literal text if it does
    not read."""
    printed = assumption_math(latex, scope)
    if printed is not None:
        return f"${printed}$"
    return r"\texttt{" + tex_escape(" ".join(str(latex).split())) + "}"


def tex_display(step, scope: Scope | None = None) -> str:
    """A step's LaTeX for the PDF: as printed in the file (read by the grammar when the
    file was loaded) with a ``\\tag{}`` if it has none; derive's printing of its formula
    if the text holds anything else; literal text if neither is derive's LaTeX."""
    latex = step.latex.strip()
    if not is_derive_latex(latex):
        latex = formula_latex(step.formula, scope)
        if not is_derive_latex(latex):
            return (r"\text{\texttt{" + tex_escape(" ".join(step.latex.split()))
                    + r"}} \tag{" + tex_tag(step.tag) + "}")
        return latex + rf" \tag{{{tex_tag(step.tag)}}}"
    if step.formula.tag is None:
        latex += rf" \tag{{{tex_tag(step.tag)}}}"
    return latex


# -- inline Markdown to LaTeX -----------------------------------------------------

_INLINE = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|\*\*|`([^`]+)`", re.S)


def tex_inline(text: str, scope: Scope | None = None) -> str:
    """One paragraph of Markdown (``**bold**``, ``$math$``, ```code```) as LaTeX; math
    as derive prints it (:func:`derive_math`), or literal text if it does not read."""
    text = str(text)
    bold_markers = len(re.findall(r"\*\*", _INLINE.sub(
        lambda m: m.group(0) if m.group(0) == "**" else "", text)))
    usable = bold_markers - bold_markers % 2   # an unpaired ** stays literal
    out, position, bold = [], 0, False
    for match in _INLINE.finditer(text):
        out.append(tex_escape(text[position:match.start()].replace(r"\$", "$")))
        position = match.end()
        display, inline, code = match.group(1), match.group(2), match.group(3)
        if match.group(0) == "**":
            if usable:
                out.append("}" if bold else r"\textbf{")
                bold, usable = not bold, usable - 1
            else:
                out.append("**")
        elif code is not None:
            out.append(r"\texttt{" + tex_escape(code) + "}")
        else:
            printed = derive_math(display if display is not None else inline, scope)
            if printed is not None:
                out.append(rf"\[{printed}\]" if display is not None else f"${printed}$")
            else:
                out.append(tex_escape(match.group(0)))
    out.append(tex_escape(text[position:].replace(r"\$", "$")))
    return "".join(out)


# -- Markdown blocks ----------------------------------------------------------------

@dataclass
class Block:
    """One block of prose: a heading, a paragraph, a list or a quote."""

    kind: str                    # heading, paragraph, ordered, bulleted, quote
    text: str = ""
    level: int = 0
    start: int = 1
    items: list[str] = field(default_factory=list)
    children: list["Block"] = field(default_factory=list)


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ORDERED = re.compile(r"^\s{0,3}(\d{1,9})[.)]\s+(.*)$")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")


def prose_blocks(markdown: str) -> list[Block]:
    """Split Markdown prose into blocks: ``#`` headings, paragraphs, numbered and
    bulleted lists, ``>`` quotes (whose content is split the same way)."""
    blocks: list[Block] = []
    lines = str(markdown).strip("\n").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if heading := _HEADING.match(line):
            blocks.append(Block("heading", heading.group(2), level=len(heading.group(1))))
            i += 1
        elif _QUOTE.match(line):
            quoted = []
            while i < len(lines) and (match := _QUOTE.match(lines[i])):
                quoted.append(match.group(1))
                i += 1
            blocks.append(Block("quote", children=prose_blocks("\n".join(quoted))))
        elif _ORDERED.match(line) or _BULLET.match(line):
            ordered = bool(_ORDERED.match(line))
            pattern = _ORDERED if ordered else _BULLET
            block = Block("ordered" if ordered else "bulleted",
                          start=int(_ORDERED.match(line).group(1)) if ordered else 1)
            while i < len(lines) and lines[i].strip():
                if match := pattern.match(lines[i]):
                    block.items.append(match.group(match.lastindex))
                elif _starts_block(lines[i]):
                    break
                else:   # a continuation line of the item
                    block.items[-1] += "\n" + lines[i].strip()
                i += 1
            blocks.append(block)
        else:
            paragraph = []
            while i < len(lines) and lines[i].strip() and not (
                    paragraph and _starts_block(lines[i])):
                paragraph.append(lines[i].strip())
                i += 1
            blocks.append(Block("paragraph", "\n".join(paragraph)))
    return blocks


def _starts_block(line: str) -> bool:
    return bool(_HEADING.match(line) or _QUOTE.match(line) or _ORDERED.match(line)
                or _BULLET.match(line))


def tex_heading(level: int) -> str:
    """The sectioning command for a Markdown heading level inside an article."""
    return {1: "section", 2: "section", 3: "subsection"}.get(level, "paragraph")


# -- Markdown text ------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|$])")


def md_escape(text) -> str:
    """Plain text as Markdown: punctuation that Markdown or math would read, escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def md_code(text) -> str:
    """Text as a Markdown code span, with a fence longer than any backtick run inside."""
    text = str(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_math(latex, scope: Scope | None = None) -> str:
    """Inline math for Markdown: ``$...$`` as derive prints it (GitHub, KaTeX), or a code
    span if it does not read."""
    printed = assumption_math(latex, scope)
    if printed is not None and "`" not in printed:
        return f"${printed}$"
    return md_code(" ".join(str(latex).split()))


#: What could start raw HTML, an autolink, a link or an image in Markdown text.
_MD_MARKUP = re.compile(r"([<\[\]])")


def _md_text(text: str) -> str:
    """Markdown text with every ``<``, ``[`` and ``]`` escaped, so that no HTML, link or
    image gets in; emphasis, lists, quotes and headings stay."""
    return _MD_MARKUP.sub(r"\\\1", text)


def md_prose(text, scope: Scope | None = None) -> str:
    """Markdown prose from a derivation file, made safe: math as derive prints it (or a
    code span if it does not read), code spans kept, and no HTML, link or image."""
    text = str(text)
    out, position = [], 0
    for match in _INLINE.finditer(text):
        if match.group(0) == "**":
            continue
        out.append(_md_text(text[position:match.start()]))
        position = match.end()
        display, inline, code = match.group(1), match.group(2), match.group(3)
        if code is not None:
            out.append(md_code(code))
            continue
        printed = derive_math(display if display is not None else inline, scope)
        if printed is None or "`" in printed:
            out.append(md_code(" ".join(match.group(0).split())))
        else:
            out.append(f"$${printed}$$" if display is not None else f"${printed}$")
    out.append(_md_text(text[position:]))
    return "".join(out)


# -- the engine's reasons ----------------------------------------------------------

def _reason_kind(reason: str) -> str:
    """Prose if it marks its math with ``$``; code if it has bare LaTeX; else text."""
    if "$" in reason:
        return "prose"
    return "code" if "\\" in reason else "text"


def md_reason(reason, scope: Scope | None = None) -> str:
    """A verdict's reason for Markdown: its ``$math$`` as derive prints it, bare LaTeX in
    it shown as code, not garbled."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    if kind == "prose":
        return md_prose(reason, scope)
    return md_code(reason) if kind == "code" else md_escape(reason)


def tex_reason(reason, scope: Scope | None = None) -> str:
    """A verdict's reason for LaTeX: ``$math$`` as derive prints it, bare LaTeX as code."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    if kind == "prose":
        return tex_inline(reason, scope)
    if kind == "code":
        return r"\texttt{" + tex_escape(reason) + "}"
    return tex_escape(reason)


# -- HTML ---------------------------------------------------------------------------
# Every HTML filter returns Markup built from escaped text: the page's templates escape
# everything else, so nothing from a derivation file becomes markup. Math goes into a
# ``math`` element as text, for KaTeX to render in the page, and only if derive reads it.

@jinja2.pass_environment
def html_badge(env, mark: str) -> Markup:
    """A verdict badge: its words in a span whose class gives it the verdict's colour."""
    words = _translated(env, MARKS.get(mark, ("", mark, ""))[1])
    return Markup('<span class="badge {}">{}</span>').format(verdict_class(mark), words)


def verdict_class(mark: str) -> str:
    """The CSS class of a verdict: ``expected failure`` -> ``verdict-expected-failure``."""
    return "verdict-" + re.sub(r"[^a-z0-9]+", "-", str(mark).lower()).strip("-")


def html_anchor(tag) -> str:
    """The ``id`` of an equation: ``eq-`` and its tag, ``'`` as ``_p`` and ``*`` as ``_s``
    (a tag holds no ``_``, so no two tags share an id), anything else as ``_xHH``."""
    def safe(c: str) -> str:
        if c.isascii() and (c.isalnum() or c in ".-"):
            return c
        return {"'": "_p", "*": "_s"}.get(c, f"_x{ord(c):02x}")
    return "eq-" + "".join(safe(c) for c in str(tag))


def html_tags(tags_) -> Markup:
    """Tags as the article writes them, each a link to its equation: ``(6'), (7')``."""
    return Markup(", ").join(Markup('<a href="#{}">({})</a>').format(html_anchor(t), t)
                             for t in tags_)


def html_math_span(latex: str, display: bool = False) -> Markup:
    """Math for KaTeX: the LaTeX as escaped text of a ``math inline`` span (or a
    ``math display`` one, shown as a block)."""
    return Markup('<span class="math {}">{}</span>').format(
        "display" if display else "inline", latex)


def html_code(text) -> Markup:
    """Text shown literally, in a code element."""
    return Markup("<code>{}</code>").format(" ".join(str(text).split()))


def html_math(latex, scope: Scope | None = None) -> Markup:
    """Inline math for HTML as derive prints it (:func:`assumption_math`), or code if it
    does not read."""
    printed = assumption_math(latex, scope)
    return html_code(latex) if printed is None else html_math_span(printed)


# -- HTML prose: a stand-in ---------------------------------------------------------
# Until derive.report.prose (markdown-it) lands, these read prose with the regex reader
# above. Then: html_prose is Markup(prose_html(text, scope)), html_inline is
# Markup(prose_html(text, scope, inline=True)), html_reason is Markup(prose.html_reason).

def html_inline(text, scope: Scope | None = None) -> Markup:
    """One paragraph of Markdown (``**bold**``, ``$math$``, ```code```) as HTML: text
    escaped, math as derive reads it (:func:`derive_math`) or code if it does not read."""
    text = str(text)
    bold_markers = len(re.findall(r"\*\*", _INLINE.sub(
        lambda m: m.group(0) if m.group(0) == "**" else "", text)))
    usable = bold_markers - bold_markers % 2   # an unpaired ** stays literal
    out, position, bold = [], 0, False
    for match in _INLINE.finditer(text):
        out.append(escape(text[position:match.start()].replace(r"\$", "$")))
        position = match.end()
        display, inline, code = match.group(1), match.group(2), match.group(3)
        if match.group(0) == "**":
            if usable:
                out.append(Markup("</strong>" if bold else "<strong>"))
                bold, usable = not bold, usable - 1
            else:
                out.append(escape("**"))
        elif code is not None:
            out.append(html_code(code))
        else:
            printed = derive_math(display if display is not None else inline, scope)
            out.append(html_code(match.group(0)) if printed is None
                       else html_math_span(printed, display=display is not None))
    out.append(escape(text[position:].replace(r"\$", "$")))
    return Markup("").join(out)


def html_prose(markdown, scope: Scope | None = None) -> Markup:
    """Markdown prose as HTML blocks (headings, paragraphs, lists, quotes), each line
    through :func:`html_inline`. A stand-in until ``derive.report.prose`` parses
    Markdown with markdown-it-py."""
    return _html_blocks(prose_blocks(markdown), scope)


def _html_blocks(blocks: list[Block], scope: Scope | None) -> Markup:
    out = []
    for block in blocks:
        if block.kind == "heading":
            level = min(block.level + 1, 6)   # the page's title is its only h1
            out.append(Markup("<h{0}>{1}</h{0}>").format(level, html_inline(block.text, scope)))
        elif block.kind == "paragraph":
            out.append(Markup("<p>{}</p>").format(html_inline(block.text, scope)))
        elif block.kind in ("ordered", "bulleted"):
            items = Markup("").join(Markup("<li>{}</li>").format(html_inline(item, scope))
                                    for item in block.items)
            out.append(Markup("<ul>{}</ul>").format(items) if block.kind == "bulleted"
                       else Markup('<ol start="{}">{}</ol>').format(block.start, items))
        elif block.kind == "quote":
            out.append(Markup("<blockquote>{}</blockquote>").format(
                _html_blocks(block.children, scope)))
    return Markup("\n").join(out)


def html_reason(reason, scope: Scope | None = None) -> Markup:
    """A verdict's reason for HTML: its ``$math$`` as derive reads it, bare LaTeX as code."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    if kind == "prose":
        return html_inline(reason, scope)
    return html_code(reason) if kind == "code" else escape(reason)


# -- equations ----------------------------------------------------------------------

def display_latex(step, scope: Scope | None = None) -> str:
    """A step's LaTeX for Markdown, chosen as :func:`tex_display` chooses it, with
    ``\\tag{}`` added only if it has none; literal text in a ``\\text{}`` otherwise."""
    latex = step.latex.strip()
    if not is_derive_latex(latex):
        latex = formula_latex(step.formula, scope)
        if not is_derive_latex(latex):
            return rf"\text{{(not shown: not derive's LaTeX)}} \tag{{{step.tag}}}"
        return latex + rf" \tag{{{step.tag}}}"
    if step.formula.tag is None:
        latex += rf" \tag{{{step.tag}}}"
    return latex


def tags(tags_) -> str:
    """Tags as the article writes them: ``(6'), (7')``."""
    return ", ".join(f"({t})" for t in tags_)


def assumptions_used(step_result) -> list[str]:
    """The declared assumptions a step's verdicts used, each once, in order."""
    seen: list[str] = []
    for link in step_result.links:
        for assumption in link.verdict.assumptions:
            if assumption not in seen:
                seen.append(assumption)
    return seen


def seconds(value: float) -> str:
    """A duration for readers: ``0.42 s``."""
    return f"{value:.2f} s"


def _with_declarations(function):
    """``function`` as a filter that reads math with the declarations of the template's
    ``document`` (none if the template has no document)."""
    @jinja2.pass_context
    def read_in_document(context, value, *args):
        document = context.get("document")
        return function(value, *args, scope=getattr(document, "scope", None))
    read_in_document.__doc__ = function.__doc__
    return read_in_document


FILTERS = {
    "mark_words": mark_words,
    "md_badge": md_badge,
    "tex_badge": tex_badge,
    "tex_escape": tex_escape,
    "tex_tag": tex_tag,
    "tex_math": tex_math,
    "tex_inline": _with_declarations(tex_inline),
    "tex_heading": tex_heading,
    "prose_blocks": prose_blocks,
    "md_escape": md_escape,
    "md_code": md_code,
    "md_math": md_math,
    "md_prose": _with_declarations(md_prose),
    "md_reason": md_reason,
    "tex_reason": tex_reason,
    "display_latex": _with_declarations(display_latex),
    "tex_display": _with_declarations(tex_display),
    "tags": tags,
    "assumptions_used": assumptions_used,
    "seconds": seconds,
    "html_badge": html_badge,
    "verdict_class": verdict_class,
    "html_anchor": html_anchor,
    "html_tags": html_tags,
    "html_code": html_code,
    "html_math": html_math,
    "html_inline": _with_declarations(html_inline),
    "html_prose": _with_declarations(html_prose),
    "html_reason": html_reason,
}
