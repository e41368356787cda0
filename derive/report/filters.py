"""Small pure functions that shape text for the report templates.

Text comes from derivation files written by anyone, so nothing of it reaches the
report as written: text is escaped, and math is kept only if derive's own grammar
reads it with the document's declarations (:func:`derive_math`), or shown literally
when it does not read. Markdown prose is parsed and written by
:mod:`derive.report.prose`. The filters that show math read the document's
declarations from the template's ``document``.

The functions are gathered in :data:`FILTERS` at the bottom, which the report
environments install as Jinja filters.
"""

from __future__ import annotations

import re
import unicodedata

import jinja2
import sympy
from markupsafe import Markup, escape

from derive.errors import DeriveError
from derive.latex.parser import parse_formula, parse_tree
from derive.latex.printer import formula_latex, latex as formula_latex_of
from derive.latex.scope import ASSUMPTION_TEXT, Scope
from derive.report.i18n import N_
from derive.check.shown import rounded, significant
from derive.report.phrases import Part, anchor, phrase

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


def verdict_words(mark: str) -> str:
    """The verdict in English words: ``numeric`` -> ``checked numerically``."""
    return MARKS.get(mark, ("", mark, ""))[1]


@jinja2.pass_environment
def mark_words(env, mark: str) -> str:
    """The verdict in the report's words."""
    return _translated(env, verdict_words(mark))


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
    "partial infty ast star prime cdot times left right mid quad qquad displaystyle limits "
    # vectors and matrices
    "top intercal mathsf det nabla operatorname"
).split())
#: Control symbols they use: braces, thin spaces, a line break in an aligned block.
_CONTROL_SYMBOLS = {"\\{", "\\}", "\\,", "\\;", "\\:", "\\!", "\\ ", "\\|", "\\\\"}
#: The environments derive's grammar reads.
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{\s*(aligned|align\*?|split|gathered|pmatrix|bmatrix)"
                          r"\s*\}")
_CONTROL = re.compile(r"\\[A-Za-z]+|\\.", re.S)
#: What an assumption may say of a printed expression, as the engine writes it.
_CONVERGES = r"\text{ converges}"
_ASSUMED = tuple(ASSUMPTION_TEXT.values()) + (_CONVERGES, r"\text{ is invertible}")
#: The engine's words in an assumption, translated in the report's language.
_CONVERGES_WORD = N_("converges")
_INTERVAL = re.compile(r"(?P<name>.+?) \\in (?P<open>[(\[])(?P<low>.+), (?P<high>.+)(?P<close>[)\]])")
_RANGE = re.compile(r"(?P<name>.+?) \\in \\\{(?P<low>.+), \\dots, (?P<high>.+)\\\}")


def is_derive_latex(latex: str, inline: bool = False, extra: frozenset = frozenset()) -> bool:
    r"""Whether ``latex`` holds only what derive's grammar reads and its printer writes:
    the control words of :data:`DERIVE_COMMANDS`, balanced braces, printable ASCII, no
    ``# % $ ^^``; ``inline`` math also no ``\tag``, ``&`` or line break. ``extra``
    names control words the report itself adds (the marks of :mod:`derive.report.diff`).

    A second guard behind parsing: a declaration such as ``\hat{\iffalse}`` passes the
    grammar's accent rule, and its name would be printed as declared."""
    latex = _ENVIRONMENT.sub(" ", str(latex))
    if not re.fullmatch(r"[\x20-\x7e\n\t]*", latex) or re.search(r"[#%$]|\^\^", latex):
        return False
    if inline and re.search(r"&|\\\\|\\tag(?![A-Za-z])", latex):
        return False
    for control in _CONTROL.findall(latex):
        if (control not in _CONTROL_SYMBOLS and control[1:] not in DERIVE_COMMANDS
                and control[1:] not in extra):
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


def assumption_math(latex, scope: Scope | None = None, gettext=None) -> str | None:
    r"""An assumption as derive prints it: a formula, or a printed expression followed by
    one of the engine's own phrases (``\in \mathbb{R}``, ``\text{ converges}``, an
    interval or a range of indices); ``None`` if it does not read. ``gettext`` translates
    the engine's words."""
    text = " ".join(str(latex).split())
    if (whole := derive_math(text, scope)) is not None:
        return whole
    for phrase in _ASSUMED:
        if text.endswith(" " + phrase):
            head = derive_math(text[:-len(phrase) - 1], scope)
            if head is not None and phrase == _CONVERGES and gettext is not None:
                phrase = rf"\text{{ {tex_escape(gettext(_CONVERGES_WORD))}}}"
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


def tex_math(latex, scope: Scope | None = None, gettext=None) -> str:
    """Inline math for LaTeX: ``$...$`` as derive prints it, or literal text if it does
    not read."""
    printed = assumption_math(latex, scope, gettext)
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


