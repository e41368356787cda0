"""The Markdown prose of derivation files, read once by a CommonMark parser and
written out again as safe Markdown, LaTeX or HTML.

Prose is written by anyone, so nothing of it reaches a report as written. It is
parsed by markdown-it-py (the CommonMark preset with mdit-py-plugins' dollar math),
with raw HTML, links, images, autolinks and link definitions switched off, so that
they stay text; the tokens are then written by one writer per target, which
escapes every piece of text for that target. A math span is kept as math only if
derive's grammar reads it with the document's declarations
(:func:`~derive.report.filters.derive_math`); otherwise it is shown as code.

Inline math in the Markdown gets a space on each side where it would touch text
(but ASCII punctuation after it), because GitHub and KaTeX- or MathJax-based
renderers leave ``数据$z$，`` unrendered.

>>> prose_markdown("数据$z$，**粗体**")
'数据 $z$ ，**粗体**'
"""

from __future__ import annotations

import functools
import html
import re

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.dollarmath import dollarmath_plugin

from derive.latex.scope import Scope
from derive.report.filters import derive_math, md_code, md_escape, tex_escape, tex_heading

#: What markdown-it would read as raw HTML, a link or an image: all left as text.
UNSAFE_RULES = ("html_block", "html_inline", "link", "image", "autolink", "reference")


@functools.lru_cache(maxsize=None)
def prose_parser() -> MarkdownIt:
    """The parser of prose: CommonMark with dollar math, no HTML, links or images.

    Authors glue math to text (``数据$z$，``) and put digits beside it, so the reader
    is lenient; the Markdown written back is read by the strict settings too."""
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(list(UNSAFE_RULES))
    dollarmath_plugin(md, allow_labels=False, allow_space=True, allow_digits=True,
                      double_inline=True)
    return md


def parse_prose(text, inline: bool = False) -> SyntaxTreeNode:
    """The syntax tree of prose: blocks, or one line of inline Markdown (a title, a
    reason) in which ``1.`` or ``#`` starts nothing."""
    text = str(text)
    if inline:
        return SyntaxTreeNode(prose_parser().parseInline(" ".join(text.split())))
    return SyntaxTreeNode(prose_parser().parse(text))


def read_math(latex, scope: Scope | None) -> str | None:
    """A math span's LaTeX if derive reads it (and it holds no backtick), else ``None``."""
    printed = derive_math(latex, scope)
    return printed if printed is not None and "`" not in printed else None


def _segments(children):
    """An inline run split at its top-level ``$$...$$``: ``("inline", nodes)`` and
    ``("display", node)`` in order, so that display math leaves the paragraph."""
    run: list = []
    for child in children:
        if child.type == "math_inline_double":
            if run:
                yield "inline", run
            run = []
            yield "display", child
        else:
            run.append(child)
    if run:
        yield "inline", run


def _inline_children(node) -> list:
    """The inline nodes of a paragraph or heading (the children of its ``inline``)."""
    return [c for inline in node.children for c in inline.children]


class Writer:
    """Writes a prose syntax tree for one target; subclasses say how each node looks.

    Block methods are named ``block_<type>``, inline ones ``inline_<type>``, after
    markdown-it's node types; a type without a method is written as escaped text."""

    def __init__(self, scope: Scope | None):
        self.scope = scope
        self.depth = 0          # enclosing lists and quotes

    def document(self, root: SyntaxTreeNode, inline: bool) -> str:
        """The whole tree: blocks, or the single inline run of a one-line text."""
        if inline:
            return self.inline(_inline_children(root))
        return self.blocks(root.children)

    def blocks(self, nodes, separator: str = "\n\n") -> str:
        """Blocks in order, each written, empty ones dropped."""
        written = (self.block(node) for node in nodes)
        return separator.join(text for text in written if text)

    def block(self, node) -> str:
        """One block by its type; an unknown one as its escaped text."""
        method = getattr(self, "block_" + node.type, None)
        if method is not None:
            return method(node)
        if node.children:
            return self.blocks(node.children)
        return self.escape(node.content)

    def inline(self, nodes) -> str:
        """An inline run as text."""
        return "".join(self.inline_node(node) for node in nodes)

    def inline_node(self, node) -> str:
        """One inline node by its type; an unknown one as its escaped text."""
        method = getattr(self, "inline_" + node.type, None)
        if method is not None:
            return method(node)
        if node.children:
            return self.inline(node.children)
        return self.escape(node.content)

    def escape(self, text: str) -> str:
        """Plain text for the target."""
        raise NotImplementedError

    def nested(self, method, *args):
        """``method(*args)`` one list or quote deeper."""
        self.depth += 1
        try:
            return method(*args)
        finally:
            self.depth -= 1


