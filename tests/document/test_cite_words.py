"""What a 'cite' cites is kept word for word; only 'for all' starts an argument."""

from __future__ import annotations

from derive.check.verdict import Status
from tests.rules.derivations import derivation, step


def test_for_and_of_stay_in_the_cited_name():
    result = derivation(step("1", "a = 1", "cite the scaling of the variance for a constant"))
    assert result.result("1").status is Status.ASSUMED
    assert result.cited == ["the scaling of the variance for a constant"]


def test_for_all_after_a_cited_name_still_quantifies():
    result = derivation(step("1", "x^2 + y \\ge y", "cite the square of a real number for all x"))
    assert result.cited == ["the square of a real number"]
    justification = result.result("1").step.justifications[0]
    assert [str(e) for e in justification.arguments["for_all"]] == ["x"]


def test_other_rules_still_read_for_as_an_argument():
    result = derivation(step("1", "2 x = 4", "given"),
                        step("2", "x = 2", "solve (1) for x"))
    assert result.result("2").status is Status.PROVED
