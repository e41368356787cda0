r"""What differs between a printed formula and its correction, marked in both.

The two formulas are compared as derive's grammar reads them, not as characters:
the parse trees (with the positions of :func:`~derive.latex.parser.parse_tree`)
are matched child by child, and the search descends while two subtrees differ
only inside, so that what is marked is the smallest differing subtree, or the
operator of a node whose operands agree (``+`` against ``-``). The source text
of a subtree is a balanced LaTeX group, so wrapping it in a macro keeps the
formula one that derive reads:

>>> diff_latex(r"a + b = 0", r"a - b = 0", "tex")
('a \\mathbin{\\diffmark{+}} b = 0', 'a \\mathbin{\\diffmark{-}} b = 0')

A formula that derive's grammar does not read, or that is not derive's LaTeX,
is never marked: :func:`diff_latex` returns ``None`` and the report shows the
formula as it always does.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import jinja2
from lark import Token, Tree

from derive.errors import DeriveError
from derive.latex.parser import parse_tree

#: Tokens of layout, not of mathematics: a tag, the lines of an aligned block.
_LAYOUT = frozenset({"TAG", "BEGIN_ALIGNED", "END_ALIGNED"})
#: Brackets: the node they belong to (``paren``, ``call``) says what they mean.
_BRACKETS = frozenset({"LPAR", "RPAR", "LEFT_LPAR", "RIGHT_RPAR", "LEFT_LBRACK",
                       "RIGHT_RBRACK"})
_RELATIONS = frozenset({"EQ", "NE", "LT", "GT", "LE", "GE", "SIM", "APPROX"})
_BINARY_TOKENS = frozenset({"CDOT", "TIMES"})
#: Nodes whose own text (between their operands) is a binary operator.
_BINARY_NODES = frozenset({"add", "sub", "mul_explicit"})

#: How a marked span is opened and closed, by style and by the span's kind of atom,
#: so that a marked ``+`` keeps the spacing of a binary operator and ``=`` of a relation.
MARKS = {
    "tex": {"ord": (r"{\diffmark{", "}}"),
            "bin": (r"\mathbin{\diffmark{", "}}"),
            "rel": (r"\mathrel{\diffmark{", "}}")},
    "md": {"ord": (r"{\color{#cf222e}{", "}}"),
           "bin": (r"\mathbin{\color{#cf222e}{", "}}"),
           "rel": (r"\mathrel{\color{#cf222e}{", "}}")},
}
#: The commands the marks add to derive's LaTeX (see :func:`is_derive_latex`).
MARK_COMMANDS = frozenset({"diffmark", "mathbin", "mathrel"})


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of a formula's text to mark: ``start``/``end`` offsets, and whether
    it is an ordinary atom, a binary operator or a relation."""

    start: int
    end: int
    kind: str = "ord"


# -- the trees -----------------------------------------------------------------------

def _content(node) -> list:
    """A node's children that carry mathematics (no layout, no brackets); an aligned
    block's statement stands for its body."""
    kids = []
    for c in node.children:
        if isinstance(c, Tree) and c.data == "statement":
            kids += _content(c)
        elif not (isinstance(c, Token) and c.type in _LAYOUT | _BRACKETS):
            kids.append(c)
    return kids


def _token_text(token: Token) -> str:
    text = re.sub(r"\s+", "", str(token))
    return r"\frac" if token.type == "FRAC" else text   # \dfrac is printed \frac


def canonical(node) -> str:
    """A subtree as text that ignores spacing, layout and the spelling of brackets:
    two subtrees that say the same thing have the same canonical text."""
    if isinstance(node, Token):
        return f"{node.type}:{_token_text(node)}"
    return f"{node.data}(" + ",".join(canonical(c) for c in _content(node)) + ")"


def _bounds(node) -> tuple[int, int] | None:
    """Where a node's text starts and ends, or ``None`` for an empty node."""
    if isinstance(node, Token):
        return node.start_pos, node.end_pos
    if node.meta.empty:
        return None
    return node.meta.start_pos, node.meta.end_pos


def _kind(node) -> str:
    if isinstance(node, Token):
        if node.type in _RELATIONS:
            return "rel"
        return "bin" if node.type in _BINARY_TOKENS else "ord"
    return "rel" if node.data == "relop" else "ord"


def _whole(node) -> list[Span]:
    bounds = _bounds(node)
    return [] if bounds is None else [Span(*bounds, _kind(node))]


def _own_text(node, text: str) -> list[Span] | None:
    """The stretches of a node's text outside its children (its operator), trimmed;
    ``None`` if there are none or one is not a balanced group."""
    bounds = _bounds(node)
    if bounds is None:
        return None
    start, end = bounds
    edges = [b for c in node.children if (b := _bounds(c)) is not None]
    gaps, position = [], start
    for child_start, child_end in sorted(edges):
        gaps.append((position, child_start))
        position = max(position, child_end)
    gaps.append((position, end))
    kind = "bin" if node.data in _BINARY_NODES else "ord"
    spans = []
    for gap_start, gap_end in gaps:
        piece = text[gap_start:gap_end]
        if not piece.strip():
            continue
        if not _balanced(piece):
            return None
        lead = len(piece) - len(piece.lstrip())
        spans.append(Span(gap_start + lead, gap_start + len(piece.rstrip()), kind))
    return spans or None


