"""``derive suggest``: find justifications that check for the steps whose ``by`` is "?".

For each link of such a step, candidate justifications are tried in order of
likelihood: rules suited to the link's shape, against the steps the prose mentions
("substitute (12) into (8)", "代入(9)式"), then the most recent steps, then the rest.
A candidate is read by the loader and checked by the engine exactly as a written one
would be; only a *proved* or *numeric* verdict makes it a suggestion. Nothing here
marks a step as checked: the suggestion is text, which ``derive verify`` checks again.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, TextIO

import tomlkit
from sympy import Basic, Derivative, Indexed, Integral, Product, Sum, Symbol, exp, log
from sympy.core.function import AppliedUndef

from derive.check.context import LinkContext, RuleError
from derive.check.engine import StepTimeout, _apply, deadline
from derive.check.verdict import Status, Verdict
from derive.document.loader import read_justification
from derive.document.model import Document, Justification, Step
from derive.errors import DeriveError
from derive.latex.formula import Relation
from derive.latex.notation import ArgMax, ArgMin, FunctionalDerivative, Maximize, Minimize
from derive.latex.parser import read_expression
from derive.latex.printer import latex
from derive.rules import RULES
from derive.rules.pending import PENDING

#: Seconds a candidate may take in the first pass; those that run out are tried again.
QUICK_LIMIT = 1.0
#: The first pass's limit for rules that evaluate (integrals, sums, derivatives).
EVALUATING = {"linearity": 3.0, "integrate": 3.0, "differentiate": 3.0}
#: Seconds one candidate may take in the second pass before it is abandoned.
CHECK_LIMIT = 8.0
#: How many premises at most a substitution or an unfolding is tried with.
MOST_PREMISES = 3
#: How many of the ranked earlier steps are combined with each other.
COMBINED = 5
#: A reference to an equation in prose: (9), （9）, (8').
MENTION = re.compile(r"[(（]\s*([0-9A-Za-z][0-9A-Za-z.'*\-]*)\s*[)）]")
#: Checked verdicts, best first.
RANK = {Status.PROVED: 0, Status.NUMERIC: 1}


@dataclass(frozen=True)
class Suggestion:
    """A justification of one link that checks."""

    text: str
    status: Status
    method: str = ""


@dataclass
class StepSuggestions:
    """What the search found for one step: per link, the justifications that check."""

    tag: str
    links: list[list[Suggestion]]
    tried: int = 0
    seconds: float = 0.0

    @property
    def best(self) -> list[str | None]:
        """The best justification of each link, or None where none checks."""
        return [found[0].text if found else None for found in self.links]

    @property
    def complete(self) -> bool:
        return bool(self.links) and all(self.links) and self._checked()

    def _checked(self) -> bool:
        """At least one link is proved or numeric (not only stationarity, assumed)."""
        return any(found[0].status in RANK for found in self.links if found)

    def by(self) -> str | list[str] | None:
        """The value to write as ``by``: one justification for all links, or one per link
        (``?`` where none was found); None if nothing was found."""
        best = self.best
        if not any(best) or not self._checked():
            return None
        if len(set(best)) == 1:
            return best[0]
        return [text or PENDING for text in best]


# -- reading the step ------------------------------------------------------------
def pending(step: Step) -> bool:
    """Whether the step still waits for a justification (``by = "?"``)."""
    return any(j.rule == PENDING for j in step.justifications)


def mentioned(prose: str) -> list[str]:
    """The tags the prose refers to, in order: "代入(9)式" gives 9."""
    found: list[str] = []
    for match in MENTION.finditer(prose or ""):
        if match.group(1) not in found:
            found.append(match.group(1))
    return found


def _name(expr: Basic, scope) -> str:
    """LaTeX for an argument (``for p(\\epsilon)``), without \\left( \\right) when the
    plainer spelling reads back the same."""
    text = latex(expr, scope)
    plain = text.replace(r"\left(", "(").replace(r"\right)", ")")
    try:
        if plain != text and read_expression(plain, scope) == expr:
            return plain
    except DeriveError:
        pass
    return text


def _equations(step: Step) -> list[Relation]:
    try:
        return LinkContext.equations(step)
    except RuleError:
        return []


def _left_sides(step: Step) -> list[Basic]:
    return [r.lhs for r in _equations(step)]


def _found_in(lhs: Basic, expr: Basic) -> bool:
    """Whether ``lhs`` occurs in ``expr``; a function's value at any arguments counts
    (a premise for p(x) may speak of p(x_i) too), and so does any entry of indexed data
    (q_k for q_m)."""
    if isinstance(lhs, AppliedUndef):
        return any(a.func == lhs.func for a in expr.atoms(AppliedUndef))
    if isinstance(lhs, Indexed):
        return any(a.base == lhs.base for a in expr.atoms(Indexed))
    return expr.has(lhs)


def _occurs(step: Step, exprs) -> bool:
    """Whether a left side of the step's equations occurs in one of ``exprs``."""
    return any(_found_in(lhs, expr) for lhs in _left_sides(step) for expr in exprs
               if not lhs.is_Number)


