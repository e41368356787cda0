"""Fixtures: the MSE article checked by hand-made verdicts (see fabricated.py)."""

import pytest

from fabricated import ROOT, RULES, failure, fabricate
from derive.document.loader import loads


@pytest.fixture(scope="session")
def mse_document():
    path = ROOT / "equations" / "why-mse.toml"
    return loads(path.read_text(encoding="utf-8"), str(path), known_rules=RULES)


@pytest.fixture
def mse_result(mse_document):
    return fabricate(mse_document, failing={"8": failure()})


@pytest.fixture(scope="session")
def shipped_runs(tmp_path_factory):
    """``verify --json`` and one ``report`` over every derivation, run once per session
    and shared by the pytest-xdist workers (see shipped.py)."""
    import os
    from shipped import shipped

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent   # the folder all workers of this session share
    return shipped(base / "shipped-derivations")
