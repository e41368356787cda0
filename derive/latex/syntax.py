"""The Lark parser of derive's LaTeX grammar (``grammar.lark``), built once per process.

It reads text into a parse tree and nothing more: no SymPy is imported here, so that
what needs only the grammar's tokens (the article reader's tags) stays cheap.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark

from derive.grammars import build

GRAMMAR = Path(__file__).with_name("grammar.lark")


@lru_cache(maxsize=1)
def latex_parser() -> Lark:
    """derive's LaTeX grammar as a Lark parser with positions."""
    return build(GRAMMAR, "latex", lexer="contextual", start=["start", "side"],
                 propagate_positions=True, maybe_placeholders=False,
                 import_paths=[str(GRAMMAR.parent)])
