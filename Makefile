# Tandem: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export TANDEM_DATA_DIR ?= $(CURDIR)/data
export TANDEM_PORT := $(PORT)

.PHONY: run test lint format bench bench-pg calibrate drill install install-dev migrate demo clean

$(BIN)/tandem: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

install: $(BIN)/tandem

$(VENV)/.dev-installed: $(BIN)/tandem
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# axe-core for the browser tests' accessibility checks, at the version the lock file pins.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --ignore-scripts --silent
	touch $@

install-dev: $(VENV)/.dev-installed $(AXE)

# The worker delivers webhooks in the background and stops when serve exits.
run: install
	$(BIN)/tandem migrate --no-input
	$(BIN)/tandem collectstatic --no-input --verbosity 0
	$(BIN)/tandem demo
	$(BIN)/tandem worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/tandem serve --port $(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/tandem makemigrations --check --dry-run
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The fault drill of issue 9, not part of `make test`: about ten minutes against an instance
# (and a PostgreSQL database) of its own; prints its figures.
drill: install-dev
	$(BIN)/python -m tests.drill

bench: install-dev
	$(BIN)/python -m tests.bench

# Two app servers on one PostgreSQL (a database of its own, dropped after) behind haproxy,
# installed from Debian when missing; then the HTTP section on PostgreSQL.
bench-pg: install-dev
	command -v haproxy >/dev/null || { apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy; }
	TANDEM_DATABASE_URL=$${TANDEM_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	  $(BIN)/python -m tests.bench twoservers http

# The forecast back-tested against a straight-line pace (also the last section of bench).
calibrate: install-dev
	$(BIN)/python -m tests.bench calibrate

clean:
	rm -rf $(VENV) build *.egg-info
