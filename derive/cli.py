"""The ``derive`` command: parse, verify, report, new, mutate, import, suggest.

Every error derive knows about is a :class:`~derive.errors.DeriveError`; it is
caught once here and printed as ``path:line:col: error: message`` with exit
status 2. Exit status 1 means a check failed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from derive import __version__
from derive.cache import DEFAULT_DIR as CACHE_DIR
from derive.errors import DeriveError, UsageError
from derive.report.i18n import languages

DEFAULT_DIR = "equations"


def derivation_paths(paths: list[str]) -> list[Path]:
    """The files to process: those given (folders expand to the *.toml beneath them, in
    subfolders too, hidden ones excepted), or equations/."""
    if not paths:
        paths = [DEFAULT_DIR]
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.toml")
                                if not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {name}")
    if not found:
        raise UsageError(f"no derivation files (*.toml) in {', '.join(paths)}")
    return found


def cmd_parse(args) -> int:
    from derive.document.loader import load
    from derive.latex.parser import parse_formula
    from derive.latex.printer import formula_latex
    from derive.latex.scope import Scope

    scope = load(args.file).scope if args.file else Scope()
    formula = parse_formula(args.latex, scope)
    for number, chain in enumerate(formula.chains):
        text = str(chain.terms[0]) + "".join(
            f" {op.symbol} {term}" for op, term in zip(chain.ops, chain.terms[1:]))
        print(("=> " if number else "") + text)
    for constraint in formula.constraints:
        print(f"s.t. {constraint.lhs} {constraint.op.symbol} {constraint.rhs}")
    print("LaTeX: " + formula_latex(formula, scope))
    return 0


def cmd_verify(args) -> int:
    """Check every file; an input error in one is reported and the others still checked."""
    from derive.check.summary import print_record, records_json, show_error
    from derive.corpus import verify_paths
    from derive.progress import Progress, painter

    cache_dir = None if args.no_cache else (
        args.cache_dir or os.environ.get("DERIVE_CACHE_DIR") or CACHE_DIR)
    paths = derivation_paths(args.paths)
    progress = Progress(sys.stderr, len(paths))
    paint = painter(sys.stdout)
    records = []
    progress.waiting()
    for record in verify_paths(paths, args.time_limit, args.jobs, cache_dir, progress.step):
        records.append(record)
        progress.file_done()
        if args.json:
            progress.waiting()
            continue
        if "error" in record:
            sys.stdout.flush()
            print(show_error(record["error"]), file=sys.stderr)
        else:
            print_record(record, sys.stdout, paint)
        sys.stdout.flush()
        progress.waiting()
    progress.clear()
    if args.json:
        print(json.dumps(records_json(records), ensure_ascii=False, indent=2))
    drifted = _warn_drift((r["file"] for r in records if "error" not in r), cache_dir)
    if any("error" in r for r in records):
        return 2
    return 0 if all(r["ok"] for r in records) and not (args.strict_source and drifted) else 1


def _warn_drift(paths, cache_dir: str | None = None) -> bool:
    """Warn, by tag, where a derivation differs from the article its source names."""
    from derive.cache import Cache
    from derive.document.drift import drift_in_file

    cache = None if cache_dir is None else Cache(cache_dir)
    drifted = False
    for path in paths:
        for found in drift_in_file(path, cache):
            print(f"{path}: warning: {found}", file=sys.stderr)
            drifted = True
    return drifted


def _refuse_shared_stems(paths: list[Path]) -> None:
    """Reports are named after their file's stem: two inputs of one stem would overwrite."""
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen:
            raise UsageError(f"{seen[path.stem]} and {path} would both write reports named "
                             f"{path.stem}.*; rename one of them")
        seen[path.stem] = path


def cmd_report(args) -> int:
    from derive.check.engine import check_document
    from derive.document.loader import load
    from derive.report.render import write_reports

    paths = derivation_paths(args.paths)
    _refuse_shared_stems(paths)
    documents = [load(p) for p in paths]
    results = [check_document(doc, time_limit=args.time_limit) for doc in documents]
    formats = args.format or ["md"]
    for result in results:
        for path in write_reports(result, formats, Path(args.out), templates=args.templates,
                                  labels=args.language):
            print(f"wrote {path}")
    return 0 if all(r.ok for r in results) else 1


def cmd_new(args) -> int:
    from derive.scaffold import write_skeleton

    path = write_skeleton(args.name, Path(args.dir), force=args.force)
    print(f"wrote {path}")
    return 0


def cmd_mutate(args) -> int:
    from derive.mutate import mutate_paths, print_mutation_report, mutation_json
    from derive.progress import Progress

    paths = derivation_paths(args.paths)
    progress = Progress(sys.stderr, len(paths))
    report = mutate_paths(paths, time_limit=args.time_limit, progress=lambda path, tag, n, most:
                          progress.show(f"{os.path.basename(path)}: ({tag}) mutant {n}/{most}"))
    progress.clear()
    if args.json:
        print(json.dumps(mutation_json(report), ensure_ascii=False, indent=2))
    else:
        print_mutation_report(report, sys.stdout)
    return 0


