"""Each kind of bad derivation file gives its own message at its own place
(file, line, column)."""

from __future__ import annotations

import pytest

from derive.document.loader import load
from derive.errors import DeriveError, FileFormatError, JustificationError, LatexSyntaxError

RULES = {"definition", "given", "solve", "substitute"}

HEAD = """\
[meta]
title = "t"

[symbols]
'x' = "real"
'y' = "real"

[functions]
'f(x)' = "real"
"""
# HEAD is lines 1-9; the first [[step]] below it is line 10.


def step(tag="1", latex="'x = y'", by='"definition"', extra=""):
    return f"[[step]]\ntag = \"{tag}\"\nlatex = {latex}\nby = {by}\n{extra}"


def error_of(write_toml, text, kind=DeriveError):
    path = write_toml(text)
    with pytest.raises(kind) as caught:
        load(path, known_rules=RULES)
    error = caught.value
    assert error.position.path == str(path)
    return error, text.splitlines()


def where(error):
    return error.position.line, error.position.column


def test_invalid_toml_syntax(write_toml):
    error, _ = error_of(write_toml, HEAD + "[[step]]\ntag = = \"1\"\n", FileFormatError)
    assert error.message == "invalid TOML: Invalid value"
    assert where(error) == (11, 7)
    assert error.position.source_line == 'tag = = "1"'


def test_invalid_toml_at_end_of_document(write_toml):
    """tomllib reports an unterminated string 'at end of document': point there, not at 1:1."""
    error, lines = error_of(write_toml, HEAD + "[[step]]\ntag = \"1\"\nlatex = 'x = y\n",
                            FileFormatError)
    assert error.message.startswith("invalid TOML: ")
    assert where(error) == (12, len(lines[11]) + 1)


def test_unknown_rule(write_toml):
    error, lines = error_of(write_toml, HEAD + step(by='"frobnicate (1)"'), JustificationError)
    assert error.message == "unknown rule 'frobnicate' (known: definition, given, solve, substitute)"
    assert where(error) == (13, 7)
    assert lines[12][error.position.column - 1:].startswith("frobnicate")


def test_premise_that_does_not_exist(write_toml):
    error, lines = error_of(write_toml, HEAD + step(by='"given (9)"'), JustificationError)
    assert error.message == "premise (9) does not exist"
    assert where(error) == (13, 13)
    assert lines[12][12:15] == "(9)"


def test_premise_that_comes_later(write_toml):
    text = HEAD + step("1", by='"given (2)"') + step("2", "'y = x'")
    error, _ = error_of(write_toml, text, JustificationError)
    assert error.message == "premise (2) comes later"
    assert where(error) == (13, 13)


def test_target_that_does_not_exist(write_toml):
    text = HEAD + step("1") + step("2", by='"substitute (1) into (7)"')
    error, lines = error_of(write_toml, text, JustificationError)
    assert error.message == "premise (7) does not exist"
    assert lines[error.position.line - 1][error.position.column - 1:].startswith("(7)")


def test_premise_in_the_second_justification_of_a_list(write_toml):
    text = HEAD + step("1", "'x = y = x'", by='["definition", "given (5)"]')
    error, lines = error_of(write_toml, text, JustificationError)
    assert error.message == "premise (5) does not exist"
    assert where(error) == (13, 28)
    assert lines[12][27:30] == "(5)"


def test_duplicate_tag(write_toml):
    error, _ = error_of(write_toml, HEAD + step("1") + step("1", "'y = x'"), FileFormatError)
    assert error.message == "duplicate tag (1); it is first used by step 1"
    assert where(error) == (15, 8)


def test_undeclared_function_in_a_formula(write_toml):
    error, lines = error_of(write_toml, HEAD + step(latex="'x = g(y)'"), LatexSyntaxError)
    assert error.message == "undeclared name 'g'"
    assert where(error) == (12, 14)
    assert lines[11][13] == "g"


def test_undeclared_name_inside_a_multiline_string(write_toml):
    latex = "'''\n  x = y\n    + \\frac{1}{q}\n'''"
    error, lines = error_of(write_toml, HEAD + step(latex=latex), LatexSyntaxError)
    assert error.message == "undeclared name 'q'"
    assert where(error) == (14, 16)
    assert lines[13][15] == "q"
    assert error.position.source_line == "    + \\frac{1}{q}"


def test_undeclared_name_on_the_first_line_of_a_multiline_string(write_toml):
    error, lines = error_of(write_toml, HEAD + step(latex="'''x = q'''"), LatexSyntaxError)
    assert where(error) == (12, 16)
    assert lines[11][15] == "q"


def test_undeclared_name_in_a_multiline_aligned_environment(write_toml):
    latex = "'''\n\\begin{aligned}\n  x &= y \\\\\n    &= z\n\\end{aligned}\n'''"
    error, lines = error_of(write_toml, HEAD + step(latex=latex), LatexSyntaxError)
    assert error.message == "undeclared name 'z'"
    assert where(error) == (15, 8)
    assert lines[14][7] == "z"


def test_undeclared_name_in_a_justification_argument(write_toml):
    error, lines = error_of(write_toml, HEAD + step(by="'solve for x + q'"), LatexSyntaxError)
    assert error.message == "undeclared name 'q'"
    assert where(error) == (13, 21)
    assert lines[12][20] == "q"


def test_undeclared_name_in_a_function_declaration(write_toml):
    text = HEAD + "'h(x, w)' = \"real\"\n" + step()
    error, _ = error_of(write_toml, text, FileFormatError)
    assert error.message == "undeclared name 'w' (declare it under [symbols] first)"
    assert where(error) == (10, 7)


