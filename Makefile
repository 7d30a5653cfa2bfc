# Two commands do everything on a fresh Debian machine:
#   make run    install, create the database with the bundled plans, start the dashboard
#   make test   install (Python and Debian packages), start what the tests need, run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := chromium chromium-driver fonts-dejavu-core fonts-noto-core poppler-utils postgresql
# LibreOffice renders exported slides and workbooks to pictures in the tests (without its ~1 GB of extras).
LEAN_PACKAGES := libreoffice-impress libreoffice-calc libreoffice-writer
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres fuzz install install-dev system-packages bench bench-engine bench-upload bench-pages bench-export bench-durability bench-backends bench-load clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	lean=""; for p in $(LEAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || lean="$$lean $$p"; done; \
	if [ -n "$$missing$$lean" ]; then echo "Cài gói Debian:$$missing$$lean"; $(SUDO) apt-get update -qq; fi; \
	if [ -n "$$missing" ]; then DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi; \
	if [ -n "$$lean" ]; then DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$lean; fi

install-dev: install system-packages

run: install
	$(PY) -m kpi init
	$(PY) -m kpi demo   # illustrative figures, marked "Dữ liệu minh họa" on every page; remove: python -m kpi demo --remove
	$(PY) -m streamlit run server.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

# The suites that read and write through kpi/db run a second time on PostgreSQL (a throw-away server on a
# loopback port, started and stopped by the tests themselves: tests/pg_server.py). The pages, exports and
# browser tests reach the database only through those same functions, so they run once, on the embedded
# file, to keep `make test` within its 30 minutes; `make test-postgres` runs every suite on PostgreSQL
# (about 55 minutes on 2 cores, 05/12/2026: 1.478 passed, 9 skipped with their reasons).
PG_SUITES := tests/test_cycle.py tests/test_accounts.py tests/test_commentary.py tests/test_audit_trail.py \
	tests/engine/test_basis.py tests/engine/test_rollup_laws.py tests/engine/test_trend.py \
	tests/excel/test_upload_scope.py tests/excel/test_entry_form.py

test: install-dev
	$(VENV)/bin/ruff check --select F kpi pages app.py tests bench
	$(PY) -m pytest --durations=25
	KPI_TEST_BACKEND=postgres $(PY) -m pytest --durations=10 $(PG_SUITES)

test-postgres: install-dev
	KPI_TEST_BACKEND=postgres $(PY) -m pytest

bench: install
	$(PY) bench/bench_plan_catalogue.py
	$(PY) bench/bench_upload.py
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_export.py
	$(PY) bench/bench_durability.py

bench-pages: install-dev
	$(PY) bench/bench_pages.py

bench-export: install
	$(PY) bench/bench_export.py

bench-durability: install
	$(PY) bench/bench_durability.py

bench-upload: install
	$(PY) bench/bench_upload.py

bench-engine: install
	$(PY) bench/bench_engine.py --scales $(or $(SCALES),province national)

# The engine on PostgreSQL beside the embedded file (a throw-away server on loopback; docs/performance.md)
bench-backends: install-dev
	$(PY) bench/bench_backends.py --scales $(or $(SCALES),province)

# N browser sessions and M uploads on PostgreSQL (one and two app processes) and on the file (docs/performance.md)
bench-load: install-dev
	$(PY) bench/bench_load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts bench/.data

# A long fuzz of the file layer (tests/excel/test_fuzz.py), outside the normal suite's bounded run:
#   make fuzz FUZZ_MUTANTS=10000 FUZZ_SEED=1
FUZZ_MUTANTS ?= 10000
FUZZ_SEED ?= 20261204
fuzz: install
	FUZZ_MUTANTS=$(FUZZ_MUTANTS) FUZZ_SEED=$(FUZZ_SEED) FUZZ_SECONDS=86400 $(PY) -m pytest tests/excel/test_fuzz.py -q -s -p no:cacheprovider
