# Amends: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AMENDS := $(BIN)/amends
PG_URL ?= postgres://postgres@127.0.0.1:5432/amends

.PHONY: run test test-sqlite test-postgres lint bench bench-intake install install-dev system-packages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate, load demo data on first run, serve on http://127.0.0.1:8000
run: install
	$(AMENDS) migrate --no-input -v 0
	$(AMENDS) collectstatic --no-input -v 0
	$(AMENDS) demo --if-empty
	$(AMENDS) serve --host 127.0.0.1 --port 8000

## make test: lint, then the whole suite on SQLite and on PostgreSQL (with the browser tests)
test: install-dev system-packages lint test-sqlite test-postgres

system-packages:
	@scripts/ensure-system-packages

test-sqlite: install-dev
	$(BIN)/pytest -p no:cacheprovider -q

# tests/playbook is the pure-Python coach (no Django, no database): the SQLite run covers it.
test-postgres: install-dev
	@if scripts/postgres-up "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -p no:cacheprovider -q --ignore=tests/playbook; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is required in CI" >&2; exit 1; \
	else echo "PostgreSQL is not reachable at $(PG_URL): skipping the PostgreSQL run."; fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy amends
	AMENDS_DATA_DIR=var/lint-data $(AMENDS) makemigrations --check --dry-run -v 0
	$(BIN)/python scripts/check_messages.py

bench: install-dev
	$(BIN)/python bench/coach_speed.py
	$(BIN)/python bench/coach_eval.py

## make bench-intake: e-mail intake speed, Amends against django-helpdesk 2.6.1 (own venv, needs pip)
bench-intake: install-dev
	$(BIN)/python bench/intake_speed.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
