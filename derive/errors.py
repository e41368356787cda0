"""One error hierarchy: every error derive reports carries a position and an exit code.

The CLI catches :class:`DeriveError` once and prints ``path:line:col: error: message``
followed by the offending source line and a caret.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """A place in a file: 1-based line and column, and the text of that line."""

    path: str = "<input>"
    line: int = 1
    column: int = 1
    source_line: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class DeriveError(Exception):
    """Root of every error derive reports to its user."""

    exit_code = 2
    kind = "error"

    def __init__(self, message: str, position: Position | None = None):
        super().__init__(message)
        self.message = message
        self.position = position or Position()

    def __str__(self) -> str:
        return f"{self.position}: {self.kind}: {self.message}"

    def show(self) -> str:
        """The one-line report plus the source line with a caret under the fault."""
        text = str(self)
        line = self.position.source_line
        if line:
            caret = " " * (self.position.column - 1) + "^"
            text += f"\n    {line.rstrip()}\n    {caret}"
        return text

    def at(self, position: Position) -> "DeriveError":
        """Return the same error moved to ``position`` (used to map formula
        positions to file positions)."""
        self.position = position
        return self


class FileFormatError(DeriveError):
    """The derivation file is not valid TOML or breaks the file format."""


class LatexSyntaxError(DeriveError):
    """A formula does not parse, or uses a name the declarations do not define."""


class JustificationError(DeriveError):
    """A step's justification names an unknown rule, a bad premise or bad arguments."""


class UsageError(DeriveError):
    """The command line itself is wrong."""


class ReportError(DeriveError):
    """A report cannot be written: LaTeX is missing or the PDF does not build."""
