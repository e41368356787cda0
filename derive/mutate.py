"""``derive mutate``: measure how many wrong steps the checks catch.

For every checked step, small edits of one term of its formula (a sign flipped,
a constant or an exponent changed, a factor or a term dropped, a symbol swapped
for another of the same kind, an integration or summation limit moved) make
mutants. A mutant whose term is numerically equal to the original term is
discarded (it states the same thing); every other mutant is checked by the
engine with the same earlier steps, and counts as *rejected* only when the step
fails. A mutant the engine leaves undecided was not caught; it is counted apart
from those it wrongly accepts (*survived*).

Steps taken on trust (definition, given, cite, stationary) are not checked, so
they are counted and listed apart; mutants of an erratum (``expect_failure``)
are skipped, since the step already fails.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, TextIO

import sympy
from sympy import Basic, Indexed, Integer, Integral, Mul, Pow, Product, Sum, Symbol

from derive.check.engine import DEFAULT_TIME_LIMIT, check_step
from derive.check.equivalence import opaque
from derive.check.numeric import claim_seed, compare
from derive.check.verdict import Status
from derive.document.loader import load
from derive.document.model import Document, Step
from derive.latex.expectations import Law
from derive.latex.formula import Chain, Formula
from derive.latex.notation import ArgMax, ArgMin, FunctionalDerivative, _Operator, \
    expand_notation
from derive.latex.matrices import well_shaped
from derive.latex.printer import latex
from derive.latex.scope import Scope
from derive.rules import ASSUMED_RULES

#: Non-equivalent mutants checked per step, and candidates examined per step at most.
MUTANTS_PER_STEP = 12
CANDIDATES_PER_STEP = 60

KINDS = ("sign", "constant", "exponent", "factor", "term", "symbol", "limit")

Path_ = tuple[int, ...]


@dataclass(frozen=True)
class Candidate:
    """One edit of one term: which term, what kind of edit, the edited term."""

    term: int              # index into the step's flattened terms
    kind: str
    description: str
    original: Basic
    mutated: Basic


@dataclass
class Mutant:
    """A candidate checked by the engine."""

    kind: str
    description: str
    term: str              # LaTeX of the mutated term
    status: Status
    reason: str = ""

    @property
    def rejected(self) -> bool:
        return self.status is Status.FAILED


@dataclass
class StepMutation:
    """The mutants of one checked step."""

    tag: str
    rules: tuple[str, ...]
    mutants: list[Mutant] = field(default_factory=list)
    equivalent: int = 0    # candidates discarded as equal to the original

    @property
    def rejected(self) -> int:
        return sum(m.rejected for m in self.mutants)

    @property
    def undecided(self) -> int:
        return sum(m.status is Status.UNDECIDED for m in self.mutants)

    @property
    def survived(self) -> list[Mutant]:
        """Mutants the engine accepted: proved, numeric or assumed."""
        return [m for m in self.mutants if m.status.holds]


@dataclass
class FileMutation:
    """The figures of one derivation file."""

    path: str
    title: str
    steps: list[StepMutation] = field(default_factory=list)
    assumed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    errata: list[str] = field(default_factory=list)
    not_holding: list[tuple[str, str]] = field(default_factory=list)  # (tag, status)

    @property
    def mutants(self) -> int:
        return sum(len(s.mutants) for s in self.steps)

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.steps)

    @property
    def undecided(self) -> int:
        return sum(s.undecided for s in self.steps)

    @property
    def survived(self) -> int:
        return sum(len(s.survived) for s in self.steps)

    @property
    def equivalent(self) -> int:
        return sum(s.equivalent for s in self.steps)


@dataclass
class MutationReport:
    files: list[FileMutation]

    @property
    def mutants(self) -> int:
        return sum(f.mutants for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def undecided(self) -> int:
        return sum(f.undecided for f in self.files)

    @property
    def survived(self) -> int:
        return sum(f.survived for f in self.files)

    @property
    def equivalent(self) -> int:
        return sum(f.equivalent for f in self.files)


# -- tree edits ----------------------------------------------------------------------
def _nodes(expr: Basic, path: Path_ = ()) -> Iterator[tuple[Path_, Basic]]:
    """Every node that may be edited, with its path of argument indices.

    The bound variable of an integral, sum or product and the variable of an
    argmin are not edited (they name, they do not compute); an index inside x_i
    is left alone too (the whole x_i is swapped instead).
    """
    yield path, expr
    if isinstance(expr, (Indexed, sympy.IndexedBase)) or expr.is_Atom:
        return
    if isinstance(expr, (sympy.MatrixSymbol, sympy.Identity, sympy.ZeroMatrix)):
        return   # a matrix's name and shape: the whole matrix is edited, not its size
    if isinstance(expr, Law):
        # only its density is printed: the variable, the range and the discrete flag
        # come from the declarations, and the density is always at the variable
        # (x ~ p is p(x)): an edit there plants nothing a reader sees
        yield from ((where, node) for where, node in _nodes(expr.weight, path + (1,))
                    if node != expr.variable)
        return
    for i, arg in enumerate(expr.args):
        if isinstance(expr, (Integral, Sum, Product)) and i > 0:
            # limits (x, low, high): only the bounds are edited, by _limit_edits
            continue
        if isinstance(expr, _Operator) and i == 1:
            continue
        yield from _nodes(arg, path + (i,))


def _replace(expr: Basic, path: Path_, new: Basic) -> Basic:
    """``expr`` with the node at ``path`` replaced by ``new``."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _replace(args[path[0]], path[1:], new)
    if any(arg is None for arg in args):
        return None
    try:
        return expr.func(*args)
    except (ValueError, TypeError):   # shapes that do not fit: no such matrix expression
        return None


