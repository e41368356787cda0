# derive: `make verify` checks every derivation in equations/, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
# KaTeX vendored into vendor/katex/ (see its README; shipped as derive/katex): version and the tarball's sha256.
KATEX_VERSION ?= 0.16.47
KATEX_SHA256  ?= ad2d1ab2f7fcc227019784320e8a2c5218ff6bb333b36df4136d10365ae29375
KATEX_DIR     := vendor/katex

.PHONY: verify test report bench figures messages notation install clean vendor-katex

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
	$(BIN)/derive report --format md --format tex --format pdf --format html --out $(OUT)

# Extract the report's messages into derive/locale/derive.pot and update each catalog.
messages: install
	$(BIN)/python -m derive.report.i18n

# The notation suite's coverage: formulas read correctly, refused, silently different (0).
notation: install
	$(BIN)/python tests/latex/notation/suite.py

# The README's corpus table: per derivation its verdicts and its mutants rejected (slow).
figures: install
	$(BIN)/python -m derive.figures --readme README.md

bench: install
	$(BIN)/python -m derive.bench

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info

# Fetch KaTeX from the npm registry and keep what the report needs: the minified
# script and style, the woff2 fonts, the licence.
vendor-katex:
	rm -rf build/katex && mkdir -p build/katex
	cd build/katex && npm pack --silent katex@$(KATEX_VERSION) >/dev/null
	echo "$(KATEX_SHA256)  build/katex/katex-$(KATEX_VERSION).tgz" | sha256sum -c -
	tar -xzf build/katex/katex-$(KATEX_VERSION).tgz -C build/katex
	rm -rf $(KATEX_DIR)/fonts $(KATEX_DIR)/katex.min.js $(KATEX_DIR)/katex.min.css $(KATEX_DIR)/LICENSE
	mkdir -p $(KATEX_DIR)/fonts
	cp build/katex/package/dist/katex.min.js build/katex/package/dist/katex.min.css \
	   build/katex/package/LICENSE $(KATEX_DIR)/
	cp build/katex/package/dist/fonts/*.woff2 $(KATEX_DIR)/fonts/
	rm -rf build/katex
