"""The corpus figures the README shows: for each derivation, its source, its steps by
verdict, whether its conclusion is established, and how many of its mutants are rejected.

``python -m derive.figures [paths]`` prints the table; ``--readme README.md`` writes it
between the README's ``<!-- figures:begin -->`` and ``<!-- figures:end -->`` markers.
Every figure comes from a run: nothing in the table is typed by hand.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import quote

BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"
TIME_LIMIT = 120.0
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: str) -> str:
    """Text from a derivation file, safe in a Markdown table cell: no markup, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def measure(path: str, time_limit: float = TIME_LIMIT) -> dict:
    """One derivation's row: its record's verdict counts and its mutation figure."""
    from derive.corpus import check_file
    from derive.document.loader import load
    from derive.mutate import mutate_document

    record = check_file(path, time_limit, None)
    if "error" in record:
        return {"file": path, "error": record["error"]}
    document = load(path)
    mutation = mutate_document(document, time_limit)
    counts: dict[str, int] = {}
    for step in record["steps"]:
        kind = "erratum" if step["expected_failure"] else step["status"]
        counts[kind] = counts.get(kind, 0) + 1
    source = document.citation
    return {"file": path, "title": document.title,
            "source": ", ".join(part for part in (source.author, source.title) if part)
            or document.source,
            "steps": len(record["steps"]), "counts": counts,
            "established": bool(record["established"]),
            "mutants": mutation.mutants, "rejected": mutation.rejected}


def measure_all(paths: list[str], jobs: int, time_limit: float = TIME_LIMIT) -> list[dict]:
    """Every row, in the order of ``paths``, ``jobs`` files at a time."""
    if jobs <= 1 or len(paths) <= 1:
        return [measure(p, time_limit) for p in paths]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(measure, paths, [time_limit] * len(paths)))


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def table(rows: list[dict], root: Path) -> str:
    """The Markdown table of ``rows``, with totals; files linked relative to ``root``."""
    lines = ["| derivation | source | steps | proved | numeric | assumed | errata "
             "| established | mutants rejected |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | :---: | ---: |"]
    for row in rows:
        link = Path(os.path.relpath(row["file"], root)).as_posix()
        target = quote(link)
        if "error" in row:
            lines.append(f"| [{escape(link)}]({target}) | input error | | | | | | no | |")
            continue
        counts = row["counts"]
        lines.append(
            f"| [{escape(row['title'])}]({target}) | {escape(row['source'])} | {row['steps']} "
            f"| {counts.get('proved', 0)} | {counts.get('numeric', 0)} "
            f"| {counts.get('assumed', 0)} | {counts.get('erratum', 0)} "
            f"| {'yes' if row['established'] else '**no**'} "
            f"| {row['rejected']}/{row['mutants']} ({_percent(row['rejected'], row['mutants'])}) |")
    good = [r for r in rows if "error" not in r]
    mutants = sum(r["mutants"] for r in good)
    rejected = sum(r["rejected"] for r in good)
    lines.append(f"| **{len(rows)} derivations** | | {sum(r['steps'] for r in good)} "
                 + "".join(f"| {sum(r['counts'].get(k, 0) for r in good)} "
                           for k in ("proved", "numeric", "assumed", "erratum"))
                 + f"| {sum(r['established'] for r in good)} of {len(rows)} "
                 f"| {rejected}/{mutants} ({_percent(rejected, mutants)}) |")
    return "\n".join(lines) + "\n"


def replace_between_markers(text: str, new: str) -> str:
    """``text`` with what lies between the figure markers replaced by ``new``."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {BEGIN} ... {END} section")
    return text[:start + len(BEGIN)] + "\n" + new + text[end:]


def main(argv: list[str] | None = None) -> int:
    from derive.cli import count, derivation_paths, seconds

    parser = argparse.ArgumentParser(prog="python -m derive.figures", description=__doc__)
    parser.add_argument("paths", nargs="*", help="derivation files or folders (default: equations/)")
    parser.add_argument("--readme", help="write the table into this README between its markers")
    parser.add_argument("-j", "--jobs", type=count, default=os.cpu_count() or 1)
    parser.add_argument("--time-limit", type=seconds, default=TIME_LIMIT)
    args = parser.parse_args(argv)
    paths = [str(p) for p in derivation_paths(args.paths)]
    rows = measure_all(paths, args.jobs, args.time_limit)
    root = Path(args.readme).resolve().parent if args.readme else Path.cwd()
    text = table(rows, root)
    if args.readme:
        readme = Path(args.readme)
        readme.write_text(replace_between_markers(readme.read_text(encoding="utf-8"), text),
                          encoding="utf-8")
        print(f"wrote the figures of {len(rows)} derivations into {readme}")
    else:
        sys.stdout.write(text)
    return 0 if all("error" not in r and r["established"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
