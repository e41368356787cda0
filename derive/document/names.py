"""Guess the declarations an article's formulas need, from derive's own parse trees.

``derive import`` knows nothing of what a name means; it reads every formula with the
LaTeX grammar (without declarations: the raw tree) and records how each name is used:
as a symbol, applied to arguments (a function), with an index (indexed data), as the
variable of an integral, a sum or an optimisation. Every guess is conservative
(``real``) and is written with a ``# check`` comment: the author decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Tree

from derive.errors import DeriveError
from derive.latex.parser import parse_declaration, parse_tree
from derive.latex.scope import Scope
from derive.latex.transform import NameRef, ToSympy

#: Letters that, as a subscript, index data (x_i) rather than name a symbol (\sigma_x).
INDEX_LETTERS = frozenset("ijklmnt")
#: Names with a meaning of their own: e is Euler's number (\pi, \infty are built in).
CONSTANTS = {"e": r"\exp(1)"}
#: The separators of a declared function's arguments, as written back.
SEPARATORS = {",": ", ", "|": " | ", ";": "; "}
#: Names derive reads itself when applied this way: \mathcal{N}(x; \mu, \sigma^2).
BUILTIN_CALLS = {r"\mathcal{N}": ((";", ","), (",",))}


@dataclass
class Call:
    """One application ``head(args)`` as written."""

    ref: NameRef
    text: str                     # the head as written, e.g. f_{\theta}
    arguments: tuple              # each the argument's name (NameRef) or None
    separators: tuple[str, ...]
    texts: tuple[str, ...] = ()   # each argument as written


@dataclass
class Usage:
    """How the formulas of an article use their names."""

    bare: dict[str, tuple[NameRef, str]] = field(default_factory=dict)   # key -> (ref, text)
    references: set[str] = field(default_factory=set)   # names where a function may stand
    calls: list[Call] = field(default_factory=list)
    indices: set[str] = field(default_factory=set)      # variables of \sum and \prod
    integrals: dict[str, bool] = field(default_factory=dict)   # variable -> has no limits
    unreadable: list[tuple[str, str]] = field(default_factory=list)   # (tag, error)


def _ref(tree) -> NameRef | None:
    """The name a ``name`` (or decorated ``power``) subtree spells, unresolved."""
    try:
        found = ToSympy(Scope(), declaring=True).transform(tree)
    except Exception:  # a computed subscript, arithmetic: no plain name
        return None
    return found if isinstance(found, NameRef) else None


def _text(tree, source: str) -> str:
    meta = getattr(tree, "meta", None)
    if meta is None or getattr(meta, "empty", True):
        return ""
    return source[meta.start_pos:meta.end_pos]


def _is_decorated(tree) -> bool:
    return (isinstance(tree, Tree) and tree.data == "power"
            and isinstance(tree.children[0], Tree) and tree.children[0].data == "name"
            and isinstance(tree.children[1], Tree)
            and tree.children[1].data == "script_decoration")


def _is_name(tree) -> bool:
    return isinstance(tree, Tree) and (tree.data == "name" or _is_decorated(tree))


class _Walker:
    """Records every use of a name in one formula's raw parse tree."""

    def __init__(self, usage: Usage, source: str):
        self.usage = usage
        self.source = source

    def visit(self, tree) -> None:
        if isinstance(tree, Token) or not isinstance(tree, Tree):
            return
        handler = getattr(self, "on_" + tree.data, None)
        if handler is not None:
            handler(tree)
        elif _is_decorated(tree):
            self.name(tree)
        else:
            self.children(tree)

    def children(self, tree) -> None:
        for child in tree.children:
            self.visit(child)

    def name(self, tree, reference: bool = False) -> None:
        ref = _ref(tree)
        if ref is None:
            self.children(tree)
            return
        key = ref.key if ref.sub is None or ref.sub.key is not None else ref.head_key + "_{?}"
        self.usage.bare.setdefault(key, (ref, _text(tree, self.source)))
        if reference:
            self.usage.references.add(key)
        if ref.sub is not None:
            self.script(tree.children[1] if tree.data == "name" else tree.children[0])

    def script(self, tree) -> None:
        """The names inside a subscript: ``i`` in x_i, ``n+1`` in x_{n+1}."""
        self.visit(tree)

    def on_name(self, tree) -> None:
        self.name(tree)

    def on_script_name(self, tree) -> None:
        token = tree.children[0]
        ref = NameRef("".join(token.value.split()), None, None, token.line, token.column)
        self.usage.bare.setdefault(ref.key, (ref, token.value))

    def on_call(self, tree) -> None:
        head, arglist = tree.children[0], tree.children[2]
        ref = _ref(head)
        arguments, separators, texts = [], [], []
        for item in arglist.children:
            if isinstance(item, Tree) and item.data == "argsep":
                value = item.children[0].value
                separators.append("|" if value in ("|", r"\mid") else value)
                continue
            arguments.append(_ref(item) if _is_name(item) else None)
            texts.append(_text(item, self.source))
            if _is_name(item):
                self.name(item, reference=True)
            else:
                self.visit(item)
        if ref is None:
            self.visit(head)
            return
        self.usage.calls.append(Call(ref, _text(head, self.source), tuple(arguments),
                                     tuple(separators), tuple(texts)))
        if ref.sub is not None:
            self.script(head.children[1])

    def on_integral(self, tree) -> None:
        limits, differential = tree.children[1], tree.children[-1]
        text = differential.value
        name = text[text.index("}") + 1:] if text.startswith("\\mathrm") else text[1:]
        key = "".join(name.split())
        self.usage.bare.setdefault(key, (NameRef(key, None, None, 1, 1), name.strip()))
        bare = not limits.children
        self.usage.integrals[key] = self.usage.integrals.get(key, False) or bare
        self.children(tree)

    def on_bigsum(self, tree) -> None:
        limits = tree.children[1]
        for part in limits.children:
            if part.data != "lower":
                continue
            script = part.children[0]
            variable = script.children[0] if script.data == "script_eq" else script
            if isinstance(variable, Tree) and variable.data == "script":
                variable = variable.children[0]
            if isinstance(variable, Tree) and variable.data == "script_name":
                self.usage.indices.add("".join(variable.children[0].value.split()))
            elif _is_name(variable) and (ref := _ref(variable)) is not None:
                self.usage.indices.add(ref.key)
        self.children(tree)

    on_bigprod = on_bigsum

    def on_optimize(self, tree) -> None:
        script = tree.children[1]
        inner = script.children[0] if script.data == "script" else script
        if _is_name(inner):
            self.name(inner, reference=True)
        else:
            self.visit(script)
        self.visit(tree.children[2])


