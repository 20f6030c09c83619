# Two entry points (see README): `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install syslibs lint migrate demo serve e2e bench clean

.venv/bin/python:
	python3 -m venv .venv

.venv/.installed: pyproject.toml | .venv/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.installed: node_modules/.installed scripts/vendor.mjs
	node scripts/vendor.mjs
	touch $@

# WeasyPrint (PDFs) needs Pango and HarfBuzz from the system. Installed with apt when missing and we
# are root (as on the CI and developer machines); otherwise the command to run is printed.
SYSLIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
syslibs:
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p | grep -q 'libharfbuzz-subset.so.0'; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && apt-get install -y -q $(SYSLIBS); \
		else \
			echo "PDF-udskrift kræver: sudo apt-get install $(SYSLIBS)"; \
		fi; \
	fi

install: syslibs .venv/.installed static/vendor/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

# Serve; with REDIS_URL set a Celery worker (with beat) runs beside the web server.
run: demo
	@if [ -n "$$REDIS_URL" ]; then \
		.venv/bin/celery -A sundhed worker -B --loglevel=INFO --concurrency=2 & \
		trap "kill $$! 2>/dev/null" EXIT; \
		$(PY) manage.py runserver $(HOST):$(PORT); \
	else \
		$(PY) manage.py runserver $(HOST):$(PORT); \
	fi

lint: install
	.venv/bin/ruff check .
	.venv/bin/lint-imports

test: lint
	.venv/bin/pytest

e2e: install
	.venv/bin/pytest -m e2e

bench: install
	$(PY) manage.py benchmark

clean:
	rm -rf .venv node_modules static/vendor staticfiles
