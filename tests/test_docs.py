"""The documentation's example is real: it is the file it claims to be, and it verifies."""

from __future__ import annotations

import re
from pathlib import Path

from derive.check.engine import check_document
from derive.document.loader import load

ROOT = Path(__file__).resolve().parents[1]


def test_format_doc_example_is_docs_example_and_verifies():
    text = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    section = text.split("## A complete small example", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    example = ROOT / "docs" / "example.toml"
    assert block == example.read_text(encoding="utf-8")
    result = check_document(load(example))
    assert result.ok and result.established


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)$", quick, re.M)
    assert commands == ["make verify", "make test"]
