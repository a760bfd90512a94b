# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RUFF := $(VENV)/bin/ruff
MYPY := $(VENV)/bin/mypy
PYTHON ?= python3
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1
# The development server runs with DEBUG on; `make test` and production run without it.
DEV_ENV := DEBUG=true

.PHONY: help install install-test system-deps run migrate seed test pytest lint format \
	migrations-check check-deploy serve bench soak backup restore clean eval-extraction

help:
	@echo "make run    install, migrate, load the seed data and serve http://127.0.0.1:8000"
	@echo "make test   install everything (Chromium too), lint, check migrations, run the tests"
	@echo "make serve  production server (gunicorn); needs SECRET_KEY, SITE_URL, ALLOWED_HOSTS (see README)"
	@echo "make bench  measure page latency and memory under load (see README)"
	@echo "make soak   production server under load while PostgreSQL restarts (see README)"
	@echo "make eval-extraction [ARGS='--part heldout --json']  score the extractor on the evaluation set"
	@echo "make backup [BACKUP_FILE=…]          back up everything, history included, to JSON"
	@echo "make restore BACKUP_FILE=… [FORCE=1]  migrate, then restore a backup into an empty database"

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q -e ".[dev,serve]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q -e ".[dev,test,postgres,serve]"
	touch $@ $(VENV)/.installed-app

install: $(VENV)/.installed-app

install-test: system-deps $(VENV)/.installed-test

# Debian packages: Chromium for the browser tests, libpq-dev to build psycopg2.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pg_config >/dev/null || missing="$$missing libpq-dev"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed

run: seed
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install-test lint migrations-check
	$(PY) -m pytest

pytest: install-test
	$(PY) -m pytest $(ARGS)

lint: install-test
	$(RUFF) check .
	$(RUFF) format --check .
	$(DEV_ENV) $(MYPY)

format: install-test
	$(RUFF) check --fix .
	$(RUFF) format .

migrations-check: install-test
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

check-deploy: install
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=counterpoint.example \
		SITE_URL=https://counterpoint.example $(PY) manage.py check --deploy --fail-level WARNING

# The production server: DEBUG off, static files collected (hashed and precompressed),
# migrations applied, then gunicorn with gunicorn.conf.py. Settings come from the
# environment; the ones production must set are checked first, with what to set.
SERVE_REQUIRED := SECRET_KEY SITE_URL ALLOWED_HOSTS
serve: install
	@missing=""; for name in $(SERVE_REQUIRED); do \
		[ -n "$${!name}" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
		echo "Set$$missing first, for example:"; \
		echo "  SECRET_KEY=\$$(head -c 48 /dev/urandom | base64) SITE_URL=https://counterpoint.example \\"; \
		echo "  ALLOWED_HOSTS=counterpoint.example make serve"; \
		echo "Optional: DATABASE_URL (default SQLite), REDIS_URL (shared cache), WEB_CONCURRENCY,"; \
		echo "  BIND (127.0.0.1:8000), PAGE_CACHE=off, BEHIND_TLS_PROXY=true (see README)."; \
		exit 2; fi
	DEBUG=false $(PY) manage.py check --deploy --fail-level ERROR
	DEBUG=false $(PY) manage.py collectstatic --no-input -v 0
	DEBUG=false $(PY) manage.py migrate --no-input
	DEBUG=false $(VENV)/bin/gunicorn tracker.wsgi:application -c gunicorn.conf.py

# `make backup [BACKUP_FILE=path.json]`: everything, history included, to one JSON file
# (default backups/counterpoint-<time>.json). `make restore BACKUP_FILE=path.json [FORCE=1]`
# migrates, then loads it; refused if the database holds data, unless FORCE=1 (which
# replaces everything in it). Both run against DATABASE_URL, SQLite or PostgreSQL.
backup: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py backup $(if $(BACKUP_FILE),--output "$(BACKUP_FILE)")

restore: install
	@if [ -z "$(BACKUP_FILE)" ]; then echo "Say which backup: make restore BACKUP_FILE=backups/counterpoint-….json"; exit 2; fi
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(PY) manage.py restore "$(BACKUP_FILE)" $(if $(FORCE),--force)

# Scores the extractor and the every-sentence baseline on tests/data/extraction_eval/
# (tuning and held-out parts, reported apart). Reads files only; no database.
eval-extraction: install
	$(DEV_ENV) $(PY) manage.py eval_extraction $(ARGS)

bench: install-test
	$(PY) -m tests.bench.run

# Not part of `make test`: it runs its own PostgreSQL cluster and takes about two minutes.
soak: install-test
	$(PY) -m tests.soak.run $(ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