# -- Markdown -------------------------------------------------------------------------

#: Punctuation that Markdown or dollar math would read inside text.
_MD_TEXT = re.compile(r"([\\`*_\[\]<>#|$&~])")
#: What would start a block at the beginning of a line: a list, a heading underline.
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d{1,9})([.)]))")


def _md_text(text: str) -> str:
    """Text as Markdown: every character that markup could read, escaped."""
    return _MD_TEXT.sub(r"\\\1", text)


def _md_line_start(text: str) -> str:
    """Text that begins a line, with a list marker or underline there escaped."""
    def escape(match):
        if match.group(2):
            return match.group(1) + "\\" + match.group(2)
        return match.group(1) + match.group(3) + "\\" + match.group(4)
    return _MD_LINE_START.sub(escape, text, count=1)


#: What may follow closing math unspaced, as in English prose (``$x$, $y$.``).
MATH_FOLLOWERS = frozenset(".,;:!?")


def spaced(pieces) -> str:
    """Inline pieces ``(kind, text)`` joined, with a space between math and any
    non-space character it would touch (but ASCII ``.,;:!?`` after it), except at the
    start or end of a line; and text that begins a line kept from starting a block."""
    out: list[str] = []
    previous = ""
    for kind, text in pieces:
        if not text:
            continue
        at_line_start = not out or out[-1].endswith("\n")
        if kind == "text" and at_line_start:
            text = _md_line_start(text)
        touching = out and not out[-1][-1].isspace() and not text[0].isspace()
        follows = previous == "math" and kind != "math" and text[0] in MATH_FOLLOWERS
        if touching and "math" in (kind, previous) and not follows:
            out.append(" ")
        out.append(text)
        previous = kind
    return "".join(out)


