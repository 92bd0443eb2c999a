# The two set-up commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Absolute links (feeds, calendars, the first administrator's login address) name the port served.
SITE_URL ?= http://$(HOST):$(PORT)
DEV_ENV := DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: run test screenshots bench soak demo migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	mkdir -p var
	$(DEV_ENV) $(MANAGE) migrate --noinput

demo: migrate
	$(DEV_ENV) $(MANAGE) load_demo
	$(DEV_ENV) $(MANAGE) ensure_staff

run: demo
	@echo "금천구청 누리집: http://$(HOST):$(PORT)/  (관리: http://$(HOST):$(PORT)/admin/)"
	$(DEV_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.installed
	$(BIN)/pytest

# Fresh README screenshots (docs/screenshots/) from the browser tests; needs chromium.
screenshots: $(VENV)/.installed
	REQUIRE_BROWSER=1 $(BIN)/pytest -q tests/browser/test_screenshots.py
	mkdir -p docs/screenshots
	cp tests/artifacts/screenshots/*.png docs/screenshots/

# Load test at district scale (PostgreSQL + gunicorn + wrk); not part of the tests. See README.
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# Two nodes behind nginx under load while PostgreSQL, Redis and a worker fail (root; restarts them). See README.
soak: $(VENV)/.installed
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) var .pytest_cache
