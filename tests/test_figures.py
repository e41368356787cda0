"""The README's corpus table: figures from a real run, file text escaped, the markers kept."""

from __future__ import annotations

import pytest

from derive.figures import BEGIN, END, escape, main, measure, replace_between_markers, table
from tests.rules.derivations import HEADER, step

GOOD = HEADER.replace('title = "rule test"', 'title = "A | <b>bold</b> *claim*"') \
    + step("1", "a + b = b + a", "equal") + step("2", "a + b = a + b", "equal (1)")
FALSE = HEADER + step("1", "a + b = b - a", "equal")


def test_text_from_a_file_cannot_break_the_table_or_add_markup():
    cell = escape("a | b <script>x</script> [l](u) *e*\n_f_")
    assert "|" not in cell.replace("\\|", "")
    assert "<" not in cell.replace("\\<", "") and "\n" not in cell
    assert cell.startswith("a \\| b \\<script\\>")


def test_a_row_counts_the_verdicts_and_the_rejected_mutants(tmp_path):
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    row = measure(str(tmp_path / "good.toml"))
    assert row["steps"] == 2 and row["established"]
    assert row["counts"] == {"proved": 2}
    assert row["mutants"] > 0 and row["rejected"] == row["mutants"]
    text = table([row], tmp_path)
    assert "[A \\| \\<b\\>bold\\</b\\> \\*claim\\*](good.toml)" in text
    assert f"| {row['rejected']}/{row['mutants']} (100.0%) |" in text
    assert "**1 derivations**" in text and "1 of 1" in text


def test_a_false_derivation_is_shown_not_established_and_fails_the_run(tmp_path, capsys):
    (tmp_path / "false.toml").write_text(FALSE, encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{BEGIN}\nold\n{END}\nafter\n", encoding="utf-8")
    assert main([str(tmp_path / "false.toml"), "--readme", str(readme), "-j", "1"]) == 1
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"intro\n{BEGIN}\n| derivation") and text.endswith(f"{END}\nafter\n")
    assert "old" not in text and "| **no** |" in text


def test_a_readme_without_markers_is_refused():
    with pytest.raises(ValueError, match="figures:begin"):
        replace_between_markers("no markers here", "table")


@pytest.mark.parametrize("option", [["-j", "0"], ["--time-limit", "nan"]])
def test_options_are_validated_as_verify_validates_them(option, capsys):
    with pytest.raises(SystemExit) as usage:
        main(option)
    assert usage.value.code == 2
