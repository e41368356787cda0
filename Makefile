# derive: `make verify` checks every derivation in equations/, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: verify test report bench install clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

verify: install
	$(BIN)/derive verify

test: install
	$(BIN)/python -m pytest -n auto --dist worksteal

report: install
	$(BIN)/derive report --format md --format tex --format pdf --out $(OUT)

bench: install
	$(BIN)/python -m derive.bench

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info
