"""Rules after ';' that rewrite both sides: 'substitute (1); expand_log'."""

from __future__ import annotations

import pytest

from derive.check.verdict import Status
from derive.document.loader import loads
from derive.errors import JustificationError
from tests.rules.derivations import HEADER, derivation, step

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
                        step("2", "y + 1 = 2 x + 1", "substitute (1); as printed"))
    justification = result.result("2").step.justifications[0]
    assert justification.then == ()
    assert justification.text == "substitute (1); as printed"
    assert result.result("2").status is Status.PROVED


def test_integrate_after_a_substitution_evaluates_the_integrals():
    result = derivation(step("1", "y = 3 a", "given"),
                        step("2", "\\int_0^1 y t^2 dt = a", "substitute (1); integrate"))
    assert result.result("2").step.justifications[0].then == ("integrate",)
    assert result.result("2").status is Status.PROVED


def test_a_false_integral_fails_after_integrate():
    result = derivation(step("1", "y = 3 a", "given"),
                        step("2", "\\int_0^1 y t^2 dt = 2 a", "substitute (1); integrate"))
    assert result.result("2").status is Status.FAILED


def test_a_rule_named_among_the_words_is_refused_where_it_is_written():
    with pytest.raises(JustificationError) as refused:
        loads(HEADER + step("1", "y = 2 x", "given")
              + step("2", "y + 1 = 2 x + 1", "substitute (1) and integrate"), "t.toml")
    assert "'integrate' is a rule" in refused.value.message
    line = refused.value.position.source_line
    assert line[refused.value.position.column - 1:].startswith("integrate")