def _has(expr: Basic, *kinds) -> bool:
    return any(expr.has(kind) for kind in kinds)


def _optimum(expr: Basic) -> bool:
    return _has(expr, ArgMin, ArgMax)


def _problem(step: Step) -> bool:
    return bool(step.formula.constraints) and any(
        _has(t, Maximize, Minimize) for c in step.formula.chains for t in c.terms)


# -- candidates --------------------------------------------------------------------
@dataclass
class _Link:
    """One link to justify, with the step around it and the ranked earlier steps."""

    step: Step
    index: int
    claim: Relation
    terms: tuple[Basic, ...]
    pool: list[Step]
    scope: object
    mentioned: frozenset = frozenset()   # tags the prose refers to (corrections for errata)

    @property
    def sides(self) -> tuple[Basic, Basic]:
        return self.claim.lhs, self.claim.rhs


def _tags(steps) -> str:
    return ", ".join(f"({s.tag})" for s in steps)


def _structural(link: _Link) -> Iterator[str]:
    """Rules that only fit a link of a particular shape."""
    lhs, rhs = link.sides
    scope = link.scope
    for step in link.pool:
        if any(r.lhs == lhs and r.rhs == rhs for r in _equations(step)):
            yield f"restate ({step.tag})"
    if isinstance(lhs, FunctionalDerivative):
        for step in link.pool:
            if any(r.lhs == lhs.args[0] for r in _equations(step)):
                yield f"variation of ({step.tag})"
    yield from _stationary(link)
    if _optimum(rhs) or _optimum(lhs):
        for step in link.pool:
            if any(_optimum(t) or _has(t, Maximize, Minimize)
                   for c in step.formula.chains for t in c.terms):
                for rule in ("argmin_equiv", "monotone", "restate"):
                    yield f"{rule} ({step.tag})"
    if isinstance(lhs, AppliedUndef) and not _has(rhs, FunctionalDerivative):
        for step in link.pool:
            if _problem(step):
                yield f"lagrangian of ({step.tag})"
                yield from _multipliers(link, step)
    if link.claim.implied:
        yield "solve"
    if isinstance(lhs, (Symbol, AppliedUndef, Indexed)) or link.claim.implied:
        target = _name(lhs, scope)
        containing = [s for s in link.pool
                      if any(r.lhs.has(lhs) or r.rhs.has(lhs) for r in _equations(s))]
        for step in containing:
            yield f"solve ({step.tag}) for {target}"
        for pair in itertools.combinations(containing[:COMBINED], 2):
            yield f"eliminate {_tags(pair)} for {target}"


def _stationary(link: _Link) -> Iterator[str]:
    """A later link ``... = 0`` of a chain that starts with a derivative."""
    start = link.terms[0]
    if link.index and link.claim.rhs == 0 and (start.has(FunctionalDerivative)
                                               or start.is_Derivative):
        yield "stationary"


