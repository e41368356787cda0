"""The notation suite: formulas as textbooks print them, with the reading each must get.

Each ``*.toml`` file beside this one declares names as a derivation file does
(``[symbols]``, ``[functions]``, ...) and lists ``[[formula]]`` entries:

- ``latex``: the formula as printed;
- ``expect``: its SymPy reading, written with SymPy's constructors (``Derivative(f(x), x)``),
  or ``Chain(lhs, "=", rhs)`` for a relation; or
- ``refuse``: a fragment of the message it must be refused with, and ``column``.

The expected readings are test data, never a derivation file's text, and still no
string reaches ``eval`` or ``sympify``: :func:`build` walks their Python syntax tree and
calls only the SymPy constructors named in ``CONSTRUCTORS``.

Run as a script (``make notation``) it prints the coverage figure: formulas read
correctly, refused with a position, and read silently different (which must be 0).
"""

from __future__ import annotations

import ast
import keyword
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import sympy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from derive.document.loader import loads  # noqa: E402
from derive.errors import LatexSyntaxError  # noqa: E402
from derive.latex import matrices, notation  # noqa: E402
from derive.latex.laws import BoundVariable  # noqa: E402
from derive.latex.parser import parse_formula  # noqa: E402

#: The only callables an expected reading may use.
CONSTRUCTORS = {name: getattr(sympy, name) for name in (
    "Rational", "Integer", "Derivative", "Integral", "Sum", "Product", "Abs", "exp", "log",
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan", "asinh", "acosh",
    "atanh", "sqrt", "factorial", "binomial", "gamma", "Max", "Min", "Limit", "Subs", "Mul",
    "Add", "Pow", "Tuple")}
CONSTRUCTORS.update({name: getattr(notation, name) for name in (
    "ArgMin", "ArgMax", "Minimize", "Maximize", "FunctionalDerivative", "Expectation",
    "Variance", "Expected", "VarianceUnder", "KLDivergence", "Law", "IndexedSet")})
CONSTRUCTORS.update({cls.__name__: cls for cls in (*notation.DENSITIES.values(),
                                                   *notation.DISTRIBUTIONS.values())})
CONSTRUCTORS["BoundVariable"] = BoundVariable
CONSTRUCTORS.update({name: getattr(sympy, name) for name in (
    "Transpose", "Inverse", "MatMul", "MatAdd", "MatPow", "Trace", "Determinant", "Identity",
    "ZeroMatrix", "ImmutableMatrix")})
CONSTRUCTORS["GradientOf"] = matrices.GradientOf
CONSTANTS = {"pi": sympy.pi, "oo": sympy.oo, "E": sympy.E}

_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
              ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
              ast.Pow: lambda a, b: a ** b}


@dataclass(frozen=True)
class ChainOf:
    """An expected relation or chain: its terms and its relation symbols."""

    terms: tuple
    ops: tuple


def _chain(*items):
    return ChainOf(tuple(items[::2]), tuple(items[1::2]))


class BuildError(ValueError):
    """An expected reading that uses something other than constructors and names."""


def build(text: str, names: dict):
    """The SymPy object an expected reading spells, built from its syntax tree."""
    return _node(ast.parse(text, mode="eval").body, names)


def _node(node, names):
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, str)):
            raise BuildError(f"only whole numbers and strings, not {node.value!r}")
        return sympy.Integer(node.value) if isinstance(node.value, int) else node.value
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise BuildError(f"unknown name {node.id}")
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_node(node.left, names), _node(node.right, names))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_node(node.operand, names)
    if isinstance(node, ast.Tuple):
        return tuple(_node(e, names) for e in node.elts)
    if isinstance(node, ast.List):
        return [_node(e, names) for e in node.elts]
    if isinstance(node, ast.Subscript):
        return _node(node.value, names)[_node(node.slice, names)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name == "Chain":
            function = _chain
        elif name in CONSTRUCTORS:
            function = CONSTRUCTORS[name]
        elif name in names and isinstance(names[name], sympy.FunctionClass):
            function = names[name]
        else:
            raise BuildError(f"{name} is no constructor")
        args = [_node(a, names) for a in node.args]
        keywords = {k.arg: _keyword(k.value) for k in node.keywords}
        return function(*args, **keywords)
    raise BuildError(f"unsupported syntax {ast.dump(node)[:60]}")


def _keyword(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, str)):
        return node.value
    raise BuildError("a keyword takes True, False or a string")


@dataclass(frozen=True)
class Entry:
    """One formula of the suite and what must become of it."""

    file: str
    category: str
    latex: str
    expect: str | None
    refuse: str | None
    column: int | None

    @property
    def id(self) -> str:
        return f"{self.category}:{self.latex}"


@dataclass
class Outcome:
    """What the grammar made of an entry: read (and whether as expected) or refused."""

    kind: str          # "read", "refused" or "different"
    detail: str = ""


