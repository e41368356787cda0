"""A small HTML tree for the tests, built with the standard library's parser: enough to
find elements by class, id or tag in a report page or a browser's dump of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}


@dataclass
class Element:
    """One element: its tag, attributes, children (elements and strings) and parent."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list = field(default_factory=list)
    parent: "Element | None" = None
    attr_names: list[str] = field(default_factory=list)   # every attribute, repeats kept

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        """This element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def text(self) -> str:
        """The text of this element and all below it."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Element"]:
        return [e for e in self.iter() if (tag is None or e.tag == tag)
                and (cls is None or cls in e.classes)]

    def find(self, tag: str | None = None, cls: str | None = None) -> "Element | None":
        found = self.find_all(tag, cls)
        return found[0] if found else None

    def by_id(self, name: str) -> list["Element"]:
        return [e for e in self.iter() if e.attrs.get("id") == name]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), parent=self.stack[-1],
                          attr_names=[name for name, _ in attrs])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The document's tree; its root is a ``#document`` element."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
