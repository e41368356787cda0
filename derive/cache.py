"""The verdict cache under ``.derive-cache/``: a re-run on unchanged input costs no checking.

An entry is found by a key that holds everything that can change a verdict: the
fingerprint of the code (derive's own source files, the versions of SymPy, mpmath,
Lark and Python, which also covers every numeric setting, as those are constants in
derive's source) and what the caller adds (a file's bytes, or a step with what it rests
on, the declarations and the time limit). An entry stores its key and a checksum of its
value: anything that does not parse, names another key, fails its checksum or has the
wrong shape is a miss, never a verdict. Writes go to a temporary file renamed into
place, so concurrent runs never leave a half-written entry.

This module imports neither SymPy nor the rest of derive: a run whose every file is
found here never loads them.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

#: The folder, relative to the working directory, unless ``--cache-dir`` or the
#: environment variable ``DERIVE_CACHE_DIR`` says otherwise.
DEFAULT_DIR = ".derive-cache"

#: The layout of an entry; entries of another format are foreign, hence misses.
FORMAT = "derive-cache/1"

#: How the reasons of verdicts that the machine, not the claim, decided begin (the time
#: limit, the stack, an exception): such verdicts are never stored, so a re-run tries again.
TIMED_OUT = "time limit of"
TOO_DEEP = "the expression is too deeply nested for SymPy"
CRASHED = "SymPy could not decide:"
CIRCUMSTANTIAL = (TIMED_OUT, TOO_DEEP, CRASHED)

PACKAGE = Path(__file__).resolve().parent
DEPENDENCIES = ("sympy", "mpmath", "lark")


def canonical(value) -> str:
    """The one JSON text of ``value`` that keys and checksums are computed from."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def digest(value) -> str:
    """SHA-256 of the canonical text of ``value``."""
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@lru_cache(maxsize=1)
def fingerprint() -> dict:
    """What the code that produces a verdict is: derive's source and its dependencies'
    versions (derive's version number alone would miss an edit to a rule)."""
    source = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".lark") and "__pycache__" not in path.parts:
            source.update(path.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0")
            source.update(path.read_bytes() + b"\0")
    return {"derive": source.hexdigest(), "python": sys.version,
            **{name: _version(name) for name in DEPENDENCIES}}


class Cache:
    """Verdicts on disk, by kind (``files``, ``steps``) and key."""

    def __init__(self, root: str | os.PathLike = DEFAULT_DIR):
        self.root = Path(root)

    def key(self, kind: str, parts) -> str:
        """The key of an entry: the code's fingerprint, the kind and the caller's parts."""
        return digest({"format": FORMAT, "code": fingerprint(), "kind": kind, "parts": parts})

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, parts):
        """The stored value for ``parts``, or None: a missing, corrupt, truncated or
        foreign entry is a miss."""
        key = self.key(kind, parts)
        try:
            entry = json.loads(self._path(kind, key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT
                and entry.get("key") == key and "value" in entry):
            return None
        value = entry["value"]
        try:
            if entry.get("checksum") != digest(value):
                return None
        except (TypeError, ValueError):
            return None
        return value

    def put(self, kind: str, parts, value) -> None:
        """Store ``value`` atomically; a cache that cannot be written is only slower."""
        key = self.key(kind, parts)
        path = self._path(kind, key)
        entry = {"format": FORMAT, "key": key, "checksum": digest(value), "value": value}
        try:
            self._ignore_in_git()
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(canonical(entry))
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass

    def _ignore_in_git(self) -> None:
        marker = self.root / ".gitignore"
        if not marker.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            marker.write_text("# derive's verdict cache: never committed\n*\n", encoding="utf-8")