def cmd_import(args) -> int:
    from derive.document.loader import load
    from derive.importer import import_article

    imported = import_article(args.article, args.out, force=args.force)
    for warning in imported.article.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {imported.path}: {len(imported.article.equations)} steps")
    try:
        load(imported.path)
    except DeriveError as error:   # written, but the guessed declarations need work
        print(error.show(), file=sys.stderr)
        print("the declarations need checking before derive can read every step",
              file=sys.stderr)
        return 1
    if args.no_suggest:
        return 0
    return _suggest(imported.path, write=True, budget=args.budget)


def _suggest(path, write: bool, budget: float) -> int:
    from derive.document.loader import load
    from derive.suggest import print_suggestions, suggest_document, write_suggestions

    document = load(path)
    found = suggest_document(document, budget=budget)
    print_suggestions(found, sys.stdout)
    if write:
        written = write_suggestions(Path(path), found)
        print(f"wrote {len(written)} justification(s) into {path}")
    return 0


def cmd_suggest(args) -> int:
    code = 0
    for path in derivation_paths(args.paths):
        code = max(code, _suggest(path, write=args.write, budget=args.budget))
    return code
def seconds(text: str) -> float:
    """A time limit: a positive finite number of seconds (argparse's type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive finite number of seconds, "
                                         f"not {text!r}")
    return value


def count(text: str) -> int:
    """A number of worker processes: a positive integer (argparse's type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="derive", description="Check the derivations of technical articles with SymPy.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("parse", help="show how derive reads a formula")
    p.add_argument("latex", help="the formula, in LaTeX")
    p.add_argument("--file", help="a derivation file whose declarations to use")
    p.set_defaults(run=cmd_parse)

    def time_limit(p):
        p.add_argument("--time-limit", type=seconds, default=30.0, metavar="SECONDS",
                       help="time allowed for each step before it is undecided (default 30)")

    p = commands.add_parser("verify", help="check every step of the derivations")
    p.add_argument("paths", nargs="*", help="derivation files or folders (default: equations/)")
    p.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    p.add_argument("--strict-source", action="store_true",
                   help="fail when a derivation differs from the article its source names")
    time_limit(p)
    p.add_argument("-j", "--jobs", type=count, default=os.cpu_count() or 1, metavar="N",
                   help="files checked at once, in worker processes (default: the cores)")
    p.add_argument("--no-cache", action="store_true",
                   help=f"neither read nor write the verdict cache ({CACHE_DIR}/)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help=f"where the verdict cache is (default: {CACHE_DIR})")
    p.set_defaults(run=cmd_verify)

    p = commands.add_parser("report", help="render the checked article")
    p.add_argument("paths", nargs="*", help="derivation files or folders (default: equations/)")
    p.add_argument("--format", action="append", choices=["md", "tex", "pdf", "html"],
                   help="output format; repeat for several (default: md)")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--templates", type=Path, default=None, metavar="DIR",
                   help="folder of Jinja2 templates (default: the templates shipped with derive)")
    p.add_argument("--language", choices=languages(), default=None,
                   help="language of the report's own words (default: each file's meta.language)")
    time_limit(p)
    p.set_defaults(run=cmd_report)

    p = commands.add_parser("new", help="write a skeleton derivation file that verifies")
    p.add_argument("name", help="name of the derivation (file equations/NAME.toml)")
    p.add_argument("--dir", default=DEFAULT_DIR, help="folder to write into (default: equations)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(run=cmd_new)

    def budget(p):
        p.add_argument("--budget", type=float, default=30.0, metavar="SECONDS",
                       help="time allowed for the search, per derivation (default 30)")

    p = commands.add_parser("import", help="write a derivation file from a Markdown article")
    p.add_argument("article", help="the article (Markdown with $$ ... \\tag{n} $$ equations)")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="the derivation file to write (default: equations/NAME.toml)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--no-suggest", action="store_true",
                   help="leave every justification '?' (do not run derive suggest)")
    budget(p)
    p.set_defaults(run=cmd_import)

    p = commands.add_parser("suggest", help="find justifications for steps whose 'by' is '?'")
    p.add_argument("paths", nargs="*", help="derivation files or folders (default: equations/)")
    p.add_argument("--write", action="store_true",
                   help="write the best justification of each step into the file")
    budget(p)
    p.set_defaults(run=cmd_suggest)

    p = commands.add_parser("mutate", help="measure how many wrong steps the checks catch")
    p.add_argument("paths", nargs="*", help="derivation files or folders (default: equations/)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    time_limit(p)
    p.set_defaults(run=cmd_mutate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DeriveError as error:
        print(error.show(), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output was piped into a reader that stopped (head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
