# InvestPromo — `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test pass: set it, or .ci/run does.
POSTGRES_TEST_URL ?=

.PHONY: help install install-dev assets setup demo run test test-sqlite test-postgres lint format bench clean

help:
	@echo "make run    install, create the SQLite database with reference + demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   install test tools, lint, run the suite on SQLite and (if configured) PostgreSQL"
	@echo "make bench  benchmarks under bench/"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed assets
install-dev: $(VENV)/.installed-dev assets

# Front-end assets come from the npm registry at install time and are served by the app itself.
assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: install
	$(BIN)/investpromo setup

demo: setup
	$(BIN)/investpromo demo

run: demo
	$(BIN)/investpromo collectstatic --noinput --verbosity 0
	$(BIN)/investpromo ensure_demo_admin
	@echo "Serving InvestPromo on http://$(HOST):$(PORT)/ with one background worker  (Ctrl-C to stop)"
	@# The worker checks and writes uploads; it stops with the server. Debug stays off, so an
	@# error page never shows settings or the environment (DJANGO_DEBUG=1 opts in); WhiteNoise
	@# serves the static files. Plain HTTP on this machine: cookies are not kept to HTTPS.
	$(BIN)/investpromo worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} $(BIN)/investpromo runserver $(HOST):$(PORT) --noreload

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint test-sqlite test-postgres

test-sqlite: install-dev
	env -u DATABASE_URL $(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install-dev
	@if [ -n "$(POSTGRES_TEST_URL)" ]; then \
		echo "== PostgreSQL pass: $(POSTGRES_TEST_URL)"; \
		DATABASE_URL="$(POSTGRES_TEST_URL)" $(BIN)/pytest -n 2 $(PYTEST_ARGS); \
	elif [ "$$INVESTPROMO_REQUIRE_ALL_TESTS" = "1" ]; then \
		echo "POSTGRES_TEST_URL is not set but INVESTPROMO_REQUIRE_ALL_TESTS=1: the PostgreSQL pass may not be skipped"; exit 1; \
	else \
		echo "== PostgreSQL pass skipped: set POSTGRES_TEST_URL=postgres://user:pass@host/db (see README)"; \
	fi

bench: install-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
