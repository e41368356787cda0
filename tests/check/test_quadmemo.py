"""The process-wide quadrature memo: an integral computed again at the same point is
taken from it, and a different integrand (a mutant, another random function, other
limits) is never: it is computed anew and judged on its own value."""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy

from derive.check import numeric, quadmemo
from derive.check.numeric import _MemoKey, _Sample, claim_seed, compare
from derive.document.loader import loads
from derive.latex.parser import read_expression

SCOPE = loads(r"""
[meta]
title = "memo"
[symbols]
'a' = "positive"
't' = "real"
[functions]
'g(t)' = "positive"
[domains]
't' = ['-\infty', '\infty']
[[step]]
tag = "1"
latex = 'a = a'
by = "equal"
""").scope

GAUSSIAN = r"\int_{-\infty}^{\infty} \exp(-a t^2) dt"
#: The Gaussian integral as a closed form, and one off by 1e-8 relative.
TRUE = r"\sqrt{\frac{\pi}{a}}"
OFF = r"\sqrt{\frac{\pi}{a}} (1 + 10^{-8})"


def parse(latex: str):
    return read_expression(latex, SCOPE)


@pytest.fixture(autouse=True)
def empty_memo():
    quadmemo.clear()
    yield
    quadmemo.clear()


def test_the_same_integral_at_the_same_points_is_computed_once():
    seed = claim_seed(parse(GAUSSIAN), parse(TRUE))
    first = compare(parse(GAUSSIAN), parse(TRUE), seed=seed)
    computed = quadmemo.stats["misses"]
    assert first.agree is True and computed > 0
    again = compare(parse(GAUSSIAN), parse(TRUE), seed=seed)
    assert quadmemo.stats["misses"] == computed
    assert quadmemo.stats["hits"] >= computed
    assert again == first


def test_a_remembered_integral_does_not_let_a_false_closed_form_through():
    seed = claim_seed(parse(GAUSSIAN), parse(TRUE))
    assert compare(parse(GAUSSIAN), parse(TRUE), seed=seed).agree is True
    hits = quadmemo.stats["hits"]
    false = compare(parse(GAUSSIAN), parse(OFF), seed=seed)
    assert quadmemo.stats["hits"] > hits          # the integrals were shared
    assert false.agree is False


@pytest.mark.parametrize("mutant", [
    r"\int_{-\infty}^{\infty} \exp(-a t^2) (1 + 10^{-8} t^2) dt",   # the integrand
    r"\int_{-\infty}^{\infty} \exp(-a t^2 - 10^{-8} t) dt",         # a tiny shift
    r"\int_{-\infty}^{10^{3}} \exp(-a t^2) dt",                     # a limit
])
def test_a_mutated_integrand_is_computed_anew_and_judged_on_its_value(mutant):
    seed = claim_seed(parse(GAUSSIAN), parse(TRUE))
    assert compare(parse(GAUSSIAN), parse(TRUE), seed=seed).agree is True
    misses = quadmemo.stats["misses"]
    result = compare(parse(mutant), parse(TRUE), seed=seed)
    assert quadmemo.stats["misses"] > misses
    expected = compare(parse(mutant), parse(TRUE), seed=seed)   # now all remembered
    assert result == expected
    if "10^{3}" not in mutant:    # false at every point (the limit: at tiny a only)
        assert result.agree is False


def _key(latex: str, sample: _Sample):
    integral = parse(latex)
    (variable, low, high), = integral.limits
    with mpmath.workdps(numeric.DIGITS):
        return _MemoKey(integral.function, variable, low, high)(
            sample, mpmath.mpf(low) if low.is_finite else -mpmath.inf, mpmath.inf)


def _sample(seed: int) -> _Sample:
    return _Sample(random.Random(seed), "unit", {})


def test_keys_of_different_integrands_differ_at_the_same_point():
    sample = _sample(1)
    keys = {_key(r"\int_{-\infty}^{\infty} \exp(-a t^2) dt", sample),
            _key(r"\int_{-\infty}^{\infty} \exp(-a t^2) t^2 dt", sample),
            _key(r"\int_{-\infty}^{\infty} \exp(-a t^4) dt", sample),
            _key(r"\int_{0}^{\infty} \exp(-a t^2) dt", sample)}
    assert len(keys) == 4


def test_keys_hold_the_exact_values_and_the_random_functions():
    integral = r"\int_{-\infty}^{\infty} g(t) \exp(-a t^2) dt"
    one, other = _sample(1), _sample(2)
    first, second = _key(integral, one), _key(integral, other)
    assert first != second
    assert _key(integral, one) == first           # the same point: the same key
    one.point[SCOPE.symbols["a"]] += mpmath.mpf(2) ** -90   # beyond 20 digits, still differs
    assert _key(integral, one) != first
    one.point[SCOPE.symbols["a"]] -= mpmath.mpf(2) ** -90
    g = next(iter(one.functions.values()))
    g.weights = [w + mpmath.mpf(2) ** -90 for w in g.weights]
    assert _key(integral, one) != first


def test_keys_hold_the_precisions():
    sample = _sample(1)
    first = _key(GAUSSIAN, sample)
    sample.quadrature_digits = numeric.CONFIRM_QUADRATURE_DIGITS
    assert _key(GAUSSIAN, sample) != first
    with mpmath.workdps(numeric.CONFIRM_DIGITS):
        integral = parse(GAUSSIAN)
        (variable, low, high), = integral.limits
        raised = _MemoKey(integral.function, variable, low, high)(sample, -mpmath.inf,
                                                                  mpmath.inf)
    assert raised != _key(GAUSSIAN, sample)


def test_integrands_of_indexed_data_are_not_shared():
    data = sympy.IndexedBase("z")
    t = SCOPE.symbols["t"]
    assert _MemoKey(sympy.exp(-data[1] * t**2), t, -sympy.oo, sympy.oo)(
        _sample(1), -mpmath.inf, mpmath.inf) is None


def test_integrands_of_nodes_the_key_does_not_account_for_are_not_shared():
    t = SCOPE.symbols["t"]
    assert _MemoKey(sympy.exp(-t**2), t, -sympy.oo, sympy.oo).shareable
    assert not _MemoKey(sympy.Heaviside(t) * sympy.exp(-t**2), t, -sympy.oo, sympy.oo).shareable
    assert not _MemoKey(sympy.Max(t, 1) * sympy.exp(-t**2), t, -sympy.oo, sympy.oo).shareable
