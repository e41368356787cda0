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
