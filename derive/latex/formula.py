"""What a parsed formula is: chains of relations, implications, constraints."""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Basic

from derive.latex.relations import compose


@dataclass(frozen=True)
class RelOp:
    """A relation symbol; ``\\to`` carries the limit it is taken in, (variable, point)."""

    symbol: str
    limit: tuple[Basic, Basic] | None = None


@dataclass(frozen=True)
class Relation:
    """One link ``lhs op rhs`` of a chain, with its column in the formula text."""

    op: RelOp
    lhs: Basic
    rhs: Basic
    implied: bool = False  # the first link after \Rightarrow
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)

    @property
    def is_equality(self) -> bool:
        return self.op.symbol == "="


@dataclass(frozen=True)
class Chain:
    """``t0 op1 t1 op2 t2 ...`` as written; every op relates its two neighbours."""

    terms: tuple[Basic, ...]
    ops: tuple[RelOp, ...]
    positions: tuple[tuple[int, int], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Formula:
    """A whole displayed equation: chains joined by ``\\Rightarrow``, then
    optional ``\\text{s.t.}`` constraints and a ``\\tag``."""

    chains: tuple[Chain, ...]
    constraints: tuple[Relation, ...] = ()
    tag: str | None = None
    written: tuple[Basic, ...] = field(default=(), compare=False)  # integrals, sums as written
    links: tuple[Relation, ...] = field(init=False)

    def __post_init__(self):
        links = []
        for c, chain in enumerate(self.chains):
            for k, op in enumerate(chain.ops):
                line, col = chain.positions[k] if chain.positions else (1, 1)
                links.append(Relation(op, chain.terms[k], chain.terms[k + 1],
                                      implied=(c > 0 and k == 0), line=line, column=col))
        object.__setattr__(self, "links", tuple(links))

    @property
    def conclusion(self) -> Relation | None:
        """The relation the formula ends on: the first term of the last chain against
        its last term when the chain's relations compose (``a = b < c`` gives ``a < c``),
        otherwise its last link alone (``a \\neq b \\neq a`` says nothing of a and a)."""
        if not self.chains or not self.chains[-1].ops:
            return None
        chain = self.chains[-1]
        op = chain.ops[0].symbol
        for following in chain.ops[1:]:
            op = compose(op, following.symbol) if op is not None else None
        implied = len(self.chains) > 1
        if op is not None:
            first = chain.ops[0] if len(set(chain.ops)) == 1 else RelOp(op)
            return Relation(first, chain.terms[0], chain.terms[-1], implied=implied)
        return Relation(chain.ops[-1], chain.terms[-2], chain.terms[-1], implied=implied)
