"""Refuse a formula that a reader could read two ways, instead of guessing.

The grammar always finds one parse, but some text has a second, equally natural
reading: ``1 0`` prints as 10 and parses as 1·0, ``\\ln xy`` may be ln(xy) or
y·ln x, ``x^2y`` may be x²y or x^{2y}. Each check below looks at the parse tree
(with positions) before it becomes SymPy and refuses such text with a hint that
spells out both readings. The checks are small pure functions gathered in
``PRODUCT_CHECKS``, ``TOKEN_CHECKS`` and ``NODE_CHECKS``.
"""

from __future__ import annotations

import re

from lark import Token, Tree

from derive.errors import LatexSyntaxError, Position
from derive.latex.decorations import decorated_key
from derive.latex.leibniz import is_derivative, is_operator

#: Grammar rules that multiply (``a b``, ``a \cdot b``, ``a / b``).
PRODUCTS = ("mul_implicit", "mul_explicit")

#: Rules of a function name applied to an argument without parentheses (``\\log x``,
#: ``\\sin^2 x``, ``\\log_2 x``); the argument is the last child.
OPEN_FUNCTIONS = ("func", "func_power", "log_base")

#: Rules for an unbraced one-character script, whose token is the whole script.
SHORT_SCRIPTS = ("script_number", "script_name")


class Reading(Exception):
    """One refused double reading: the message and the offset it points at."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


# -- tree helpers ------------------------------------------------------------------
def _start(node) -> int:
    return node.start_pos if isinstance(node, Token) else node.meta.start_pos


def _end(node) -> int:
    return node.end_pos if isinstance(node, Token) else node.meta.end_pos


def _text(text: str, node) -> str:
    return " ".join(text[_start(node):_end(node)].split())


def _last_factor(node):
    """The factor a product ends with: ``c`` in ``a / b c``."""
    while isinstance(node, Tree) and node.data in PRODUCTS:
        node = node.children[-1]
    return node


def _first_factor(node):
    while isinstance(node, Tree) and node.data in PRODUCTS:
        node = node.children[0]
    return node


def _is(node, *rules: str) -> bool:
    return isinstance(node, Tree) and node.data in rules


def _is_number(node) -> bool:
    """A literal number, or a power of one (``0^2`` in ``1 0^2``)."""
    if _is(node, "power"):
        node = node.children[0]
    return _is(node, "number")


def _is_numeric_fraction(node) -> bool:
    r"""``\frac{1}{2}`` or ``\frac12``: both parts literal numbers."""
    if not _is(node, "frac"):
        return False
    parts = node.children[1:]
    return all(_is(p, "script_number") or (_is(p, "script") and _is(p.children[0], "number"))
               for p in parts)


def _head_text(name: Tree) -> str:
    """The key a name's head is declared under (``f^{\\ast}`` for ``f^\\ast``)."""
    token = name.children[0].children[0]
    return decorated_key(token.value) if token.type == "DECORATED" else "".join(
        token.value.split())


# -- checks on a product: each gets the left operand, the right one, the operator (None
# -- for juxtaposition) and where the whole product ends -------------------------------
def juxtaposed_numbers(text, left, right, op, end, scope):
    """``1 0``, ``1\\,000``, ``2 3``: one number 10, 1000, 23 as printed, or a product."""
    if op is not None:
        return
    last, first = _last_factor(left), _first_factor(right)
    if _is(last, "number") and _is_number(first):
        a, b = _text(text, last), _text(text, first)
        raise Reading(f"'{a} {b}' is ambiguous, the number {a}{b} as printed or the "
                      f"product of {a} and {b}: write {a}{b}, or {a} \\cdot {b}", _start(first))
    if _is(last, "number") and _is_numeric_fraction(first):
        a, b = _text(text, last), _text(text, first)
        raise Reading(f"'{a} {b}' is ambiguous, a mixed number or a product: write "
                      f"{a} + {b}, or {a} \\cdot {b}", _start(first))


def number_after_name(text, left, right, op, end, scope):
    """``x 2`` prints as x2, which reads as x·2 or as x_2."""
    if op is not None:
        return
    last, first = _last_factor(left), _first_factor(right)
    if _is(last, "name") and _is(first, "number") and len(last.children) == 1:
        a, b = _text(text, last), _text(text, first)
        raise Reading(f"'{a} {b}' is ambiguous, a product or the name {a}_{b}: write "
                      f"{b} {a} for the product, or {a}_{{{b}}}", _start(first))