def _balanced(piece: str) -> bool:
    depth = 0
    for brace in re.findall(r"(?<!\\)[{}]", piece.replace("\\\\", "")):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0 and not re.search(r"\\(left|right)(?![A-Za-z])", piece)


# -- the tree diff -------------------------------------------------------------------

def tree_diff(a, b, text_a: str, text_b: str) -> tuple[list[Span], list[Span]]:
    """The spans of ``text_a`` and ``text_b`` where the subtrees ``a`` and ``b`` differ:
    the smallest differing subtrees, matched child by child."""
    if canonical(a) == canonical(b):
        return [], []
    if isinstance(a, Tree) and isinstance(b, Tree):
        kids_a, kids_b = _content(a), _content(b)
        if a.data == b.data:
            return _children_diff(kids_a, kids_b, text_a, text_b)
        if len(kids_a) == len(kids_b):
            own_a, own_b = _own_text(a, text_a), _own_text(b, text_b)
            if own_a and own_b:   # another operator over the same kind of operands
                inner = _children_diff(kids_a, kids_b, text_a, text_b)
                return own_a + inner[0], own_b + inner[1]
        for wrapper, inner, text, flip in ((a, b, text_a, False), (b, a, text_b, True)):
            kids = _content(wrapper)
            if len(kids) == 1 and canonical(kids[0]) == canonical(inner):
                own = _own_text(wrapper, text)   # -x against x: only the sign
                if own:
                    return ([], own) if flip else (own, [])
    return _whole(a), _whole(b)


