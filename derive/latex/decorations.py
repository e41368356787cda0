"""Decorations that make a name of its own: ``\\theta^{\\ast}``, ``f^{\\star}``, ``x^{\\prime}``.

The grammar lexes a letter with a decoration superscript as one head (DECORATED), so that
``f^{\\ast}(z)`` is a call of the declared function f^{\\ast} exactly as ``f(z)`` is.
"""

from __future__ import annotations

import re

#: Each written decoration and its canonical spelling in a name's key.
DECORATIONS = {"*": r"\ast", r"\ast": r"\ast", r"\star": r"\star", "'": r"\prime",
               r"\prime": r"\prime"}

_SPLIT = re.compile(r"^(?P<head>.*?)\s*\^\s*\{?\s*(?P<mark>\\[a-z]+|\*|')\s*\}?$", re.S)


def split_decorated(text: str) -> tuple[str, str]:
    """``f^{\\ast}`` -> (``f``, ``\\ast``): the bare head and its canonical decoration."""
    found = _SPLIT.match(text)
    return "".join(found["head"].split()), DECORATIONS[found["mark"]]


def decorated_key(text: str) -> str:
    """The key a decorated head is declared under: ``f^{\\ast}`` for ``f^\\ast``."""
    head, mark = split_decorated(text)
    return head + "^{" + mark + "}"
