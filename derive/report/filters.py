"""Small pure functions that shape text for the report templates.

Markdown prose comes from derivation files written by anyone, so every piece of
it that reaches LaTeX is escaped; an inline ``$...$`` span stays math only when
:func:`math_is_safe` accepts it (known harmless commands, balanced braces and
``\\left``/``\\right``, well-formed scripts). Everything else is shown literally.

The functions are gathered in :data:`FILTERS` at the bottom, which the report
environments install as Jinja filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# -- verdict marks ----------------------------------------------------------------

#: How each :attr:`StepResult.mark` is shown: emoji, words, LaTeX colour.
MARKS = {
    "proved": ("✅", "proved", "ProvedColor"),
    "numeric": ("🔢", "checked numerically", "NumericColor"),
    "assumed": ("📌", "assumed", "AssumedColor"),
    "failed": ("❌", "failed", "FailedColor"),
    "expected failure": ("⚠️", "expected failure", "ExpectedColor"),
    "undecided": ("❓", "undecided", "UndecidedColor"),
    "unexpected pass": ("❗", "unexpected pass", "FailedColor"),
}


def mark_words(mark: str) -> str:
    """The verdict in words: ``numeric`` -> ``checked numerically``."""
    return MARKS.get(mark, ("", mark, ""))[1]


def md_badge(mark: str) -> str:
    """A Markdown badge for a verdict: emoji and bold words."""
    emoji, words, _ = MARKS.get(mark, ("•", mark, ""))
    return f"{emoji} **{words}**"


def tex_badge(mark: str) -> str:
    """A LaTeX badge for a verdict (``\\verdict`` is defined in the preamble)."""
    _, words, colour = MARKS.get(mark, ("", mark, "UndecidedColor"))
    return rf"\verdict{{{colour}}}{{{tex_escape(words)}}}"


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
    if c in _UNICODE_MATH:
        return rf"\ensuremath{{{_UNICODE_MATH[c]}}}"
    return c


def tex_escape(text) -> str:
    """Plain text as LaTeX: every special character escaped, nothing interpreted."""
    return "".join(_tex_char(c) for c in str(text))


def tex_tag(tag: str) -> str:
    """A tag's text for ``\\tag{}``: escaped, with a prime as a prime."""
    return tex_escape(tag).replace("'", r"\ensuremath{'}")


# -- is an inline math span harmless? ------------------------------------------------

#: Commands allowed in math taken from prose or from the engine, by their argument count.
MATH_COMMANDS: dict[str, int] = {name: 0 for name in (
    # Greek
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma "
    "Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
    # operators and relations
    "sum prod int iint oint lim limsup liminf max min sup inf arg log ln exp sin cos tan "
    "det dim ker Pr to gets mapsto rightarrow leftarrow Rightarrow Leftarrow "
    "Leftrightarrow implies iff sim simeq approx cong equiv propto le leq ge geq ll gg neq "
    "ne in notin subset subseteq supset supseteq cup cap setminus times div pm mp cdot "
    "cdots ldots dots vdots ddots ast star circ bullet oplus otimes partial nabla infty "
    "forall exists neg land lor mid parallel perp prime emptyset ell hbar Re Im "
    "langle rangle lceil rceil lfloor rfloor vert Vert lvert rvert lVert rVert "
    "quad qquad displaystyle textstyle scriptstyle left right bigl bigr Bigl Bigr big Big "
    "colon top intercal"
).split()}
MATH_COMMANDS.update({name: 1 for name in (
    "hat widehat bar overline underline tilde widetilde vec dot ddot check breve acute "
    "grave mathbf mathrm mathit mathsf mathtt mathcal mathbb mathfrak boldsymbol "
    "operatorname text textrm textbf textit xrightarrow xleftarrow sqrt"
).split()})
MATH_COMMANDS["frac"] = 2
MATH_COMMANDS["dfrac"] = 2
MATH_COMMANDS["tfrac"] = 2
MATH_COMMANDS["binom"] = 2
#: One-character control symbols that are harmless in math.
MATH_SYMBOLS = set(r"{}|,;:!> ")
#: Commands whose argument is text: it must be plain words.
_TEXT_ARGUMENT = {"text", "textrm", "textbf", "textit", "operatorname", "mathrm", "mathit",
                  "mathbf", "mathsf", "mathtt", "mathcal", "mathbb", "mathfrak"}