def _changed(number: Basic) -> Basic:
    """A different number: n + 1, or -2 for -1 (so that a sign is not cancelled)."""
    return Integer(-2) if number == -1 else number + 1


def _symbol_kinds(scope: Scope) -> tuple[list[Symbol], list[sympy.IndexedBase]]:
    return list(scope.symbols.values()), list(scope.indexed.values())


def _same_kind(a: Basic, b: Basic) -> bool:
    return a != b and a.assumptions0 == b.assumptions0


def _edits(expr: Basic, scope: Scope) -> Iterator[tuple[str, str, Basic]]:
    """(kind, description, edited expression) for every single edit of ``expr``."""
    symbols, bases = _symbol_kinds(scope)
    show = lambda e: latex(e, scope)  # noqa: E731
    if expr != 0:
        yield "sign", f"negate {show(expr)}", -expr
    for path, node in _nodes(expr):
        if path:
            parent = _at(expr, path[:-1])
            if isinstance(parent, sympy.Add):
                yield "sign", f"flip the sign of {show(node)}", _replace(expr, path, -node)
                rest = [a for k, a in enumerate(parent.args) if k != path[-1]]
                yield "term", f"drop the term {show(node)}", \
                    _replace(expr, path[:-1], sympy.Add(*rest))
            if isinstance(parent, Mul):
                rest = [a for k, a in enumerate(parent.args) if k != path[-1]]
                yield "factor", f"drop the factor {show(node)}", \
                    _replace(expr, path[:-1], Mul(*rest))
            if isinstance(parent, Pow) and path[-1] == 1:
                yield "exponent", f"exponent {show(node)} -> {show(_changed(node))}", \
                    _replace(expr, path, _changed(node))
                continue
        if node.is_Number:
            yield "constant", f"{show(node)} -> {show(_changed(node))}", \
                _replace(expr, path, _changed(node))
        elif node is sympy.pi:
            yield "constant", r"\pi -> 2\pi", _replace(expr, path, 2 * sympy.pi)
        elif isinstance(node, Symbol):
            for other in symbols:
                if _same_kind(node, other):
                    yield "symbol", f"{show(node)} -> {show(other)}", \
                        _replace(expr, path, other)
        elif isinstance(node, Indexed):
            for other in bases:
                if _same_kind(node.base, other):
                    new = Indexed(other, *node.indices)
                    yield "symbol", f"{show(node)} -> {show(new)}", _replace(expr, path, new)
        if isinstance(node, (Integral, Sum, Product)) and len(node.limits) == 1:
            yield from _limit_edits(expr, path, node, show)


def _limit_edits(expr, path, node, show):
    (variable, low, high), = node.limits
    kind_of = "integration" if isinstance(node, Integral) else "summation"
    new_low = Integer(0) if low is -sympy.oo else low + 1
    new_high = Integer(0) if high is sympy.oo else high + 1
    for new, text in ((node.func(node.function, (variable, new_low, high)),
                       f"{kind_of} from {show(new_low)} instead of {show(low)}"),
                      (node.func(node.function, (variable, low, new_high)),
                       f"{kind_of} up to {show(new_high)} instead of {show(high)}")):
        yield "limit", text, _replace(expr, path, new)