# -- prose ------------------------------------------------------------------------

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


def md_math(latex, scope: Scope | None = None, gettext=None) -> str:
    """Inline math for Markdown: ``$...$`` as derive prints it (GitHub, KaTeX), or a code
    span if it does not read."""
    printed = assumption_math(latex, scope, gettext)
    if printed is not None and "`" not in printed:
        return f"${printed}$"
    return md_code(" ".join(str(latex).split()))


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
    """The ``id`` of an equation: :func:`~derive.report.phrases.anchor`, the name that
    Markdown and LaTeX use too (``8'`` is ``eq-8:p``), so a link means the same in all
    three; a tag holds no space, so it is a valid HTML id."""
    return anchor(tag)


def html_ref(tag, present=None) -> Markup:
    """A reference to an equation: ``(7)`` linked to its id; plain ``(7)`` if
    ``present`` (the document's tags) lacks it, so that no link leads nowhere."""
    if present is not None and tag not in present:
        return Markup("({})").format(tag)
    return Markup('<a href="#{}">({})</a>').format(anchor(tag), tag)


def html_refs(tags_, present=None) -> Markup:
    """References to equations, as the article writes them: ``(6'), (7')``, linked."""
    return Markup(", ").join(html_ref(t, present) for t in tags_)


def html_tags(tags_) -> Markup:
    """Tags as the article writes them, each a link to its equation: ``(6'), (7')``."""
    return html_refs(tags_)


def html_math_span(latex: str, display: bool = False) -> Markup:
    """Math for KaTeX: the LaTeX as escaped text of a ``math inline`` span (or a
    ``math display`` one, shown as a block)."""
    return Markup('<span class="math {}">{}</span>').format(
        "display" if display else "inline", latex)


def html_code(text) -> Markup:
    """Text shown literally, in a code element."""
    return Markup("<code>{}</code>").format(" ".join(str(text).split()))


def html_math(latex, scope: Scope | None = None, gettext=None) -> Markup:
    """Inline math for HTML as derive prints it (:func:`assumption_math`), or code if it
    does not read."""
    printed = assumption_math(latex, scope, gettext)
    return html_code(latex) if printed is None else html_math_span(printed)


def _in_language(function):
    """A math filter that writes the engine's words in the report's language."""
    @jinja2.pass_environment
    def translated(env, latex, scope: Scope | None = None):
        return function(latex, scope, getattr(env, "derive_gettext", None))
    translated.__name__ = function.__name__
    return translated


def _markup(function):
    """``function``'s HTML (escaped by :mod:`derive.report.prose`) as Markup, so that the
    page's autoescaping keeps it as it is."""
    def markup(*args, **options):
        return Markup(function(*args, **options))
    markup.__name__ = function.__name__
    markup.__doc__ = function.__doc__
    return markup


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


# -- justifications and references --------------------------------------------------

def md_ref(tag: str, present=None) -> str:
    """A reference to an equation in Markdown: ``[(7)](#eq-7)``, to its anchor; plain
    ``(7)`` if ``present`` (the document's tags) lacks it."""
    if present is not None and tag not in present:
        return md_escape(f"({tag})")
    return f"[{md_escape(f'({tag})')}](#{anchor(tag)})"


def tex_ref(tag: str, present=None) -> str:
    """A reference to an equation in LaTeX: ``\\hyperref[eq-7]{(7)}``, to its label;
    plain if ``present`` lacks it."""
    if present is not None and tag not in present:
        return f"({tex_tag(tag)})"
    return rf"\hyperref[{anchor(tag)}]{{({tex_tag(tag)})}}"


def md_refs(tags_, present=None) -> str:
    """References to equations, as the article writes them: ``(6'), (7')``, linked."""
    return ", ".join(md_ref(t, present) for t in tags_)


def tex_refs(tags_, present=None) -> str:
    """References to equations in LaTeX, linked."""
    return ", ".join(tex_ref(t, present) for t in tags_)


def _to_present(function):
    """``function`` as a filter that links only to the template's ``document``'s tags."""
    @jinja2.pass_context
    def link_present(context, value):
        document = context.get("document")
        steps = getattr(document, "steps", None)
        return function(value, None if steps is None else {s.tag for s in steps})
    link_present.__doc__ = function.__doc__
    return link_present


def _in_page(function, words: bool = False):
    """``function`` as a filter that links only to the template's ``document``'s tags and
    reads math with its declarations (and, with ``words``, says its words in the report's
    language)."""
    @jinja2.pass_context
    def in_page(context, value):
        document = context.get("document")
        steps = getattr(document, "steps", None)
        language = {"gettext": getattr(context.environment, "derive_gettext", None)} \
            if words else {}
        return function(value, None if steps is None else {s.tag for s in steps},
                        scope=getattr(document, "scope", None), **language)
    in_page.__doc__ = function.__doc__
    return in_page


