"""What the report's conclusion section says, computed here rather than in templates:
the concluding step, the errata and their corrections, the assumptions it rests on
(each once, however it was spelt), the declared constants with their notes, and what
was taken without proof.

>>> conclusion = conclusion_of(result)                    # doctest: +SKIP
>>> conclusion.assumptions                                # doctest: +SKIP
('\\\\epsilon \\\\in \\\\mathbb{R}', '\\\\sigma > 0', ...)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy
from sympy import Basic

from derive.check.verdict import DerivationResult, Status, StepResult
from derive.document.model import rested_on
from derive.errors import DeriveError
from derive.latex.parser import read_expression
from derive.latex.scope import Scope


@dataclass(frozen=True)
class Erratum:
    """A printed step the article got wrong, the steps that correct it, and why."""

    printed: StepResult
    corrections: tuple[StepResult, ...]
    note: str

    @property
    def standing(self) -> str:
        """``confirmed`` if the printed step failed as marked, ``holds`` if it holds (the
        note is out of date), ``unsettled`` if it could not be decided."""
        if self.printed.status is Status.FAILED:
            return "confirmed"
        return "holds" if self.printed.unexpected_pass else "unsettled"


@dataclass(frozen=True)
class Declared:
    """A declaration the reader needs explained: a constant's value, or a name with a
    note from the derivation file."""

    latex: str        # "I = 1", or the declared name
    note: str


@dataclass(frozen=True)
class TrustedLink:
    """A link taken without proof inside a step that is otherwise checked."""

    tag: str
    index: int
    rule: str


@dataclass(frozen=True)
class Conclusion:
    """The closing section of a report."""

    step: StepResult
    established: bool
    errata: tuple[Erratum, ...]
    assumptions: tuple[str, ...]
    declared: tuple[Declared, ...]
    givens: tuple[str, ...]
    trusted: tuple[TrustedLink, ...]
    cited: tuple[str, ...]
    problems: tuple[str, ...]


# -- what an assumption says ---------------------------------------------------------

#: The sets that ``x \in ...`` names, and what each sign against 0 leaves.
_NAMED_SETS = {r"\mathbb{R}": sympy.S.Reals, r"\mathbb{Z}": sympy.S.Integers,
               r"\mathbb{Q}": sympy.S.Rationals, r"\mathbb{C}": sympy.S.Complexes}
_SIGNS = {
    ">": sympy.Interval.open(0, sympy.oo),
    "<": sympy.Interval.open(-sympy.oo, 0),
    r"\ge": sympy.Interval(0, sympy.oo),
    r"\le": sympy.Interval(-sympy.oo, 0),
    r"\neq": sympy.Union(sympy.Interval.open(-sympy.oo, 0), sympy.Interval.open(0, sympy.oo)),
}
_NAMED = re.compile(r"(?P<subject>.+?) \\in (?P<set>\\mathbb\{[RZQC]\})")
_SIGN = re.compile(r"(?P<subject>.+?) (?P<op>>|<|\\ge|\\le|\\neq) 0")
_INTERVAL = re.compile(r"(?P<subject>.+?) \\in (?P<open>[(\[])(?P<low>.+), (?P<high>.+)"
                       r"(?P<close>[)\]])")
_RANGE = re.compile(r"(?P<subject>.+?) \\in \\\{(?P<low>.+), \\dots, (?P<high>.+)\\\}")


def _read(latex: str, scope: Scope | None) -> Basic | None:
    """An expression as derive reads it with the document's declarations; None if not."""
    if scope is None:
        return None
    try:
        return read_expression(latex, scope)
    except (DeriveError, ValueError, TypeError, RecursionError):
        return None


def _interval(match: re.Match, scope: Scope | None) -> sympy.Set | None:
    low, high = _read(match["low"], scope), _read(match["high"], scope)
    if low is None or high is None:
        return None
    try:
        return sympy.Interval(low, high, match["open"] == "(", match["close"] == ")")
    except (TypeError, ValueError):
        return None


def _range(match: re.Match, scope: Scope | None) -> sympy.Set | None:
    low, high = _read(match["low"], scope), _read(match["high"], scope)
    if low is None or high is None:
        return None
    try:
        return sympy.Range(low, high + 1)
    except (TypeError, ValueError):
        return None


