"""Numbers as readers see them: six significant digits, or more where fewer would make
two different values print alike. The data (``--json``) keeps its full precision."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import sympy
from sympy import Basic

#: Significant digits of a number shown in a message or a report.
DIGITS = 6
#: The most digits shown, when two values agree to more than six.
MOST = 15
_DECIMAL = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def number(value: Basic, digits: int = DIGITS) -> str:
    """A SymPy number in ``digits`` significant digits: ``0.124689``; an integer whole."""
    try:
        if value.is_Integer:
            return str(value)
        return str(sympy.N(value, digits))
    except (TypeError, ValueError, AttributeError):
        return str(value)


def pair(left: Basic, right: Basic) -> tuple[str, str]:
    """Two values in six significant digits, or as many more as it takes (up to 15)
    for values that differ to print differently."""
    for digits in range(DIGITS, MOST + 1):
        shown = number(left, digits), number(right, digits)
        if shown[0] != shown[1]:
            return shown
    return shown


def significant(text: str, digits: int = DIGITS) -> str:
    """A number written as a decimal (``-2.13273631118``) in ``digits`` significant
    digits; any other text as it is."""
    text = str(text)
    if not _DECIMAL.fullmatch(text.strip()) or "." not in text and "e" not in text.lower():
        return text
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return str(sympy.Float(str(value), digits))


def rounded(expr: Basic, digits: int = DIGITS) -> Basic:
    """``expr`` with every floating-point number in it to ``digits`` significant digits;
    exact numbers untouched."""
    floats = expr.atoms(sympy.Float) if isinstance(expr, Basic) else set()
    return expr.xreplace({f: sympy.Float(f, digits) for f in floats}) if floats else expr