def usage_of(formulas: list[tuple[str, str]]) -> Usage:
    """How the formulas ``(tag, latex)`` use their names; unreadable ones are listed."""
    usage = Usage()
    for tag, latex in formulas:
        try:
            tree = parse_tree(latex)
        except DeriveError as error:
            usage.unreadable.append((tag, f"{error.position.line}:{error.position.column}: "
                                          f"{error.message}"))
            continue
        _Walker(usage, latex).visit(tree)
    return usage


@dataclass
class Declarations:
    """The guessed declarations, each name as written with its assumptions."""

    symbols: dict[str, str] = field(default_factory=dict)
    indexed: dict[str, str] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    domains: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)   # (table, name) -> why


def _written(ref: NameRef, text: str) -> str:
    """The name as the article writes it, if that spelling declares the same name."""
    try:
        if text and isinstance(declared := parse_declaration(text), NameRef) \
                and declared.key == ref.key:
            return text
    except DeriveError:
        pass
    return ref.key


def _indexes(ref: NameRef, indices: set[str]) -> bool:
    """Whether ``x_i`` is an entry of data x: its subscript is a summation index or an
    index letter, or is computed (x_{n+1})."""
    sub = ref.sub
    if sub is None or ref.decoration:
        return False
    if sub.key is None:
        return True
    return isinstance(sub.value, NameRef) and (sub.key in indices
                                               or sub.key in INDEX_LETTERS)


def _is_application(call: Call, applied: set[str], bare: set[str]) -> bool:
    """Whether ``head(...)`` applies a function (or multiplies a symbol by a group)."""
    head = call.ref.head_key
    if head in BUILTIN_CALLS and call.ref.sub is None and \
            call.separators in BUILTIN_CALLS[head]:
        return False
    if len(call.arguments) > 1 or call.separators:
        return True
    if call.ref.key in bare and head not in applied:
        return False
    return call.arguments[0] is not None or head in applied