class MarkdownWriter(Writer):
    """Markdown that GitHub and KaTeX renderers read as the prose was meant, and that
    holds no HTML, link or image."""

    def escape(self, text: str) -> str:
        return _md_text(text)

    def inline(self, nodes) -> str:
        return spaced(self.pieces(nodes))

    def pieces(self, nodes):
        """The inline nodes as ``(kind, text)``: text, math, code, mark or break."""
        for node in nodes:
            method = getattr(self, "pieces_" + node.type, None)
            if method is not None:
                yield from method(node)
            elif node.children:
                yield from self.pieces(node.children)
            else:
                yield "text", _md_text(node.content)

    def pieces_text(self, node):
        yield "text", _md_text(node.content)

    def pieces_softbreak(self, node):
        yield "break", "\n"

    def pieces_hardbreak(self, node):
        yield "break", "\\\n"

    def pieces_code_inline(self, node):
        yield "code", md_code(node.content)

    def pieces_math_inline(self, node):
        printed = read_math(node.content, self.scope)
        if printed is None:
            yield "code", md_code("$" + " ".join(node.content.split()) + "$")
        else:
            yield "math", f"${printed}$"

    pieces_math_inline_double = pieces_math_inline   # inside emphasis: inline

    def pieces_strong(self, node):
        yield from self.emphasis(node, "**")

    def pieces_em(self, node):
        yield from self.emphasis(node, "*")

    def emphasis(self, node, mark: str):
        """Emphasis with its math at either edge moved outside the marks: ``**$x$**``
        renders nowhere, and a space inside the marks would undo the emphasis."""
        inner = list(self.pieces(node.children))
        before, after = [], []
        while inner and (inner[0][0] == "math" or not inner[0][1].strip()):
            before.append(inner.pop(0))
        while inner and (inner[-1][0] == "math" or not inner[-1][1].strip()):
            after.insert(0, inner.pop())
        yield from before
        if inner:
            yield "mark", mark
            yield from inner
            yield "mark", mark
        yield from after

    def display(self, node) -> str:
        """Display math as a ``$$`` block of its own, or a code span if derive does
        not read it."""
        printed = read_math(node.content, self.scope)
        if printed is None:
            return md_code("$$" + " ".join(node.content.split()) + "$$")
        return f"$$\n{printed}\n$$"

    def block_paragraph(self, node) -> str:
        parts = []
        for kind, content in _segments(_inline_children(node)):
            parts.append(self.display(content) if kind == "display"
                         else self.inline(content).strip())
        return "\n\n".join(part for part in parts if part)

    def block_heading(self, node) -> str:
        level = int(node.tag[1])
        text = self.inline(_inline_children(node)).replace("\\\n", " ").replace("\n", " ")
        return "#" * level + " " + text

    def block_math_block(self, node) -> str:
        return self.display(node)

    def block_bullet_list(self, node) -> str:
        return self.nested(self.items, node, lambda _: "- ")

    def block_ordered_list(self, node) -> str:
        start = int(node.attrs.get("start", 1))
        return self.nested(self.items, node, lambda i: f"{start + i}. ")

    def items(self, node, marker) -> str:
        """List items, each with its marker and its further lines indented under it."""
        tight = _tight(node)
        written = []
        for i, item in enumerate(node.children):
            head = marker(i)
            body = self.blocks(item.children, "\n" if tight else "\n\n")
            lines = body.split("\n")
            rest = [(" " * len(head) + line) if line else "" for line in lines[1:]]
            written.append("\n".join([(head + lines[0]).rstrip()] + rest))
        return ("\n" if tight else "\n\n").join(written)

    def block_blockquote(self, node) -> str:
        body = self.nested(self.blocks, node.children)
        return "\n".join(("> " + line) if line else ">" for line in body.split("\n"))

    def block_code_block(self, node) -> str:
        content = node.content if node.content.endswith("\n") else node.content + "\n"
        longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}\n{content}{fence}"

    block_fence = block_code_block

    def block_hr(self, node) -> str:
        return "---"


def _tight(node) -> bool:
    """Whether a list is tight: markdown-it hides the paragraphs of its items."""
    return any(child.type == "paragraph" and child.hidden
               for item in node.children for child in item.children)


# -- LaTeX ----------------------------------------------------------------------------

#: Lists and quotes nested deeper than this are written flat: LaTeX stops at six.
MAX_LATEX_DEPTH = 4
_ENUM_COUNTERS = ("enumi", "enumii", "enumiii", "enumiv")


