"""The target of derive suggest: with the justifications of the shipped derivations'
checked steps replaced by "?", suggest --write finds, for at least 80 % of them, a
justification that verifies. The budget is generous: this counts what is found, it
does not time it (``python -m derive.bench_suggest`` measures the time)."""

from __future__ import annotations

from pathlib import Path

from derive.suggest import recovery

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 900.0


def test_suggest_recovers_four_fifths_of_the_checked_steps(tmp_path):
    results = [recovery(path, tmp_path / path.name, budget=BUDGET)
               for path in sorted((ROOT / "equations").glob("*.toml"))]
    checked = sum(len(r.checked) for r in results)
    recovered = sum(len(r.recovered) for r in results)
    assert checked >= 30
    missed = {Path(r.path).name: r.missed for r in results if r.missed}
    assert recovered >= 0.8 * checked, missed
