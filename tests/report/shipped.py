"""Every shipped and test derivation checked twice per test session, by two separate
processes: ``derive verify --json`` (the checker's verdicts) and one ``derive report``
writing every format the report tests read. Tests compare the two; running each once,
instead of once per test module and per pytest-xdist worker, keeps the suite short."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DERIVATIONS = sorted((ROOT / "equations").glob("*.toml")) + sorted(
    (Path(__file__).parent / "derivations").glob("*.toml"))
#: Generous: no verdict of these files comes near it, even on a loaded machine.
TIME_LIMIT = "120"
HAS_PDF_TOOLS = all(shutil.which(tool) for tool in ("xelatex", "latexmk", "pdftotext"))
FORMATS = ("md", "html", "pdf") if HAS_PDF_TOOLS else ("md", "html")


def derive(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "derive", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200, **kwargs)


def mark(step: dict) -> str:
    """A step's verdict as readers see it (StepResult.mark), from ``verify --json``."""
    if step["expected_failure"]:
        if step["status"] == "failed":
            return "expected failure"
        if step["status"] in ("proved", "numeric", "assumed"):
            return "unexpected pass"
    return step["status"]


@dataclass(frozen=True)
class Shipped:
    """What the two runs left: the reports' folder and ``verify --json``'s output."""

    out: Path
    verified: dict

    def verdicts(self) -> dict[str, list[tuple[str, str]]]:
        """Each derivation's (tag, mark) in file order, from ``derive verify --json``."""
        return {Path(d["file"]).stem: [(s["tag"], mark(s)) for s in d["steps"]]
                for d in self.verified["derivations"]}


def _start(args: list[str], cache: Path) -> subprocess.Popen:
    """One ``derive`` process with a verdict cache of its own (empty: nothing is served)."""
    env = dict(os.environ, DERIVE_CACHE_DIR=str(cache))
    return subprocess.Popen([sys.executable, "-m", "derive", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run_both(folder: Path) -> dict:
    """Run verify and report side by side (two cores); their exit codes and output."""
    out = folder / "out"
    paths = list(map(str, DERIVATIONS))
    verify = _start(["verify", "--json", "--time-limit", TIME_LIMIT, *paths],
                    folder / "cache-verify")
    formats = [arg for f in FORMATS for arg in ("--format", f)]
    report = _start(["report", *formats, "--time-limit", TIME_LIMIT, "--out", str(out),
                     *paths], folder / "cache-report")
    verify_out, verify_err = verify.communicate(timeout=1800)
    _, report_err = report.communicate(timeout=1800)
    return {"verify": [verify.returncode, verify_out, verify_err],
            "report": [report.returncode, report_err]}


def shipped(folder: Path) -> Shipped:
    """The two runs' results in ``folder``, made by the first process to ask (the
    others, pytest-xdist workers, wait on a lock and read them)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = folder / "runs.json"
        if not record.exists():
            record.write_text(json.dumps(_run_both(folder)), encoding="utf-8")
        runs = json.loads(record.read_text(encoding="utf-8"))
    code, stdout, stderr = runs["verify"]
    assert code in (0, 1), stderr
    code, stderr = runs["report"]
    assert code in (0, 1), stderr
    return Shipped(folder / "out", json.loads(stdout))
