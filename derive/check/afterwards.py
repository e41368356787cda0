"""Rules that may follow another after ';' in a justification ("substitute (2);
expand_log"): rewritings of both sides that hold under the declared assumptions, applied
to two expressions the first rule compares when they are not shown equal as they stand.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sympy import Basic

from derive.check.transforms import evaluate_integrals, expand_logs, linear_form

#: The rules that may follow another, with the rewriting each applies to both sides.
AFTERWARDS = {"expand_log": expand_logs, "linearity": linear_form,
              "integrate": evaluate_integrals}
#: Those whose rewriting is a SymPy evaluation: no such result is taken alone, so they
#: apply only where the sides as written already agree numerically.
EVALUATIONS = frozenset({"integrate"})

_CURRENT: ContextVar[tuple] = ContextVar("afterwards", default=())


def active() -> tuple[str, ...]:
    """The rules that follow the one being checked (none outside such a check)."""
    return _CURRENT.get()


@contextmanager
def following(names: tuple[str, ...]):
    """Check a rule with ``names`` following it."""
    token = _CURRENT.set(tuple(names))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def evaluates() -> bool:
    """Whether a rule that follows is a SymPy evaluation (see :data:`EVALUATIONS`)."""
    return any(name in EVALUATIONS for name in active())


def rewritten(expr: Basic) -> Basic:
    """``expr`` rewritten by each following rule, in order."""
    for name in active():
        expr = AFTERWARDS[name](expr)
    return expr