def _at(expr: Basic, path: Path_) -> Basic:
    for i in path:
        expr = expr.args[i]
    return expr


def candidates(terms: list[Basic], scope: Scope, seed: str = "") -> list[Candidate]:
    """Every distinct single edit of every term, in a deterministic order that
    takes the kinds in turn (shuffled within each kind by ``seed``)."""
    by_kind: dict[str, list[Candidate]] = {k: [] for k in KINDS}
    seen: set = set()
    for index, term in enumerate(terms):
        for kind, description, mutated in _edits(term, scope):
            key = (index, mutated)
            if mutated is None or mutated == term or key in seen or not well_shaped(mutated):
                continue
            seen.add(key)
            by_kind[kind].append(Candidate(index, kind, description, term, mutated))
    rng = random.Random(f"derive-mutate:{seed}")
    for found in by_kind.values():
        rng.shuffle(found)
    ordered: list[Candidate] = []
    while any(by_kind.values()):
        for kind in KINDS:
            if by_kind[kind]:
                ordered.append(by_kind[kind].pop(0))
    return ordered


# -- equivalence of a mutated term --------------------------------------------------
def _optimizer_equivalent(a: _Operator, b: _Operator) -> bool | None:
    """Whether two argmin/argmax/min/max terms mean the same; None if unknown."""
    if type(a) is not type(b) or a.variable != b.variable:
        return False
    if isinstance(a, (ArgMin, ArgMax)):
        return _positive_affine(a.body, b.body, a.variable)
    result = compare(a.body, b.body)
    return result.agree


def _positive_affine(a: Basic, b: Basic, variable: Basic) -> bool | None:
    """Whether ``b = c a + d`` with ``c > 0`` and c, d free of ``variable``: then the
    argmin (argmax) of a and b is the same point.

    Numerically, with the variable at three values v0, v1, v2: b's changes are
    proportional to a's, (b1 - b0)(a2 - a0) = (b2 - b0)(a1 - a0), with a positive
    ratio, (b1 - b0)(a1 - a0) > 0.
    """
    a, b = expand_notation(a), expand_notation(b)
    if a == b:
        return True
    values = [sympy.Dummy(f"v{k}", **variable.assumptions0) for k in range(3)]
    at_a = [a.xreplace({variable: v}) for v in values]
    at_b = [b.xreplace({variable: v}) for v in values]
    da1, da2 = at_a[1] - at_a[0], at_a[2] - at_a[0]
    db1, db2 = at_b[1] - at_b[0], at_b[2] - at_b[0]
    proportional = compare(db1 * da2 - db2 * da1, sympy.S.Zero).agree
    if proportional is not True:
        return proportional
    if compare(db1 * da1, sympy.S.Zero).agree is not False:
        return None  # b (or a) does not depend on the variable: no positive ratio
    return compare(db1 * da1, sympy.Abs(db1 * da1)).agree


def _structure_equivalent(a: Basic, b: Basic) -> bool | None:
    """Opaque terms (functional derivatives, optimisers) side by side."""
    if isinstance(a, _Operator) and isinstance(b, _Operator):
        return _optimizer_equivalent(a, b)
    if isinstance(a, FunctionalDerivative) or isinstance(b, FunctionalDerivative):
        return a == b
    if a.func != b.func or len(a.args) != len(b.args):
        return False
    verdicts = [x == y or _term_equivalent(x, y) for x, y in zip(a.args, b.args)]
    if False in verdicts:
        return False
    return True if all(v is True for v in verdicts) else None


def _term_equivalent(a: Basic, b: Basic) -> bool | None:
    """Whether the mutated term ``b`` means the same as ``a``; None if unknown."""
    if a == b:
        return True
    if opaque(a) or opaque(b):
        return _structure_equivalent(a, b)
    if sympy.expand(expand_notation(a) - expand_notation(b)) == 0:
        return True
    # at the points of the original term, whose integrals every mutant of it then
    # shares (derive.check.quadmemo)
    return compare(a, b, samples=4, seed=claim_seed(a, a)).agree


# -- running the engine on mutants ----------------------------------------------------
def _terms(formula: Formula) -> list[tuple[int, int]]:
    """(chain, position) of every term of the formula."""
    return [(c, k) for c, chain in enumerate(formula.chains) for k in range(len(chain.terms))]


