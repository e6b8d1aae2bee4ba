# Every target creates the virtualenv it needs: `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DB ?= ./data/aicode.duckdb
DEVELOPERS ?= 200
DAYS ?= 90
SEED ?= 42
# The browser tests drive Debian's chromium (never `playwright install`, which fetches its own).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo serve test check lint typecheck bench clean venv dev browser

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

dev: $(BIN)/.installed-dev

## run: build the demo organization (once) and serve API + dashboard on http://$(HOST):$(PORT)
run: $(BIN)/.installed
	$(BIN)/aicode demo --db $(DB) --host $(HOST) --port $(PORT) --seed $(SEED) --developers $(DEVELOPERS) --days $(DAYS) --if-empty
	$(BIN)/aicode serve --db $(DB) --host $(HOST) --port $(PORT)

demo: $(BIN)/.installed
	$(BIN)/aicode demo --db $(DB) --host $(HOST) --port $(PORT) --seed $(SEED) --developers $(DEVELOPERS) --days $(DAYS)

serve: $(BIN)/.installed
	$(BIN)/aicode serve --db $(DB) --host $(HOST) --port $(PORT)

$(CHROMIUM):
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

## browser: Debian's chromium, for the dashboard's browser tests
browser: $(CHROMIUM)

## test: the whole test suite (installs chromium with apt-get when it is missing)
test: $(BIN)/.installed-dev $(CHROMIUM)
	$(BIN)/python -m pytest

## check: lint and types
check: lint typecheck

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(BIN)/.installed-dev
	$(BIN)/mypy

## bench: benchmarks (not part of `make test`); size with BENCH_ARGS="--developers 10000 --days 90"
bench: $(BIN)/.installed-dev
	$(BIN)/python -m aicode.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
