"""Least squares and ridge regression in matrix form, as the textbooks print them
(Bishop, PRML §3.1 and §3.1.4; Hastie, Tibshirani and Friedman, ESL §3.2 and §3.4.1):
declared with symbolic shapes, every step checked; and the same derivations with one
mistake each, which must fail."""

from __future__ import annotations

import pytest

from derive.check.engine import check_document
from derive.check.verdict import Status
from derive.document.loader import loads
from tests.rules.derivations import TIME_LIMIT, step

ESL = r"""
[meta]
title = "ESL 3.2: least squares"

[symbols]
'N' = "positive integer"
'p' = "positive integer"
'\lambda' = "positive"

[matrices]
'\mathbf{X}' = 'N \times p'
'\mathbf{y}' = 'N \times 1'
'\beta' = 'p \times 1'
'\mathbf{I}' = 'identity p'

[functions]
'\mathrm{RSS}(\beta)' = "real"
"""

PRML = r"""
[meta]
title = "PRML 3.1.4: regularized least squares"

[symbols]
'N' = "positive integer"
'M' = "positive integer"
'\lambda' = "positive"

[matrices]
'\boldsymbol{\Phi}' = 'N \times M'
'\mathbf{t}' = 'N \times 1'
'\mathbf{w}' = 'M \times 1'
'\mathbf{I}' = 'identity M'

[functions]
'E(\mathbf{w})' = "real"
"""

#: ESL (3.3)-(3.6): RSS, its gradient set to zero ((3.4) and (3.5) in one chain), the
#: normal equations' solution.
ESL_STEPS = [
    step("3.3", r"\mathrm{RSS}(\beta) = (\mathbf{y} - \mathbf{X}\beta)^T (\mathbf{y} - "
                r"\mathbf{X}\beta)", "definition"),
    step("3.4", r"\frac{\partial \mathrm{RSS}}{\partial \beta} = -2 \mathbf{X}^T "
                r"(\mathbf{y} - \mathbf{X}\beta) = 0", ["differentiate (3.3)", "stationary"]),
    step("3.6", r"\beta = (\mathbf{X}^T \mathbf{X})^{-1} \mathbf{X}^T \mathbf{y}",
         r"solve (3.4) for \beta"),
]

#: PRML (3.27)-(3.28): the regularized error, its gradient, stationarity, the solution.
PRML_STEPS = [
    step("3.27", r"E(\mathbf{w}) = \frac{1}{2} \|\mathbf{t} - \boldsymbol{\Phi}\mathbf{w}\|^2"
                 r" + \frac{\lambda}{2} \mathbf{w}^\top \mathbf{w}", "definition"),
    step("g", r"\nabla_{\mathbf{w}} E = -\boldsymbol{\Phi}^\top (\mathbf{t} - "
              r"\boldsymbol{\Phi}\mathbf{w}) + \lambda \mathbf{w} = 0",
         ["differentiate (3.27)", "stationary"]),
    step("3.28", r"\mathbf{w} = \left(\lambda \mathbf{I} + \boldsymbol{\Phi}^\top "
                 r"\boldsymbol{\Phi}\right)^{-1} \boldsymbol{\Phi}^\top \mathbf{t}",
         r"solve (g) for \mathbf{w}"),
]


def checked(header: str, steps: list[str]):
    return check_document(loads(header + "\n".join(steps), "test.toml"),
                          time_limit=TIME_LIMIT)


def test_esl_least_squares_is_proved_step_by_step():
    result = checked(ESL, ESL_STEPS)
    statuses = {s.step.tag: s.status for s in result.steps}
    assert statuses == {"3.3": Status.ASSUMED, "3.4": Status.PROVED, "3.6": Status.PROVED}
    assert result.established
    assert any("is invertible" in a for a in result.assumptions)


