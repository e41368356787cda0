"""Quadrature results shared within a process, keyed on everything they depend on.

The numeric check computes the same integral at the same point many times: a rule and
its cross-check, each mutant of ``derive mutate`` (same premises, same seeds), each
test that checks a shipped derivation. An integral's value is a pure function of its
integrand (the SymPy expression, written out by ``srepr``), the exact values of every
symbol and random function it reads, its limits, the working precisions and the
quadrature's settings; the key holds all of them, the numbers as mpmath's exact
mantissa and exponent, so that two different integrands never share an entry.
"""

from __future__ import annotations

from collections import OrderedDict

import mpmath

from derive.check.quadrature import Divergent

#: Entries kept (least recently used dropped first): a few thousand small tuples.
MAX_ENTRIES = 20000

_memo: OrderedDict = OrderedDict()
#: Lookups that found an entry and lookups that did not, for tests and the bench.
stats = {"hits": 0, "misses": 0}


def exact(value):
    """``value`` as a hashable tuple that determines it exactly (mpmath numbers as
    their sign, mantissa, exponent and bit count)."""
    if isinstance(value, mpmath.mpf):
        return ("f", value._mpf_)
    if isinstance(value, mpmath.mpc):
        return ("c", value._mpc_)
    if isinstance(value, (list, tuple)):
        return ("t", tuple(exact(v) for v in value))
    if isinstance(value, (int, str, bool, float)) or value is None:
        return (type(value).__name__, value)
    raise TypeError(f"no exact key for {type(value).__name__}")


def computed(key, compute):
    """``compute()``'s result for ``key``, worked out once per process: a value or a
    divergence (raised again, with its message). Other failures are not kept."""
    if key is None:
        return compute()
    try:
        kind, payload = _memo[key]
    except KeyError:
        stats["misses"] += 1
    else:
        stats["hits"] += 1
        _memo.move_to_end(key)
        if kind == "divergent":
            raise Divergent(payload)
        return payload
    try:
        result = compute()
    except Divergent as error:
        _store(key, ("divergent", str(error)))
        raise
    _store(key, ("value", result))
    return result


def _store(key, entry) -> None:
    _memo[key] = entry
    if len(_memo) > MAX_ENTRIES:
        _memo.popitem(last=False)


def clear() -> None:
    """Forget every entry (for tests that measure recomputation)."""
    _memo.clear()
    stats.update(hits=0, misses=0)
