"""Declarations: which names are symbols (with SymPy assumptions), functions,
indexed data or constants, and the domain of each integration variable.

The parser resolves every name through a :class:`Scope`; a name the scope
does not know is an error, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sympy import Basic, Function, Identity, IndexedBase, MatrixSymbol, Symbol

from derive.errors import LatexSyntaxError, Position

#: Words allowed in a declaration, and the SymPy assumptions each one sets.
ASSUMPTIONS: dict[str, dict[str, bool]] = {
    "real": {"real": True},
    "complex": {"complex": True},
    "positive": {"positive": True},
    "negative": {"negative": True},
    "nonnegative": {"nonnegative": True},
    "nonpositive": {"nonpositive": True},
    "nonzero": {"nonzero": True},
    "integer": {"integer": True},
    "rational": {"rational": True},
}

#: How each assumption reads in a report.
ASSUMPTION_TEXT = {
    "real": r"\in \mathbb{R}",
    "complex": r"\in \mathbb{C}",
    "positive": "> 0",
    "negative": "< 0",
    "nonnegative": r"\ge 0",
    "nonpositive": r"\le 0",
    "nonzero": r"\neq 0",
    "integer": r"\in \mathbb{Z}",
    "rational": r"\in \mathbb{Q}",
}


def parse_assumptions(text: str, position: Position) -> tuple[str, ...]:
    """Split ``"positive integer"`` into known assumption words, or fail at ``position``."""
    words = tuple(w for w in re.split(r"[\s,]+", text.strip()) if w)
    for word in words:
        if word not in ASSUMPTIONS:
            known = ", ".join(ASSUMPTIONS)
            raise LatexSyntaxError(f"unknown assumption '{word}' (known: {known})", position)
    return words


def assumption_kwargs(words: tuple[str, ...]) -> dict[str, bool]:
    kwargs: dict[str, bool] = {}
    for word in words:
        kwargs.update(ASSUMPTIONS[word])
    return kwargs


def sympy_name(key: str) -> str:
    r"""A readable SymPy name for a canonical LaTeX name: ``\lambda_{0}`` -> ``lambda_0``.

    Readable, not unique (``a_{\text{x}}`` and ``a_x`` both give ``a_x``):
    :meth:`Scope._name_for` makes the names a scope hands out unique.
    """
    name = re.sub(r"\\mathcal\{(\w)\}", r"cal\1", key)
    name = re.sub(r"\\mathbb\{(\w)\}", r"bb\1", name)
    name = re.sub(r"\\(text|mathrm)\{([^}]*)\}", r"\2", name)
    name = name.replace(r"\ast", "*").replace(r"\prime", "'").replace(r"\star", "\u22c6")
    return name.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")


class IndexLabel(Symbol):
    """The label of declared indexed data.

    A class of its own, so that the label of ``x_i`` never equals a declared
    symbol ``x`` of the same name: substituting for x leaves every x_i alone.
    """


@dataclass(frozen=True)
class FunctionSig:
    """A declared function such as ``f_\\theta(z)`` or ``p(x | z; \\theta)``.

    In SymPy the function is applied to its arguments followed by its subscript
    parameters, so ``f_\\theta(z)`` is ``f(z, theta)`` and depends on theta visibly.
    """

    head: str
    func: type
    arguments: tuple[Basic, ...]
    separators: tuple[str, ...]
    parameters: tuple[Basic, ...]
    words: tuple[str, ...]
    latex: str = ""   # as declared, for hints

    @property
    def arity(self) -> int:
        return len(self.arguments) + len(self.parameters)

    def apply(self, arguments, parameters=()):
        return self.func(*arguments, *parameters)


@dataclass
class Declaration:
    """One declared name, kept for reports: its LaTeX and what was assumed of it."""

    latex: str
    kind: str
    words: tuple[str, ...]
    detail: str = ""
    note: str = ""        # the file's explanation, e.g. why a constant has its value


@dataclass(frozen=True)
class Entry:
    """Where and how a name was declared, kept to refuse a conflicting declaration.

    ``base`` is the name without its subscript (``\\lambda`` for ``\\lambda_{0}``);
    ``indexable`` says the subscript has a value, so that ``base_sub`` would also
    read as an entry of indexed data declared under the same base.
    """

    kind: str
    key: str
    base: str
    indexable: bool
    words: tuple[str, ...]
    position: Position
    parameters: bool = False   # a function with a subscript parameter, f_\theta(z)
    arguments: tuple[str, ...] = ()   # a function's declared arguments, as LaTeX

    @property
    def meaning(self) -> dict:
        """What the assumption words imply, so that ``positive`` equals ``real positive``."""
        return Symbol("t", **assumption_kwargs(self.words)).assumptions0


def conflict(first: Entry, second: Entry) -> str | None:
    """Why two declarations of one base cannot stand together, or None if they can.

    A symbol and indexed data may share a base (``x`` and ``x_i``) when both are
    declared with the same assumptions; every other sharing gives one written
    name two readings.
    """
    kinds = {first.kind, second.kind}
    if "matrix" in kinds:
        return _matrix_conflict(first, second)
    if first.key == second.key and first.kind == second.kind:
        if first.kind == "indexed":
            return f"'{second.key}' is declared twice as indexed"
        return None if first.kind == "function" else f"'{second.key}' is declared twice"
    if "function" in kinds:
        function, other = (first, second) if first.kind == "function" else (second, first)
        if other.kind == "function":
            return None
        written = re.match(r"^[^_]*_\{(.*)\}(\^\{[^{}]*\})?$", other.key)
        subscript = written.group(1) if written and other.key != other.base else None
        if (other.kind != "indexed" and subscript is not None and not function.parameters
                and subscript not in function.arguments):
            return None   # x_0 beside x(t): x takes no subscript, and 0 is no variable of x
        what = "indexed data" if other.kind == "indexed" else f"the {other.kind} '{other.key}'"
        return (f"'{first.base}' is declared both as a function and as {what}: "
                "give them different names")
    if kinds <= {"symbol", "constant"}:   # \lambda_0 beside \lambda_1
        return None if first.key != second.key else f"'{second.key}' is declared twice"
    named = first if first.kind != "indexed" else second
    if named.indexable:
        return (f"'{named.key}' would also read as an entry of the indexed '{named.base}': "
                "give one of them another name")
    if named.key != named.base:   # x_{\text{total}} beside data x: its subscript never indexes
        return None
    if named.kind == "constant":
        return f"'{named.base}' is declared both as a constant and as indexed data"
    if first.meaning != second.meaning:
        said = {e.kind: " ".join(e.words) or "without assumptions" for e in (first, second)}
        return (f"'{named.base}' is declared {said['symbol']} under [symbols] but "
                f"{said['indexed']} under [indexed]: declare both with the same assumptions")
    return None


def _matrix_conflict(first: Entry, second: Entry) -> str | None:
    """A matrix shares its written name with nothing; ``I`` beside ``I_{n}`` is fine,
    but not beside indexed data or a function ``I``, which ``I_{n}`` would also read as."""
    if first.key == second.key:
        return f"'{second.key}' is declared twice (once as a matrix)"
    other = second if first.kind == "matrix" else first
    if other.kind in ("indexed", "function") and first.base == second.base:
        return (f"'{first.base}' is declared both as a matrix and as "
                f"{'indexed data' if other.kind == 'indexed' else 'a function'}: "
                "give them different names")
    return None


@dataclass
class Scope:
    """Everything a derivation file declares, resolved to SymPy objects.

    The map from declared names to SymPy objects is one-to-one: two different
    declared names never become one SymPy symbol, function or indexed base,
    whatever their printed names (see :meth:`_name_for` and :class:`IndexLabel`).
    """

    symbols: dict[str, Symbol] = field(default_factory=dict)
    functions: dict[str, list[FunctionSig]] = field(default_factory=dict)
    indexed: dict[str, IndexedBase] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)   # indexed data with 2+ indices
    superscripted: set[str] = field(default_factory=set)  # data written y^{(i)}
    constants: dict[str, Basic] = field(default_factory=dict)
    domains: dict[Symbol, tuple[Basic, Basic]] = field(default_factory=dict)
    values: dict[Symbol, tuple[Basic, ...]] = field(default_factory=dict)  # finite sets
    latex_of: dict[str, str] = field(default_factory=dict)  # sympy name -> LaTeX
    declarations: list[Declaration] = field(default_factory=list)
    references: dict[str, Symbol] = field(default_factory=dict)  # function head -> its name
    entries: list[Entry] = field(default_factory=list)
    matrices: dict[str, Basic] = field(default_factory=dict)  # name -> MatrixSymbol, Identity

    # -- declaring -------------------------------------------------------
    def _name_for(self, latex: str) -> str:
        """A SymPy name for a declared LaTeX name, never one that another LaTeX name has."""
        name = candidate = sympy_name(latex)
        count = 1
        while self.latex_of.get(candidate, latex) != latex:
            count += 1
            candidate = f"{name}#{count}"   # '#' never occurs in a formula's name
        self.latex_of[candidate] = latex
        return candidate

    def _enter(self, entry: Entry) -> None:
        """Record a declaration, or refuse it at the later of two conflicting ones."""
        for other in self.entries:
            if other.base != entry.base and other.key != entry.key:
                continue
            problem = conflict(other, entry)
            if problem is not None:
                first, later = sorted((other, entry), key=lambda e: (e.position.line,
                                                                    e.position.column))
                if first.position.line != later.position.line:
                    problem += f" (the other declaration is on line {first.position.line})"
                raise LatexSyntaxError(problem, later.position)
        self.entries.append(entry)

    def add_symbol(self, key: str, words: tuple[str, ...], position: Position,
                   base: str | None = None, indexable: bool = False, note: str = "") -> Symbol:
        self._enter(Entry("symbol", key, base or key, indexable, words, position))
        symbol = Symbol(self._name_for(key), **assumption_kwargs(words))
        self.symbols[key] = symbol
        self.declarations.append(Declaration(key, "symbol", words, note=note))
        return symbol

    def add_indexed(self, key: str, words: tuple[str, ...], position: Position,
                    note: str = "", indices: int = 1,
                    superscript: bool = False) -> IndexedBase:
        self._enter(Entry("indexed", key, key, False, words, position))
        base = IndexedBase(IndexLabel(self._name_for(key), **assumption_kwargs(words)))
        self.indexed[key] = base
        if indices != 1:
            self.ranks[key] = indices
        if superscript:
            self.superscripted.add(key)
        script = "_{" + "ijklmn"[:indices] + "}" if 1 < indices <= 6 else "_i"
        script = "^{(i)}" if superscript else script
        self.declarations.append(Declaration(key + script, "indexed", words, note=note))
        return base

    def add_function(self, head: str, arguments, separators, parameters,
                     words: tuple[str, ...], position: Position, latex: str,
                     note: str = "") -> FunctionSig:
        self._enter(Entry("function", head, head, False, words, position,
                          parameters=bool(parameters),
                          arguments=tuple(self.latex_of.get(getattr(a, "name", ""), "")
                                          for a in arguments)))
        sigs = self.functions.setdefault(head, [])
        arity = len(arguments) + len(parameters)
        separators = tuple(separators)
        if any(s.arity == arity and s.separators == separators for s in sigs):
            raise LatexSyntaxError(
                f"function '{head}' is declared twice with {arity} arguments", position)
        name = self._name_for(head)
        # Same head, other arity or separators (p(x, z) beside p(z | x)): a distinct
        # SymPy function that prints the same.
        extra = {"derive_arity": arity} if sigs else {}
        if any(s.arity == arity for s in sigs):
            extra["derive_separators"] = " ".join(separators)
        func = Function(name, **assumption_kwargs(words), **extra)
        sig = FunctionSig(head, func, tuple(arguments), tuple(separators),
                          tuple(parameters), words, latex)
        sigs.append(sig)
        self.declarations.append(Declaration(latex, "function", words, note=note))
        return sig

    def add_constant(self, key: str, value: Basic, position: Position, latex: str,
                     base: str | None = None, indexable: bool = False, note: str = "") -> None:
        self._enter(Entry("constant", key, base or key, indexable, (), position))
        self.constants[key] = value
        self.declarations.append(Declaration(key, "constant", (), detail=latex, note=note))

    def add_matrix(self, key: str, rows: Basic, cols: Basic, identity: bool,
                   position: Position, base: str | None = None, latex: str = "",
                   note: str = "") -> Basic:
        """A matrix (or vector) of real entries with its shape, or the identity of
        that size; the shape's dimensions are declared symbols or whole numbers."""
        self._enter(Entry("matrix", key, base or key, False, (), position))
        if identity:
            value = Identity(rows)
        else:
            value = MatrixSymbol(self._name_for(key), rows, cols)
        self.matrices[key] = value
        self.declarations.append(Declaration(key, "matrix", (), detail=latex, note=note))
        return value

    def add_domain(self, symbol: Symbol, low: Basic, high: Basic, latex: str) -> None:
        self.domains[symbol] = (low, high)
        self.declarations.append(Declaration(latex, "domain", (), detail=f"({low}, {high})"))

    def add_values(self, symbol: Symbol, values: tuple[Basic, ...], latex: str,
                   note: str = "") -> None:
        """A symbol that takes only these values (``y \\in \\{0, 1\\}``)."""
        self.values[symbol] = values
        self.declarations.append(Declaration(latex, "domain", (), note=note,
                                             detail="{" + ", ".join(map(str, values)) + "}"))

    # -- looking up ------------------------------------------------------
    def declares(self, name: str) -> bool:
        """Whether ``name`` is declared in any table (as a symbol, constant, function
        or indexed data)."""
        return (name in self.symbols or name in self.constants or name in self.functions
                or name in self.indexed or name in self.matrices)

    def function(self, head: str, arity: int, separators=None) -> FunctionSig | None:
        """The declaration of ``head`` with ``arity`` arguments; of several, the one
        declared with ``separators`` (``p(x, z)`` or ``p(z | x)``)."""
        sigs = [sig for sig in self.functions.get(head, ()) if sig.arity == arity]
        exact = [sig for sig in sigs if separators is not None
                 and sig.separators == tuple(separators)]
        return (exact or sigs or [None])[0]

    def signature_of(self, func: type) -> FunctionSig | None:
        """The declaration behind a SymPy function class, for printing."""
        for sigs in self.functions.values():
            for sig in sigs:
                if sig.func == func:
                    return sig
        return None

    def function_reference(self, head: str) -> Symbol:
        """The symbol standing for a declared function itself, as the p in ``H(p)``
        or ``\\max_{p}``: one per head, equal to no declared symbol."""
        if head not in self.references:
            self.references[head] = Symbol(self._name_for(head))
        return self.references[head]

    def is_function_reference(self, expr: Basic) -> bool:
        return any(expr == ref for ref in self.references.values())

    def assumption_text(self, symbol: Basic) -> list[str]:
        """What the declarations assume of a symbol, as LaTeX (e.g. ``\\sigma > 0``)."""
        key = self.latex_of.get(getattr(symbol, "name", ""), None)
        if key is None:
            return []
        for decl in self.declarations:
            if decl.latex == key and decl.kind == "symbol":
                return [f"{key} {ASSUMPTION_TEXT[w]}" for w in decl.words]
        return []
