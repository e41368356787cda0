"""Verdicts: what the engine found for each link, each step and each derivation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from derive.document.model import Document, Step


class Status(str, Enum):
    """How a claim was settled, from strongest to weakest evidence."""

    PROVED = "proved"        # SymPy showed it symbolically
    NUMERIC = "numeric"      # random high-precision points agree; symbolic undecided
    ASSUMED = "assumed"      # a definition, a given, a cited theorem: not checked
    FAILED = "failed"        # shown false: a counterexample, or the rule's form not met
    UNDECIDED = "undecided"  # time limit, or something the engine cannot handle

    @property
    def holds(self) -> bool:
        """Whether a step with this status may serve as ground for later steps."""
        return self in (Status.PROVED, Status.NUMERIC, Status.ASSUMED)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one rule on one link.

    For a failure: ``reason`` says what is wrong, ``expected`` what the rule
    expected instead (LaTeX), ``residual`` the difference (LaTeX) and
    ``counterexample`` a point (LaTeX name -> value) where the claim is false.
    ``assumptions`` lists the declared assumptions the verdict used; ``sample``
    records the numeric check's points (number, digits, seed, largest relative
    difference), when it ran. ``expected_value`` and ``residual_value`` are the SymPy
    expressions behind ``expected`` and ``residual`` when the rule kept them, so that a
    report can show their floating-point numbers rounded.
    """

    status: Status
    reason: str = ""
    expected: str = ""
    residual: str = ""
    counterexample: tuple[tuple[str, str], ...] = ()
    assumptions: tuple[str, ...] = ()
    method: str = ""
    sample: tuple[tuple[str, object], ...] = ()
    expected_value: object = field(default=None, compare=False, repr=False)
    residual_value: object = field(default=None, compare=False, repr=False)

    @classmethod
    def proved(cls, method: str, assumptions=(), reason: str = "", sample=()) -> "Verdict":
        return cls(Status.PROVED, reason=reason, method=method, assumptions=tuple(assumptions),
                   sample=tuple(sample))

    @classmethod
    def assumed(cls, reason: str, assumptions=()) -> "Verdict":
        return cls(Status.ASSUMED, reason=reason, assumptions=tuple(assumptions))

    @classmethod
    def failed(cls, reason: str, **details) -> "Verdict":
        return cls(Status.FAILED, reason=reason, **details)

    @classmethod
    def undecided(cls, reason: str, **details) -> "Verdict":
        return cls(Status.UNDECIDED, reason=reason, **details)


@dataclass
class LinkResult:
    """One link of a step (one relation of its chain) and its verdict."""

    index: int
    relation: str          # LaTeX of the link, e.g. "a = b"
    rule: str
    premises: tuple[str, ...]
    verdict: Verdict
    seconds: float


@dataclass
class StepResult:
    """A step's verdict: the weakest of its links, and what it rests on."""

    step: Step
    links: list[LinkResult]
    status: Status
    seconds: float
    tainted_by: tuple[str, ...] = ()   # failed or undecided ancestors
    errata: frozenset = frozenset()    # tags of the derivation's expected failures

    @property
    def expected_failure(self) -> bool:
        return self.step.expect_failure is not None

    @property
    def unexpected_pass(self) -> bool:
        """An expected failure that now holds: an error, as pytest's strict xfail.
        An erratum left undecided did not pass; it is reported as undecided."""
        return self.expected_failure and self.status.holds

    @property
    def rests_on_erratum(self) -> bool:
        """A step that is not itself an erratum but rests on one: it cannot stand."""
        errata = {t for t in self.tainted_by if t in self.errata}
        return not self.expected_failure and bool(errata)

    @property
    def ok(self) -> bool:
        if self.expected_failure:
            return self.status is Status.FAILED
        return self.status.holds and not self.rests_on_erratum

    @property
    def mark(self) -> str:
        """The verdict as shown to readers: the status, or 'expected failure'."""
        if self.expected_failure and self.status is Status.FAILED:
            return "expected failure"
        if self.unexpected_pass:
            return "unexpected pass"
        return self.status.value

    @property
    def reason(self) -> str:
        for link in self.links:
            if link.verdict.status is self.status and link.verdict.reason:
                return link.verdict.reason
        return ""


@dataclass
class DerivationResult:
    """The checked derivation: every step, and whether its conclusion is established."""

    document: Document
    steps: list[StepResult]
    conclusion: str                    # tag of the conclusion step
    established: bool
    assumptions: list[str] = field(default_factory=list)   # LaTeX, e.g. "\\sigma > 0"
    givens: list[str] = field(default_factory=list)        # tags of ground steps assumed
    cited: list[str] = field(default_factory=list)         # cited theorems
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    def result(self, tag: str) -> StepResult:
        for step in self.steps:
            if step.step.tag == tag:
                return step
        raise KeyError(tag)
