# CCHC: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export DJANGO_SETTINGS_MODULE := cchc.settings

.PHONY: run test setup setup-dev system-deps translations messages lint typecheck pytest-sqlite pytest-postgres scheduler clean

$(VENV)/.runtime: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian packages the product needs: gettext to compile translations; Chromium for browser tests.
system-deps:
	@command -v msgfmt >/dev/null || ./scripts/apt-install gettext

translations: $(VENV)/.runtime system-deps
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0

setup: translations
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py load_demo

run: setup
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Refresh the message catalogues after changing user-facing strings.
messages: $(VENV)/.runtime
	DEBUG=1 $(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=node_modules --no-obsolete

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	DEBUG=1 $(VENV)/bin/mypy .

pytest-sqlite: $(VENV)/.dev translations
	@command -v chromium >/dev/null || ./scripts/apt-install chromium
	DATABASE_URL= $(VENV)/bin/pytest

# Runs when a server answers; REQUIRE_POSTGRES=1 (CI) makes its absence an error.
pytest-postgres: $(VENV)/.dev translations
	@if $(PY) scripts/db_reachable.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest; \
	elif [ "$$REQUIRE_POSTGRES" = 1 ]; then \
		echo "PostgreSQL is required but not reachable at $(PG_URL)"; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run"; \
	fi

test: lint typecheck
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) pytest-sqlite
	$(MAKE) pytest-postgres

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache
