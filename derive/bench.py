"""``make bench``: how long checking takes, as ratios to ``python -c "import sympy"``.

Every figure is the median wall time of whole processes, divided by the median time of
importing SymPy measured in the same run, so that the figures compare across machines
and loads. It reports the targets of issue 11 beside each figure; it measures, and
never fails.

- cold: ``derive verify FILE --no-cache`` (target: at most 2.5);
- cached: the same again on unchanged files (target: at most 0.5, without SymPy);
- parallel: ``-j 1`` against ``-j 2`` on a corpus of generated derivations (target: at
  least 1.8 times faster), and the corpus halved (the cost grows linearly: about 2).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3
CORPUS = 200
ARTICLE = "equations/why-mse.toml"

#: A small derivation with one integral to check (about half a second); each copy in
#: the corpus gets its own coefficient, so that no two files are the same check.
TEMPLATE = """[meta]
title = "A Gaussian integral, {n}"

[symbols]
'x' = "real"
'a' = "positive"
'b' = "real"
'y' = "real"

[domains]
'x' = ['-\\infty', '\\infty']

[[step]]
tag = "1"
latex = 'y = {n} a x^2 + b x'
by = "definition"

[[step]]
tag = "2"
latex = '\\int_{{-\\infty}}^{{\\infty}} \\exp(-{n} a x^2) dx = \\sqrt{{\\frac{{\\pi}}{{{n} a}}}}'
by = "equal"
"""


def _seconds(command: list[str], env: dict | None = None, runs: int = RUNS) -> float:
    """The median wall time of ``runs`` runs of ``command``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _corpus(folder: Path, size: int) -> list[str]:
    """``size`` distinct small derivations written into ``folder``."""
    paths = []
    for n in range(1, size + 1):
        path = folder / f"gaussian-{n:03d}.toml"
        path.write_text(TEMPLATE.format(n=n), encoding="utf-8")
        paths.append(str(path))
    return paths


def _line(name: str, value: float, target: str) -> None:
    print(f"{name:<46} {value:6.2f}   (target {target})")


def main(argv: list[str]) -> int:
    article = argv[0] if argv else ARTICLE
    derive = [sys.executable, "-m", "derive", "verify"]
    baseline = _seconds([sys.executable, "-c", "import sympy"], runs=2 * RUNS + 1)
    print(f"python -c 'import sympy': {baseline:.2f} s (the unit below), {os.cpu_count()} "
          f"cores, medians of {RUNS} runs")
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "DERIVE_CACHE_DIR": str(Path(scratch) / "cache")}
        cold = _seconds(derive + [article, "--no-cache"], env)
        _line(f"cold: verify {Path(article).name} --no-cache", cold / baseline, "<= 2.5")
        _seconds(derive + [article], env, runs=1)
        cached = _seconds(derive + [article], env)
        _line(f"cached: verify {Path(article).name} again", cached / baseline, "<= 0.5")
        folder = Path(scratch) / "corpus"
        folder.mkdir()
        paths = _corpus(folder, CORPUS)
        one = _seconds(derive + paths + ["--no-cache", "-j", "1"], env, runs=1)
        two = _seconds(derive + paths + ["--no-cache", "-j", "2"], env, runs=1)
        half = _seconds(derive + paths[:CORPUS // 2] + ["--no-cache", "-j", "2"], env, runs=1)
        print(f"corpus of {CORPUS}: -j 1 {one:.1f} s, -j 2 {two:.1f} s, "
              f"{CORPUS // 2} files -j 2 {half:.1f} s")
        _line("parallel: -j 1 time / -j 2 time", one / two, ">= 1.8")
        _line(f"linear: {CORPUS} files / {CORPUS // 2} files (-j 2)", two / half, "about 2")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