def open_function_argument(text, left, right, op, end, scope):
    r"""``\log 2x``, ``\ln xy``, ``\sin 2\pi x``: an argument without parentheses is one
    factor; a product after it may belong to the argument or multiply the function."""
    if op is not None and op.type != "SLASH":
        return
    last = _last_factor(left)
    if not _is(last, *OPEN_FUNCTIONS):
        return
    command = _text(text, last)[:_start(last.children[-1]) - _start(last)].strip()
    argument = _text(text, last.children[-1])
    rest = " ".join(text[_start(right):end].split())
    joint = f"{argument} / {rest}" if op is not None else f"{argument} {rest}"
    after = f"/ {rest}" if op is not None else rest
    raise Reading(f"'{command} {joint}' is ambiguous: the argument of {command} without "
                  f"parentheses is one factor; write {command}({joint}), or "
                  f"({command} {argument}) {after}", _start(last))


def function_before_factor(text, left, right, op, end, scope):
    """``H x``, ``H[x]``, ``H{x}`` with H a declared function: H applied to x, or H (that
    is H at its declared arguments) times x?"""
    if op is not None or scope is None:
        return
    last, first = _last_factor(left), _first_factor(right)
    if not (_is(last, "name") and _head_text(last) in scope.functions):
        return
    name, factor = _text(text, last), _text(text, first)
    inner = factor
    if _is(first, "paren", "abs"):
        inner = _text(text, next(c for c in first.children if not isinstance(c, Token)))
    raise Reading(f"'{name} {factor}' is ambiguous, the declared function {name} applied to "
                  f"{inner} or {name} times {factor}: write {name}({inner}) to apply it, or "
                  f"{name} \\cdot {factor}", _start(first))


def after_quotient(text, left, right, op, end, scope):
    """``a/b c`` is (a/b)·c or a/(b c); ``a/b/c`` and ``a/b \\cdot c`` likewise."""
    if not _is(left, "mul_explicit") or left.children[1].type != "SLASH":
        return
    numerator, denominator = (_text(text, n) for n in (left.children[0], left.children[2]))
    rest = _text(text, right)
    sign = "" if op is None else {"SLASH": "/ ", "CDOT": "\\cdot ", "TIMES": "\\times "}[op.type]
    raise Reading(f"'{numerator}/{denominator} {sign}{rest}' is ambiguous: write "
                  f"\\frac{{{numerator}}}{{{denominator}}} {sign}{rest}, or "
                  f"\\frac{{{numerator}}}{{{denominator} {sign}{rest}}}",
                  _start(right) if op is None else op.start_pos)


def operand_then_factor(text, left, right, op, end, scope):
    r"""``\frac{d}{dx} x^2 y``: the operator's operand is one factor, d(x^2)/dx times y, or
    the whole product, d(x^2 y)/dx?"""
    if op is not None or not _is(left, "mul_implicit"):
        return
    before = _last_factor(left.children[0])
    if not is_operator(before) or is_operator(left.children[-1]):
        return      # \frac{d}{dx} \frac{d}{dx} f: the operators apply one after the other
    operator, operand = _text(text, before), _text(text, left.children[-1])
    rest = " ".join(text[_start(right):end].split())
    raise Reading(f"'{operator} {operand} {rest}' is ambiguous: the derivative of {operand} "
                  f"times {rest}, or of the product; write {operator}\\left({operand} {rest}"
                  f"\\right), or \\left({operator} {operand}\\right) {rest}", _start(right))


def derivative_then_group(text, left, right, op, end, scope):
    r"""``\frac{dy}{dx}(a)``, ``\frac{\partial f}{\partial x}(x_0, y_0)``: the derivative
    evaluated at a point, or multiplied by a parenthesis?"""
    if op is not None:
        return
    last, first = _last_factor(left), _first_factor(right)
    if is_derivative(last) and _is(first, "paren"):
        raise Reading(f"'{_text(text, last)} {_text(text, first)}' is ambiguous, the "
                      "derivative at a point or a product: write f'(a) for the value at a "
                      f"point, or {_text(text, last)} \\cdot {_text(text, first)}",
                      _start(first))