def _multipliers(link: _Link, step: Step) -> Iterator[str]:
    """``lagrangian of (5) with \\lambda_0, -\\lambda_1``: each sign of each multiplier."""
    lhs = link.claim.lhs
    names = [a for a in lhs.args[1:] if isinstance(a, Symbol)]
    if not names or len(names) > 4:
        return
    for signs in itertools.product(("", "-"), repeat=len(names)):
        if any(signs):
            written = ", ".join(s + _name(n, link.scope) for s, n in zip(signs, names))
            yield f"lagrangian of ({step.tag}) with {written}"


def _expandable(expr: Basic) -> bool:
    """Whether a logarithm in ``expr`` has a product, a power or an exponential inside."""
    return any(a.args[0].is_Mul or a.args[0].is_Pow or isinstance(a.args[0], exp)
               for a in expr.atoms(log))


def _evaluating(link: _Link) -> Iterator[str]:
    """``integrate`` where an integral of the left side is gone on the right."""
    lhs, rhs = link.sides
    if lhs.has(Integral) and len(rhs.atoms(Integral)) < len(lhs.atoms(Integral)):
        yield "integrate"


def _replacing(link: _Link) -> Iterator[str]:
    """``substitute (n)`` where (n) speaks of something on the left that is gone on the
    right: the likeliest reading of such a link."""
    lhs, rhs = link.sides
    for step in link.pool:
        if _occurs(step, (lhs,)) and not _occurs(step, (rhs,)):
            yield f"substitute ({step.tag})"


def _rewriting(link: _Link) -> Iterator[str]:
    """Rules that rewrite the link's left side without premises; a logarithm with
    something to expand inside asks for expand_log first."""
    lhs, rhs = link.sides
    if _expandable(lhs) or _expandable(rhs):
        yield "expand_log"
    if _has(lhs, Integral, Sum, Product) and _has(rhs, Integral, Sum, Product):
        yield "linearity"
    if lhs.has(Integral) and len(rhs.atoms(Integral)) < len(lhs.atoms(Integral)):
        yield "integrate"
    if _has(lhs, log) or _has(rhs, log):
        yield "expand_log"
    if _has(lhs, Derivative) or _has(rhs, Derivative):
        yield "differentiate"
        for step in link.pool:
            if _occurs(step, link.sides):
                yield f"differentiate ({step.tag})"


def _targets(link: _Link) -> list[Step]:
    """The steps the link may be a substituted copy of (only for the first link of a
    chain): those whose final relation has the claim's left side as its own first, then
    those that contain it, then those that share a name with it."""
    if len(link.terms) > 1:
        return []
    lhs = link.claim.lhs
    names = lhs.free_symbols | lhs.atoms(AppliedUndef)
    steps = [s for s in link.pool if s.formula.links]

    def closeness(step: Step) -> int:
        final = step.formula.links[-1]
        if final.lhs == lhs:
            return 0
        if any(_found_in(lhs, side) for side in (final.lhs, final.rhs)):
            return 1
        shared = names & (final.lhs.free_symbols | final.rhs.free_symbols
                          | final.lhs.atoms(AppliedUndef) | final.rhs.atoms(AppliedUndef))
        return 2 if shared else 3
    return sorted((s for s in steps if closeness(s) < 3), key=closeness)


def _substituting(link: _Link) -> Iterator[str]:
    """Substitutions and unfoldings of earlier steps whose left sides occur here."""
    into_lhs = [s for s in link.pool if _occurs(s, link.terms)]
    for step in into_lhs:
        yield f"substitute ({step.tag})"
    for step in link.pool:
        if _equations(step) and link.claim.lhs == _equations(step)[0].lhs:
            yield f"restate ({step.tag})"
    top = into_lhs[:COMBINED] if len(link.terms) == 1 else []   # a later link: one premise
    for size in range(2, MOST_PREMISES + 1):
        for group in itertools.combinations(top, size):
            yield f"substitute {_tags(group)}"
    for target in _targets(link):
        final = target.formula.links[-1]
        inside = [s for s in link.pool if s is not target and _occurs(s, (final.lhs, final.rhs))]
        for size in range(1, MOST_PREMISES + 1):
            for group in itertools.combinations(inside[:COMBINED], size):
                yield f"substitute {_tags(group)} into ({target.tag})"
    both = [s for s in link.pool if _occurs(s, link.sides)]
    for size in range(MOST_PREMISES, 0, -1):
        for group in itertools.combinations(both[:COMBINED], size):
            yield f"unfold {_tags(group)}"