class LatexWriter(Writer):
    """LaTeX text in which the file defines, reads or writes nothing: text through
    :func:`tex_escape`, math only as derive reads it."""

    def __init__(self, scope: Scope | None):
        super().__init__(scope)
        self.flat = False        # in a heading: display math inline
        self.enumerates = 0      # enclosing enumerates, which name the counter

    def escape(self, text: str) -> str:
        return tex_escape(text)

    def math(self, node, display: bool) -> str:
        """Math as derive reads it, or its text in typewriter type."""
        printed = read_math(node.content, self.scope)
        delimiter = "$$" if display else "$"
        if printed is None:
            shown = delimiter + " ".join(node.content.split()) + delimiter
            return r"\texttt{" + tex_escape(shown) + "}"
        if display and not self.flat:
            return rf"\[{printed}\]"
        return f"${printed}$"

    def inline_text(self, node) -> str:
        return tex_escape(node.content)

    def inline_softbreak(self, node) -> str:
        return "\n"

    def inline_hardbreak(self, node) -> str:
        # the braces end the line break, which would read a following * or [ as its own
        return " " if self.flat else "\\\\{}\n"

    def inline_code_inline(self, node) -> str:
        return r"\texttt{" + tex_escape(node.content) + "}"

    def inline_math_inline(self, node) -> str:
        return self.math(node, display=False)

    def inline_math_inline_double(self, node) -> str:
        return self.math(node, display=True)

    def inline_strong(self, node) -> str:
        return r"\textbf{" + self.inline(node.children) + "}"

    def inline_em(self, node) -> str:
        return r"\emph{" + self.inline(node.children) + "}"

    def block_paragraph(self, node) -> str:
        return self.inline(_inline_children(node))

    def block_heading(self, node) -> str:
        self.flat = True
        try:
            text = self.inline(_inline_children(node))
        finally:
            self.flat = False
        if self.depth:
            return r"\textbf{" + text + "}"
        return "\\" + tex_heading(int(node.tag[1])) + "*{" + text + "}"

    def block_math_block(self, node) -> str:
        return self.math(node, display=True)

    def block_bullet_list(self, node) -> str:
        return self.nested(self.items, node, "itemize", 1)

    def block_ordered_list(self, node) -> str:
        self.enumerates += 1
        try:
            return self.nested(self.items, node, "enumerate", int(node.attrs.get("start", 1)))
        finally:
            self.enumerates -= 1

    def items(self, node, environment: str, start: int) -> str:
        """A list as ``itemize``/``enumerate``; deeper than LaTeX allows, as paragraphs."""
        bodies = [self.blocks(item.children) for item in node.children]
        if self.depth > MAX_LATEX_DEPTH:
            marks = [f"{start + i}." if environment == "enumerate" else "--"
                     for i in range(len(bodies))]
            return "\n\n".join(f"{mark} {body}" for mark, body in zip(marks, bodies))
        lines = [rf"\begin{{{environment}}}"]
        if environment == "enumerate" and start != 1:
            counter = _ENUM_COUNTERS[min(self.enumerates, len(_ENUM_COUNTERS)) - 1]
            lines[0] += rf"\setcounter{{{counter}}}{{{start - 1}}}"
        lines += [r"\item " + ("{}" if body.startswith("[") else "") + body
                  for body in bodies]   # \item [x] would make [x] the item's label
        lines.append(rf"\end{{{environment}}}")
        return "\n".join(lines)

    def block_blockquote(self, node) -> str:
        body = self.nested(self.blocks, node.children)
        if self.depth >= MAX_LATEX_DEPTH:
            return body
        return "\\begin{quote}\n" + body + "\n\\end{quote}"

    def block_code_block(self, node) -> str:
        lines = node.content.rstrip("\n").split("\n")
        shown = [r"\texttt{" + tex_escape(line).replace(" ", "~") + "}" for line in lines]
        return "\\begin{quote}\n" + "\\\\\n".join(shown) + "\n\\end{quote}"

    block_fence = block_code_block

    def block_hr(self, node) -> str:
        return "\\begin{center}\n* * *\n\\end{center}"


# -- HTML -----------------------------------------------------------------------------

def _html(text: str) -> str:
    return html.escape(text, quote=True)