#: Links that state their terms on trust: a term they touch is whatever they say it is.
TRUSTED_RULES = frozenset({"definition", "given", "cite"})


def _checked_terms(step: Step) -> list[tuple[int, int]]:
    """Terms that belong to a checked link and to no definition, given or cite link
    (``stationary`` only checks the shape ``... = 0``, so its terms stay)."""
    out, link = [], 0
    for c, chain in enumerate(step.formula.chains):
        checked: set[int] = set()
        trusted: set[int] = set()
        for k in range(len(chain.ops)):
            rule = step.justification_for(link).rule
            if rule in TRUSTED_RULES:
                trusted |= {k, k + 1}
            elif rule not in ASSUMED_RULES:
                checked |= {k, k + 1}
            link += 1
        out += [(c, k) for k in sorted(checked - trusted)]
    return out


def mutant_step(step: Step, where: tuple[int, int], term: Basic) -> Step:
    """A copy of ``step`` whose term at (chain, position) is ``term``."""
    c, k = where
    chains = list(step.formula.chains)
    chain = chains[c]
    chains[c] = Chain(chain.terms[:k] + (term,) + chain.terms[k + 1:], chain.ops,
                      chain.positions)
    formula = Formula(tuple(chains), step.formula.constraints, step.formula.tag)
    return dataclasses.replace(step, formula=formula)


def _same_equation(step: Step, where: tuple[int, int], candidate: Candidate) -> bool:
    """Negating one side of an equation whose other side is 0 states the same
    equation (-x = 0 is x = 0)."""
    if candidate.mutated != -candidate.original:
        return False
    c, k = where
    chain = step.formula.chains[c]
    neighbours = [chain.terms[j] for j in (k - 1, k + 1)
                  if 0 <= j < len(chain.terms) and chain.ops[min(j, k)].symbol == "="]
    return len(chain.terms) == 2 and neighbours == [0]


def is_assumed(step: Step) -> bool:
    return all(rule in ASSUMED_RULES for rule in step.rules)


def mutate_step(step: Step, earlier: dict[str, Step], scope: Scope, time_limit: float,
                seed: str = "", limit: int = MUTANTS_PER_STEP,
                progress: Callable | None = None) -> StepMutation:
    """Check up to ``limit`` non-equivalent mutants of one checked step;
    ``progress(tag, number, limit)`` is told of each mutant checked."""
    result = StepMutation(step.tag, step.rules)
    places = _checked_terms(step)
    terms = [step.formula.chains[c].terms[k] for c, k in places]
    examined = 0
    for candidate in candidates(terms, scope, seed):
        if len(result.mutants) >= limit or examined >= CANDIDATES_PER_STEP:
            break
        examined += 1
        if _term_equivalent(candidate.original, candidate.mutated) is True or \
                _same_equation(step, places[candidate.term], candidate):
            result.equivalent += 1
            continue
        mutated = mutant_step(step, places[candidate.term], candidate.mutated)
        checked = check_step(mutated, earlier, scope, time_limit)
        reason = next((l.verdict.reason for l in checked.links
                       if l.verdict.status is checked.status and l.verdict.reason), "")
        result.mutants.append(Mutant(candidate.kind, candidate.description,
                                     latex(candidate.mutated, scope), checked.status, reason))
        if progress is not None:
            progress(step.tag, len(result.mutants), limit)
    return result


def mutation_plan(document: Document) -> Iterator[tuple[Step, dict[str, Step], str]]:
    """Each step of ``document`` with the steps before it and what mutate does with it:
    ``"erratum"``, ``"assumed"`` (both listed, not mutated) or ``"checked"``."""
    earlier: dict[str, Step] = {}
    for step in document.steps:
        before = dict(earlier)
        earlier[step.tag] = step
        if step.expect_failure is not None:
            yield step, before, "erratum"
        elif is_assumed(step):
            yield step, before, "assumed"
        else:
            yield step, before, "checked"


def mutate_checked(document: Document, step: Step, before: dict[str, Step],
                   time_limit: float = DEFAULT_TIME_LIMIT, limit: int = MUTANTS_PER_STEP,
                   progress: Callable | None = None) -> StepMutation | str:
    """The mutants of one checked step, or the step's own status when it does not hold
    as written (then it is not mutated). Each step is mutated on its own, so that the
    steps of one file may be mutated apart (the acceptance test spreads them)."""
    original = check_step(step, before, document.scope, time_limit)
    if not original.status.holds:
        return original.status.value
    return mutate_step(step, before, document.scope, time_limit,
                       seed=f"{Path(document.path).name}:{step.tag}", limit=limit,
                       progress=progress)


