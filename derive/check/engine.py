"""Run the rules over a derivation: every link of every step, within a time limit,
then the dependencies: which steps rest on failed ones, and whether the
conclusion is established."""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

import sympy
from sympy import Integral

from derive.cache import CRASHED, TIMED_OUT, TOO_DEEP
from derive.check.context import LinkContext, MissingPremise, RuleError, relations_of
from derive.check.domains import declared
from derive.check.definedness import DIVERGES, UNKNOWN, convergence, needs_evidence
from derive.check.verdict import (DerivationResult, LinkResult, Status, StepResult, Verdict)
from derive.document.model import Document, Step, rested_on
from derive.latex.printer import latex, relation_latex
from derive.latex.relations import WORDS
from derive.rules import ASSUMED_RULES, RULES

DEFAULT_TIME_LIMIT = 30.0


class StepTimeout(Exception):
    """Raised inside a rule when the step's time is up."""


@contextmanager
def deadline(seconds: float):
    """Interrupt the block after ``seconds`` (main thread only; elsewhere, no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise StepTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _combine(verdicts: list[Verdict]) -> Status:
    """A step is as strong as its weakest link; assumed links do not weaken a proof."""
    statuses = {v.status for v in verdicts}
    for status in (Status.FAILED, Status.UNDECIDED, Status.NUMERIC):
        if status in statuses:
            return status
    return Status.PROVED if Status.PROVED in statuses else Status.ASSUMED


def _written_values(ctx: LinkContext, assumed: bool) -> Verdict | None:
    """A verdict when the step or a premise writes an integral or series that has no
    value: SymPy cancels ``I - I`` as soon as it is written, so the terms are judged
    as written, before any rule sees what is left."""
    sources = [("this step", ctx.step)] + [(f"({s.tag})", s) for s in ctx.premise_steps()
                                           + ctx.target_steps()]
    for where, step in sources:
        for term in step.formula.written:
            if not needs_evidence(term):
                continue
            found = convergence(term)
            kind = ("integral" if isinstance(term, Integral) else
                    "limit" if isinstance(term, sympy.Limit) else "series")
            if found.status == DIVERGES:
                said = "has no value" if kind == "limit" else "diverges"
                return Verdict.failed(f"the {kind} ${latex(term, ctx.scope)}$ written in "
                                      f"{where} {said}: it is not a number")
            if found.status == UNKNOWN and not assumed:
                return Verdict.undecided(f"the {kind} ${latex(term, ctx.scope)}$ written in "
                                         f"{where} may diverge: {found.note}")
    return None


def _apply(rule, name: str, ctx: LinkContext) -> Verdict:
    """Run ``rule`` on a claim whose relation it is made to judge; refuse any other;
    and never on a step whose written integrals or series have no value. A rule that
    needs a premise and is cited without one takes the previous line of the chain."""
    undefined = _written_values(ctx, name in ASSUMED_RULES)
    if undefined is not None:
        return undefined
    op = ctx.claim.op.symbol
    allowed = relations_of(rule)
    if op not in allowed:
        said = " or ".join(f"'{r}'" for r in sorted(allowed))
        return Verdict.undecided(f"rule '{name}' judges {said}, and this link is "
                                 f"{WORDS.get(op, 'another relation')} ('{op}')")
    try:
        return rule(ctx)
    except MissingPremise:
        chained = ctx.from_previous_line()   # in a chain, the previous line serves
        if chained is None:
            raise
        return rule(chained)


def _timed_out(time_limit: float, index: int, count: int) -> str:
    """The reason of a link that ran out of time, naming the link in a chain."""
    where = f" on link {index + 1} of {count}" if count > 1 else ""
    return f"{TIMED_OUT} {time_limit:g} s reached{where}"


def check_step(step: Step, earlier: dict[str, Step], scope, time_limit: float) -> StepResult:
    """Check every link of one step, each within its own ``time_limit``."""
    started = time.perf_counter()
    results: list[LinkResult] = []
    links = step.formula.links
    if not links:
        justification = step.justifications[0]
        if justification.rule in ASSUMED_RULES:
            verdict = Verdict.assumed(justification.rule)
        else:
            verdict = Verdict.undecided("the formula states no relation to check")
        results.append(LinkResult(0, "", justification.rule, justification.all_premises,
                                  verdict, 0.0))
    with declared(scope.domains, scope.values):
        _check_links(step, earlier, scope, time_limit, results)
    status = _combine([r.verdict for r in results])
    return StepResult(step, results, status, time.perf_counter() - started)


def _check_links(step: Step, earlier: dict[str, Step], scope, time_limit: float,
                 results: list[LinkResult]) -> None:
    """Check each link of a step in turn, adding its result to ``results``."""
    links = step.formula.links
    chain_start = 0
    for index, link in enumerate(links):
        if link.implied or (index and not links[index - 1].is_equality):
            chain_start = index  # earlier terms equal this one only through '=' links
        justification = step.justification_for(index)
        terms = tuple(l.lhs for l in links[chain_start:index + 1])
        ctx = LinkContext(link, justification, step, index, terms,
                          links[index - 1] if index else None, earlier, scope)
        link_started = time.perf_counter()
        try:
            with deadline(time_limit):   # per link: one slow link starves no other
                verdict = _apply(RULES[justification.rule], justification.rule, ctx)
        except StepTimeout:
            verdict = Verdict.undecided(_timed_out(time_limit, index, len(links)))
        except RuleError as error:
            verdict = Verdict(error.status, reason=str(error), expected=error.expected)
        except RecursionError:
            verdict = Verdict.undecided(TOO_DEEP)
        except Exception as error:  # a SymPy limitation must not stop the run
            verdict = Verdict.undecided(f"{CRASHED} {type(error).__name__}: {error}")
        results.append(LinkResult(index, relation_latex(link, scope), justification.rule,
                                  justification.all_premises, verdict,
                                  time.perf_counter() - link_started))


def _ancestors(tag: str, steps: dict[str, Step]) -> list[str]:
    seen: list[str] = []
    todo = list(steps[tag].premises)
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo.extend(steps[current].premises)
    return seen


def _given(result: StepResult) -> bool:
    """Whether a step is taken without proof: its verdict is assumed (a refused given
    is not), and it is not only a citation, which is listed as a theorem."""
    return (result.status is Status.ASSUMED
            and any(link.rule != "cite" for link in result.links))


def conclusion_of(document: Document) -> Step:
    """The derivation's conclusion: its last step that is neither an erratum nor a
    correction."""
    for step in reversed(document.steps):
        if step.expect_failure is None and step.corrects is None:
            return step
    return document.steps[-1]


def dependencies(step: Step, earlier: dict[str, Step]) -> dict[str, Step]:
    """The earlier steps a rule may read when it checks ``step``: its premises and
    targets, every definition (a definition is refused if it defines a name again), and
    what those rest on, transitively. Rules see nothing else, so a cached verdict whose
    key holds these is the verdict a fresh check gives."""
    wanted = rested_on(list(step.premises) + [t for t, s in earlier.items()
                                              if "definition" in s.rules], earlier)
    return {tag: s for tag, s in earlier.items() if tag in wanted}


def check_document(document: Document, time_limit: float = DEFAULT_TIME_LIMIT,
                   cache=None, progress=None) -> DerivationResult:
    """Check a whole derivation and settle what its conclusion rests on.

    ``cache`` (a :class:`derive.cache.Cache`) serves and keeps step verdicts;
    ``progress(step, result)`` is told of each step as it is settled."""
    from derive.check.stepcache import cached_check

    started = time.perf_counter()
    steps = {s.tag: s for s in document.steps}
    results: dict[str, StepResult] = {}
    earlier: dict[str, Step] = {}
    for step in document.steps:
        seen = dependencies(step, earlier)
        if cache is None:
            results[step.tag] = check_step(step, seen, document.scope, time_limit)
        else:
            results[step.tag] = cached_check(cache, document, step, seen, results, time_limit)
        if progress is not None:
            progress(step, results[step.tag])
        earlier[step.tag] = step
    errata = frozenset(s.tag for s in document.steps if s.expect_failure is not None)
    for tag, result in results.items():
        result.errata = errata
        result.tainted_by = tuple(sorted(
            (a for a in _ancestors(tag, steps) if not results[a].status.holds),
            key=list(steps).index))
    conclusion = conclusion_of(document)
    ground = [conclusion.tag] + _ancestors(conclusion.tag, steps)
    established = all(results[t].status.holds and results[t].step.expect_failure is None
                      for t in ground)
    assumptions: list[str] = []
    cited: list[str] = []
    ordered = sorted(ground, key=list(steps).index)
    for tag in ordered:
        for link in results[tag].links:
            for text in link.verdict.assumptions:
                if text not in assumptions:
                    assumptions.append(text)
            if link.rule == "cite" and link.verdict.status is Status.ASSUMED:
                theorem = link.verdict.reason.removeprefix("cited: ")
                if theorem not in cited:
                    cited.append(theorem)
    givens = [tag for tag in ordered if _given(results[tag])]
    for declaration in document.scope.declarations:
        if declaration.kind == "constant":
            text = declaration.detail
            if text not in assumptions:
                assumptions.append(text)
    return DerivationResult(document, list(results.values()), conclusion.tag, established,
                            assumptions, givens, cited, time.perf_counter() - started)
