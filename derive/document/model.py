"""What a derivation file holds once read: metadata, declarations, steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from derive.errors import Position
from derive.latex.formula import Formula
from derive.latex.scope import Scope


@dataclass(frozen=True)
class Justification:
    """Why one link holds: a rule, its premises by tag, and its arguments.

    ``arguments`` maps a keyword (``for``, ``wrt``, ``with``) to the parsed
    expressions that followed it; ``words`` keeps free text (what ``cite`` cites);
    ``then`` the rules after ';' (``substitute (2); expand_log``).
    """

    rule: str
    premises: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    arguments: dict = field(default_factory=dict)
    words: str = ""
    text: str = ""
    position: Position = Position()
    then: tuple[str, ...] = ()          # rules after ';' that rewrite both sides

    @property
    def all_premises(self) -> tuple[str, ...]:
        return self.premises + tuple(t for t in self.targets if t not in self.premises)


@dataclass
class Step:
    """One numbered equation of the article with its justification."""

    tag: str
    latex: str
    formula: Formula
    justifications: tuple[Justification, ...]
    prose: str = ""
    expect_failure: str | None = None
    corrects: str | None = None
    position: Position = Position()

    @property
    def premises(self) -> tuple[str, ...]:
        seen: list[str] = []
        for j in self.justifications:
            for tag in j.all_premises:
                if tag not in seen:
                    seen.append(tag)
        return tuple(seen)

    @property
    def rules(self) -> tuple[str, ...]:
        names: list[str] = []
        for j in self.justifications:
            if j.rule not in names:
                names.append(j.rule)
        return tuple(names)

    def justification_for(self, link: int) -> Justification:
        """The justification of link ``link``: one per link, or one for them all."""
        if len(self.justifications) == 1:
            return self.justifications[0]
        return self.justifications[link]


@dataclass(frozen=True)
class Source:
    """Where the article is: ``meta.source``, a string (a URL or a path) or a table of
    title, author, URL, date and the path of a local copy."""

    title: str = ""
    author: str = ""
    url: str = ""
    date: str = ""
    path: str = ""

    def __bool__(self) -> bool:
        return any((self.title, self.author, self.url, self.date, self.path))


@dataclass
class Document:
    """A derivation file: the article's metadata, its declarations and its steps."""

    path: str
    title: str
    scope: Scope
    steps: list[Step]
    source: str = ""                    # meta.source as a string: its URL or path
    language: str = "en"
    author: str = ""
    date: str = ""
    epilogue: str = ""
    citation: Source = Source()          # meta.source in full, shown as a citation
    tags: tuple[str, ...] = ()
    declarations: str = ""   # the declaration tables as read, canonical JSON (cache keys)

    def step(self, tag: str) -> Step:
        for step in self.steps:
            if step.tag == tag:
                return step
        raise KeyError(tag)


def rested_on(tags, steps: dict[str, "Step"]) -> set[str]:
    """``tags`` and every step of ``steps`` they rest on through premises, transitively
    (a tag not among ``steps`` is left out)."""
    wanted: set[str] = set()
    todo = list(tags)
    while todo:
        tag = todo.pop()
        if tag in wanted or tag not in steps:
            continue
        wanted.add(tag)
        todo.extend(steps[tag].premises)
    return wanted
