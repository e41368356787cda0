"""derive's own files never name SymPy's string parsers or Python's eval/exec, so text from
a derivation file cannot reach them (the runtime guard is in tests/latex/test_parse_fuzz.py).
Third-party code derive ships (KaTeX) lives outside derive/, in vendor/."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(r"sympify|parse_expr|\beval\b|\bexec\b")


def derive_files() -> list[Path]:
    """The files of derive/ that git tracks (or, outside git, every file below it)."""
    listed = subprocess.run(["git", "ls-files", "derive"], cwd=ROOT, capture_output=True,
                            text=True)
    if listed.returncode == 0 and listed.stdout.strip():
        return [ROOT / line for line in listed.stdout.splitlines()]
    return [p for p in (ROOT / "derive").rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def test_no_file_of_derive_names_a_string_evaluator():
    found = []
    for path in derive_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if FORBIDDEN.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not found, "\n".join(found)


def test_the_check_finds_what_it_looks_for():
    assert all(FORBIDDEN.search(s) for s in ("sympify(x)", "parse_expr(t)", "eval(s)",
                                             "re.exec(e)", "_sympify(a)"))
    assert not FORBIDDEN.search("read_expression(t)")