def power_of_function_before_group(text, left, right, op, end, scope):
    r"""``\sigma^{-1}(x)``, ``f^2(x)`` with a declared function: the inverse (or an
    iterate) applied to x, or a power of the function times a parenthesis?"""
    if op is not None or scope is None:
        return
    last, first = _last_factor(left), _first_factor(right)
    if not (_is(last, "power") and _is(last.children[0], "name") and _is(first, "paren")):
        return
    base, script = last.children
    if _is(script, "script_decoration") or _head_text(base) not in scope.functions:
        return
    name, power, group = _text(text, base), _text(text, script), _text(text, first)
    raise Reading(f"'{_text(text, last)}{group}' is ambiguous, the inverse or an iterate of "
                  f"the declared function {name} at {group}, or a power of {name} times "
                  f"{group}: write {name}{group}^{{{power.strip('{}')}}} for the power, or "
                  "declare the inverse as a function of its own", _start(last))


def differential_first(text, left, right, op, end, scope):
    r"""``\int dx\, f(x)``: the physicist's integral of f, or the integral of 1 times f?"""
    if op is not None:
        return
    last = _last_factor(left)
    if not _is(last, "integral_of_one"):
        return
    integral, rest = _text(text, last), " ".join(text[_start(right):end].split())
    differential = _text(text, last.children[-1])
    raise Reading(f"'{integral} {rest}' is ambiguous, the integral of {rest} or {integral} "
                  f"times {rest}: write the differential last, \\int {rest} \\, "
                  f"{differential}, or \\left({integral}\\right) {rest}", _start(right))


PRODUCT_CHECKS = (juxtaposed_numbers, number_after_name, open_function_argument,
                  function_before_factor, after_quotient, operand_then_factor,
                  derivative_then_group, power_of_function_before_group, differential_first)


# -- checks on a token and the rule that holds it -----------------------------------
def glued_script(text, token, rule, parent):
    """``x^2y``, ``x_ij``, ``\\frac12x``, ``\\sqrt2x``: a script without braces is one
    character, so what is glued to it may be read as part of it or not."""
    if rule not in SHORT_SCRIPTS or token.type not in ("SCRIPT_DIGIT", "LETTER"):
        return
    end = token.end_pos
    if end >= len(text) or not (text[end].isascii() and text[end].isalnum()):
        return
    numerator = _is(parent, "frac") and parent.children[1].children[0] is token
    if numerator:   # \frac12: the 2 after the numerator is the denominator
        return
    glued = re.match(r"[A-Za-z0-9]+", text[end:]).group()
    marker = text[:token.start_pos].rstrip()[-1:]
    marker = marker if marker in "^_" else ""
    raise Reading(f"'{token.value}{glued}' is ambiguous: only '{token.value}' belongs to "
                  f"the script before it; write {marker}{{{token.value}{glued}}}, or "
                  f"{marker}{{{token.value}}} {glued}", end)


def leading_zero(text, token, rule, parent):
    """``x_{01}`` is x_1 as a number, or the indices 0 and 1."""
    if token.type == "NUMBER" and re.match(r"0[0-9]", token.value):
        raise Reading(f"'{token.value}' is ambiguous, the number "
                      f"{token.value.lstrip('0') or '0'} or the digits of several indices: "
                      "write the number without its leading zero", token.start_pos)


TOKEN_CHECKS = (glued_script, leading_zero)


# -- checks on a node of one rule --------------------------------------------------------
def _starts_with_d(part) -> bool:
    """Whether a part of a fraction begins with the letter d (``d``, ``df``, ``d^2 y``)."""
    if _is(part, "script_name"):
        return part.children[0].value == "d"
    if not _is(part, "script"):
        return False
    first = _first_factor(part.children[0])
    if _is(first, "power"):
        first = first.children[0]
    return (_is(first, "name") and len(first.children) == 1
            and first.children[0].children[0].value == "d")


def leibniz_fraction(text, node, scope):
    r"""``\frac{d}{dx} x^2``, ``\frac{df}{dx}``: a derivative to a reader, a quotient of
    products with a symbol d to the grammar."""
    declared = scope is not None and scope.declares("d")
    if not declared:   # an undeclared d gets its own hint when the name is resolved
        return
    if node.data == "frac" and all(_starts_with_d(part) for part in node.children[1:]):
        raise Reading(f"'{_text(text, node)}' is ambiguous, a derivative or a quotient "
                      "with the symbol d: write \\frac{\\partial f}{\\partial x} for the "
                      "derivative, or move d out of the fraction's first place for a quotient",
                      _start(node))


