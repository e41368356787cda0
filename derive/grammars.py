"""Lark parsers built once per machine, not once per process.

Building the LALR tables of the LaTeX grammar takes about a quarter of a second, on
every run. Lark can keep the built parser in a file and reuse it while the grammar, the
files it imports, the options and Lark's version are unchanged (it checks their
hashes, and rebuilds from the grammar when the file is missing, stale or unreadable).
The file lives in the user's cache folder, never in a shared temporary folder; its
name holds a hash of the grammar files, so that checkouts with different grammars
(worktrees, versions) keep a file each instead of rebuilding over one another.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from lark import Lark


def _cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/derive`` (or ``~/.cache/derive``), created if need be; None when
    it cannot be."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "derive"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _fingerprint(grammar: Path) -> str:
    """A short hash of ``grammar`` and the grammar files beside it (its imports)."""
    digest = hashlib.sha256()
    for path in [grammar, *sorted(grammar.parent.glob("*.lark"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def build(grammar: Path, name: str, **options) -> Lark:
    """The LALR parser of ``grammar`` with ``options``, from the cache when it is current."""
    folder = _cache_folder()
    cache = str(folder / f"{name}-{_fingerprint(grammar)}.lark-cache") \
        if folder is not None else False
    return Lark(grammar.read_text(encoding="utf-8"), parser="lalr", cache=cache, **options)
