"""Progress and colour: live on a terminal, silent and plain in a pipe, NO_COLOR obeyed."""

from __future__ import annotations

import io

from derive.cli import main
from derive.progress import Progress, painter
from tests.rules.derivations import HEADER, step


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_pipe_gets_no_progress_and_no_colour(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    pipe = io.StringIO()
    progress = Progress(pipe, 2)
    progress.step("a.toml", 1, 3, "1", "proved")
    progress.file_done()
    assert pipe.getvalue() == ""
    assert painter(pipe)("proved", "proved") == "proved"


def test_a_terminal_gets_a_status_line_and_colour(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    terminal = Terminal()
    progress = Progress(terminal, 2)
    progress.step("equations/a.toml", 2, 3, "7", "proved")
    assert "[1/2] a.toml: step 2/3 (7) proved" in terminal.getvalue()
    progress.file_done()
    assert terminal.getvalue().endswith("\r\x1b[K")
    assert painter(terminal)("FAILED", "FAILED") == "\x1b[1;31mFAILED\x1b[0m"


def test_no_color_turns_colour_off_on_a_terminal(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    assert painter(Terminal())("FAILED", "FAILED") == "FAILED"


def test_verify_in_a_pipe_prints_plain_stable_lines(tmp_path, capsys):
    path = tmp_path / "a.toml"
    path.write_text(HEADER + step("1", "a + b = b + a", "equal"), encoding="utf-8")
    assert main(["verify", str(path), "--no-cache"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "\x1b" not in out
    assert out.splitlines()[1].startswith("  (  1)  proved ")


def test_between_files_a_terminal_is_told_how_many_are_settled(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    terminal = Terminal()
    progress = Progress(terminal, 3)
    progress.file_done()
    progress.waiting()
    assert terminal.getvalue().endswith("[1/3] files settled")
