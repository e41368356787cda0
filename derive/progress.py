"""A run you can follow: live progress and colour on a terminal, plain lines elsewhere.

On a terminal, one status line on stderr is rewritten as each step (or mutant) is
settled, and cleared before results are printed; in a pipe or a file nothing but the
results is written, one stable line at a time. Colour marks verdicts only on a
terminal, and never when ``NO_COLOR`` is set (https://no-color.org).
"""

from __future__ import annotations

import os
from typing import TextIO

#: ANSI colours of the verdict words as printed by ``derive verify``.
COLOURS = {"proved": "32", "numeric": "36", "assumed": "2", "FAILED": "1;31",
           "UNDECIDED": "33", "expected failure": "35", "UNEXPECTED PASS": "1;31"}


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never under NO_COLOR."""
    return _is_terminal(stream) and not os.environ.get("NO_COLOR")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def painter(stream: TextIO):
    """The function that colours a verdict word for ``stream`` (or leaves it plain)."""
    if not wants_colour(stream):
        return lambda text, word: text
    return lambda text, word: (f"\x1b[{COLOURS[word]}m{text}\x1b[0m" if word in COLOURS
                               else text)


class Progress:
    """One status line on a terminal's stderr; silent anywhere else."""

    def __init__(self, stream: TextIO, files: int):
        self.stream = stream
        self.files = files
        self.done = 0
        self.live = _is_terminal(stream)

    def show(self, text: str) -> None:
        """Replace the status line with ``text`` (cut to the terminal's width)."""
        if self.live:
            width = _width()
            self.stream.write("\r\x1b[K" + text[:width - 1])
            self.stream.flush()

    def step(self, path: str, number: int, total: int, tag: str, mark: str) -> None:
        """A step of ``path`` was settled."""
        self.show(f"[{self.done + 1}/{self.files}] {os.path.basename(path)}: step "
                  f"{number}/{total} ({tag}) {mark}")

    def file_done(self) -> None:
        """A file was settled; the status line goes, its results follow."""
        self.done += 1
        self.clear()

    def waiting(self) -> None:
        """Between files: how many are settled (all that workers show of theirs)."""
        if self.done < self.files:
            self.show(f"[{self.done}/{self.files}] files settled")

    def clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 80
