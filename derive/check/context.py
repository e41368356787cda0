"""What a rule sees: the link it must justify, the step around it, the earlier steps."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy
from sympy import Basic
from sympy.core.function import AppliedUndef

from derive.check.domains import current
from derive.check.equivalence import Outcome, decide, defined, equivalent
from derive.check.numeric import compare as numeric_compare
from derive.check.shown import pair
from derive.check.transforms import Rewrite
from derive.check.verdict import Status, Verdict
from derive.document.model import Justification, Step
from derive.latex.formula import Chain, Formula, Relation
from derive.latex.notation import _Operator
from derive.latex.printer import latex
from derive.latex.relations import EQ, WORDS, holds_numerically
from derive.latex.scope import ASSUMPTION_TEXT, Scope


class RuleError(Exception):
    """A rule cannot apply to this link (wrong shape, missing argument): undecided or failed."""

    def __init__(self, message: str, status: Status = Status.FAILED, expected: str = ""):
        super().__init__(message)
        self.status = status
        self.expected = expected


class MissingPremise(RuleError):
    """A rule was cited with fewer premises than it needs: in a chain, the previous line
    may serve as one more (see :meth:`LinkContext.from_previous_line`)."""


#: The tag under which the previous line of a chain serves as a premise.
PREVIOUS_LINE = "previous line"


def claims(*relations: str):
    """Mark a rule with the relations its claim may have; unmarked rules judge ``=`` only.

    The engine refuses a claim of any other relation before the rule runs, so a rule
    built for equations never judges ``<`` or ``\\neq``.
    """
    allowed = frozenset(relations)

    def mark(rule):
        rule.relations = allowed
        return rule
    return mark


def relations_of(rule) -> frozenset:
    """The relations a rule may judge."""
    return getattr(rule, "relations", frozenset({EQ}))


def require_equation(relation: Relation, where: str) -> Relation:
    """``relation`` itself if it is an equation; otherwise the rule cannot use it."""
    if not relation.is_equality:
        raise RuleError(f"an equation is needed, and {where} states '{relation.op.symbol}' "
                        f"({WORDS.get(relation.op.symbol, 'another relation')})",
                        Status.UNDECIDED)
    return relation


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
            error = MissingPremise if len(steps) < low else RuleError
            raise error(f"rule '{self.justification.rule}' needs {want} premise(s), "
                            f"got {len(steps)}", Status.UNDECIDED)
        return steps

    def from_previous_line(self) -> LinkContext | None:
        """This link with the previous line of its chain as a premise besides those
        cited, for a rule cited with too few; None for a chain's first line.

        After ``\\Rightarrow`` the previous line is the premise and the claim is the
        link. Within a chain ``s = \\dots = L = R`` the earlier links give ``s = L``: it
        is the premise, and the rule must derive ``s = R`` from it, from which the
        link ``L = R`` follows.
        """
        if self.previous is None:
            return None
        claim, premise = self.claim, self.previous
        if len(self.chain_terms) > 1 and not claim.implied:
            start = self.chain_terms[0]
            premise = Relation(premise.op, start, claim.lhs)
            claim = Relation(claim.op, start, claim.rhs, claim.implied, claim.line,
                             claim.column)
        chain = Chain((premise.lhs, premise.rhs), (premise.op,))
        line = Step(PREVIOUS_LINE, "", Formula((chain,), self.step.formula.constraints),
                    self.step.justifications)
        justification = replace(self.justification,
                                premises=self.justification.premises + (PREVIOUS_LINE,))
        return replace(self, claim=claim, justification=justification,
                       steps={**self.steps, PREVIOUS_LINE: line})

    # -- reading relations of a step -------------------------------------
    @staticmethod
    def final_link(step: Step, any_relation: bool = False) -> Relation:
        """The last relation a step writes (what "solve (7)" solves): an equation,
        unless the rule can use ``any_relation``."""
        if not step.formula.links:
            raise RuleError(f"step ({step.tag}) states no relation", Status.UNDECIDED)
        relation = step.formula.links[-1]
        return relation if any_relation else require_equation(relation, f"({step.tag})")

    @staticmethod
    def conclusion(step: Step, any_relation: bool = False) -> Relation:
        """What a step concludes: its last chain's first term against its last (an
        equation, unless the rule can use ``any_relation``)."""
        relation = step.formula.conclusion
        if relation is None:
            raise RuleError(f"step ({step.tag}) states no relation", Status.UNDECIDED)
        return relation if any_relation else require_equation(relation, f"({step.tag})")

    @staticmethod
    def equations(step: Step) -> list[Relation]:
        """Every equality a step establishes: its conclusion, its links, its constraints."""
        found: list[Relation] = []
        for relation in [step.formula.conclusion, *step.formula.links,
                         *step.formula.constraints]:
            if relation is not None and relation.is_equality and relation not in found:
                found.append(relation)
        if not found:
            raise RuleError(f"({step.tag}) states no equation to use", Status.UNDECIDED)
        return found

    # -- what the premises hold for ---------------------------------------
    def particular(self, step: Step) -> frozenset:
        """The symbols a step holds for one value of only.

        A definition holds for every value of its symbols; a given or a cited result
        for every value of those it names ``for all``, and for one value of its other
        free symbols; a derived step is particular wherever a premise is.
        """
        known: dict[str, frozenset] = {}

        def of(step: Step) -> frozenset:
            if step.tag not in known:
                rules = {j.rule for j in step.justifications}
                if rules <= {"definition"}:
                    found = frozenset()
                elif rules & {"given", "cite"}:
                    named = {s for j in step.justifications
                             for e in j.arguments.get("for_all", ()) for s in e.free_symbols}
                    found = frozenset(_free_symbols(step) - named)
                else:
                    found = frozenset().union(*(of(self.steps[t]) for t in step.premises
                                                if t in self.steps))
                known[step.tag] = found
            return known[step.tag]
        return of(step)

    def rewrites(self, step: Step) -> list[Rewrite]:
        """The equations of a premise, each with the symbols it holds for one value of."""
        particular = self.particular(step)
        return [Rewrite(r.lhs, r.rhs, particular) for r in self.equations(step)]

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

    def holds(self, lhs: Basic, rhs: Basic, what: str, assumptions=(),
              original: tuple[Basic, Basic] | None = None) -> Verdict:
        """Verdict for ``lhs R rhs`` with R the claim's relation, where the sides are the
        claim's after the rule's rewriting.

        ``original`` are the claim's sides before a SymPy evaluation (an integral, a
        derivative): no SymPy result is taken alone, so they are compared numerically
        too, and a proof stands only if they agree.
        """
        op = self.claim.op.symbol
        undefined = defined(*original) if original is not None else None
        if undefined is not None:
            return self.verdict(undefined, lhs, rhs, what, assumptions)
        if op == EQ:
            verdict = self.compare(lhs, rhs, what, assumptions)
        else:
            verdict = self.verdict(decide(op, lhs, rhs), lhs, rhs, what, assumptions)
        if original is None:
            return verdict
        if verdict.status is Status.FAILED:
            return self.recheck(verdict, *original)
        if verdict.status not in (Status.PROVED, Status.NUMERIC):
            return verdict
        return self.cross_check(verdict, *original, what)

    def recheck(self, verdict: Verdict, lhs: Basic, rhs: Basic) -> Verdict:
        """A failure found on SymPy's evaluation stands only if the claim's own numeric
        values fail too: SymPy's wrong value must not fail a true claim. If they agree
        at every point, the claim is numeric, with SymPy's disagreement said."""
        op = self.claim.op.symbol
        result = numeric_compare(lhs, rhs, relation=holds_numerically(op),
                                 domains=self.scope.domains)
        if not result.agree or op != EQ:
            return verdict
        return Verdict(Status.NUMERIC, method="numeric, on the claim as written",
                       reason="SymPy's evaluation disagrees, but the numeric values of the "
                              "claim as written agree at every sampled point: "
                              + verdict.reason,
                       assumptions=verdict.assumptions, sample=tuple(result.sample.items()))

    def cross_check(self, verdict: Verdict, lhs: Basic, rhs: Basic, what: str) -> Verdict:
        """Keep ``verdict`` only if the numeric values of ``lhs`` and ``rhs`` themselves
        (integrals by quadrature, derivatives by finite differences) bear it out.

        Two argmins over the same variable are compared by their objectives."""
        op = self.claim.op.symbol
        while isinstance(lhs, _Operator) and type(lhs) is type(rhs):
            lhs, rhs = lhs.body, rhs.body.xreplace({rhs.variable: lhs.variable})
        result = numeric_compare(lhs, rhs, relation=holds_numerically(op),
                                 domains=self.scope.domains)
        if result.agree is False:
            d = result.disagreement
            left, right = pair(d.left, d.right)
            return Verdict.failed(
                f"{what}: SymPy's evaluation agreed with the claim, but the numeric value "
                f"of the claim itself does not: at the counterexample its left side is "
                f"{left} and its right side {right}",
                counterexample=tuple((self.latex(k), _short(v)) for k, v in d.point),
                assumptions=verdict.assumptions)
        if result.agree is None:
            if result.undefined:
                return Verdict.failed(f"{what}: {result.undefined}",
                                      assumptions=verdict.assumptions)
            note = result.note
            return Verdict.undecided(f"{what}: SymPy's evaluation agrees with the claim but "
                                     f"cannot be cross-checked numerically ({note})",
                                     assumptions=verdict.assumptions)
        return verdict

    def verdict(self, outcome: Outcome, claimed: Basic, expected: Basic, what: str,
                assumptions=()) -> Verdict:
        assumptions = tuple(assumptions) + tuple(
            f"{self.latex(term)} \\text{{ converges}}" for term in outcome.presumed)
        assumptions += current().used(outcome.domains, self.latex)
        sample = tuple(outcome.sample.items())
        if outcome.status is Status.PROVED:
            return Verdict.proved(outcome.method, assumptions, sample=sample)
        if outcome.status is Status.NUMERIC:
            return Verdict(Status.NUMERIC, method=outcome.method,
                           assumptions=tuple(assumptions),
                           reason="symbolic simplification was inconclusive", sample=sample)
        details = dict(expected=self.latex(expected), expected_value=expected, sample=sample)
        if outcome.residual is not None:
            details["residual"] = self.latex(outcome.residual)
            details["residual_value"] = outcome.residual
        if outcome.status is Status.FAILED:
            if outcome.disagreement is not None:
                d = outcome.disagreement
                details["counterexample"] = tuple(
                    (self.latex(k), _short(v)) for k, v in d.point)
                details["residual"] = (details.get("residual", "") or "")
                left, right = pair(d.left, d.right)
                reason = (f"{what}: at the counterexample the claim gives {left} "
                          f"but the rule gives {right}")
                if outcome.note:
                    reason += f" ({outcome.note})"
            else:
                reason = f"{what}: {outcome.note}"
            return Verdict.failed(reason, assumptions=tuple(assumptions), **details)
        return Verdict.undecided(f"{what}: {outcome.note}", **details)


def _free_symbols(step: Step) -> set:
    """The free symbols of every relation a step writes."""
    found: set = set()
    for relation in (*step.formula.links, *step.formula.constraints):
        found |= relation.lhs.free_symbols | relation.rhs.free_symbols
    return found


def _short(value: Basic) -> str:
    """A number in 12 significant digits, for a counterexample's data."""
    try:
        if value.is_Integer:
            return str(value)
        return str(sympy.N(value, 12))
    except (TypeError, ValueError, AttributeError):
        return str(value)