def test_unbalanced_brace(write_toml):
    error, _ = error_of(write_toml, HEAD + step(latex="'x = \\frac{x{y}'"), LatexSyntaxError)
    assert error.message == "unbalanced brace '{': never closed"
    assert where(error) == (12, 19)


def test_unbalanced_closing_parenthesis(write_toml):
    error, lines = error_of(write_toml, HEAD + step(latex="'x = f(y))'"), LatexSyntaxError)
    assert error.message == "unbalanced parenthesis ')': nothing open to close"
    assert where(error) == (12, 18)
    assert lines[11][17:] == ")'"


def test_unsupported_command(write_toml):
    error, lines = error_of(write_toml, HEAD + step(latex="'x = \\foo y'"), LatexSyntaxError)
    assert error.message == "unsupported command \\foo"
    assert where(error) == (12, 14)
    assert lines[11][13:17] == "\\foo"


def test_latex_in_a_basic_string(write_toml):
    error, _ = error_of(write_toml, HEAD + step(latex='"x = y"'), FileFormatError)
    assert error.message == ("write the LaTeX as a literal string ('...' or '''...''') so "
                             "that backslashes stay as written")
    assert where(error) == (12, 10)


def test_latex_in_a_multiline_basic_string(write_toml):
    error, _ = error_of(write_toml, HEAD + step(latex='"""\nx = y\n"""'), FileFormatError)
    assert "literal string" in error.message
    assert where(error) == (13, 1)


def test_tag_that_disagrees_with_the_step(write_toml):
    error, _ = error_of(write_toml, HEAD + step(latex="'x = y \\tag{2}'"), FileFormatError)
    assert error.message == "the formula says \\tag{2} but the step's tag is '1'"
    assert where(error) == (12, 10)


def test_wrong_number_of_justifications(write_toml):
    text = HEAD + step(latex="'x = y = x'", by='["definition", "given", "definition"]')
    error, _ = error_of(write_toml, text, FileFormatError)
    assert error.message == ("3 justifications for 2 links; give one per link, or a single "
                             "one for all")
    assert error.position.line == 13


def test_one_justification_per_link_is_accepted(write_toml):
    path = write_toml(HEAD + step(latex="'x = y = x'", by='["definition", "definition"]'))
    document = load(path, known_rules=RULES)
    assert len(document.steps[0].justifications) == 2


def test_unreadable_justification(write_toml):
    error, _ = error_of(write_toml, HEAD + step(by='"given (1"'), JustificationError)
    assert error.message.startswith("cannot read this justification")
    assert error.position.line == 13


def test_missing_by(write_toml):
    text = HEAD + "[[step]]\ntag = \"1\"\nlatex = 'x = y'\n"
    error, _ = error_of(write_toml, text, FileFormatError)
    assert error.message == "missing 'by' (the justification, e.g. 'given')"
    assert where(error) == (10, 1)


def test_missing_latex(write_toml):
    error, _ = error_of(write_toml, HEAD + "[[step]]\ntag = \"1\"\nby = 'given'\n",
                        FileFormatError)
    assert error.message == "missing 'latex'"
    assert where(error) == (10, 1)      # the [[step]] that lacks it


def test_unknown_key_in_a_step(write_toml):
    error, _ = error_of(write_toml, HEAD + step(extra="colour = 'red'\n"), FileFormatError)
    assert error.message.startswith("unknown key 'colour' in a step")
    assert where(error) == (14, 1)


def test_unknown_table(write_toml):
    error, _ = error_of(write_toml, HEAD + "[stuff]\na = 1\n" + step(), FileFormatError)
    assert error.message.startswith("unknown table 'stuff'")
    assert where(error) == (10, 1)


def test_unknown_assumption(write_toml):
    text = HEAD.replace("'y' = \"real\"", "'y' = \"reel\"") + step()
    error, _ = error_of(write_toml, text, LatexSyntaxError)
    assert error.message.startswith("unknown assumption 'reel'")
    assert where(error) == (6, 8)


def test_name_declared_twice(write_toml):
    r"""\lambda_0 and \lambda_{0} are the same name."""
    text = HEAD.replace("'y' = \"real\"",
                        "'y' = \"real\"\n'\\lambda_0' = \"real\"\n'\\lambda_{0}' = \"positive\"")
    error, _ = error_of(write_toml, text + step(), LatexSyntaxError)
    assert error.message == ("'\\lambda_{0}' is declared twice "
                             "(the other declaration is on line 7)")
    assert where(error) == (8, 2)


def test_corrects_must_name_an_earlier_step(write_toml):
    error, _ = error_of(write_toml, HEAD + step(extra="corrects = '3'\n"), FileFormatError)
    assert error.message == "'corrects' names (3), which is not an earlier step"
    assert where(error) == (14, 13)


def test_no_steps(write_toml):
    error, _ = error_of(write_toml, HEAD, FileFormatError)
    assert "no [[step]] tables" in error.message


def test_missing_file(tmp_path):
    with pytest.raises(FileFormatError) as caught:
        load(tmp_path / "absent.toml", known_rules=RULES)
    assert caught.value.message.startswith("cannot read file")


def test_error_display_has_the_source_line_and_a_caret(write_toml):
    error, _ = error_of(write_toml, HEAD + step(latex="'x = g(y)'"), LatexSyntaxError)
    first, source, caret = error.show().splitlines()
    assert first.endswith(":12:14: error: undeclared name 'g'")
    assert source.strip() == "latex = 'x = g(y)'"
    assert caret.index("^") == source.index("g")
