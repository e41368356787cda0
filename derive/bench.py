"""``make bench``: how long checking takes, as ratios to ``python -c "import sympy"``.

Every figure is the median wall time of whole processes, divided by the median time of
importing SymPy measured in the same run, so that the figures compare across machines
and loads; the CPU time (user + system, of the process and its workers) is shown beside
it, since on a shared machine the wall time says as much about the others' load, which
is printed too. It reports the targets of issue 11 beside each figure; it measures, and
never fails.

- cold: ``derive verify FILE --no-cache`` (target: at most 2.5);
- cached: the same again on unchanged files (target: at most 0.5, without SymPy);
- parallel: ``-j 1`` against ``-j 2`` on a corpus of generated derivations (target: at
  least 1.8 times faster), and a quarter of the corpus (the cost grows linearly:
  about 4). ``python -m derive.bench [ARTICLE [SIZE]]`` sets the article and the
  corpus size (200).
"""

from __future__ import annotations

import os
import resource
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


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], env: dict | None = None, runs: int = RUNS
           ) -> tuple[float, float]:
    """The median wall time and the median CPU time of ``runs`` runs of ``command``."""
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), _children_cpu()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _corpus(folder: Path, size: int) -> list[str]:
    """``size`` distinct small derivations written into ``folder``."""
    paths = []
    for n in range(1, size + 1):
        path = folder / f"gaussian-{n:03d}.toml"
        path.write_text(TEMPLATE.format(n=n), encoding="utf-8")
        paths.append(str(path))
    return paths


def _line(name: str, value: float, target: str, cpu: float | None = None) -> None:
    extra = f"   CPU {cpu:5.2f}" if cpu is not None else ""
    print(f"{name:<46} {value:6.2f}{extra}   (target {target})")


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str]) -> int:
    article = argv[0] if argv else ARTICLE
    size = int(argv[1]) if len(argv) > 1 else CORPUS
    derive = [sys.executable, "-m", "derive", "verify"]
    baseline, base_cpu = _timed([sys.executable, "-c", "import sympy"], runs=2 * RUNS + 1)
    print(f"python -c 'import sympy': {baseline:.2f} s wall, {base_cpu:.2f} s CPU (the "
          f"units below), {os.cpu_count()} cores, medians of {RUNS} runs, {_load()}")
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "DERIVE_CACHE_DIR": str(Path(scratch) / "cache")}
        cold, cold_cpu = _timed(derive + [article, "--no-cache"], env)
        _line(f"cold: verify {Path(article).name} --no-cache", cold / baseline, "<= 2.5",
              cold_cpu / base_cpu)
        _timed(derive + [article], env, runs=1)
        cached, cached_cpu = _timed(derive + [article], env)
        _line(f"cached: verify {Path(article).name} again", cached / baseline, "<= 0.5",
              cached_cpu / base_cpu)
        folder = Path(scratch) / "corpus"
        folder.mkdir()
        paths = _corpus(folder, size)
        quarter = paths[:size // 4]
        one, one_cpu = _timed(derive + paths + ["--no-cache", "-j", "1"], env, runs=1)
        two, two_cpu = _timed(derive + paths + ["--no-cache", "-j", "2"], env, runs=1)
        small, small_cpu = _timed(derive + quarter + ["--no-cache", "-j", "2"], env, runs=1)
        print(f"corpus of {size}: -j 1 {one:.1f} s (CPU {one_cpu:.1f} s), -j 2 {two:.1f} s "
              f"(CPU {two_cpu:.1f} s), {len(quarter)} files -j 2 {small:.1f} s "
              f"(CPU {small_cpu:.1f} s); {_load()}")
        _line("parallel: -j 1 time / -j 2 time", one / two, ">= 1.8")
        _line(f"linear: {size} files / {len(quarter)} files (-j 2)", two / small,
              f"about {size / len(quarter):.0f}", two_cpu / small_cpu)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
