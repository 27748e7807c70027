# Finsam – the two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev check-system migrate seed lint bench load browser-test clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(PY)
	$(PIP) install --quiet -r requirements-dev.lock
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

check-system: install
	@$(PY) -m finsam.syscheck

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## Serve the demo förbund on http://127.0.0.1:8000 (SQLite, Celery eager, no MFA demand).
run: check-system seed
	@echo ""
	@echo "Finsam körs på http://$(HOST):$(PORT)/  (avsluta med Ctrl-C)"
	FINSAM_REQUIRE_MFA=0 $(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite (browser tests included when Chromium is installed).
test: install-dev
	@$(PY) -m finsam.syscheck
	$(PY) -m pytest $(PYTEST_ARGS)

browser-test: install-dev
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

## Build a large generated förbund in a scratch database and print page timings.
bench: install-dev
	$(PY) -m finsam.bench $(BENCH_ARGS)

## Load test: gunicorn, PostgreSQL and a Celery worker on Redis under 30 simulated users.
load: install-dev
	$(PY) loadtest/run.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