def md_anchor(tag: str) -> str:
    """The anchor an equation's references point to, as raw HTML made only of the
    tag's safe characters."""
    return f'<a id="{anchor(tag)}"></a>'


def tex_label(tag: str) -> str:
    """The label an equation's references point to."""
    return rf"\label{{{anchor(tag)}}}"


def _phrase_md(part: Part) -> str:
    if part.kind == "math":
        return f"${part.text}$"
    if part.kind == "ref":
        return md_ref(part.text)
    return md_code(part.text) if part.kind == "text" else md_escape(part.text)


def _phrase_tex(part: Part) -> str:
    if part.kind == "math":
        return f"${part.text}$"
    if part.kind == "ref":
        return tex_ref(part.text)
    if part.kind == "text":
        return r"\texttt{" + tex_escape(part.text) + "}"
    return tex_escape(part.text)


def _phrase_html(part: Part, present=None) -> Markup:
    if part.kind == "math":    # derive_math read it when the phrase was built
        return html_math_span(part.text)
    if part.kind == "ref":
        return html_ref(part.text, present)
    return html_code(part.text) if part.kind == "text" else Markup("{}").format(part.text)


def html_justification(justification, present=None, scope: Scope | None = None,
                       gettext=None) -> Markup:
    """A justification in words for the page: words escaped, math as math only if derive
    reads it, premises linked to their equations when ``present`` holds them."""
    parts = phrase(justification, scope, gettext)
    return Markup(_spaced(parts, lambda part: str(_phrase_html(part, present))))


def md_justification(justification, scope: Scope | None = None, gettext=None) -> str:
    """A justification in words for Markdown: math as math, premises linked."""
    return _spaced(phrase(justification, scope, gettext), _phrase_md)


def tex_justification(justification, scope: Scope | None = None, gettext=None) -> str:
    """A justification in words for LaTeX: math as math, premises linked."""
    return _spaced(phrase(justification, scope, gettext), _phrase_tex)


def _spaced(parts, show) -> str:
    """Parts shown and joined by spaces, with none before a comma or a semicolon."""
    text = ""
    for part in parts:
        glued = not text or (part.kind == "words" and part.text[:1] in ",;")
        text += ("" if glued else " ") + show(part)
    return text


# -- numbers ------------------------------------------------------------------------

def shown_number(value) -> str:
    """A counterexample's value in six significant digits (the JSON keeps them all)."""
    return significant(value)


def _shown_value(text: str, value, scope: Scope | None) -> str:
    """``text`` (the LaTeX of ``value``) with its floating-point numbers in six significant
    digits; ``text`` itself unless ``value`` is the expression it prints."""
    if value is None or not isinstance(value, sympy.Basic) or not value.atoms(sympy.Float):
        return text
    try:
        if formula_latex_of(value, scope) != text:
            return text   # the rule showed something else than the value it kept
        return formula_latex_of(rounded(value), scope)
    except Exception:     # printing must never fail a report
        return text


def shown_expected(verdict, scope: Scope | None = None) -> str:
    """What the rule expected, with floating-point numbers in six significant digits."""
    return _shown_value(verdict.expected, verdict.expected_value, scope)


def shown_residual(verdict, scope: Scope | None = None) -> str:
    """The residual, with floating-point numbers in six significant digits."""
    return _shown_value(verdict.residual, verdict.residual_value, scope)


# -- the article's source -------------------------------------------------------------

def _link(url: str) -> str | None:
    """``url`` if it is an address the loader would accept, else None."""
    from derive.document.loader import URL
    return url if url and URL.fullmatch(url) else None


def md_citation(source) -> str:
    """``meta.source`` as a citation line: *title*, author, date, the URL as a link (the
    path of a local copy as code when there is no URL)."""
    pieces = [f"*{md_escape(source.title)}*" if source.title else "",
              md_escape(source.author), md_escape(source.date)]
    url = _link(source.url)
    if url:
        pieces.append(f"<{url}>")
    elif source.url:
        pieces.append(md_code(source.url))
    if source.path and not url:
        pieces.append(md_code(source.path))
    return ", ".join(p for p in pieces if p)


def tex_citation(source) -> str:
    """``meta.source`` as a citation line in LaTeX, the URL as a link."""
    pieces = [r"\emph{" + tex_escape(source.title) + "}" if source.title else "",
              tex_escape(source.author), tex_escape(source.date)]
    url = _link(source.url)
    if url:
        pieces.append(r"\url{" + url + "}")
    elif source.url:
        pieces.append(r"\texttt{" + tex_escape(source.url) + "}")
    if source.path and not url:
        pieces.append(r"\texttt{" + tex_escape(source.path) + "}")
    return ", ".join(p for p in pieces if p)


