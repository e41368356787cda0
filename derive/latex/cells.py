"""Mark the cells of a matrix: ``&`` and ``\\\\`` separate entries and rows inside
``pmatrix`` and ``bmatrix``, while elsewhere (an ``aligned`` block) they are spacing.

Each separator inside a matrix becomes a private character of the same length, so
that positions in the text stay those of the formula as written.
"""

from __future__ import annotations

import re

#: The marks the grammar reads as CELL_SEP and ROW_SEP.
CELL = "\ue010"
ROW = "\ue011\ue011"

_PIECE = re.compile(r"\\begin\s*\{\s*[pb]matrix\s*\}|\\end\s*\{\s*[pb]matrix\s*\}|\\\\|&"
                    r"|\\[a-zA-Z]+|\\.")


def mark_cells(text: str) -> str:
    """``text`` with the separators of every matrix's cells marked."""
    marked, depth, last = [], 0, 0
    for match in _PIECE.finditer(text):
        piece = match.group()
        if piece.startswith(r"\begin") and piece.endswith("}"):
            depth += 1
        elif piece.startswith(r"\end") and piece.endswith("}"):
            depth = max(depth - 1, 0)
        elif depth and piece in ("&", "\\\\"):
            marked.append(text[last:match.start()])
            marked.append(CELL if piece == "&" else ROW)
            last = match.end()
    marked.append(text[last:])
    return "".join(marked)


def unmark_cells(text: str) -> str:
    """The text as written, for messages."""
    return text.replace(ROW, "\\\\").replace(CELL, "&")