class HtmlWriter(Writer):
    """HTML for the report's web page: everything escaped, math in the elements that
    KaTeX renders in the browser, holding only LaTeX that derive reads."""

    def escape(self, text: str) -> str:
        return _html(text)

    def math(self, node, display: bool) -> str:
        """Math as a KaTeX element, or its text as code if derive does not read it."""
        printed = read_math(node.content, self.scope)
        delimiter = "$$" if display else "$"
        if printed is None:
            return "<code>" + _html(delimiter + " ".join(node.content.split()) + delimiter) \
                + "</code>"
        if display:
            return f'<div class="math display">{_html(printed)}</div>'
        return f'<span class="math inline">{_html(printed)}</span>'

    def inline_text(self, node) -> str:
        return _html(node.content)

    def inline_softbreak(self, node) -> str:
        return "\n"

    def inline_hardbreak(self, node) -> str:
        return "<br>\n"

    def inline_code_inline(self, node) -> str:
        return "<code>" + _html(node.content) + "</code>"

    def inline_math_inline(self, node) -> str:
        return self.math(node, display=False)

    def inline_math_inline_double(self, node) -> str:   # inside emphasis
        return self.math(node, display=False)

    def inline_strong(self, node) -> str:
        return "<strong>" + self.inline(node.children) + "</strong>"

    def inline_em(self, node) -> str:
        return "<em>" + self.inline(node.children) + "</em>"

    def block_paragraph(self, node) -> str:
        parts = []
        for kind, content in _segments(_inline_children(node)):
            if kind == "display":
                parts.append(self.math(content, display=True))
            elif node.hidden:
                parts.append(self.inline(content).strip())
            else:
                parts.append("<p>" + self.inline(content).strip() + "</p>")
        return "\n".join(parts)

    def block_heading(self, node) -> str:
        level = max(2, int(node.tag[1]))     # the page's title is the <h1>
        return f"<h{level}>" + self.inline(_inline_children(node)) + f"</h{level}>"

    def block_math_block(self, node) -> str:
        return self.math(node, display=True)

    def block_bullet_list(self, node) -> str:
        return "<ul>\n" + self.nested(self.items, node) + "\n</ul>"

    def block_ordered_list(self, node) -> str:
        start = int(node.attrs.get("start", 1))
        opening = "<ol>" if start == 1 else f'<ol start="{start}">'
        return opening + "\n" + self.nested(self.items, node) + "\n</ol>"

    def items(self, node) -> str:
        """List items, each a ``<li>``."""
        return "\n".join("<li>" + self.blocks(item.children, "\n") + "</li>"
                         for item in node.children)

    def block_blockquote(self, node) -> str:
        return "<blockquote>\n" + self.nested(self.blocks, node.children, "\n") \
            + "\n</blockquote>"

    def block_code_block(self, node) -> str:
        return "<pre><code>" + _html(node.content) + "</code></pre>"

    block_fence = block_code_block

    def block_hr(self, node) -> str:
        return "<hr>"


# -- the filters ----------------------------------------------------------------------

def prose_markdown(text, scope: Scope | None = None, inline: bool = False) -> str:
    """Prose as safe Markdown: math kept if derive reads it (else a code span), no
    HTML, link or image; ``inline`` reads one line, in which no block starts."""
    return MarkdownWriter(scope).document(parse_prose(text, inline), inline)


def prose_latex(text, scope: Scope | None = None, inline: bool = False) -> str:
    """Prose as LaTeX: escaped text, ``\\textbf``, ``\\texttt``, lists, quotes, headings
    as sections, math only as derive reads it."""
    return LatexWriter(scope).document(parse_prose(text, inline), inline)


def prose_html(text, scope: Scope | None = None, inline: bool = False) -> str:
    """Prose as escaped HTML, math as ``<span class="math inline">`` and ``<div
    class="math display">`` for KaTeX, unreadable math as ``<code>``."""
    return HtmlWriter(scope).document(parse_prose(text, inline), inline)




# -- the engine's reasons -------------------------------------------------------------

def _reason_kind(reason: str) -> str:
    """Prose if it marks its math with ``$``; code if it has bare LaTeX; else text."""
    if "$" in reason:
        return "prose"
    return "code" if "\\" in reason else "text"


def md_reason(reason, scope: Scope | None = None) -> str:
    """A verdict's reason for Markdown: its ``$math$`` as derive reads it, bare LaTeX
    in it shown as code, not garbled."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    if kind == "prose":
        return prose_markdown(reason, scope, inline=True)
    return md_code(reason) if kind == "code" else md_escape(reason)


def tex_reason(reason, scope: Scope | None = None) -> str:
    """A verdict's reason for LaTeX: ``$math$`` as derive reads it, bare LaTeX as code."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    if kind == "prose":
        return prose_latex(reason, scope, inline=True)
    if kind == "code":
        return r"\texttt{" + tex_escape(reason) + "}"
    return tex_escape(reason)


def html_reason(reason, scope: Scope | None = None) -> str:
    """A verdict's reason for HTML: ``$math$`` for KaTeX, bare LaTeX as code."""
    reason = " ".join(str(reason).split())
    kind = _reason_kind(reason)
    if kind == "prose":
        return prose_html(reason, scope, inline=True)
    return "<code>" + _html(reason) + "</code>" if kind == "code" else _html(reason)
