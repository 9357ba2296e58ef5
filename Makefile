# InvestPromo — `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
# The newest supported Python that runs here, or PYTHON=python3.12 (any 3.11-3.13).
SUPPORTED_PYTHONS := 3.13 3.12 3.11
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach v,$(SUPPORTED_PYTHONS),$(shell python$(v) -c '' >/dev/null 2>&1 && echo python$(v))))
endif
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Made with the venv; when another Python is chosen it is missing, and the venv is made anew.
VENV_MADE := $(VENV)/.made-by-python$(PYTHON_VERSION)
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test pass: set it, or .ci/run does.
POSTGRES_TEST_URL ?=

.PHONY: help install install-dev assets setup demo run test test-sqlite test-postgres lint format bench smoke python-version clean

help:
	@echo "make run    install, create the SQLite database with reference + demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   install test tools, lint, run the suite on SQLite and (if configured) PostgreSQL"
	@echo "make bench  benchmarks under bench/"

$(VENV_MADE):
	@case "$(PYTHON_VERSION)" in 3.11|3.12|3.13) ;; \
	  *) if [ -z "$(PYTHON)" ]; then echo "No python3.13, python3.12 or python3.11 runs here: install one, or run make PYTHON=/path/to/python3.x"; \
	     else echo "PYTHON=$(PYTHON) is not a Python 3.11, 3.12 or 3.13 that runs here$(if $(PYTHON_VERSION), (it is $(PYTHON_VERSION)))"; fi; exit 1;; esac
	@made_by=$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	if [ "$$made_by" != "$(PYTHON_VERSION)" ]; then \
	  if [ -e $(VENV) ]; then echo "$(VENV) was made by Python $${made_by:-unknown}: making it anew with $(PYTHON) (Python $(PYTHON_VERSION))"; fi; \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip || exit 1; \
	fi
	@echo '*' > $(VENV)/.gitignore
	@touch $@

$(VENV)/.installed: pyproject.toml $(VENV_MADE)
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

# A quick check of another Python (.ci/run): install into its own venv, then set up, load the
# demo, report and import a sample on a scratch database. make smoke PYTHON=python3.12 VENV=.venv-3.12
smoke: $(VENV)/.installed
	@scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	export DATABASE_URL="sqlite:///$$scratch/smoke.sqlite3" INVESTPROMO_DATA_DIR="$$scratch" DJANGO_STATIC_ROOT="$$scratch/static"; \
	run() { "$(BIN)/investpromo" "$$@" >"$$scratch/out" 2>&1 || { echo "smoke on Python $(PYTHON_VERSION) failed: investpromo $$*"; cat "$$scratch/out"; exit 1; }; }; \
	run setup; run demo; \
	run report --event hlj-industry-transfer-2024 --format text --lang en; \
	run event add harbin-2025 --name "2025哈洽会" --start 2025-05-17 --end 2025-05-21 --region 哈尔滨; \
	run import examples/signing-list.xlsx --event harbin-2025; \
	run import-progress examples/progress-q2.xlsx --dry-run; \
	echo "smoke on Python $(PYTHON_VERSION) ($(VENV)): setup, demo, report and a sample import passed"

python-version:
	@echo $(PYTHON_VERSION)

clean:
	rm -rf $(VENV) .venv-3.* node_modules staticfiles .pytest_cache .ruff_cache