def _names(scope) -> dict:
    """Every declared symbol, function and indexed base under its SymPy name; a function
    also as name_arity, indexed data also as name_data (beside a symbol of its name)."""
    names = {}
    for symbol in scope.symbols.values():
        names[symbol.name] = symbol
        names.setdefault(re.sub(r"\W", "_", symbol.name), symbol)   # theta^* as theta__
        if keyword.iskeyword(symbol.name):
            names[symbol.name + "_"] = symbol                           # lambda as lambda_
    for sigs in scope.functions.values():
        for sig in sigs:
            names.setdefault(sig.func.__name__, sig.func)
            names.setdefault(re.sub(r"\W", "_", sig.func.__name__), sig.func)  # f^* as f__
            names[f"{sig.func.__name__}_{sig.arity}"] = sig.func       # p_2 for p(x | y)
    for base in scope.indexed.values():
        names.setdefault(base.label.name, base)
        names[base.label.name + "_data"] = base                      # x_data beside a symbol x
    for value in scope.matrices.values():
        if isinstance(value, sympy.MatrixSymbol):
            names.setdefault(value.name, value)
    for head, reference in scope.references.items():
        names.setdefault(reference.name, reference)
    return names


def load_suite(folder: Path = HERE):
    """Every entry of every file, with the scope its file declares."""
    entries = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        declarations = {k: v for k, v in data.items() if k not in ("formula", "category")}
        text = _declarations_toml(declarations, path.stem)
        scope = loads(text, path.name, known_rules={"definition"}).scope
        for item in data["formula"]:
            entries.append((Entry(path.name, data.get("category", path.stem), item["latex"],
                                  item.get("expect"), item.get("refuse"), item.get("column")),
                            scope))
    return entries


def _toml_pair(key: str, value) -> str:
    """``key = value`` in an inline table: a boolean, a whole number or a string."""
    if isinstance(value, bool):
        return f"{key} = {'true' if value else 'false'}"
    return f"{key} = {value}" if isinstance(value, int) else f'{key} = "{value}"'


def _declarations_toml(tables: dict, title: str) -> str:
    lines = ["[meta]", f'title = "{title}"']
    for table, items in tables.items():
        lines.append(f"[{table}]")
        for key, value in items.items():
            if isinstance(value, list):
                value = "[" + ", ".join(f"'{v}'" for v in value) + "]"
            elif isinstance(value, dict):   # 'x' = { assumptions = "real", indices = 2 }
                value = "{ " + ", ".join(_toml_pair(k, v) for k, v in value.items()) + " }"
            elif table in ("constants", "matrices"):
                value = f"'{value}'"
            else:
                value = f'"{value}"'
            lines.append(f"'{key}' = {value}")
    lines += ["[[step]]", 'tag = "1"', "latex = '1 = 1'", 'by = "definition"']
    return "\n".join(lines) + "\n"


def reading(formula):
    """A parsed formula as the suite compares it: the lone term, or its chain."""
    (chain,) = formula.chains
    if not chain.ops:
        return chain.terms[0]
    return ChainOf(tuple(chain.terms), tuple(op.symbol for op in chain.ops))


def run(entry: Entry, scope) -> Outcome:
    """Read one entry and say how it came out against its expectation."""
    try:
        got = reading(parse_formula(entry.latex, scope))
    except LatexSyntaxError as error:
        where = f"{error.position.line}:{error.position.column}"
        return Outcome("refused", f"{where} {error.message}")
    if entry.expect is None:
        return Outcome("different", f"read as {got}, expected a refusal")
    expected = build(entry.expect, _names(scope))
    if got != expected:
        return Outcome("different", f"read as {got}, expected {expected}")
    return Outcome("read")


def coverage(entries) -> dict:
    """How many entries were read as expected, refused, or read differently."""
    counts = {"read": 0, "refused": 0, "different": 0}
    for entry, scope in entries:
        counts[run(entry, scope).kind] += 1
    return counts


def main() -> int:
    entries = load_suite()
    by_category: dict[str, dict] = {}
    different = []
    for entry, scope in entries:
        outcome = run(entry, scope)
        counts = by_category.setdefault(entry.category, {"read": 0, "refused": 0,
                                                         "different": 0})
        counts[outcome.kind] += 1
        if outcome.kind == "different":
            different.append((entry, outcome))
    total = {k: sum(c[k] for c in by_category.values()) for k in ("read", "refused",
                                                                  "different")}
    print(f"{'category':<22} {'read':>5} {'refused':>8} {'different':>10}")
    for category, counts in sorted(by_category.items()):
        print(f"{category:<22} {counts['read']:>5} {counts['refused']:>8} "
              f"{counts['different']:>10}")
    print(f"{'total':<22} {total['read']:>5} {total['refused']:>8} {total['different']:>10}")
    n = len(entries)
    print(f"\n{n} formulas: {total['read']} read correctly ({100 * total['read'] / n:.0f}%), "
          f"{total['refused']} refused with a position, {total['different']} silently "
          "different")
    for entry, outcome in different:
        print(f"  DIFFERENT {entry.file}: {entry.latex!r}: {outcome.detail}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