def _differential_name(token: Token) -> str:
    text = "".join(token.value.split()).rstrip("'")
    return text[len("\\mathrm{d}"):] if text.startswith("\\mathrm") else text[1:]


def _free_names(node) -> set[str]:
    """The names a subtree uses, less those its own sums, products and integrals bind."""
    if isinstance(node, Token):
        return set()
    names = set()
    for child in node.children:
        if isinstance(child, Token):
            if node.data in ("head", "script_name") and child.type in ("LETTER", "GREEK"):
                names.add("".join(child.value.split()))
            if child.type == "DELTA_NAME":   # \Delta t uses t when it is \Delta times t
                names.add("".join(child.value.split())[len("\\Delta"):])
        else:
            names |= _free_names(child)
    if node.data in ("bigsum", "bigprod"):
        names.discard(_index_name(node))
    if node.data in ("integral", "integral_fraction", "integral_of_one", "multiple_integral"):
        for child in node.children:
            if isinstance(child, Token) and child.type == "DIFFERENTIAL":
                names.discard(_differential_name(child))
    if node.data == "limit":
        names -= _free_names(node.children[1])
    return names


def _index_name(node: Tree) -> str | None:
    """The index a \\sum or \\prod binds: the i of \\sum_{i=1}^{n} or \\sum_i^n."""
    lower = next((c for c in node.children[1].children if _is(c, "lower")), None)
    if lower is None:
        return None
    script = lower.children[0]
    if _is(script, "script_name"):
        return "".join(script.children[0].value.split())
    side = script.children[0]
    if _is(side, "name") and len(side.children) == 1:
        return "".join(side.children[0].children[0].value.split())
    return None


def index_after_sum(text, node, scope):
    r"""``\sum_{i} x_i + y_i``: the sum ends at '+', yet y_i uses its index. The grammar
    reads (\sum_i x_i) + y_i with a free i; a reader may read \sum_i (x_i + y_i)."""
    if node.data not in ("add", "sub"):
        return
    last = node.children[0]
    while _is(last, "add", "sub", "neg", "pos"):
        last = last.children[-1]
    last = _last_factor(last)
    if not _is(last, "bigsum", "bigprod"):
        return
    index = _index_name(last)
    right = node.children[-1]
    if index is not None and index in _free_names(right):
        command = last.children[0].value
        sign = "+" if node.data == "add" else "-"
        raise Reading(f"'{_text(text, right)}' uses {index}, the index of the {command} "
                      f"before it, but the {command} ends at '{sign}': write "
                      f"{command}_{{{index}}} \\left( ... {sign} {_text(text, right)} \\right) "
                      f"if it belongs to the {command}, or another name for the index",
                      _start(right))


def parenthesised_superscript(text, node, scope):
    r"""``y^{(i)}``: the i-th example (ML texts), the i-th derivative, or y to the power i?
    A number's parenthesised exponent (``2^{(n)}``) has no other reading."""
    if node.data != "power" or _is(node.children[0], "number"):
        return
    base = node.children[0]
    if (scope is not None and _is(base, "name") and len(base.children) == 1
            and _head_text(base) in scope.superscripted):
        return      # data declared with its index above: y^{(i)} is its entry
    script = node.children[-1]
    if not (_is(script, "script") and _is(script.children[0], "paren")):
        return
    group = script.children[0]
    if not (isinstance(group.children[0], Token) and group.children[0].type in ("LPAR",
                                                                                 "LEFT_LPAR")):
        return
    base, inner = _text(text, node.children[0]), _text(text, group.children[1])
    raise Reading(f"'{_text(text, node)}' is ambiguous: a parenthesised superscript marks "
                  f"the {inner}-th example or derivative of {base} in many texts, a power "
                  f"in others; write {base}^{{{inner}}} for the power, or declare {base} "
                  "as indexed data with a superscript index", _start(script))


def _bare_uses(node, head: str) -> bool:
    """Whether ``node`` uses the function ``head`` without arguments (``\\sigma`` alone)."""
    if isinstance(node, Token):
        return False
    if node.data == "name":
        return _head_text(node) == head
    children = node.children[1:] if node.data == "call" else node.children
    return any(_bare_uses(child, head) for child in children)