def meaning(assumption: str, scope: Scope | None = None) -> tuple[object, sympy.Set] | None:
    r"""What an assumption says of its subject: the subject as derive reads it and the
    set it confines it to; None when it is no statement of that kind (``\text{ converges}``,
    a relation between two expressions), so that it is compared by its text only.

    >>> meaning(r"\sigma > 0", scope)                      # doctest: +SKIP
    (sigma, Interval.open(0, oo))
    """
    text = " ".join(assumption.split())
    for pattern, reading in ((_NAMED, lambda m: _NAMED_SETS[m["set"]]),
                             (_RANGE, lambda m: _range(m, scope)),
                             (_INTERVAL, lambda m: _interval(m, scope)),
                             (_SIGN, lambda m: _SIGNS[m["op"]])):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        found = reading(match)
        if found is None:
            return None
        subject = _read(match["subject"], scope)
        return (subject if subject is not None else match["subject"]), found
    return None


def _implies(stronger: sympy.Set, weaker: sympy.Set) -> bool:
    """Whether every value ``stronger`` allows, ``weaker`` allows too (only if SymPy
    decides it)."""
    try:
        return stronger.is_subset(weaker) is True
    except (TypeError, ValueError, NotImplementedError):
        return False


def distinct_assumptions(assumptions, scope: Scope | None = None) -> tuple[str, ...]:
    r"""Each assumption once: spelt alike, or saying the same of the same subject
    (``\epsilon \in \mathbb{R}`` and ``\epsilon \in (-\infty, \infty)``), or implied by
    another one of the list (``x \in \mathbb{R}`` beside ``x > 0``). Of two that say the
    same, the one naming a set (as the declarations spell it) is kept, else the first."""
    texts = list(dict.fromkeys(" ".join(a.split()) for a in assumptions))
    meanings = [meaning(a, scope) for a in texts]
    rank = [(0 if _NAMED.fullmatch(text) else 1, i) for i, text in enumerate(texts)]
    kept = []
    for i, text in enumerate(texts):
        said = meanings[i]
        redundant = said is not None and any(
            other is not None and other[0] == said[0] and _implies(other[1], said[1])
            and (rank[j] < rank[i] or not _implies(said[1], other[1]))
            for j, other in enumerate(meanings) if j != i)
        if not redundant:
            kept.append(text)
    return tuple(kept)


# -- the section -----------------------------------------------------------------

def errata_of(result: DerivationResult) -> tuple[Erratum, ...]:
    """Every step marked as the article's mistake, with the steps that correct it."""
    return tuple(
        Erratum(r, tuple(c for c in result.steps if c.step.corrects == r.step.tag),
                " ".join(r.step.expect_failure.split()))
        for r in result.steps if r.step.expect_failure is not None)


def declared_notes(scope: Scope) -> tuple[Declared, ...]:
    """The declared constants, each with its note, and every other declaration that has
    a note."""
    return tuple(Declared(d.detail if d.kind == "constant" else d.latex, d.note)
                 for d in scope.declarations if d.kind == "constant" or d.note)


def trusted_links(result: DerivationResult) -> tuple[TrustedLink, ...]:
    """Links taken without proof (a definition, stationarity) inside the ground steps
    whose verdict is not itself assumed: they are not listed as given, yet not proved."""
    ground = set(result.givens) | _ground(result)
    return tuple(TrustedLink(r.step.tag, link.index, link.rule)
                 for r in result.steps if r.step.tag in ground
                 and r.status is not Status.ASSUMED
                 for link in r.links if link.verdict.status is Status.ASSUMED
                 and link.rule != "cite")


def _ground(result: DerivationResult) -> set[str]:
    """The conclusion and every step it rests on."""
    return rested_on([result.conclusion], {r.step.tag: r.step for r in result.steps})


def conclusion_of(result: DerivationResult) -> Conclusion:
    """The conclusion section of ``result``'s report."""
    scope = result.document.scope
    constants = {" ".join(d.detail.split()) for d in scope.declarations
                 if d.kind == "constant"}
    assumptions = [a for a in result.assumptions if " ".join(a.split()) not in constants]
    return Conclusion(
        step=result.result(result.conclusion),
        established=result.established,
        errata=errata_of(result),
        assumptions=distinct_assumptions(assumptions, scope),
        declared=declared_notes(scope),
        givens=tuple(result.givens),
        trusted=trusted_links(result),
        cited=tuple(result.cited),
        problems=tuple(r.step.tag for r in result.steps if not r.ok),
    )
