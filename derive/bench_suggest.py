"""``python -m derive.bench_suggest``: how much of the shipped derivations suggest
finds again, and how long it takes.

Every checked step's justification is replaced by "?", ``derive suggest --write``
runs, and the steps that verify again are counted. The target: at least 80 % of the
steps, within 30 s of search per derivation. Nothing here is a test: it measures.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from derive.suggest import recovery

TARGET_SHARE = 0.8
TARGET_SECONDS = 30.0


def main(argv: list[str]) -> int:
    paths = argv or sorted(str(p) for p in Path("equations").glob("*.toml"))
    total = found = 0
    slowest = 0.0
    print(f"{'file':<40} {'found':>7} {'search s':>9}  missed")
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            result = recovery(path, Path(folder) / Path(path).name, budget=TARGET_SECONDS)
            total += len(result.checked)
            found += len(result.recovered)
            slowest = max(slowest, result.seconds)
            print(f"{path:<40} {len(result.recovered):>3}/{len(result.checked):<3} "
                  f"{result.seconds:9.1f}  {', '.join(result.missed) or '-'}")
    share = found / total if total else 1.0
    print(f"recovered {found} of {total} checked steps ({share:.0%}); slowest search "
          f"{slowest:.1f} s (targets: {TARGET_SHARE:.0%}, {TARGET_SECONDS:g} s)")
    return 0 if share >= TARGET_SHARE and slowest <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