_DELIMITERS = set("()[]|./") | {r"\{", r"\}", r"\langle", r"\rangle", r"\|", r"\vert",
                                r"\Vert", r"\lceil", r"\rceil", r"\lfloor", r"\rfloor"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|[^\\{}^_]", re.S)
_PLAIN_TEXT = re.compile(r"[^\\{}$&%#^_~]*")


class _Unsafe(Exception):
    pass


def _group_end(tokens: list[str], i: int) -> int:
    """Index just past the argument starting at ``tokens[i]`` (a group or one token)."""
    if i >= len(tokens) or tokens[i] in ("}", "^", "_"):
        raise _Unsafe("missing argument")
    if tokens[i] != "{":
        if tokens[i] in ("\\left", "\\right"):
            raise _Unsafe("\\left as an argument")
        return i + 1
    depth = 0
    for j in range(i, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[j], 0)
        if depth == 0:
            return j + 1
    raise _Unsafe("unbalanced braces")


def _check_math(tokens: list[str]) -> None:
    """Raise :class:`_Unsafe` unless ``tokens`` form harmless, well-formed math."""
    depth, lefts = 0, [0]
    scripts: set[str] = set()   # scripts already attached to the current atom
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "#&%$~" and len(token) == 1:
            raise _Unsafe(f"character {token}")
        if token == "{":
            depth += 1
            lefts.append(0)
            scripts = set()
            i += 1
            continue
        if token == "}":
            depth -= 1
            if depth < 0 or lefts.pop() != 0:
                raise _Unsafe("unbalanced braces or \\left")
            scripts = set()   # a closed group is an atom that may take scripts
            i += 1
            continue
        if token in ("^", "_"):
            if token in scripts:
                raise _Unsafe("double script")
            scripts.add(token)
            i = _group_end(tokens, i + 1)
            _check_math(tokens[i - 1:i] if tokens[i - 1] != "}" else [])
            continue
        scripts = set()
        if token.startswith("\\"):
            name = token[1:]
            if len(name) == 1 and not name.isalpha():
                if name not in MATH_SYMBOLS:
                    raise _Unsafe(f"control symbol {token}")
                i += 1
                continue
            if name not in MATH_COMMANDS:
                raise _Unsafe(f"command {token}")
            if name in ("left", "right"):
                if i + 1 >= len(tokens) or tokens[i + 1] not in _DELIMITERS:
                    raise _Unsafe(f"{token} without a delimiter")
                lefts[-1] += 1 if name == "left" else -1
                if lefts[-1] < 0:
                    raise _Unsafe("\\right without \\left")
                i += 2
                continue
            i += 1
            if name == "sqrt" and i < len(tokens) and tokens[i] == "[":
                close = tokens.index("]", i) if "]" in tokens[i:] else -1
                if close < 0:
                    raise _Unsafe("unclosed optional argument")
                _check_math(tokens[i + 1:close])
                i = close + 1
            for _ in range(MATH_COMMANDS[name]):
                end = _group_end(tokens, i)
                inner = tokens[i + 1:end - 1] if tokens[i] == "{" else tokens[i:end]
                if name in _TEXT_ARGUMENT:
                    if not _PLAIN_TEXT.fullmatch("".join(inner)):
                        raise _Unsafe(f"{token} with a non-text argument")
                else:
                    _check_math(inner)
                i = end
            continue
        i += 1
    if depth != 0 or lefts != [0]:
        raise _Unsafe("unbalanced braces or \\left/\\right")


def math_is_safe(latex: str) -> bool:
    """Whether ``latex`` may go into a document as math: only allow-listed commands,
    balanced braces and ``\\left``/``\\right``, and no double scripts."""
    latex = str(latex)
    if not latex.strip() or "^^" in latex:
        return False
    try:
        _check_math(_TOKEN.findall(latex))
    except _Unsafe:
        return False
    return True


def tex_math(latex: str) -> str:
    """Inline math from the engine or the prose: ``$...$`` if harmless, else literal text."""
    latex = str(latex).strip()
    if math_is_safe(latex):
        return f"${latex}$"
    return r"\texttt{" + tex_escape(latex) + "}"


# -- inline Markdown to LaTeX -----------------------------------------------------

_INLINE = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|\*\*|`([^`]+)`", re.S)


def tex_inline(text: str) -> str:
    """One paragraph of Markdown (``**bold**``, ``$math$``, ```code```) as LaTeX."""
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
            math = display if display is not None else inline
            if math_is_safe(math):
                out.append(rf"\[{math}\]" if display is not None else f"${math}$")
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


def md_math(latex) -> str:
    """Inline math for Markdown: ``$...$`` (GitHub, KaTeX), or a code span if it
    would not survive as math."""
    latex = str(latex).strip()
    if latex and "$" not in latex and "`" not in latex:
        return f"${latex}$"
    return md_code(latex)


# -- the engine's reasons ----------------------------------------------------------

def _reason_kind(reason: str) -> str:
    """Prose if it marks its math with ``$``; code if it has bare LaTeX; else text."""
    if "$" in reason:
        return "prose"
    return "code" if "\\" in reason else "text"


def md_reason(reason) -> str:
    """A verdict's reason for Markdown: bare LaTeX in it is shown as code, not garbled."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    return {"prose": reason, "code": md_code(reason), "text": md_escape(reason)}[kind]


def tex_reason(reason) -> str:
    """A verdict's reason for LaTeX: ``$math$`` kept if harmless, bare LaTeX as code."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    if kind == "prose":
        return tex_inline(reason)
    if kind == "code":
        return r"\texttt{" + tex_escape(reason) + "}"
    return tex_escape(reason)


# -- equations ----------------------------------------------------------------------

def display_latex(step) -> str:
    """A step's LaTeX exactly as printed, with ``\\tag{}`` added only if it has none."""
    latex = step.latex.strip()
    if step.formula.tag is None:
        latex += rf" \tag{{{step.tag}}}"
    return latex


def tex_display(step) -> str:
    """A step's LaTeX for the PDF: as printed, with a typeset ``\\tag{}`` if it has none."""
    latex = step.latex.strip()
    if step.formula.tag is None:
        latex += rf" \tag{{{tex_tag(step.tag)}}}"
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


FILTERS = {
    "mark_words": mark_words,
    "md_badge": md_badge,
    "tex_badge": tex_badge,
    "tex_escape": tex_escape,
    "tex_tag": tex_tag,
    "tex_math": tex_math,
    "tex_inline": tex_inline,
    "tex_heading": tex_heading,
    "prose_blocks": prose_blocks,
    "md_escape": md_escape,
    "md_code": md_code,
    "md_math": md_math,
    "md_reason": md_reason,
    "tex_reason": tex_reason,
    "display_latex": display_latex,
    "tex_display": tex_display,
    "tags": tags,
    "assumptions_used": assumptions_used,
    "seconds": seconds,
}
