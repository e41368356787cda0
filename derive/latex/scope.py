"""Declarations: which names are symbols (with SymPy assumptions), functions,
indexed data or constants, and the domain of each integration variable.

The parser resolves every name through a :class:`Scope`; a name the scope
does not know is an error, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sympy import Basic, Function, IndexedBase, Symbol

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
    r"""A readable SymPy name for a canonical LaTeX name: ``\lambda_{0}`` -> ``lambda_0``."""
    name = re.sub(r"\\mathcal\{(\w)\}", r"cal\1", key)
    name = re.sub(r"\\mathbb\{(\w)\}", r"bb\1", name)
    name = re.sub(r"\\(text|mathrm)\{([^}]*)\}", r"\2", name)
    name = name.replace(r"\ast", "*").replace(r"\prime", "'").replace(r"\star", "*")
    return name.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")


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


@dataclass
class Scope:
    """Everything a derivation file declares, resolved to SymPy objects."""

    symbols: dict[str, Symbol] = field(default_factory=dict)
    functions: dict[str, list[FunctionSig]] = field(default_factory=dict)
    indexed: dict[str, IndexedBase] = field(default_factory=dict)
    constants: dict[str, Basic] = field(default_factory=dict)
    domains: dict[Symbol, tuple[Basic, Basic]] = field(default_factory=dict)
    latex_of: dict[str, str] = field(default_factory=dict)  # sympy name -> LaTeX
    declarations: list[Declaration] = field(default_factory=list)

    # -- declaring -------------------------------------------------------
    def _claim(self, key: str, position: Position) -> None:
        taken = (key in self.symbols or key in self.functions or key in self.indexed
                 or key in self.constants)
        if taken:
            raise LatexSyntaxError(f"'{key}' is declared twice", position)

    def add_symbol(self, key: str, words: tuple[str, ...], position: Position) -> Symbol:
        self._claim(key, position)
        symbol = Symbol(sympy_name(key), **assumption_kwargs(words))
        self.symbols[key] = symbol
        self.latex_of[symbol.name] = key
        self.declarations.append(Declaration(key, "symbol", words))
        return symbol

    def add_indexed(self, key: str, words: tuple[str, ...], position: Position) -> IndexedBase:
        if key in self.indexed:
            raise LatexSyntaxError(f"'{key}' is declared twice as indexed", position)
        base = IndexedBase(sympy_name(key), **assumption_kwargs(words))
        self.indexed[key] = base
        self.latex_of[base.name] = key
        self.declarations.append(Declaration(key + "_i", "indexed", words))
        return base

    def add_function(self, head: str, arguments, separators, parameters,
                     words: tuple[str, ...], position: Position, latex: str) -> FunctionSig:
        if head in self.symbols or head in self.constants:
            raise LatexSyntaxError(f"'{head}' is declared both as a symbol and a function",
                                   position)
        sigs = self.functions.setdefault(head, [])
        arity = len(arguments) + len(parameters)
        if any(s.arity == arity for s in sigs):
            raise LatexSyntaxError(
                f"function '{head}' is declared twice with {arity} arguments", position)
        name = sympy_name(head)
        # Same head, other arity: a distinct SymPy function that prints the same.
        extra = {"derive_arity": arity} if sigs else {}
        func = Function(name, **assumption_kwargs(words), **extra)
        sig = FunctionSig(head, func, tuple(arguments), tuple(separators),
                          tuple(parameters), words)
        sigs.append(sig)
        self.latex_of[name] = head
        self.declarations.append(Declaration(latex, "function", words))
        return sig

    def add_constant(self, key: str, value: Basic, position: Position, latex: str) -> None:
        self._claim(key, position)
        self.constants[key] = value
        self.declarations.append(Declaration(key, "constant", (), detail=latex))

    def add_domain(self, symbol: Symbol, low: Basic, high: Basic, latex: str) -> None:
        self.domains[symbol] = (low, high)
        self.declarations.append(Declaration(latex, "domain", (), detail=f"({low}, {high})"))

    # -- looking up ------------------------------------------------------
    def function(self, head: str, arity: int) -> FunctionSig | None:
        for sig in self.functions.get(head, ()):
            if sig.arity == arity:
                return sig
        return None

    def signature_of(self, func: type) -> FunctionSig | None:
        """The declaration behind a SymPy function class, for printing."""
        for sigs in self.functions.values():
            for sig in sigs:
                if sig.func == func:
                    return sig
        return None

    def function_reference(self, head: str) -> Symbol:
        """The symbol standing for a function used by name, as in ``H(p)``."""
        return Symbol(sympy_name(head))

    def assumption_text(self, symbol: Basic) -> list[str]:
        """What the declarations assume of a symbol, as LaTeX (e.g. ``\\sigma > 0``)."""
        key = self.latex_of.get(getattr(symbol, "name", ""), None)
        if key is None:
            return []
        for decl in self.declarations:
            if decl.latex == key and decl.kind == "symbol":
                return [f"{key} {ASSUMPTION_TEXT[w]}" for w in decl.words]
        return []
