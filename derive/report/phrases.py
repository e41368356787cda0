"""Justifications as readers read them: the rule's phrase in words, its LaTeX arguments
as math, and its premises as references to their equations.

The phrase is a list of :class:`Part` that each report format renders in its own way
(Markdown, LaTeX, HTML): the structure is built once, here, from the justification's
own grammar (``derive/document/justification.lark``), never from its text by hand.

>>> [(p.kind, p.text) for p in phrase(step.justifications[0], scope)]  # doctest: +SKIP
[('words', 'solving'), ('ref', '7'), ('words', 'for'), ('math', 'p(\\epsilon)')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Tree

import derive.document
from derive.document.loader import _split_top
from derive.latex.scope import Scope
from derive.report.i18n import N_

#: What each rule says in words, and whether it is a noun that takes "of" before a
#: premise that follows it directly ("the functional derivative of (6)").
RULE_PHRASES = {
    "definition": (N_("by definition"), False),
    "given": (N_("given"), False),
    "cite": (N_("citing"), False),
    "stationary": (N_("stationarity"), False),
    "equal": (N_("by algebra"), False),
    "restate": (N_("restating"), False),
    "substitute": (N_("substituting"), False),
    "unfold": (N_("unfolding"), False),
    "solve": (N_("solving"), False),
    "eliminate": (N_("eliminating from"), False),
    "expand_log": (N_("expanding the logarithms"), False),
    "linearity": (N_("by linearity"), False),
    "integrate": (N_("integrating"), False),
    "differentiate": (N_("differentiating"), False),
    "variation": (N_("the functional derivative"), True),
    "lagrangian": (N_("the Lagrangian"), True),
    "monotone": (N_("a monotone transformation"), True),
    "argmin_equiv": (N_("an equivalent optimisation problem"), True),
}
#: The justification's keywords in words.
KEYWORDS = {"wrt": N_("with respect to")}
#: The justification grammar's other keywords, translated where the report is shown.
FILLERS = (N_("into"), N_("for"), N_("with"), N_("and"), N_("from"), N_("in"), N_("by"),
           N_("of"), N_("for all"))
#: Keywords the grammar treats as filler: kept as written, except these.
_DROPPED = {"of", "by"}


@dataclass(frozen=True)
class Part:
    """One piece of a phrase: ``words`` (plain text), ``math`` (LaTeX that derive's
    grammar reads, safe to typeset), ``ref`` (the tag of an earlier equation) or
    ``text`` (an argument derive cannot read, shown literally)."""

    kind: str
    text: str
    keyword: bool = field(default=False, compare=False)   # the "of" a rule's noun takes


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """The justification grammar, keeping its keywords and punctuation as tokens."""
    grammar = (Path(derive.document.__file__).with_name("justification.lark")
               .read_text(encoding="utf-8"))
    return Lark(grammar, parser="lalr", keep_all_tokens=True)


def _tokens(tree: Tree):
    """The tokens of a parse tree in the order they were written."""
    for child in tree.children:
        if isinstance(child, Tree):
            yield from _tokens(child)
        else:
            yield child


def _arguments(latex: str, scope: Scope | None) -> list[Part]:
    """A LaTeX argument, ``a, b`` split at top-level commas, each piece as math if
    derive reads it, as literal text if not."""
    from derive.report.filters import derive_math   # filters imports this module
    parts: list[Part] = []
    for piece, _ in _split_top(latex):
        if parts:
            parts.append(Part("words", ","))
        text = " ".join(piece.split())
        shown = derive_math(text, scope)
        parts.append(Part("math", shown) if shown is not None else Part("text", text))
    return parts


def phrase(justification, scope: Scope | None = None, gettext=None) -> tuple[Part, ...]:
    """A justification as words, math and references, in the order it was written; the
    rule's words and the grammar's keywords through ``gettext`` (the report's language)."""
    say = gettext or (lambda words: words)
    try:
        tree = _parser().parse(justification.text)
    except Exception:   # it was read when the file was loaded; never fail the report
        return (Part("text", " ".join(justification.text.split())),)
    tokens = list(_tokens(tree))
    parts: list[Part] = []
    for i, token in enumerate(tokens):
        kind, value = token.type, str(token)
        if kind in ("RULE", "CITE"):
            words, takes_of = RULE_PHRASES.get(value, (value.replace("_", " "), False))
            parts.append(Part("words", say(words)))
            if takes_of and i + 1 < len(tokens) and tokens[i + 1].type == "REF":
                parts.append(Part("words", say("of"), keyword=True))
        elif kind == "REF":
            parts.append(Part("ref", value.strip("() \t")))
        elif kind == "LATEX":
            parts.extend(_arguments(value, scope))
        elif kind == "FOR_ALL":
            parts.append(Part("words", say("for all")))
        elif kind == "WORD" and value in RULE_PHRASES:   # a rule after ';'
            parts.append(Part("words", say(RULE_PHRASES[value][0])))
        elif kind in ("WORD", "TEXT"):
            parts.append(Part("words", value))
        elif value.strip() and not (value in _DROPPED and parts and parts[-1].keyword):
            parts.append(Part("words", say(KEYWORDS.get(value, value))))
    return _joined(parts)


def _joined(parts: list[Part]) -> tuple[Part, ...]:
    """Neighbouring words as one part, with a comma or semicolon kept to the word
    before it."""
    joined: list[Part] = []
    for part in parts:
        if part.kind == "words" and joined and joined[-1].kind == "words":
            space = "" if part.text in (",", ";") else " "
            joined[-1] = Part("words", joined[-1].text + space + part.text)
        else:
            joined.append(part)
    return tuple(joined)


def anchor(tag: str) -> str:
    """The name of an equation's anchor (Markdown, HTML) and label (LaTeX), unique per
    tag: ``8'`` is ``eq-8:p``. Tags hold only letters, digits and ``' . - *``."""
    return "eq-" + str(tag).replace("'", ":p").replace("*", ":s")