def candidates(link: _Link) -> list[str]:
    """Every justification worth trying for the link, most likely first, each once.

    A link that starts a chain is most likely justified by the steps the prose
    mentions: candidates using more of them come first. A later link of a chain is
    most likely a rewriting of the term before it."""
    if len(link.terms) > 1:
        sources = (_stationary(link), _evaluating(link), _replacing(link), _rewriting(link),
                   _substituting(link), _structural(link))
    else:
        sources = (_structural(link), _replacing(link), _rewriting(link), _substituting(link))
    found = list(dict.fromkeys(itertools.chain(*sources, ["equal"])))
    if len(link.terms) > 1 or not link.mentioned:
        return found
    return sorted(found, key=lambda text: _unmentioned(text, link.mentioned))


def _unmentioned(text: str, mentioned: frozenset) -> int:
    """How far a candidate is from what the prose says: the steps it cites that the
    prose does not mention, less those it does (lower is likelier)."""
    cited = set(MENTION.findall(text))
    return len(cited - mentioned) - len(cited & mentioned)


def _mentioned_steps(step: Step, earlier: dict[str, Step], scope) -> frozenset:
    """The tags of the earlier steps the prose mentions, by number (an erratum's
    corrections stand for it) or by the name they solve for ("代入$\\lambda_1$")."""
    tags = set()
    for tag in mentioned(step.prose):
        if tag in earlier:
            tags.add(tag)
            tags.update(s.tag for s in earlier.values() if s.corrects == tag)
    names = _prose_names(step.prose, scope)
    for other in earlier.values():
        if other.expect_failure is None and other.formula.links:
            lhs = other.formula.links[-1].lhs
            if lhs.free_symbols and lhs.free_symbols <= names and not lhs.has(Integral):
                tags.add(other.tag)
    return frozenset(tags)


def _prose_names(prose: str, scope) -> set:
    """The symbols of the prose's inline math ($\\lambda_1$), read as Markdown by the
    article reader's parser and as LaTeX by derive's grammar."""
    from derive.document.article import _markdown

    names: set = set()
    for block in _markdown().parse(prose or ""):
        for token in block.children or ():
            if token.type.startswith("math_inline"):
                try:
                    names |= read_expression(token.content, scope).free_symbols
                except DeriveError:
                    continue
    return names


def _pool(document: Document, step: Step, earlier: dict[str, Step]) -> list[Step]:
    """The earlier steps a premise may be, best first: those the prose mentions (an
    erratum stands for its corrections), then the most recent. Errata never serve."""
    corrections: dict[str, list[Step]] = {}
    for other in earlier.values():
        if other.corrects:
            corrections.setdefault(other.corrects, []).append(other)
    ranked: list[Step] = []
    for tag in mentioned(step.prose):
        if tag in earlier:
            found = earlier[tag]
            ranked.extend(reversed(corrections.get(tag, [])) if found.expect_failure
                          else [found])
    ranked.extend(reversed(list(earlier.values())))
    pool: list[Step] = []
    for other in ranked:
        if other.expect_failure is None and other not in pool:
            pool.append(other)
    return pool


# -- checking ----------------------------------------------------------------------
def _context(step: Step, index: int, justification: Justification,
             earlier: dict[str, Step], scope) -> LinkContext:
    """The link's context, built as the engine builds it."""
    links = step.formula.links
    start = 0
    for k in range(index + 1):
        if links[k].implied or (k and not links[k - 1].is_equality):
            start = k
    terms = tuple(link.lhs for link in links[start:index + 1])
    return LinkContext(links[index], justification, step, index, terms,
                       links[index - 1] if index else None, earlier, scope)


