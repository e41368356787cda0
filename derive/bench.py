"""``make bench``: how long checking takes, cold, in a fresh process per run.

For each derivation file: the import time, the time to load the file and the
time to check it (the figure the two-second target is about), over a few runs,
and the peak memory of the process. Nothing here is a test: it measures.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 2.0
RUNS = 3


def _once(path: str) -> dict:
    started = time.perf_counter()
    from derive.check.engine import check_document
    from derive.document.loader import load
    imported = time.perf_counter()
    document = load(path)
    loaded = time.perf_counter()
    result = check_document(document)
    checked = time.perf_counter()
    return {"import": imported - started, "load": loaded - imported,
            "check": checked - loaded, "ok": result.ok,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--once"]:
        print(json.dumps(_once(argv[1])))
        return 0
    paths = argv or sorted(str(p) for p in Path("equations").glob("*.toml"))
    print(f"{'file':<40} {'import':>7} {'load':>7} {'check':>7} {'peak MB':>8}  (median of "
          f"{RUNS} cold runs)")
    worst = 0.0
    for path in paths:
        runs = []
        for _ in range(RUNS):
            out = subprocess.run([sys.executable, "-m", "derive.bench", "--once", path],
                                 capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout))
        median = {k: statistics.median(r[k] for r in runs)
                  for k in ("import", "load", "check", "peak_mb")}
        worst = max(worst, median["check"])
        print(f"{path:<40} {median['import']:7.2f} {median['load']:7.2f} "
              f"{median['check']:7.2f} {median['peak_mb']:8.0f}")
    verdict = "within" if worst < TARGET_SECONDS else "OVER"
    print(f"slowest checking: {worst:.2f} s, {verdict} the {TARGET_SECONDS:g} s target")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
