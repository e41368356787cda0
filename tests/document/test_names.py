"""Guessing declarations from the names formulas use (derive import)."""

from __future__ import annotations

import pytest

from derive.document.names import infer


def _guess(*formulas):
    found, _ = infer([(str(k), f) for k, f in enumerate(formulas, 1)])
    return found


def test_functions_indexed_data_and_parameters():
    found = _guess(r"\theta^{\ast} = \arg\max_{\theta} \prod_{i=1}^{N} p(x_i | z_i; \theta)",
                   r"x = f_{\theta}(z) + \epsilon")
    assert found.functions == {r"p(x | z; \theta)": "real", r"f_{\theta}(z)": "real"}
    assert found.indexed == {"x": "real", "z": "real"}
    assert found.symbols[r"\theta^{\ast}"] == "real"
    assert found.symbols["i"] == "integer"            # a summation index
    assert found.notes[("symbols", "i")].startswith("check")
    assert {"x", "z", r"\theta", r"\epsilon", "N"} <= set(found.symbols)


def test_a_name_before_a_parenthesised_expression_is_a_product():
    found = _guess(r"L = \lambda_0 \left( \int_0^1 q(t) dt - 1 \right)")
    assert r"\lambda_0" in found.symbols
    assert found.functions == {"q(t)": "real"}
    assert "t" in found.symbols and not found.domains   # limits given: no domain needed


def test_a_function_taken_as_an_argument_is_declared_after_it():
    found = _guess(r"\max_{p} H(p) = -\int p(\epsilon) \log p(\epsilon) d\epsilon")
    assert list(found.functions) == [r"p(\epsilon)", "H(p)"]
    assert "p" not in found.symbols
    assert found.domains == {r"\epsilon": (r"-\infty", r"\infty")}


def test_constants_are_recognised():
    found = _guess(r"y = e^{-x} + \pi")
    assert found.constants == {"e": r"\exp(1)"}
    assert "e" not in found.symbols and r"\pi" not in found.symbols


def test_normal_density_is_derive_s_own():
    found = _guess(r"p(x) = \mathcal{N}(x; \mu, \sigma^2)")
    assert found.functions == {"p(x)": "real"}
    assert {r"\mu", r"\sigma", "x"} <= set(found.symbols)


def test_unreadable_formulas_are_listed_not_guessed():
    _, usage = infer([("1", r"x = \foo{y}")])
    assert usage.unreadable and usage.unreadable[0][0] == "1"
    assert "unsupported command" in usage.unreadable[0][1]


@pytest.mark.parametrize("name", ["equations/why-mse.toml", "equations/max-entropy-normal.toml",
                                  "equations/map-weight-decay.toml",
                                  "equations/softmax-cross-entropy.toml"])
def test_the_guesses_read_every_shipped_formula(name, tmp_path):
    """With the guessed declarations alone, derive's loader reads every formula."""
    import tomllib
    import tomlkit
    from pathlib import Path
    from derive.document.loader import load
    from derive.importer import _declarations

    root = Path(__file__).resolve().parents[2]
    data = tomllib.loads((root / name).read_text(encoding="utf-8"))
    found, usage = infer([(s["tag"], s["latex"].strip()) for s in data["step"]])
    assert not usage.unreadable
    document = tomlkit.parse((root / name).read_text(encoding="utf-8"))
    for table in ("symbols", "indexed", "functions", "constants", "domains"):
        document.pop(table, None)
    for step in document["step"]:
        step["by"] = "?"
        step.pop("expect_failure", None)
    guessed = tomlkit.document()
    guessed["meta"] = document["meta"]
    _declarations(guessed, found)
    guessed["step"] = document["step"]
    path = tmp_path / "guessed.toml"
    path.write_text(tomlkit.dumps(guessed), encoding="utf-8")
    assert len(load(path).steps) == len(data["step"])