def check_link(step: Step, index: int, justification: Justification,
               earlier: dict[str, Step], scope, limit: float) -> Verdict:
    """The engine's verdict on one link under ``justification``, within ``limit`` s."""
    ctx = _context(step, index, justification, earlier, scope)
    try:
        with deadline(limit):
            return _apply(RULES[justification.rule], justification.rule, ctx)
    except StepTimeout:
        return Verdict.undecided(f"time limit of {limit:g} s reached")
    except RuleError as error:
        return Verdict(error.status, reason=str(error))
    except RecursionError:
        return Verdict.undecided("too deeply nested")
    except Exception as error:  # a SymPy limitation is no suggestion
        return Verdict.undecided(f"{type(error).__name__}: {error}")


def _search_link(link: _Link, earlier: dict[str, Step], scope, until: float,
                 counter: list[int]) -> list[Suggestion]:
    """The justifications of one link that check: every candidate first with a short
    time limit, then those that ran out with a longer one; the search stops at the
    first proof."""
    found: list[Suggestion] = []
    slow: list[tuple[str, Justification]] = []
    for rank, text in enumerate(candidates(link)):
        try:
            justification = read_justification(text, scope, earlier)
        except DeriveError:
            continue
        # the likeliest candidate is given its full time at once
        limit = CHECK_LIMIT if rank == 0 else EVALUATING.get(justification.rule, QUICK_LIMIT)
        verdict = _try(link, justification, earlier, scope, until, limit, counter)
        if verdict is None:
            break
        if verdict.reason.startswith("time limit"):
            slow.append((text, justification))
        elif _accept(found, text, justification, verdict):
            break
    else:
        for text, justification in slow:
            verdict = _try(link, justification, earlier, scope, until, CHECK_LIMIT, counter)
            if verdict is None or _accept(found, text, justification, verdict):
                break
    return sorted(found, key=lambda s: RANK.get(s.status, 2))


def _try(link: _Link, justification: Justification, earlier, scope, until: float,
         limit: float, counter: list[int]) -> Verdict | None:
    """The verdict of one candidate, or None when the budget is spent."""
    left = until - time.monotonic()
    if left <= 0:
        return None
    counter[0] += 1
    return check_link(link.step, link.index, justification, earlier, scope, min(limit, left))


def _accept(found: list[Suggestion], text: str, justification: Justification,
            verdict: Verdict) -> bool:
    """Record a candidate that checks; True when the search may stop (a proof)."""
    if verdict.status in RANK or (verdict.status is Status.ASSUMED
                                  and justification.rule == "stationary"):
        found.append(Suggestion(text, verdict.status, verdict.method))
        return verdict.status is not Status.NUMERIC
    return False


def _kept(step: Step, index: int, earlier, scope) -> list[Suggestion] | None:
    """A link the author already justified (one entry of a ``by`` list): kept as
    written, listed only if it checks."""
    if len(step.justifications) < 2 or step.justifications[index].rule == PENDING:
        return None
    justification = step.justifications[index]
    verdict = check_link(step, index, justification, earlier, scope, CHECK_LIMIT)
    if verdict.status in RANK or verdict.status is Status.ASSUMED:
        return [Suggestion(justification.text, verdict.status, verdict.method)]
    return []


def suggest_step(document: Document, step: Step, earlier: dict[str, Step],
                 until: float) -> StepSuggestions:
    """Search a justification for each link of one step."""
    started = time.monotonic()
    pool = _pool(document, step, earlier)
    links = step.formula.links
    counter = [0]
    results = []
    for index, claim in enumerate(links):
        kept = _kept(step, index, earlier, document.scope)
        if kept is not None:
            results.append(kept)
            continue
        ctx = _context(step, index, Justification(PENDING), earlier, document.scope)
        link = _Link(step, index, claim, ctx.chain_terms, pool, document.scope,
                      _mentioned_steps(step, earlier, document.scope))
        results.append(_search_link(link, earlier, document.scope, until, counter))
    return StepSuggestions(step.tag, results, counter[0], time.monotonic() - started)


