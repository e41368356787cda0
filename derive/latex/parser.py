"""Parse LaTeX formulas with the grammar in ``grammar.lark``.

The parser is built once per process. Every failure becomes a
:class:`~derive.errors.LatexSyntaxError` whose position is a line and column of
the formula text; :func:`derive.document.loader` moves it to the file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from derive.errors import DeriveError, LatexSyntaxError, Position
from derive.latex.bars import mark_bars, unmark
from derive.latex.cells import mark_cells, unmark_cells
from derive.latex.formula import Formula
from derive.latex.readings import check_readings
from derive.latex.scope import Scope
from derive.latex.syntax import GRAMMAR, latex_parser as _lark
from derive.latex.transform import ToSympy


#: Deeper nesting than any article needs is refused before it can exhaust the stack.
MAX_DEPTH = 60

#: Readable names of terminals, for "expected ..." messages.
TERMINAL_NAMES = {
    "RPAR": "')'", "LPAR": "'('", "RBRACE": "'}'", "LBRACE": "'{'", "RSQB": "']'",
    "LSQB": "'['", "RIGHT_RPAR": "'\\right)'", "RIGHT_RBRACK": "'\\right]'",
    "DIFFERENTIAL": "a differential such as d\\epsilon", "EQ": "'='", "COMMA": "','",
    "END_ALIGNED": "'\\end{aligned}'", "$END": "the end of the formula",
}


def _position(text: str, line: int, column: int) -> Position:
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    return Position(line=line, column=column, source_line=source)


def _end_position(text: str) -> Position:
    lines = text.splitlines() or [""]
    return _position(text, len(lines), len(lines[-1]) + 1)


def _offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return _position(text, line, column)


_OPENERS = {"{": "}", "(": ")", "[": "]", "\\left": "\\right", "\\begin": "\\end"}
_BRACKET = re.compile(r"\\left\s*[\(\[\|.]|\\right\s*[\)\]\|.]|\\begin|\\end|\\[{}]|\\\\|\\[a-zA-Z]+|[{}()\[\]]")


def check_balanced(text: str) -> None:
    """Report the first unbalanced brace, parenthesis, \\left/\\right or \\begin/\\end."""
    stack: list[tuple[str, int]] = []
    for match in _BRACKET.finditer(text):
        token = match.group()
        if re.match(r"\\left(?![a-zA-Z])", token):      # not \leftarrow
            token = "\\left"
        elif re.match(r"\\right(?![a-zA-Z])", token):   # not \rightarrow
            token = "\\right"
        elif token in ("\\{", "\\}", "\\\\") or (token[0] == "\\" and token not in _OPENERS
                                                  and token != "\\end"):
            continue
        if token in _OPENERS:
            stack.append((token, match.start()))
            if len(stack) > MAX_DEPTH:
                raise LatexSyntaxError(f"the formula is nested more than {MAX_DEPTH} levels deep",
                                       _offset_position(text, match.start()))
        elif token in _OPENERS.values():
            if not stack or _OPENERS[stack[-1][0]] != token:
                what = {"}": "brace '}'", ")": "parenthesis ')'", "]": "bracket ']'",
                        "\\right": "\\right", "\\end": "\\end"}[token]
                raise LatexSyntaxError(f"unbalanced {what}: nothing open to close",
                                       _offset_position(text, match.start()))
            stack.pop()
    if stack:
        token, offset = stack[-1]
        what = {"{": "brace '{'", "(": "parenthesis '('", "[": "bracket '['",
                "\\left": "\\left", "\\begin": "\\begin"}[token]
        raise LatexSyntaxError(f"unbalanced {what}: never closed", _offset_position(text, offset))


def _describe(token) -> str:
    if token.type == "$END":
        return "the end of the formula"
    return f"'{unmark_cells(unmark(token.value))}'"


def _expected(names) -> str:
    readable = sorted({TERMINAL_NAMES.get(n, n.lower()) for n in names})
    if len(readable) > 6:
        return ""
    return " (expected " + " or ".join(readable) + ")"


def _syntax_error(text: str, error: UnexpectedInput) -> LatexSyntaxError:
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream
        command = re.match(r"\\[a-zA-Z]+", text[offset:])
        if command:
            message = f"unsupported command {command.group()}"
        else:
            message = f"unexpected character '{text[offset]}'"
        return LatexSyntaxError(message, _offset_position(text, offset))
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return LatexSyntaxError("the formula ends too early" + _expected(error.expected),
                                    _end_position(text))
        if token.type == "TEXT":
            return LatexSyntaxError(r"\text{...} is only allowed in a subscript, as in "
                                    r"x_{\text{total}}, or as \text{s.t.}",
                                    _position(text, token.line, token.column))
        return LatexSyntaxError(f"unexpected {_describe(token)}" + _expected(error.expected),
                                _position(text, token.line, token.column))
    if isinstance(error, UnexpectedEOF):
        return LatexSyntaxError("the formula ends too early", _end_position(text))
    return LatexSyntaxError(str(error), _end_position(text))


def parse_tree(text: str, start: str = "start"):
    """The raw parse tree of ``text`` (for tools and tests)."""
    if not text.strip():
        raise LatexSyntaxError("empty formula", _position(text, 1, 1))
    check_balanced(text)
    try:
        return _lark().parse(mark_cells(mark_bars(text)), start=start)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    except RecursionError:
        raise _too_deep(text) from None


def _transform(text: str, tree, transformer, resolve: bool = False):
    try:
        check_readings(text, tree, transformer.scope)
        result = transformer.transform(tree)
        # A lone name is still a NameRef after the transform; resolve it.
        return transformer.value(result) if resolve else result
    except DeriveError as error:
        raise error.at(_position(text, error.position.line, error.position.column)) from None
    except RecursionError:
        raise _too_deep(text) from None
    except Exception as error:  # a lark VisitError wraps our errors
        inner = getattr(error, "orig_exc", None)
        if isinstance(inner, DeriveError):
            pos = inner.position
            raise inner.at(_position(text, pos.line, pos.column)) from None
        if isinstance(inner, RecursionError):
            raise _too_deep(text) from None
        raise


def _too_deep(text: str) -> LatexSyntaxError:
    return LatexSyntaxError("the formula is too long or nested too deeply to read",
                            _position(text, 1, 1))


def parse_formula(text: str, scope: Scope) -> Formula:
    """Parse a displayed equation (chains, implications, constraints, tag)."""
    return _transform(text, parse_tree(text), ToSympy(scope))


def read_expression(text: str, scope: Scope):
    """Parse a single expression, such as a rule argument (``p(\\epsilon)``)."""
    return _transform(text, parse_tree(text, "side"), ToSympy(scope), resolve=True)


def parse_declaration(text: str):
    """Read a declared name or call without resolving it (see ``ToSympy(declaring=True)``)."""
    return _transform(text, parse_tree(text, "side"), ToSympy(Scope(), declaring=True))
