# Two commands set everything up on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup figures build serve test bench lighthouse clean

# Python toolchain, pinned: pip here, everything else by constraints.txt (torch==2.13.0: README,
# "CPU-only PyTorch"):
# the formula package with its test tools, and the site machinery (docsite/).
$(BIN)/.installed: pyproject.toml docsite/pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==26.3
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]' -e ./docsite
	touch $@

# Build-time JavaScript (Temml, the math font, axe-core), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

figures: setup
	$(BIN)/python scripts/build_figures.py

# The plugin draws the stale figures itself (docsite/relu_docsite/figures.py), while the
# notebooks' kernels run.
build: setup
	$(BIN)/mkdocs build --strict

serve: figures
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# pytest exits 5 when it collected no test: that is a failure, never a silent green.
test: figures
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

bench: setup
	$(BIN)/python scripts/bench.py

# Lighthouse report (not a test: scores are noisy on 2 cores): every page, mobile, the median of
# LIGHTHOUSE_RUNS rounds, each round also auditing a stock mkdocs-material page for reference.
# PAGES="relu/ softmax/" limits it ("/" is the home page). Lighthouse is pinned in its own
# folder so `make test` never installs it.
LIGHTHOUSE_RUNS ?= 3
lighthouse: build
	cd scripts/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python scripts/lighthouse/run.py --runs $(LIGHTHOUSE_RUNS) --site site $(PAGES)

clean:
	rm -rf site .cache