def _adopt(step: Step, by, scope, earlier) -> Step:
    """The step with its suggested justifications, so later steps see them."""
    texts = [by] if isinstance(by, str) else by
    justifications = tuple(read_justification(t, scope, earlier) for t in texts)
    return replace(step, justifications=justifications)


def suggest_document(document: Document, budget: float = 30.0) -> list[StepSuggestions]:
    """Suggestions for every pending step of the derivation, within ``budget`` seconds."""
    until = time.monotonic() + budget
    earlier: dict[str, Step] = {}
    found: list[StepSuggestions] = []
    for step in document.steps:
        if pending(step) and step.formula.links:
            result = suggest_step(document, step, dict(earlier), until)
            found.append(result)
            if result.by() is not None:
                step = _adopt(step, result.by(), document.scope, earlier)
        earlier[step.tag] = step
    return found


# -- showing and writing -----------------------------------------------------------
def print_suggestions(found: list[StepSuggestions], out: TextIO) -> None:
    """One block per pending step: the justifications that check, best first."""
    for result in found:
        head = f"  ({result.tag:>3})"
        if not any(result.links):
            out.write(f"{head}  nothing found ({result.tried} tried, "
                      f"{result.seconds:.1f}s)\n")
            continue
        out.write(f"{head}  {result.tried} tried, {result.seconds:.1f}s\n")
        for index, options in enumerate(result.links):
            where = f"link {index + 1}: " if len(result.links) > 1 else ""
            if not options:
                out.write(f"         {where}nothing found\n")
            for suggestion in options:
                out.write(f"         {where}{suggestion.text}  [{suggestion.status.value}]\n")
    done = sum(1 for r in found if r.complete)
    out.write(f"  {done} of {len(found)} pending steps have a justification that checks\n")


def _value(by):
    """``by`` for tomlkit: literal strings where they can be (LaTeX stays as written)."""
    def one(text: str):
        return tomlkit.string(text, literal="'" not in text and "\n" not in text)
    if isinstance(by, str):
        return one(by)
    array = tomlkit.array()
    for text in by:
        array.append(one(text))
    return array


def write_suggestions(path: Path, found: list[StepSuggestions]) -> list[str]:
    """Put each step's best justifications into the file, keeping everything else as
    written (tomlkit); returns the tags written."""
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    best = {r.tag: r.by() for r in found if r.by() is not None}
    written = []
    for table in document.get("step", []):
        tag = str(table.get("tag", "")).strip()
        by = table.get("by")
        if tag in best and (by == PENDING or isinstance(by, list) and PENDING in by):
            table["by"] = _value(best[tag])
            written.append(tag)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return written


# -- measuring -------------------------------------------------------------------
@dataclass(frozen=True)
class Recovery:
    """How many of a derivation's checked steps suggest finds again."""

    path: str
    checked: tuple[str, ...]
    recovered: tuple[str, ...]
    seconds: float   # the search alone

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(t for t in self.checked if t not in self.recovered)


def recovery(path: str | Path, work: Path, budget: float = 30.0) -> Recovery:
    """Replace the justification of every checked step (proved or numeric) of the
    derivation at ``path`` by "?", run suggest and write, verify again, and count the
    steps that check once more. ``work`` is the file the blanked copy is written to."""
    from derive.check.engine import check_document
    from derive.document.loader import load

    original = check_document(load(path))
    checked = tuple(r.step.tag for r in original.steps
                    if r.status in RANK and not r.expected_failure)
    document = tomlkit.parse(Path(path).read_text(encoding="utf-8"))
    for table in document["step"]:
        if str(table["tag"]).strip() in checked:
            table["by"] = PENDING
    work.write_text(tomlkit.dumps(document), encoding="utf-8")
    started = time.monotonic()
    found = suggest_document(load(work), budget=budget)
    seconds = time.monotonic() - started
    write_suggestions(work, found)
    again = check_document(load(work))
    recovered = tuple(r.step.tag for r in again.steps
                      if r.step.tag in checked and r.status in RANK)
    return Recovery(str(path), checked, recovered, seconds)