def html_citation(source) -> Markup:
    """``meta.source`` as a citation: the title in ``<cite>``, author, date, the URL as a
    link that passes on neither the page nor its address (the path of a local copy as
    code when there is no URL)."""
    pieces = [Markup("<cite>{}</cite>").format(source.title) if source.title else "",
              escape(source.author), escape(source.date)]
    url = _link(source.url)
    if url:
        pieces.append(Markup('<a class="source-link" href="{}" rel="noopener noreferrer">{}</a>')
                      .format(url, url))
    elif source.url:
        pieces.append(html_code(source.url))
    if source.path and not url:
        pieces.append(html_code(source.path))
    return Markup(", ").join(p for p in pieces if p)


def seconds(value: float) -> str:
    """A duration for readers: ``0.42 s``."""
    return f"{value:.2f} s"


def _with_declarations(function):
    """``function`` as a filter that reads math with the declarations of the template's
    ``document`` (none if the template has no document)."""
    @jinja2.pass_context
    def read_in_document(context, value, *args, **options):
        document = context.get("document")
        return function(value, *args, scope=getattr(document, "scope", None), **options)
    read_in_document.__doc__ = function.__doc__
    return read_in_document


def _in_words(function):
    """``function`` as a filter that reads math with the document's declarations and says
    its words in the report's language."""
    @jinja2.pass_context
    def in_words(context, value, *args, **options):
        document = context.get("document")
        return function(value, *args, scope=getattr(document, "scope", None),
                        gettext=getattr(context.environment, "derive_gettext", None), **options)
    in_words.__doc__ = function.__doc__
    return in_words


def _prose(name: str, **fixed):
    """The function ``name`` of :mod:`derive.report.prose`, imported when first called:
    prose writes its text with the functions of this module, so it comes after them."""
    def call(*args, **options):
        from derive.report import prose
        return getattr(prose, name)(*args, **fixed, **options)
    call.__name__ = name
    return call


prose_markdown = _prose("prose_markdown")
prose_latex = _prose("prose_latex")
prose_html = _prose("prose_html")
md_reason = _prose("md_reason")
tex_reason = _prose("tex_reason")
html_reason = _prose("html_reason")
#: Prose and reasons as page markup (escaped by the prose writer).
html_prose = _markup(prose_html)
html_inline = _markup(_prose("prose_html", inline=True))
html_markup_reason = _markup(html_reason)

FILTERS = {
    "mark_words": mark_words,
    "md_badge": md_badge,
    "tex_badge": tex_badge,
    "tex_escape": tex_escape,
    "tex_tag": tex_tag,
    "tex_math": _in_language(tex_math),
    "md_escape": md_escape,
    "md_code": md_code,
    "md_math": _in_language(md_math),
    "prose_markdown": _with_declarations(prose_markdown),
    "prose_latex": _with_declarations(prose_latex),
    "prose_html": _with_declarations(prose_html),
    # the names the templates used before prose had a parser of its own
    "md_prose": _with_declarations(prose_markdown),
    "tex_inline": _with_declarations(_prose("prose_latex", inline=True)),
    "md_reason": md_reason,      # the engine's values: read by the grammar alone
    "tex_reason": tex_reason,
    "display_latex": _with_declarations(display_latex),
    "tex_display": _with_declarations(tex_display),
    "tags": tags,
    "assumptions_used": assumptions_used,
    "seconds": seconds,
    "md_ref": _to_present(md_ref),
    "tex_ref": _to_present(tex_ref),
    "md_refs": _to_present(md_refs),
    "tex_refs": _to_present(tex_refs),
    "md_anchor": md_anchor,
    "tex_label": tex_label,
    "shown_number": shown_number,
    "shown_expected": _with_declarations(shown_expected),
    "shown_residual": _with_declarations(shown_residual),
    "md_citation": md_citation,
    "tex_citation": tex_citation,
    "md_justification": _in_words(md_justification),
    "tex_justification": _in_words(tex_justification),
    "html_badge": html_badge,
    "verdict_class": verdict_class,
    "html_anchor": html_anchor,
    "html_tags": _to_present(html_refs),
    "html_ref": _to_present(html_ref),
    "html_refs": _to_present(html_refs),
    "html_justification": _in_page(html_justification, words=True),
    "html_citation": html_citation,
    "html_code": html_code,
    "html_math": _in_language(html_math),
    "html_inline": _with_declarations(html_inline),
    "html_prose": _with_declarations(html_prose),
    "html_reason": _with_declarations(html_markup_reason),
}