def _children_diff(kids_a: list, kids_b: list, text_a: str,
                   text_b: str) -> tuple[list[Span], list[Span]]:
    """Children matched in order; where their numbers differ, aligned by difflib on
    their canonical text, and those without a partner marked whole."""
    spans_a: list[Span] = []
    spans_b: list[Span] = []
    matcher = difflib.SequenceMatcher(None, [canonical(k) for k in kids_a],
                                      [canonical(k) for k in kids_b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(kids_a[i1:i2], kids_b[j1:j2]):
                more_a, more_b = tree_diff(x, y, text_a, text_b)
                spans_a += more_a
                spans_b += more_b
            continue
        for x in kids_a[i1:i2]:
            spans_a += _whole(x)
        for y in kids_b[j1:j2]:
            spans_b += _whole(y)
    return spans_a, spans_b


def differing_spans(printed: str, corrected: str) -> tuple[list[Span], list[Span]]:
    """Where two formulas differ, as spans of each text (a tag is no difference)."""
    return tree_diff(parse_tree(printed), parse_tree(corrected), printed, corrected)


# -- marking -------------------------------------------------------------------------

def _row_pieces(text: str, span: Span) -> list[Span]:
    """A span cut at the ``&`` and ``\\\\`` of an aligned block, which no group may hold."""
    pieces, start = [], span.start
    for match in re.finditer(r"\\\\|&", text[span.start:span.end]):
        pieces.append((start, span.start + match.start()))
        start = span.start + match.end()
    pieces.append((start, span.end))
    out = []
    for s, e in pieces:
        piece = text[s:e]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Span(s + lead, s + len(piece.rstrip()), span.kind))
    return out


def mark(text: str, spans, style: str = "tex") -> str:
    """``text`` with each span wrapped in the highlight of ``style`` (``tex``, ``md``)."""
    marks = MARKS[style]
    pieces = sorted(p for span in spans for p in _row_pieces(text, span))
    out, position = [], 0
    for piece in pieces:
        if piece.start < position:
            raise ValueError("overlapping spans")   # tree spans never overlap
        opening, closing = marks[piece.kind]
        out += [text[position:piece.start], opening, text[piece.start:piece.end], closing]
        position = piece.end
    out.append(text[position:])
    return "".join(out)


def diff_latex(printed: str, corrected: str, style: str = "tex") -> tuple[str, str] | None:
    """Both formulas with what differs marked in ``style``; ``None`` if either does not
    read with derive's grammar or is not derive's LaTeX (it is then shown unmarked)."""
    from derive.report.filters import is_derive_latex
    printed, corrected = printed.strip(), corrected.strip()
    if not (is_derive_latex(printed) and is_derive_latex(corrected)):
        return None
    try:
        spans_a, spans_b = differing_spans(printed, corrected)
    except (DeriveError, RecursionError):
        return None
    tex = mark(printed, spans_a, "tex"), mark(corrected, spans_b, "tex")
    if not all(is_derive_latex(t, extra=MARK_COMMANDS) for t in tex):
        return None   # the last guard: marks only ever wrap whole groups
    if style == "tex":
        return tex
    return mark(printed, spans_a, style), mark(corrected, spans_b, style)


# -- errata in the report --------------------------------------------------------------

def counterpart(correction, document, erratum: str):
    """The step a correction redoes, to be shown beside it: the earlier step whose tag is
    the correction's without its primes ((7') redoes (7)), else the erratum it corrects."""
    base = correction.tag.rstrip("'")
    tags = [s.tag for s in document.steps]
    if base != correction.tag and base in tags and tags.index(base) < tags.index(correction.tag):
        return document.step(base)
    return document.step(erratum)


#: A tag as the file writes it or as :func:`tex_tag` prints it (``\\ensuremath{'}`` inside).
_TAG = re.compile(r"\\tag\*?\s*\{(?:[^{}]|\{[^{}]*\})*\}")


def _with_tag(latex: str, step, tag_text: str, tagged: bool) -> str:
    """The display with the step's tag, or (``tagged`` false) with none: an equation
    shown again for comparison must not be numbered twice."""
    if not tagged:
        return _TAG.sub("", latex).rstrip()
    return latex if step.formula.tag is not None else latex + rf" \tag{{{tag_text}}}"


def tex_marked(step, other, scope=None, tagged: bool = True) -> str:
    """A step's display for LaTeX with what differs from ``other`` marked
    (``\\diffmark``); as :func:`tex_display` shows it when nothing can be marked."""
    from derive.report.filters import tex_display, tex_tag
    marked = None if other is None else diff_latex(step.latex, other.latex, "tex")
    shown = tex_display(step, scope) if marked is None else marked[0]
    return _with_tag(shown, step, tex_tag(step.tag), tagged)


def md_marked(step, other, scope=None, tagged: bool = True) -> str:
    """A step's display for Markdown with what differs from ``other`` in colour; as
    :func:`display_latex` shows it when nothing can be marked."""
    from derive.report.filters import display_latex
    marked = None if other is None else diff_latex(step.latex, other.latex, "md")
    shown = display_latex(step, scope) if marked is None else marked[0]
    return _with_tag(shown, step, step.tag, tagged)


#: The highlight of the ``md`` style: the only ``\color`` (and ``#``) a page's math holds.
COLOUR_MARK = MARKS["md"]["ord"][0][1:-1]


def html_marked(step, other, scope=None, tagged: bool = True) -> str:
    r"""A step's display for the web page, marked as :func:`md_marked` marks it (KaTeX
    renders ``\color``): kept only if, with its colour marks read as ``\diffmark``, it
    is derive's LaTeX; else shown unmarked, as :func:`display_latex` shows it."""
    from derive.report.filters import display_latex, is_derive_latex
    shown = md_marked(step, other, scope, tagged)
    if is_derive_latex(shown.replace(COLOUR_MARK, r"\diffmark"), extra=MARK_COMMANDS):
        return shown
    return _with_tag(display_latex(step, scope), step, step.tag, tagged)


def differs(step, other) -> bool:
    """Whether two steps' formulas differ as derive's grammar reads them (not in a tag)."""
    try:
        return canonical(_content_root(step.latex)) != canonical(_content_root(other.latex))
    except (DeriveError, RecursionError):
        return " ".join(step.latex.split()) != " ".join(other.latex.split())


def _content_root(latex: str):
    return Tree("formula", _content(parse_tree(latex.strip())))


#: Roughly how many characters wide a formula may be to sit in half the text width.
BESIDE_WIDTH = 30


def _width(latex: str) -> int:
    """A rough count of the characters a formula prints, for choosing a layout."""
    text = re.sub(r"\\tag\*?\s*\{[^{}]*\}|\\(left|right)(?![A-Za-z])", "", latex)
    text = re.sub(r"\\(log|ln|exp|sin|cos|tan|sinh|cosh|tanh|arg|min|max)(?![A-Za-z])",
                  r"\1", text)
    text = re.sub(r"\\[A-Za-z]+|\\.", "x", text)
    return len(re.sub(r"[\s{}_^&]", "", text))


def fits_beside(step, other) -> bool:
    """Whether two formulas fit side by side: one line each, and short enough."""
    return all(r"\begin" not in s.latex and _width(s.latex) <= BESIDE_WIDTH
               for s in (step, other))


def _in_document(function):
    """``function`` as a filter reading the template's ``document``."""
    @jinja2.pass_context
    def filter_(context, *args, **kwargs):
        return function(*args, **kwargs, document=context.get("document"))
    filter_.__doc__ = function.__doc__
    return filter_


def _counterpart_filter(correction_result, erratum, document=None):
    return counterpart(correction_result.step, document, erratum)


def _marked_filter(function):
    def filter_(step, other, tagged=True, document=None):
        return function(step, other, getattr(document, "scope", None), tagged)
    filter_.__doc__ = function.__doc__
    return _in_document(filter_)


FILTERS = {
    "counterpart": _in_document(_counterpart_filter),
    "tex_marked": _marked_filter(tex_marked),
    "md_marked": _marked_filter(md_marked),
    "html_marked": _marked_filter(html_marked),
    "differs": differs,
    "fits_beside": fits_beside,
}