def mutate_document(document: Document, time_limit: float = DEFAULT_TIME_LIMIT,
                    limit: int = MUTANTS_PER_STEP, progress: Callable | None = None
                    ) -> FileMutation:
    """Mutate every checked step of one derivation (``progress`` as for mutate_step)."""
    report = FileMutation(document.path, document.title)
    for step, before, role in mutation_plan(document):
        if role == "erratum":
            report.errata.append(step.tag)
        elif role == "assumed":
            report.assumed.append((step.tag, step.rules))
        else:
            found = mutate_checked(document, step, before, time_limit, limit, progress)
            if isinstance(found, str):
                report.not_holding.append((step.tag, found))
            else:
                report.steps.append(found)
    return report


def mutate_paths(paths: list[Path], time_limit: float = DEFAULT_TIME_LIMIT,
                 limit: int = MUTANTS_PER_STEP, progress: Callable | None = None
                 ) -> MutationReport:
    """Mutate every derivation file in ``paths``; ``progress(path, tag, number, limit)``
    is told of each mutant checked."""
    files = []
    for path in paths:
        tell = None if progress is None else (
            lambda tag, number, most, path=path: progress(str(path), tag, number, most))
        files.append(mutate_document(load(path), time_limit, limit, tell))
    return MutationReport(files)


# -- showing the figures --------------------------------------------------------------
def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def print_mutation_report(report: MutationReport, out: TextIO) -> None:
    """Per step: mutants checked, rejected, undecided, survived; then per file and total."""
    for file in report.files:
        print(f"{file.path}: {file.title}", file=out)
        for step in file.steps:
            checked = len(step.mutants)
            line = (f"  ({step.tag:>3}) {', '.join(step.rules):<38} {step.rejected:>3}/{checked:<3}"
                    f" rejected  {step.undecided:>2} undecided  {len(step.survived):>2} survived"
                    f"  ({step.equivalent} equivalent discarded)")
            print(line, file=out)
            for mutant in step.mutants:
                if not mutant.rejected:
                    print(f"         {mutant.status.value.upper()}: {mutant.kind}: "
                          f"{mutant.description}", file=out)
        if file.assumed:
            listed = ", ".join(f"({t}) {', '.join(r)}" for t, r in file.assumed)
            print(f"  assumed, not mutated: {listed}", file=out)
        if file.errata:
            print(f"  errata, not mutated: {', '.join(f'({t})' for t in file.errata)}", file=out)
        for tag, status in file.not_holding:
            print(f"  ({tag}) is {status} as written, not mutated", file=out)
        print(f"  {file.rejected}/{file.mutants} mutants rejected "
              f"({_percent(file.rejected, file.mutants)}), {file.undecided} undecided, "
              f"{file.survived} survived; {file.equivalent} equivalent discarded", file=out)
    if len(report.files) > 1:
        print(f"total: {report.rejected}/{report.mutants} mutants rejected "
              f"({_percent(report.rejected, report.mutants)}), {report.undecided} undecided, "
              f"{report.survived} survived; {report.equivalent} equivalent discarded", file=out)


def _figures(item) -> dict:
    return {"mutants": item.mutants, "rejected": item.rejected, "undecided": item.undecided,
            "survived": item.survived, "equivalent": item.equivalent}


def mutation_json(report: MutationReport) -> dict:
    """The machine-readable form of ``derive mutate --json``: the same figures."""
    return {
        "total": _figures(report),
        "files": [{
            "file": f.path,
            "title": f.title,
            **_figures(f),
            "assumed": [{"tag": t, "rules": list(r)} for t, r in f.assumed],
            "errata": f.errata,
            "not_holding": [{"tag": t, "status": s} for t, s in f.not_holding],
            "steps": [{
                "tag": s.tag,
                "rules": list(s.rules),
                "mutants": len(s.mutants),
                "rejected": s.rejected,
                "undecided": s.undecided,
                "survived": len(s.survived),
                "equivalent": s.equivalent,
                "not_rejected": [{"kind": m.kind, "description": m.description,
                                  "term": m.term, "status": m.status.value,
                                  "reason": m.reason} for m in s.mutants if not m.rejected],
            } for s in f.steps],
        } for f in report.files],
    }
