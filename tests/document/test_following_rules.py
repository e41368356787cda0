"""Rules after ';' that rewrite both sides: 'substitute (1); expand_log'."""

from __future__ import annotations

from derive.check.verdict import Status
from tests.rules.derivations import derivation, step

SUM = "\\sum_{i=1}^{N} "


def test_expand_log_after_a_substitution_is_read_and_applied():
    result = derivation(step("1", f"y = {SUM}\\log(a b^2 x_i^2)", "given"),
                        step("2", f"y = {SUM}(\\log a + 2 \\log b + \\log(x_i^2))",
                             "substitute (1); expand_log"))
    assert result.result("2").step.justifications[0].then == ("expand_log",)
    assert result.result("2").status is Status.PROVED


def test_a_false_step_still_fails_after_expand_log():
    result = derivation(step("1", "y = \\log(a + b)", "given"),
                        step("2", "y = \\log a + \\log b", "substitute (1); expand_log"))
    assert result.result("2").status is Status.FAILED


def test_expand_log_keeps_to_the_declared_assumptions_of_data():
    # x_i is only real: log(x_i^2) = 2 log x_i fails where x_i < 0
    result = derivation(step("1", f"y = {SUM}\\log(a x_i^2)", "given"),
                        step("2", f"y = {SUM}(\\log a + 2 \\log x_i)",
                             "substitute (1); expand_log"))
    assert result.result("2").status in (Status.FAILED, Status.UNDECIDED)


def test_expand_log_keeps_to_the_declared_assumptions():
    # x is only real: log(x^2) = 2 log x fails at x < 0
    result = derivation(step("1", "y = \\log(x^2)", "given"),
                        step("2", "y = 2 \\log x", "substitute (1); expand_log"))
    assert result.result("2").status in (Status.FAILED, Status.UNDECIDED)


def test_other_words_after_a_semicolon_are_read_as_before():
    result = derivation(step("1", "y = 2 x", "given"),
                        step("2", "y + 1 = 2 x + 1", "substitute (1); integrate"))
    justification = result.result("2").step.justifications[0]
    assert justification.then == ()
    assert justification.text == "substitute (1); integrate"