def call_of_its_own_abbreviation(text, node, scope):
    r"""``\sigma(1-\sigma)`` with σ a declared function used bare as σ(a): σ applied to
    1 − σ, or σ times (1 − σ)? The bare σ inside shows the author abbreviates."""
    if node.data != "call" or scope is None:
        return
    head = _head_text(node.children[0])
    if head not in scope.functions or not _bare_uses(node.children[2], head):
        return
    name, argument = _text(text, node.children[0]), _text(text, node.children[2])
    raise Reading(f"'{_text(text, node)}' is ambiguous: {name} applied to {argument}, or "
                  f"{name} (standing for its declared arguments, as the {name} inside does) "
                  f"times ({argument}): write {name} \\cdot ({argument}) for the product, "
                  f"or write the arguments of every {name}", _start(node))


def sum_before_evaluation_bar(text, node, scope):
    r"""``x + x^2 \Big|_0^1``: the whole sum evaluated, or its last term?"""
    if node.data != "evaluated_bar" or not _is(node.children[0], "add", "sub"):
        return
    body = _text(text, node.children[0])
    raise Reading(f"'{body}' before the evaluation bar is ambiguous, the whole sum or its "
                  f"last term: write \\left( {body} \\right) or the term alone before "
                  "the bar", _start(node.children[0]))


def unit_coefficient_subscript(text, node, scope):
    """``x_{1j}``, ``x_{0k}`` of data with one index: row 1 (or 0) and column j to a
    reader, x at 1·j = j (or at 0) to the grammar; nobody writes a coefficient 0 or 1."""
    if node.data != "name" or scope is None or len(node.children) < 2:
        return
    script = node.children[1]
    if not (_is(script, "script") and _is(script.children[0], "mul_implicit")):
        return
    head = _head_text(node)
    first = _first_factor(script.children[0])
    after = _first_factor(script.children[0].children[1]) if _is(
        script.children[0].children[0], "number") else None
    if (head not in scope.indexed or head in scope.ranks or not _is(first, "number")
            or first.children[0].value not in ("0", "1") or not _is(after, "name")):
        return      # x_{1 0} is refused as juxtaposed numbers
    written = _text(text, script.children[0])
    raise Reading(f"'{head}_{{{written}}}' is ambiguous, the entry at {written} as a product "
                  f"or an entry with several indices: declare '{head}' under [indexed] with "
                  "indices = 2, or write the index you mean", _start(script))


NODE_CHECKS = (leibniz_fraction, index_after_sum, parenthesised_superscript,
               call_of_its_own_abbreviation, sum_before_evaluation_bar,
               unit_coefficient_subscript)


# -- the walk -------------------------------------------------------------------------
def _problems(text: str, node, parent, scope, end=None):
    """Every refused reading in the tree, in no particular order; ``end`` is where the
    product that ``node`` begins ends (``a b c`` nests as ``(a b) c``)."""
    if isinstance(node, Token):
        return
    for check in NODE_CHECKS:
        try:
            check(text, node, scope)
        except Reading as reading:
            yield reading
    if node.data in PRODUCTS:
        end = _end(node) if end is None else end
        left, right = node.children[0], node.children[-1]
        op = node.children[1] if node.data == "mul_explicit" else None
        for check in PRODUCT_CHECKS:
            try:
                check(text, left, right, op, end, scope)
            except Reading as reading:
                yield reading
    for k, child in enumerate(node.children):
        if isinstance(child, Token):
            for check in TOKEN_CHECKS:
                try:
                    check(text, child, node.data, parent)
                except Reading as reading:
                    yield reading
        else:
            inner = end if node.data in PRODUCTS and k == 0 else None
            yield from _problems(text, child, node, scope, inner)


def check_readings(text: str, tree, scope=None) -> None:
    """Refuse the first (leftmost) text in the formula that has two readings."""
    found = list(_problems(text, tree, None, scope))
    if found:
        first = min(found, key=lambda r: r.offset)
        line = text.count("\n", 0, first.offset) + 1
        column = first.offset - (text.rfind("\n", 0, first.offset) + 1) + 1
        raise LatexSyntaxError(first.message, Position(line=line, column=column))
