# Quick start: `make run` (set up and open the dashboard on the sample data),
# `make test` (set up and run every test, browser tests included, on DuckDB and then again on PostgreSQL).
PYTHON ?= python3
PORT ?= 8501
# Chromium renders chart images (PNG downloads, the meeting brief) and drives the browser tests;
# LibreOffice and poppler check the Word report (and Calc saves .xls/.ods) in the tests; nginx (and openssl for its test certificate)
# runs the deployment guide's reverse proxy in a test; postgresql gives the tests a PostgreSQL 15 server
# (tests/pg_server.py runs initdb and pg_ctl from /usr/lib/postgresql/15/bin in a temporary folder).
RUN_PACKAGES = chromium fonts-noto-cjk
TEST_PACKAGES = $(RUN_PACKAGES) libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils nginx openssl postgresql
# Both passes run the whole suite, browser tests included (on PostgreSQL not those marked `presentation`,
# which do not depend on the store), in two pytest-xdist workers (--dist loadfile: a test file's tests
# share one worker and its module fixtures). Each worker has its own throwaway PostgreSQL server and its
# own app servers on free ports. TEST_WORKERS=1 runs a pass in one process.
TEST_WORKERS ?= 2
PYTEST = $(PYTHON) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

.PHONY: run test test-duckdb test-postgresql setup setup-dev lint bench bundle

setup:
	$(PYTHON) -m pip install --quiet -r requirements.txt

setup-dev:
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt

define install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

run: setup
	$(call install_missing,$(RUN_PACKAGES))
	$(PYTHON) -m analytics init
	$(PYTHON) -m analytics serve --port $(PORT)

test: setup-dev
	$(call install_missing,$(TEST_PACKAGES))
	$(MAKE) --no-print-directory test-duckdb
	$(MAKE) --no-print-directory test-postgresql

test-duckdb:
	SAFETY_TEST_STORE=duckdb $(PYTEST)

test-postgresql:
	SAFETY_TEST_STORE=postgresql $(PYTEST)

# Offline bundles for the intranet (docs/部署.md): dist/*-linux_x86_64.tar.gz and dist/*-win_amd64.zip.
bundle: setup-dev
	$(PYTHON) -m scripts.bundle --out dist

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

bench:
	$(PYTHON) -m scripts.bench_import
	$(PYTHON) -m scripts.bench_metrics
	$(PYTHON) -m scripts.bench_pages
