"""The declared domains of a derivation's symbols, while it is checked.

``[domains]`` gives a symbol an interval between two bounds (``0 < \\hat{y} < 1``) or a
finite set of values (``y \\in \\{0, 1\\}``). The numeric check draws points only there,
a finite set at every one of its values, and a proof may use them: a claim holds on the
interval if it holds, for s > 0, at ``a + (b - a) s / (1 + s)``, which runs over the
whole open interval (a, b) and nowhere else; on a finite set if it holds at each value.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import product

import sympy
from sympy import Basic, Dummy

#: Most cases a claim is split into, over the values of its finite-set symbols.
MOST_CASES = 64


def _free(expr: Basic) -> set:
    """The free symbols of ``expr`` that no integral, sum or product in it also binds:
    only those may be replaced by a value or a point of their domain."""
    free = getattr(expr, "free_symbols", set())
    if not isinstance(expr, Basic):
        return free
    bound = {limit[0] for term in expr.atoms(sympy.Integral, sympy.Sum, sympy.Product)
             for limit in term.limits}
    return free - bound


@dataclass(frozen=True)
class Domains:
    """Intervals (low, high) and finite sets of values, by symbol."""

    intervals: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    def cases(self, *exprs: Basic) -> list[dict] | None:
        """Every assignment of its values to each finite-set symbol of ``exprs``; None
        when there are more than :data:`MOST_CASES`."""
        free = set().union(*(_free(e) for e in exprs))
        symbols = sorted((s for s in self.values if s in free), key=str)
        count = 1
        for symbol in symbols:
            count *= len(self.values[symbol])
        if count > MOST_CASES:
            return None
        return [dict(zip(symbols, choice))
                for choice in product(*(self.values[s] for s in symbols))]

    def reparametrised(self, expr: Basic, fixed: dict | None = None) -> Basic:
        """``expr`` with each real symbol that has a declared interval written as a
        point inside it, through a fresh positive variable (integers are left alone);
        a bound that is itself such a symbol (``x \\in [a, b]``, ``b \\in (a, \\infty)``)
        is written so in turn. ``fixed`` symbols keep the values it gives them (the end
        of an interval), in the bounds of others too."""
        points: dict = {}
        fixed = fixed or {}
        for _ in range(len(self.intervals) + 1):
            expr = expr.xreplace(fixed)
            mapping = {symbol: points.setdefault(symbol, self._point(symbol))
                       for symbol in _free(expr)
                       if self._parametrised(symbol) and symbol not in fixed}
            if not mapping:
                break
            expr = expr.xreplace(mapping)
        return expr.xreplace(fixed)

    def _parametrised(self, symbol) -> bool:
        """Whether a symbol's declared interval is one a proof writes it inside."""
        if symbol not in self.intervals or symbol.is_integer:
            return False
        return tuple(self.intervals[symbol]) != (-sympy.oo, sympy.oo)

    def _point(self, symbol) -> Basic:
        """A point of the symbol's interval for each positive value of a fresh variable,
        every point of the open interval for one of them."""
        low, high = self.intervals[symbol]
        s = Dummy(f"s_{symbol}", positive=True)
        if high is sympy.oo:
            return low + s
        if low is -sympy.oo:
            return high - s
        return low + (high - low) * s / (1 + s)

    def ends(self, expr: Basic) -> list[dict]:
        """Each finite end of the declared interval of each real symbol of ``expr``,
        as an assignment: a proof over the open interval must hold there too."""
        found = []
        for symbol in sorted(_free(expr), key=str):
            if symbol in self.intervals and not symbol.is_integer:
                found += [{symbol: end} for end in self.intervals[symbol]
                          if end.is_finite is not False and not end.has(sympy.oo)]
        return found

    def bounded(self, expr: Basic) -> tuple:
        """The free symbols of ``expr`` whose declared domain is a finite set or an
        interval other than the whole line."""
        whole = (-sympy.oo, sympy.oo)
        return tuple(sorted((s for s in _free(expr) if s in self.values or
                             (s in self.intervals and tuple(self.intervals[s]) != whole
                              and not s.is_integer)), key=str))

    def used(self, symbols, latex) -> tuple[str, ...]:
        """The declared domains of ``symbols``, as LaTeX for a verdict's assumptions."""
        found = []
        for symbol in symbols:
            if symbol in self.values:
                shown = ", ".join(latex(v) for v in self.values[symbol])
                found.append(rf"{latex(symbol)} \in \{{{shown}\}}")
            elif symbol in self.intervals:
                low, high = self.intervals[symbol]
                found.append(rf"{latex(symbol)} \in ({latex(low)}, {latex(high)})")
        return tuple(found)


_CURRENT: ContextVar[Domains] = ContextVar("domains", default=Domains())


def current() -> Domains:
    """The domains of the derivation being checked (none outside a check)."""
    return _CURRENT.get()


@contextmanager
def declared(intervals: dict, values: dict):
    """Check within these declared domains."""
    token = _CURRENT.set(Domains(dict(intervals), dict(values)))
    try:
        yield
    finally:
        _CURRENT.reset(token)
