"""Several indices in one subscript: ``x_{ij}``, ``x_{i j}``.

A subscript of juxtaposed names has two readings, the entry in row i and column j or the
entry at the one index i·j. The grammar reads a product; :func:`rewrite_indices` marks
such a subscript as a list of indices instead, and the transformer reads it as a
two-index entry only where the base is indexed data declared with that many indices
(``'x' = { assumptions = "real", indices = 2 }``), and refuses it everywhere else.
"""

from __future__ import annotations

from lark import Token, Tree


def _factors(node, numbers: bool) -> list | None:
    """The plain names (and, with ``numbers``, literal numbers) an implicit product
    juxtaposes (``i j k``, ``1 j``), or None if any factor is something else."""
    if isinstance(node, Tree) and node.data == "mul_implicit":
        left = _factors(node.children[0], numbers)
        right = _factors(node.children[1], numbers)
        return None if left is None or right is None else left + right
    if isinstance(node, Tree) and node.data == "name" and len(node.children) == 1:
        return [node]
    if numbers and isinstance(node, Tree) and node.data == "number":
        return [node]
    return None


def _head(name: Tree) -> str:
    return "".join(name.children[0].children[0].value.split())


def _rewritten_script(script, numbers: bool):
    """``script(i j)`` as ``script_indices(i, j)``; any other script unchanged."""
    if not (isinstance(script, Tree) and script.data == "script"):
        return script
    factors = _factors(script.children[0], numbers)
    if factors is None or len(factors) < 2:
        return script
    return Tree("script_indices", factors, script.meta)


def _superscript_entry(tree: Tree, superscripted) -> Tree:
    """``y^{(i)}`` with y declared ``superscript = true``: the entry y[i], marked."""
    if tree.data != "power" or not superscripted:
        return tree
    base, script = tree.children
    if not (isinstance(base, Tree) and base.data == "name" and len(base.children) == 1
            and _head(base) in superscripted and isinstance(script, Tree)
            and script.data == "script" and isinstance(script.children[0], Tree)
            and script.children[0].data == "paren"):
        return tree
    group = script.children[0]
    if not (isinstance(group.children[0], Token) and group.children[0].type in ("LPAR",
                                                                                 "LEFT_LPAR")):
        return tree
    return Tree("superscript_entry", [base, group.children[1]], tree.meta)


def rewrite_indices(tree, ranked=(), superscripted=()):
    """The tree with every subscript of juxtaposed names marked as a list of indices;
    below the heads in ``ranked`` (data with several indices) numbers count as indices
    too, so that ``x_{1j}`` is x[1, j] there (and ``x_{2i}`` stays x[2i] elsewhere)."""
    if not isinstance(tree, Tree):
        return tree
    children = [rewrite_indices(c, ranked, superscripted) if isinstance(c, Tree) else c
                for c in tree.children]
    if tree.data in ("name", "name_primed_first"):
        numbers = _head(tree) in ranked
        children = [_rewritten_script(c, numbers) if not isinstance(c, Token) else c
                    for c in children]
    return _superscript_entry(Tree(tree.data, children, tree.meta), superscripted)
