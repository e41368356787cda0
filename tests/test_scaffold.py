"""``derive new``: the skeleton verifies as written, is never overwritten by
accident, and only simple names are accepted."""

from __future__ import annotations

import pytest

from derive.check.engine import check_document
from derive.check.verdict import Status
from derive.cli import main
from derive.document.loader import load
from derive.errors import UsageError
from derive.scaffold import write_skeleton


def test_skeleton_verifies(tmp_path):
    path = write_skeleton("my-article", tmp_path)
    assert path == tmp_path / "my-article.toml"
    result = check_document(load(path))
    assert result.ok and result.established
    statuses = {s.step.tag: s.status for s in result.steps}
    assert statuses["1"] is Status.ASSUMED
    assert {statuses[t] for t in ("2", "4", "5")} == {Status.PROVED}


def test_skeleton_is_commented(tmp_path):
    text = write_skeleton("notes", tmp_path).read_text(encoding="utf-8")
    for table in ("[meta]", "[symbols]", "[functions]", "[[step]]"):
        assert table in text
    assert text.count("\n#") > 20
    assert 'title = "Notes"' in text


def test_new_command_writes_and_verifies(tmp_path, capsys):
    assert main(["new", "quadratic", "--dir", str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert main(["verify", str(tmp_path / "quadratic.toml")]) == 0


def test_refuses_to_overwrite(tmp_path, capsys):
    path = write_skeleton("kept", tmp_path)
    path.write_text("# my work\n", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists; use --force"):
        write_skeleton("kept", tmp_path)
    assert path.read_text(encoding="utf-8") == "# my work\n"
    assert main(["new", "kept", "--dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["new", "kept", "--dir", str(tmp_path), "--force"]) == 0
    assert "[[step]]" in path.read_text(encoding="utf-8")


def test_toml_suffix_is_dropped(tmp_path):
    assert write_skeleton("notes.toml", tmp_path).name == "notes.toml"


@pytest.mark.parametrize("name", ["", "../escape", "a/b", "a\\b", ".hidden", "~home",
                                  "two words", "x..y", "é"])
def test_bad_names_rejected(tmp_path, name, capsys):
    with pytest.raises(UsageError, match="not a simple file name"):
        write_skeleton(name, tmp_path)
    assert main(["new", name, "--dir", str(tmp_path)]) == 2
    assert "error: " in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