def infer(formulas: list[tuple[str, str]]) -> tuple[Declarations, Usage]:
    """Guess the declarations the formulas ``(tag, latex)`` need."""
    usage = usage_of(formulas)
    found = Declarations()
    plain = {k for k in usage.bare if k not in usage.references}
    applied: set[str] = set()
    calls = []
    changed = True
    while changed:   # a head applied once with names is a function everywhere
        changed = False
        for call in usage.calls:
            if call not in calls and _is_application(call, applied, plain):
                calls.append(call)
                applied.add(call.ref.head_key)
                changed = True
    products = [c for c in usage.calls if c not in calls and
                not (c.ref.head_key in BUILTIN_CALLS and c.ref.sub is None)]
    for call in products:
        usage.bare.setdefault(call.ref.key, (call.ref, call.text))
    _declare_names(found, usage, applied)
    _declare_functions(found, usage, calls)
    written = {_key_of(name): name for name in found.symbols}
    for key, bare in usage.integrals.items():
        if bare and key in written:   # \int ... d x without limits ranges over x's domain
            found.domains[written[key]] = (r"-\infty", r"\infty")
            found.notes[("domains", written[key])] = "check: the range of this variable"
    return found, usage


def _declare_names(found: Declarations, usage: Usage, applied: set[str]) -> None:
    for ref, text in list(usage.bare.values()):
        if ref.head_key in applied and (ref.sub is None or not _indexes(ref, usage.indices)):
            continue   # a function's bare name: the function at its declared arguments
        if ref.sub is not None and ref.sub.key is None:
            found.indexed.setdefault(ref.head_key, "real")
            found.notes[("indexed", ref.head_key)] = "check"
            continue
        if _indexes(ref, usage.indices):
            base = _written(NameRef(ref.head, None, ref.decoration, 1, 1),
                            text.split("_")[0] if "_" in text else "")
            found.indexed.setdefault(base, "real")
            found.notes[("indexed", base)] = "check: entries written with an index"
            continue
        if ref.key in CONSTANTS and ref.key not in usage.indices:
            found.constants[ref.key] = CONSTANTS[ref.key]
            found.notes[("constants", ref.key)] = "check: Euler's number"
            continue
        name = _written(ref, text)
        if ref.key in usage.indices:
            found.symbols.setdefault(name, "integer")
            found.notes[("symbols", name)] = "check: a summation index"
        else:
            found.symbols.setdefault(name, "real")
            found.notes[("symbols", name)] = "check"


def _argument_name(ref: NameRef | None, text: str, usage: Usage) -> str | None:
    """How a function's declaration names this argument: x for x_i, else as written."""
    if ref is None:
        return None
    if _indexes(ref, usage.indices):
        return NameRef(ref.head, None, ref.decoration, 1, 1).key
    return _written(ref, text)


def _declare_functions(found: Declarations, usage: Usage, calls: list[Call]) -> None:
    """One declaration per head and arity, functions taken as arguments declared first."""
    chosen: dict[tuple[str, int], tuple[Call, list[str]]] = {}
    for call in calls:
        arity = len(call.arguments) + (call.ref.sub is not None)
        names = [_argument_name(a, t, usage) for a, t in zip(call.arguments, call.texts)]
        key = (call.ref.head_key, arity)
        if key not in chosen or (None in chosen[key][1] and None not in names):
            chosen[key] = (call, names)
    heads = {head for head, _ in chosen}
    order = sorted(chosen, key=lambda k: any(n in heads for n in chosen[k][1]))
    spare = iter(["t", "u", "v", "w", "s"])
    declared_symbols = {_key_of(n) for n in found.symbols}
    for key in order:
        call, names = chosen[key]
        names = [n if n is not None else next(spare) for n in names]
        for name in names:
            if _key_of(name) not in heads and _key_of(name) not in declared_symbols:
                found.symbols[name] = "real"
                found.notes[("symbols", name)] = "check: a function's argument"
                declared_symbols.add(_key_of(name))
        arguments = names[0] + "".join(SEPARATORS[s] + n
                                       for s, n in zip(call.separators, names[1:]))
        found.functions[f"{call.text}({arguments})"] = "real"
        found.notes[("functions", f"{call.text}({arguments})")] = "check"


def _key_of(text: str) -> str:
    try:
        ref = parse_declaration(text)
        return ref.key if isinstance(ref, NameRef) else text
    except DeriveError:
        return text
