"""Find where each value of a TOML file starts, since ``tomllib`` does not say.

Errors inside a formula must point at the file's line and column, so the loader
asks this scanner where a value's text begins and how it was quoted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where a value's content starts (0-based offset) and how it was quoted."""

    offset: int
    quote: str  # "'", "'''", '"', '"""' or "" for a bare value

    @property
    def literal(self) -> bool:
        return self.quote in ("'", "'''")


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.values: dict[tuple, object] = {}
        self.keys: dict[tuple, Origin] = {}
        self.counts: dict[str, int] = {}

    def peek(self, s: str) -> bool:
        return self.text.startswith(s, self.i)

    def skip_space(self, newlines: bool) -> None:
        t = self.text
        while self.i < len(t):
            c = t[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#":
                while self.i < len(t) and t[self.i] != "\n":
                    self.i += 1
            else:
                return

    def string(self) -> Origin:
        t = self.text
        for quote in ("'''", '"""', "'", '"'):
            if self.peek(quote):
                break
        self.i += len(quote)
        start = self.i
        if len(quote) == 3 and self.peek("\n"):
            start += 1
        elif len(quote) == 3 and self.peek("\r\n"):
            start += 2
        while self.i < len(t) and not self.peek(quote):
            if t[self.i] == "\\" and quote[0] == '"':
                self.i += 1
            self.i += 1
        self.i += len(quote)
        while len(quote) == 3 and self.i < len(t) and t[self.i] == quote[0]:
            self.i += 1
        return Origin(start, quote)

    def key(self) -> tuple[str, Origin]:
        if self.peek("'") or self.peek('"'):
            origin = self.string()
            raw = self.text[origin.offset:self.i - len(origin.quote)]
            return raw, origin
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in " \t=.\n":
            self.i += 1
        return self.text[start:self.i], Origin(start, "")

    def value(self):
        t = self.text
        if self.peek("'") or self.peek('"'):
            return self.string()
        if self.peek("["):
            self.i += 1
            items = []
            while True:
                self.skip_space(True)
                if self.i >= len(t) or self.peek("]"):
                    self.i += 1
                    return items
                if self.peek(","):
                    self.i += 1
                    continue
                items.append(self.value())
        if self.peek("{"):
            self.i += 1
            table = {}
            while True:
                self.skip_space(True)
                if self.i >= len(t) or self.peek("}"):
                    self.i += 1
                    return table
                if self.peek(","):
                    self.i += 1
                    continue
                name, _ = self.key()
                self.skip_space(False)
                if self.peek("="):
                    self.i += 1
                self.skip_space(False)
                table[name] = self.value()
        start = self.i
        while self.i < len(t) and t[self.i] not in ",]}\n#":
            self.i += 1
        return Origin(start, "")

    def run(self) -> None:
        t = self.text
        table: tuple = ()
        while self.i < len(t):
            self.skip_space(True)
            if self.i >= len(t):
                break
            if self.peek("[["):
                end = t.find("]]", self.i)
                name = t[self.i + 2:end].strip()
                index = self.counts.get(name, 0)
                self.counts[name] = index + 1
                table = (name, index)
                self.keys[table] = Origin(self.i, "")
                self.i = end + 2
            elif self.peek("["):
                end = t.find("]", self.i)
                table = (t[self.i + 1:end].strip(),)
                self.keys[table] = Origin(self.i, "")
                self.i = end + 1
            else:
                name, origin = self.key()
                self.keys[table + (name,)] = origin
                self.skip_space(False)
                if self.peek("="):
                    self.i += 1
                self.skip_space(False)
                self.values[table + (name,)] = self.value()
            # the rest of the line (a comment, or garbage tomllib already refused)
            while self.i < len(t) and t[self.i] != "\n":
                self.i += 1


def locate(text: str) -> tuple[dict[tuple, object], dict[tuple, Origin]]:
    """Map each ``(table, [index,] key)`` path to the origin of its value, and of its key.

    A value that is an array maps to a list of origins, an inline table to a dict.
    """
    scanner = _Scanner(text)
    scanner.run()
    return scanner.values, scanner.keys
