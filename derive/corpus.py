"""Checking many derivation files: the file cache, worker processes, input errors per file.

Each file gives one record (see :mod:`derive.check.summary`): its checked derivation,
or its input error, so that one bad file never stops the others. A file whose bytes,
code and time limit are unchanged is served whole from the cache without importing
SymPy; the others are checked, in worker processes when ``jobs`` > 1, with each step
served from the cache where it can be.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

from derive.cache import CIRCUMSTANTIAL, Cache

KIND = "files"


def _file_parts(path: Path, time_limit: float) -> list | None:
    """The key parts of a whole file's record: its bytes and the time limit."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return [hashlib.sha256(data).hexdigest(), float(time_limit)]


def _storable(record: dict) -> bool:
    """Whether a file's record may be kept: checked, and no verdict the machine decided."""
    return "error" not in record and not any(
        link["reason"].startswith(CIRCUMSTANTIAL)
        for step in record["steps"] for link in step["links"])


def cached_record(path: Path, time_limit: float, cache: Cache | None) -> dict | None:
    """The file's stored record, marked as cached, or None."""
    parts = None if cache is None else _file_parts(path, time_limit)
    if parts is None:
        return None
    record = cache.get(KIND, parts)
    if not (isinstance(record, dict) and isinstance(record.get("steps"), list)):
        return None
    return {**record, "file": str(path), "cached": True}


def check_file(path: str, time_limit: float, cache_dir: str | None,
               progress: Callable | None = None) -> dict:
    """Load and check one file (here or in a worker); its record, or its error's."""
    from derive.check.engine import check_document
    from derive.check.summary import derivation_json, error_json
    from derive.document.loader import load
    from derive.errors import DeriveError

    cache = Cache(cache_dir) if cache_dir is not None else None
    parts = None if cache is None else _file_parts(Path(path), time_limit)
    try:
        document = load(path)
    except DeriveError as error:
        return error_json(error)
    tell = None
    if progress is not None:
        total = len(document.steps)
        tell = lambda step, result: progress(path, document.steps.index(step) + 1, total,
                                             step.tag, result.mark)
    record = derivation_json(check_document(document, time_limit, cache=cache, progress=tell))
    if parts is not None and _storable(record):
        cache.put(KIND, parts, record)
    return record


def _before_fork() -> None:
    """Import the checker and build the parsers once, so that the forked workers start
    with them instead of each doing it again."""
    import derive.check.engine  # noqa: F401
    from derive.document.loader import _justification_parser
    from derive.latex.syntax import latex_parser

    latex_parser()
    _justification_parser()


def _checked(paths: list[Path], time_limit: float, cache_dir: str | None, jobs: int,
             progress: Callable | None) -> Iterator[dict]:
    """Records of files not in the cache, in order: here, or in ``jobs`` workers."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield check_file(str(path), time_limit, cache_dir, progress)
        return
    _before_fork()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=context) as pool:
        futures = [pool.submit(check_file, str(p), time_limit, cache_dir) for p in paths]
        for future in futures:
            yield future.result()


def verify_paths(paths: list[Path], time_limit: float, jobs: int = 1,
                 cache_dir: str | None = None, progress: Callable | None = None
                 ) -> Iterator[dict]:
    """Each file's record, in the order given; the cache in ``cache_dir`` (None: none).

    ``progress(path, number, total, tag, mark)`` is told of each step checked in this
    process (with ``jobs`` > 1, files are checked in workers and only finish)."""
    cache = Cache(cache_dir) if cache_dir is not None else None
    found = {path: cached_record(path, time_limit, cache) for path in paths}
    missing = [path for path in paths if found[path] is None]
    checked = _checked(missing, time_limit, cache_dir, jobs, progress)
    for path in paths:
        yield found[path] if found[path] is not None else next(checked)
