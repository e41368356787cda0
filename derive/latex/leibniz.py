r"""Recognise Leibniz's notation in the parse tree before it becomes SymPy.

To the grammar ``\frac{dy}{dx}`` is a quotient of products with a letter d; to a
reader it is a derivative. A fraction is rewritten into a ``leibniz`` node only when
both of its parts have the shape of one: the numerator is ``d``, ``d^n`` or
``\mathrm{d}`` (an operator) or one of them followed by exactly one factor (its
operand), and the denominator is a product of differentials ``dx``, ``dx^2``,
``\mathrm{d}t``. Anything else stays a fraction, and an undeclared ``d`` in it is
reported as such. When ``d`` is declared, :mod:`derive.latex.readings` has already
refused the fraction as having two readings.
"""

from __future__ import annotations

from lark import Token, Tree

from derive.errors import LatexSyntaxError, Position

#: The spellings of the differential's d.
D_NAMES = ("d", r"\mathrm{d}")


def _squash(text: str) -> str:
    return "".join(text.split())


def _factors(node) -> list:
    """The factors of an implicit product, left to right (``a b c`` nests as ``(a b) c``)."""
    if isinstance(node, Tree) and node.data == "mul_implicit":
        return _factors(node.children[0]) + _factors(node.children[1])
    return [node]


def _is_d(node) -> bool:
    """Whether ``node`` is the bare name d or \\mathrm{d} (no subscript, no prime)."""
    return (isinstance(node, Tree) and node.data == "name" and len(node.children) == 1
            and _squash(node.children[0].children[0].value) in D_NAMES)


def _literal_count(script) -> int | None:
    """The positive integer a script spells (``2`` or ``{2}``), or None."""
    if isinstance(script, Tree) and script.data == "script_number":
        return int(script.children[0].value)
    if isinstance(script, Tree) and script.data == "script":
        inner = script.children[0]
        if isinstance(inner, Tree) and inner.data == "number" and inner.children[0].value.isdigit():
            return int(inner.children[0].value)
    return None


def d_order(node) -> int | None:
    """The order of ``d`` (1) or ``d^n`` (n), or None for anything else."""
    if _is_d(node):
        return 1
    if isinstance(node, Tree) and node.data == "power" and _is_d(node.children[0]):
        count = _literal_count(node.children[1])
        return count if count and count > 0 else None
    return None


def _side(part):
    """The expression inside a braced part of a fraction, or None for ``\\frac d x``."""
    if isinstance(part, Tree) and part.data == "script":
        return part.children[0]
    return None


def numerator(part):
    """``(order, operand factors)`` of a Leibniz numerator, or None if it is none."""
    side = _side(part)
    if side is None:
        return None
    factors = _factors(side)
    order = d_order(factors[0])
    if order is None:
        return None
    return order, factors[1:]


def _variable(node):
    """``(name node, count)`` for ``x`` or ``x^2`` after a d, or None."""
    if isinstance(node, Tree) and node.data == "name" and not _is_d(node):
        return node, 1
    if isinstance(node, Tree) and node.data == "power" and node.children[0].data == "name":
        count = _literal_count(node.children[1])
        if count and count > 0:
            return node.children[0], count
    return None


def denominator(part):
    """The ``[(name node, count), ...]`` of ``dx\\,dy^2``, or None if it is no product of
    differentials."""
    side = _side(part)
    if side is None:
        return None
    factors = _factors(side)
    if len(factors) % 2:
        return None
    variables = []
    for d, variable in zip(factors[::2], factors[1::2]):
        found = _variable(variable)
        if not _is_d(d) or found is None:
            return None
        variables.append(found)
    return variables


def is_leibniz(node) -> bool:
    """Whether a ``frac`` node has the shape of a Leibniz derivative."""
    return (isinstance(node, Tree) and node.data == "frac"
            and numerator(node.children[1]) is not None
            and denominator(node.children[2]) is not None)


def is_operator(node) -> bool:
    r"""Whether a node is a derivative operator without its operand: ``\frac{d}{dx}``,
    ``\frac{\partial^2}{\partial x^2}``."""
    if is_leibniz(node):
        return not numerator(node.children[1])[1]
    return (isinstance(node, Tree) and node.data == "pderiv"
            and not any(isinstance(c, Tree) and c.data not in ("order", "partials")
                        for c in node.children))


def is_derivative(node) -> bool:
    """Whether a node is a derivative with its operand inside the fraction (``dy/dx``)."""
    if is_leibniz(node):
        return bool(numerator(node.children[1])[1])
    return isinstance(node, Tree) and node.data == "pderiv" and not is_operator(node)


def _error(message: str, node) -> LatexSyntaxError:
    meta = node.meta
    return LatexSyntaxError(message, Position(line=getattr(meta, "line", 1),
                                              column=getattr(meta, "column", 1)))


def _rewrite(node: Tree, declared) -> Tree:
    order, operand = numerator(node.children[1])
    variables = denominator(node.children[2])
    for part in (node.children[1], node.children[2]):
        for factor in _factors(_side(part)):
            name = factor.children[0] if factor.data == "power" else factor
            if _is_d(name) and _squash(name.children[0].children[0].value) in declared:
                raise _error(f"'{_squash(name.children[0].children[0].value)}' is declared, so "
                             "this fraction reads as a derivative or as a quotient with it: "
                             r"write \frac{\partial f}{\partial x} for the derivative", node)
    if len(operand) > 1:
        raise _error("the numerator of a derivative holds one factor after its d: write "
                     r"\frac{d}{dx}\left( ... \right) for a product", node)
    total = sum(count for _, count in variables)
    if total != order:
        raise _error(f"the derivative's order is {order} in the numerator but {total} in "
                     "the denominator", node)
    children = [node.children[0], operand[0] if operand else None]
    for name, count in variables:
        children += [name, count]
    return Tree("leibniz", children, meta=node.meta)


def rewrite_leibniz(tree, declared=()) -> Tree:
    """The tree with every Leibniz fraction replaced by a ``leibniz`` node
    ``[FRAC, operand or None, name, count, name, count, ...]``; ``declared`` holds the
    spellings of d that the scope declares as names (a refused double reading)."""
    if not isinstance(tree, Tree):
        return tree
    children = [rewrite_leibniz(c, declared) if isinstance(c, Tree) else c
                for c in tree.children]
    node = Tree(tree.data, children, meta=tree.meta)
    if is_leibniz(node):
        return _rewrite(node, declared)
    return node
