"""What a rule sees: the link it must justify, the step around it, the earlier steps."""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Basic
from sympy.core.function import AppliedUndef

from derive.check.equivalence import Outcome, equivalent
from derive.check.verdict import Status, Verdict
from derive.document.model import Justification, Step
from derive.latex.formula import Relation
from derive.latex.printer import latex
from derive.latex.scope import ASSUMPTION_TEXT, Scope


class RuleError(Exception):
    """A rule cannot apply to this link (wrong shape, missing argument): undecided or failed."""

    def __init__(self, message: str, status: Status = Status.FAILED, expected: str = ""):
        super().__init__(message)
        self.status = status
        self.expected = expected


@dataclass
class LinkContext:
    """One link to justify, with everything a rule may use and nothing it may change."""

    claim: Relation
    justification: Justification
    step: Step
    index: int
    chain_terms: tuple[Basic, ...]      # the chain's terms up to claim.lhs
    previous: Relation | None           # the link before this one in the step
    steps: dict[str, Step]              # earlier steps by tag
    scope: Scope

    # -- premises --------------------------------------------------------
    def premise_steps(self) -> list[Step]:
        return [self.steps[t] for t in self.justification.premises]

    def target_steps(self) -> list[Step]:
        return [self.steps[t] for t in self.justification.targets]

    def argument(self, keyword: str, count: int | None = None) -> tuple[Basic, ...]:
        values = self.justification.arguments.get(keyword, ())
        if count is not None and values and len(values) != count:
            raise RuleError(f"'{keyword}' takes {count} expression(s), got {len(values)}",
                            Status.UNDECIDED)
        return values

    def require_premises(self, low: int, high: int | None = None) -> list[Step]:
        steps = self.premise_steps()
        high = low if high is None else high
        if not low <= len(steps) <= high:
            want = str(low) if low == high else f"{low} to {high}"
            raise RuleError(f"rule '{self.justification.rule}' needs {want} premise(s), "
                            f"got {len(steps)}", Status.UNDECIDED)
        return steps

    # -- reading relations of a step -------------------------------------
    @staticmethod
    def final_link(step: Step) -> Relation:
        """The last relation a step writes (what "solve (7)" solves)."""
        if not step.formula.links:
            raise RuleError(f"step ({step.tag}) states no relation", Status.UNDECIDED)
        return step.formula.links[-1]

    @staticmethod
    def conclusion(step: Step) -> Relation:
        """What a step concludes: first term = last term of its last chain."""
        relation = step.formula.conclusion
        if relation is None:
            raise RuleError(f"step ({step.tag}) states no relation", Status.UNDECIDED)
        return relation

    @staticmethod
    def equations(step: Step) -> list[Relation]:
        """Every equality a step establishes: its conclusion, its links, its constraints."""
        found: list[Relation] = []
        for relation in [step.formula.conclusion, *step.formula.links,
                         *step.formula.constraints]:
            if relation is not None and relation.is_equality and relation not in found:
                found.append(relation)
        return found

    # -- printing and assumptions ----------------------------------------
    def latex(self, expr: Basic) -> str:
        return latex(expr, self.scope)

    def math(self, expr: Basic) -> str:
        """An expression as inline math, ``$...$``, for the prose of a reason."""
        return f"${latex(expr, self.scope)}$"

    def declared(self, *exprs: Basic) -> list[str]:
        """The declared assumptions of the symbols and functions in ``exprs``, as LaTeX."""
        out: list[str] = []
        for expr in exprs:
            for symbol in sorted(expr.free_symbols, key=str):
                for text in self.scope.assumption_text(symbol):
                    if text not in out:
                        out.append(text)
            for applied in sorted(expr.atoms(AppliedUndef), key=str):
                sig = self.scope.signature_of(applied.func)
                if sig is None:
                    continue
                for word in sig.words:
                    text = f"{self.latex(applied)} {ASSUMPTION_TEXT[word]}"
                    if word in ("positive", "negative", "nonnegative") and text not in out:
                        out.append(text)
        return out

    # -- turning an equivalence outcome into a verdict --------------------
    def compare(self, claimed: Basic, expected: Basic, what: str,
                assumptions=(), samples: int = 6) -> Verdict:
        """Verdict for ``claimed = expected``; on failure say what the rule expected."""
        outcome = equivalent(claimed, expected, samples)
        return self.verdict(outcome, claimed, expected, what, assumptions)

    def verdict(self, outcome: Outcome, claimed: Basic, expected: Basic, what: str,
                assumptions=()) -> Verdict:
        sample = tuple(outcome.sample.items())
        if outcome.status is Status.PROVED:
            return Verdict.proved(outcome.method, assumptions, sample=sample)
        if outcome.status is Status.NUMERIC:
            return Verdict(Status.NUMERIC, method=outcome.method,
                           assumptions=tuple(assumptions),
                           reason="symbolic simplification was inconclusive", sample=sample)
        details = dict(expected=self.latex(expected), sample=sample)
        if outcome.residual is not None:
            details["residual"] = self.latex(outcome.residual)
        if outcome.status is Status.FAILED:
            if outcome.disagreement is not None:
                d = outcome.disagreement
                details["counterexample"] = tuple(
                    (self.latex(k), _short(v)) for k, v in d.point)
                details["residual"] = (details.get("residual", "") or "")
                reason = (f"{what}: at the counterexample the claim gives {_short(d.left)} "
                          f"but the rule gives {_short(d.right)}")
                if outcome.note:
                    reason += f" ({outcome.note})"
            else:
                reason = f"{what}: {outcome.note}"
            return Verdict.failed(reason, assumptions=tuple(assumptions), **details)
        return Verdict.undecided(f"{what}: {outcome.note}", **details)


def _short(value: Basic) -> str:
    """A number in 12 significant digits, for messages."""
    try:
        if value.is_Integer:
            return str(value)
        return str(sympy.N(value, 12))
    except (TypeError, ValueError, AttributeError):
        return str(value)
