r"""Pair the bars of ``|x|`` and ``\|x\|`` before the grammar reads a formula.

A bar ``|`` opens an absolute value, closes one, or separates the arguments of a
call (``p(x | z)``); an LALR grammar cannot tell which from the bar alone. Here every
way of reading the bars of one bracket group is counted from what stands on either
side of each bar: after an operator (or at the start) a bar opens, before an operator
(or at the end) after an operand it closes, between two operands it may open, close
or, directly inside parentheses, separate. Exactly one reading: the bars are marked
for the grammar by private characters of the same length (positions stay true).
Several readings (``|a|b|c|``): refused with a hint. None: left to the grammar, which
reports the first bar it cannot read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from derive.errors import LatexSyntaxError, Position

#: The private characters that stand for paired bars in the text the grammar reads.
ABS_OPEN, ABS_CLOSE, NORM_OPEN, NORM_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
PRIVATE = ABS_OPEN + ABS_CLOSE + NORM_OPEN + NORM_CLOSE

_TOKEN = re.compile(r"\\(big|Big|bigg|Bigg)\s*\||\\(left|right)\s*(\\\||\\[{}]|[()\[\]|.])|\\\||\\[a-zA-Z]+|\\.|\S")

#: Commands after which a value ends (a bar after them may close).
_OPERANDS = re.compile(r"\\(alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|"
                       r"iota|kappa|lambda|mu|nu|xi|pi|rho|varrho|sigma|varsigma|tau|upsilon|"
                       r"phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|"
                       r"Upsilon|Phi|Psi|Omega|ell|infty|ast|star|prime|rangle|right.*)$")

#: Commands that begin a value (a bar before them may open, close or separate).
_STARTS = re.compile(r"\\(alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|"
                     r"iota|kappa|lambda|mu|nu|xi|pi|rho|varrho|sigma|varsigma|tau|upsilon|"
                     r"phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Upsilon|"
                     r"Phi|Psi|Omega|ell|infty|frac|dfrac|tfrac|sqrt|log|ln|exp|sin|cos|tan|"
                     r"sinh|cosh|tanh|arcsin|arccos|arctan|sum|prod|int|iint|iiint|lim|binom|"
                     r"mathcal|mathbb|mathrm|mathit|mathbf|boldsymbol|hat|bar|tilde|vec|dot|"
                     r"overline|partial|left.*|max|min|arg|langle)$")

#: Spacing commands, which stand for nothing.
_SPACES = re.compile(r"\\([,;:!> ]|quad|qquad|enspace|thinspace|medspace|thickspace|"
                     r"negthinspace|displaystyle|textstyle|limits|nolimits)$|~$")

_OPENERS = {"(", "[", "{", r"\{"}
_CLOSERS = {")", "]", "}", r"\}"}


@dataclass
class _Bar:
    offset: int
    kind: str          # "|" or "\|"
    group: int         # index of the bracket group it stands in
    separable: bool    # directly inside parentheses, where it may separate arguments
    after: str         # "operator", "operand", "bar" or "other" (a bar of the other kind)
    before: str        # "operator", "operand", "bar" or "other"


def _tokens(text: str):
    """Significant tokens with their offsets, spacing dropped."""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if not _SPACES.match(token):
            yield token, match.start()


def _is_bar(token: str) -> str | None:
    return token if token in ("|", r"\|") else None


def _after(token: str | None) -> str:
    """What a bar following ``token`` may be: after an operand it may close."""
    if token is None:
        return "operator"
    if token[0].isalnum() or token in (")", "]", "}", r"\}", "!", "'", "."):
        return "operand"
    if token.startswith("\\right") or (token.startswith("\\") and _OPERANDS.match(token)):
        return "operand"
    return "operator"


def _before(token: str | None) -> str:
    """What a bar preceding ``token`` may be: before an operator it must close; before
    a sign it may also open (``|a |-b| c|``)."""
    if token is None:
        return "operator"
    if token[0].isalnum() or token in ("(", "[", "{", r"\{", "+", "-"):
        return "operand"
    if token.startswith("\\left") or (token.startswith("\\") and _STARTS.match(token)):
        return "operand"
    return "operator"


def _bars(text: str) -> list[_Bar]:
    tokens = list(_tokens(text))
    stack = [(0, False)]          # (group, parentheses)
    groups = 0
    bars = []
    for k, (token, offset) in enumerate(tokens):
        if token in _OPENERS or (token.startswith("\\left") and not token.endswith("|")):
            groups += 1
            stack.append((groups, token.endswith("(")))
            continue
        if token in _CLOSERS or (token.startswith("\\right") and not token.endswith("|")):
            if len(stack) > 1:
                stack.pop()
            continue
        kind = _is_bar(token)
        if kind is None:
            continue
        previous = tokens[k - 1][0] if k else None
        following = tokens[k + 1][0] if k + 1 < len(tokens) else None
        after = ("bar" if _is_bar(previous) == kind else "other" if _is_bar(previous)
                 else _after(previous))
        before = ("bar" if _is_bar(following) == kind else "other" if _is_bar(following)
                  else _before(following))
        group, parentheses = stack[-1]
        bars.append(_Bar(offset, kind, group, parentheses and kind == "|", after, before))
    return bars


def _options(bar: _Bar, previous_role: str | None, depth: int):
    """The roles a bar may take, given the role of a bar right before it."""
    after = bar.after
    if after == "bar":
        after = "operator" if previous_role in ("open", "sep") else "operand"
    if after == "operator":
        return ("open",)
    roles = ["open"]
    if depth > 0:
        roles.append("close")
    if bar.separable and depth == 0 and bar.before != "operator":
        roles.append("sep")
    if bar.before == "operator":
        roles = [r for r in roles if r == "close"]
    return tuple(roles)


def _readings(bars: list[_Bar], limit: int = 2) -> list[tuple[str, ...]]:
    """Up to ``limit`` ways to give every bar of one group a role, each balanced."""

    @lru_cache(maxsize=None)
    def count(k: int, depth: int, previous: str | None) -> int:
        if k == len(bars):
            return 1 if depth == 0 else 0
        adjacent = previous if bars[k].after == "bar" else None
        total = 0
        for role in _options(bars[k], adjacent, depth):
            step = {"open": 1, "close": -1, "sep": 0}[role]
            total += count(k + 1, depth + step, role)
            if total >= limit:
                return limit
        return total

    found: list[tuple[str, ...]] = []

    def walk(k: int, depth: int, previous: str | None, roles: tuple):
        if len(found) >= limit:
            return
        if k == len(bars):
            found.append(roles)
            return
        adjacent = previous if bars[k].after == "bar" else None
        for role in _options(bars[k], adjacent, depth):
            step = {"open": 1, "close": -1, "sep": 0}[role]
            if count(k + 1, depth + step, role):
                walk(k + 1, depth + step, role, roles + (role,))

    if count(0, 0, None):
        walk(0, 0, None, ())
    return found


def _position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Position(line=line, column=column)


_MARKS = {("|", "open"): ABS_OPEN, ("|", "close"): ABS_CLOSE,
          ("\\|", "open"): NORM_OPEN, ("\\|", "close"): NORM_CLOSE}


def mark_bars(text: str) -> str:
    """``text`` with each paired bar replaced by its private mark (same length), or a
    refusal where the bars pair up in more than one way."""
    for k, char in enumerate(text):
        if char in PRIVATE:
            raise LatexSyntaxError(f"unexpected character '{char}'", _position(text, k))
    bars = _bars(text)
    marked = list(text)
    for group in sorted({b.group for b in bars}):
        for kind in ("|", r"\|"):
            members = [b for b in bars if b.group == group and b.kind == kind]
            if not members:
                continue
            readings = _readings(members)
            if len(readings) > 1:
                first, second = readings
                k = next(i for i, (r, s) in enumerate(zip(first, second)) if r != s)
                start, end = members[0].offset, members[-1].offset + len(kind)
                shown = " ".join(text[start:end].split())
                raise LatexSyntaxError(
                    f"'{shown}' is ambiguous: its bars {kind} pair up in more than one way; "
                    f"write \\left{kind} ... \\right{kind} for each pair that belongs together",
                    _position(text, members[k].offset))
            if not readings:
                continue     # the grammar reports the bar it cannot read
            for bar, role in zip(members, readings[0]):
                if role != "sep":
                    marked[bar.offset] = _MARKS[kind, role]
    return "".join(marked)


def unmark(text: str) -> str:
    """The text as written, for messages: the marks back to bars."""
    return (text.replace(NORM_OPEN, "\\").replace(NORM_CLOSE, "\\")
            .replace(ABS_OPEN, "|").replace(ABS_CLOSE, "|"))
