# CCHC: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3 || echo python3.11)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
HOST ?= 127.0.0.1
PORT ?= 8000
# -rs lists every skipped test with its reason, so a skip never goes unnoticed.
PYTEST_ARGS ?= -rs
export DJANGO_SETTINGS_MODULE := cchc.settings

.PHONY: run test setup system-deps test-deps translations messages lint typecheck migrations-check pytest-sqlite pytest-postgres clean

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -c 'import sys, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
		echo "Python 3.11 with venv is required (Debian: apt-get install python3.11 python3.11-venv)."; \
		echo "Found: $(PYTHON). Point to another one with: make PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Debian packages, installed only when missing: gettext to compile translations;
# Pango for WeasyPrint (PDF) and Liberation Serif 2 (metric twin of Times New Roman,
# with the Vietnamese letters that version 1 lacks).
# Tests add Chromium (driven by Playwright, which never downloads a browser) and
# LibreOffice with Poppler to render generated documents to pictures.
system-deps:
	@command -v msgfmt >/dev/null || ./scripts/apt-install gettext
	@ldconfig -p | grep -q libpangoft2 || ./scripts/apt-install libpango-1.0-0 libpangoft2-1.0-0
	@fc-list ':lang=vi' family | grep -q 'Liberation Serif' || ./scripts/apt-install fonts-liberation2

test-deps: system-deps
	@command -v chromium >/dev/null || ./scripts/apt-install chromium
	@command -v soffice >/dev/null || ./scripts/apt-install libreoffice-writer-nogui
	@command -v pdftoppm >/dev/null || ./scripts/apt-install poppler-utils

# English is the source language; locale/vi holds the Vietnamese catalogue.
translations: $(VENV)/.runtime system-deps
	DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) -v 0

# Safe to repeat: migrate applies what is new, load_demo refreshes the demo data
# and prints the demo logins.
setup: translations
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py load_demo

# The scheduler (reminders, digests, the mail queue) runs in the background and stops with the server.
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop). Sign in with one of the demo accounts above."
	DEBUG=1 $(PY) manage.py run_scheduler & pid=$$!; trap 'kill $$pid 2>/dev/null; wait $$pid' EXIT; DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Refresh the Vietnamese catalogue after changing user-facing strings, then translate
# the new entries (front/tests/test_translations.py fails while any is missing).
messages: $(VENV)/.runtime
	DEBUG=1 $(PY) manage.py makemessages -l vi --ignore=$(VENV) --ignore=test-artifacts --ignore='*/tests/*' --ignore=bench --no-obsolete

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	DEBUG=1 $(VENV)/bin/mypy .

migrations-check: $(VENV)/.runtime
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# pytest exits with 5 when it collected no tests: that fails the build too.
pytest-sqlite: $(VENV)/.dev translations test-deps
	DATABASE_URL= $(VENV)/bin/pytest $(PYTEST_ARGS)

# Runs when a server answers; REQUIRE_POSTGRES=1 (CI) makes its absence an error.
pytest-postgres: $(VENV)/.dev translations test-deps
	@if $(PY) scripts/db_reachable.py "$(PG_URL)"; then \
		echo "DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)"; \
		DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest $(PYTEST_ARGS); \
	elif [ "$$REQUIRE_POSTGRES" = 1 ]; then \
		echo "PostgreSQL is required but not reachable at $(PG_URL)"; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run"; \
	fi

test: lint typecheck migrations-check
	$(MAKE) pytest-sqlite
	$(MAKE) pytest-postgres

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache test-artifacts
