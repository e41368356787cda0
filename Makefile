# derive: `make verify` checks every derivation in equations/, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: verify test report bench messages notation install clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

verify: install
	$(BIN)/derive verify

test: install
	$(BIN)/python -m pytest

report: install
	$(BIN)/derive report --format md --format tex --format pdf --out $(OUT)

# Extract the report's messages into derive/locale/derive.pot and update each catalog.
messages: install
	$(BIN)/python -m derive.report.i18n

# The notation suite's coverage: formulas read correctly, refused, silently different (0).
notation: install
	$(BIN)/python tests/latex/notation/suite.py

bench: install
	$(BIN)/python -m derive.bench

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info