def test_prml_ridge_is_proved_and_rests_on_invertibility():
    result = checked(PRML, PRML_STEPS)
    statuses = [s.status for s in result.steps]
    assert statuses == [Status.ASSUMED, Status.PROVED, Status.PROVED]
    assert result.established
    assert any(r"\lambda \mathbf{I}" in a and "invertible" in a for a in result.assumptions)


def test_ridge_in_esl_notation_with_the_normal_equations_given():
    result = checked(ESL, [
        step("1", r"(\mathbf{X}^T \mathbf{X} + \lambda \mathbf{I}) \beta = \mathbf{X}^T "
                  r"\mathbf{y}", "given"),
        step("3.44", r"\beta = (\mathbf{X}^T \mathbf{X} + \lambda \mathbf{I})^{-1} "
                     r"\mathbf{X}^T \mathbf{y}", r"solve (1) for \beta")])
    assert result.steps[-1].status is Status.PROVED


@pytest.mark.parametrize("tag, wrong, why", [
    ("3.4", r"\frac{\partial \mathrm{RSS}}{\partial \beta} = -\mathbf{X}^T (\mathbf{y} - "
            r"\mathbf{X}\beta) = 0", "the factor 2 is lost"),
    ("3.4", r"\frac{\partial \mathrm{RSS}}{\partial \beta} = 2 \mathbf{X}^T (\mathbf{y} - "
            r"\mathbf{X}\beta) = 0", "the sign is lost"),
    ("3.6", r"\beta = (\mathbf{X}^T \mathbf{X})^{-1} \mathbf{X}^T \mathbf{y} + \beta",
     "the unknown stays on the right"),
    ("3.6", r"\beta = (\mathbf{X}^T \mathbf{X} + \mathbf{I})^{-1} \mathbf{X}^T \mathbf{y}",
     "an identity from nowhere"),
])
def test_esl_with_one_mistake_fails(tag, wrong, why):
    steps = [s if f'tag = "{tag}"' not in s else
             s.replace(s.split("latex = '''")[1].split("'''")[0], wrong) for s in ESL_STEPS]
    result = checked(ESL, steps)
    judged = next(s for s in result.steps if s.step.tag == tag)
    assert judged.status is Status.FAILED, why
    assert not result.established


@pytest.mark.parametrize("tag, wrong", [
    ("g", r"\nabla_{\mathbf{w}} E = -\boldsymbol{\Phi}^\top (\mathbf{t} - "
          r"\boldsymbol{\Phi}\mathbf{w}) + 2 \lambda \mathbf{w} = 0"),
    ("3.28", r"\mathbf{w} = \left(\boldsymbol{\Phi}^\top \boldsymbol{\Phi}\right)^{-1} "
             r"\boldsymbol{\Phi}^\top \mathbf{t}"),
])
def test_prml_with_one_mistake_fails(tag, wrong):
    steps = [s if f'tag = "{tag}"' not in s else
             s.replace(s.split("latex = '''")[1].split("'''")[0], wrong) for s in PRML_STEPS]
    result = checked(PRML, steps)
    judged = next(s for s in result.steps if s.step.tag == tag)
    assert judged.status is Status.FAILED


def test_a_gradient_is_cross_checked_by_numeric_differentiation():
    """The method names both the matrix algebra and the sizes the entries were drawn at."""
    result = checked(ESL, ESL_STEPS[:2])
    link = result.steps[1].links[0]
    assert "matrix algebra" in link.verdict.method and "sizes" in link.verdict.method


def test_every_mutant_of_the_ridge_derivation_is_well_shaped_and_rejected():
    """derive mutate plants mistakes in matrix steps too: mutants whose shapes do not fit
    are no formula and are not planted; every planted one is rejected."""
    from derive.mutate import mutate_document
    report = mutate_document(loads(PRML + "\n".join(PRML_STEPS), "test.toml"),
                             time_limit=TIME_LIMIT)
    assert report.mutants >= 10
    assert report.survived == 0 and report.undecided == 0
    assert report.rejected == report.mutants
