"""`derive verify` on many files: an input error does not stop the others, `-j N` gives
what `-j 1` gives, the time limit is validated, and huge numbers are refused."""

from __future__ import annotations

import json

import pytest

from derive.cli import main
from derive.document.loader import loads
from derive.errors import LatexSyntaxError
from tests.rules.derivations import HEADER, step

GOOD = HEADER + step("1", "a + b = b + a", "equal")
FALSE = HEADER + step("1", "a + b = b - a", "equal")
BAD = HEADER + step("1", r"a + \foo = b", "equal")


def _write(folder, **files):
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def _strip_times(data):
    """The JSON without timings, which no two runs share."""
    if isinstance(data, dict):
        return {k: _strip_times(v) for k, v in data.items() if k != "seconds"}
    if isinstance(data, list):
        return [_strip_times(v) for v in data]
    return data


def test_an_input_error_is_reported_and_the_other_files_checked(tmp_path, capsys):
    _write(tmp_path, a_bad=BAD, b_good=GOOD)
    assert main(["verify", str(tmp_path), "-j", "1"]) == 2
    out, err = capsys.readouterr()
    assert "a_bad.toml:" in err and r"unsupported command \foo" in err and "^" in err
    assert "b_good.toml: rule test" in out and "conclusion (1) established" in out


def test_an_input_error_wins_over_a_failed_step(tmp_path, capsys):
    _write(tmp_path, a_false=FALSE, b_bad=BAD)
    assert main(["verify", str(tmp_path), "-j", "1"]) == 2
    assert "FAILED" in capsys.readouterr().out


def test_json_reports_input_errors_as_objects_with_totals(tmp_path, capsys):
    _write(tmp_path, a_bad=BAD, b_good=GOOD, c_false=FALSE)
    assert main(["verify", str(tmp_path), "--json", "-j", "1"]) == 2
    data = json.loads(capsys.readouterr().out)
    (error,) = data["errors"]
    assert error["path"].endswith("a_bad.toml")
    assert error["line"] > 1 and error["column"] > 1
    assert r"\foo" in error["message"]
    assert [d["file"].rsplit("/", 1)[-1] for d in data["derivations"]] == \
        ["b_good.toml", "c_false.toml"]
    totals = data["totals"]
    assert totals["files"] == 3 and totals["input_errors"] == 1 and totals["checked"] == 2
    assert totals["ok"] == 1 and totals["established"] == 1
    assert totals["marks"] == {"proved": 1, "failed": 1}


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "soon"])
def test_the_time_limit_must_be_positive_and_finite(value, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["verify", "--time-limit", value])
    assert exit.value.code == 2
    assert "--time-limit" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_jobs_must_be_a_positive_whole_number(value, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["verify", "-j", value])
    assert exit.value.code == 2


def test_parallel_results_are_those_of_one_process(tmp_path, capsys):
    _write(tmp_path, a=GOOD, b=FALSE, c=BAD, d=GOOD.replace("b + a", "a + b"))
    runs = {}
    for jobs in ("1", "2"):
        status = main(["verify", str(tmp_path), "--json", "--no-cache", "-j", jobs])
        runs[jobs] = (status, _strip_times(json.loads(capsys.readouterr().out)))
    assert runs["1"] == runs["2"]
    assert runs["1"][0] == 2 and len(runs["1"][1]["derivations"]) == 3


def test_a_cached_run_gives_the_same_json(tmp_path, capsys):
    _write(tmp_path, a=GOOD, b=FALSE)
    cache = ["--cache-dir", str(tmp_path / "cache"), "-j", "1"]
    assert main(["verify", str(tmp_path), "--json", *cache]) == 1
    fresh = _strip_times(json.loads(capsys.readouterr().out))
    assert main(["verify", str(tmp_path), "--json", *cache]) == 1
    cached = json.loads(capsys.readouterr().out)
    assert cached["totals"]["cached"] == 2
    for derivation in cached["derivations"]:
        assert derivation.pop("cached") is True
    cached["totals"]["cached"] = 0
    assert _strip_times(cached) == fresh


#: Where a formula starts on its line: after ``latex = '''``.
PREFIX = 11


@pytest.mark.parametrize("latex, column", [     # the column in the formula
    (r"a = 10^{10^{10}}", 8),
    (r"a = b^{2} + 2^{2^{2^{2^{2}}}}", 15),      # 2^{65536}: the outermost power
    (r"a = \frac{1}{10^{-10^{10}}}", 17),
    ("a = " + "9" * 1001, 5),
])
def test_numbers_too_large_to_write_out_are_refused_with_a_position(latex, column):
    with pytest.raises(LatexSyntaxError) as error:
        loads(HEADER + step("1", latex, "given"), "huge.toml")
    assert "too l" in error.value.message and "digits" in error.value.message
    assert error.value.position.column == PREFIX + column
    assert error.value.position.path == "huge.toml"


def test_large_numbers_an_article_may_write_are_read():
    document = loads(HEADER + step("1", r"a = 2^{64} + 10^{999} + 2^{-100}", "given"))
    assert document.steps[0].formula.links[0].rhs > 2 ** 64


def test_a_folder_is_searched_to_the_bottom_hidden_folders_excepted(tmp_path, capsys):
    for folder in ("corpus", ".cache"):
        (tmp_path / folder).mkdir()
    _write(tmp_path, a=GOOD)
    _write(tmp_path / "corpus", b=FALSE)
    _write(tmp_path / ".cache", c=BAD)
    assert main(["verify", str(tmp_path), "-j", "1"]) == 1
    out = capsys.readouterr().out
    assert "a.toml" in out and "corpus/b.toml" in out and "FAILED" in out
    assert "c.toml" not in out


def test_two_derivations_whose_reports_would_share_a_name_are_refused(tmp_path, capsys):
    _write(tmp_path, a=GOOD)
    (tmp_path / "more").mkdir()
    _write(tmp_path / "more", a=GOOD)
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "would both write reports named a.*" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_report_does_not_depend_on_the_hash_seed(tmp_path):
    """Sets iterate in an order that changes with PYTHONHASHSEED; nothing shown may."""
    import os
    import subprocess
    import sys

    text = HEADER + step("1", r"\int_{-\infty}^{\infty} \exp(-(b + a + \sigma) t^2) dt"
                              r" + \int_{-\infty}^{\infty} \exp(-\lambda t^2) dt"
                              r" = \sqrt{\frac{\pi}{a + b + \sigma}} + \sqrt{\frac{\pi}{\lambda}}",
                         "integrate")
    _write(tmp_path, a=text)
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        run = subprocess.run([sys.executable, "-m", "derive", "verify", "--json", "--no-cache",
                              str(tmp_path / "a.toml")], capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        outputs.add(json.dumps(_strip_times(json.loads(run.stdout)), sort_keys=True))
    assert len(outputs) == 1
    assert r"a > 0" in outputs.pop()


def test_workers_fork_with_the_parsers_built():
    """The parent builds both parsers before forking, so no worker builds them again."""
    from derive import corpus
    from derive.document.loader import _justification_parser
    from derive.latex.syntax import latex_parser

    latex_parser.cache_clear()
    _justification_parser.cache_clear()
    corpus._before_fork()
    assert latex_parser.cache_info().currsize == 1
    assert _justification_parser.cache_info().currsize == 1
