# Quick start: `make run` (set up and open the dashboard on the sample data),
# `make test` (set up and run every test, browser tests included, on DuckDB and then on PostgreSQL).
PYTHON ?= python3
PORT ?= 8501
# Chromium renders chart images (PNG downloads, the meeting brief) and drives the browser tests;
# LibreOffice and poppler check the Word report (and Calc saves .xls/.ods) in the tests; nginx (and openssl for its test certificate)
# runs the deployment guide's reverse proxy in a test; postgresql gives the tests a PostgreSQL 15 server
# (tests/pg_server.py runs initdb and pg_ctl from /usr/lib/postgresql/15/bin in a temporary folder).
RUN_PACKAGES = chromium fonts-noto-cjk
TEST_PACKAGES = $(RUN_PACKAGES) libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils nginx openssl postgresql
# The second pass, on PostgreSQL (SAFETY_TEST_STORE=postgresql), runs every test outside tests/browser
# (metrics, import, undo, pages through AppTest, CLI, the PostgreSQL concurrency test; tests marked
# file_store, about the DuckDB file itself, are skipped) and this browser subset, which opens every page
# once on a served PostgreSQL database: every page with the sample and without data, the leader pages'
# figures, and deep links as a fresh server's first request. The other browser files (projector and
# screen sizes, menus, accounts, nginx, the offline install) run on DuckDB only: they test the browser
# side, which is the same on both stores, and the CI budget (40 minutes) leaves no room for them twice.
PG_BROWSER_TESTS = tests/browser/test_chinese_ui.py::test_every_page_is_chinese \
	tests/browser/test_leader_pages.py::test_overview_shows_the_figures \
	tests/browser/test_leader_pages.py::test_trends_page_draws_charts_and_tables \
	tests/browser/test_leader_pages.py::test_ranking_page_lists_counties \
	tests/browser/test_leader_pages.py::test_every_page_without_data \
	tests/browser/test_deep_links.py

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
	SAFETY_TEST_STORE=duckdb $(PYTHON) -m pytest -q

test-postgresql:
	SAFETY_TEST_STORE=postgresql $(PYTHON) -m pytest -q --ignore=tests/browser
	SAFETY_TEST_STORE=postgresql $(PYTHON) -m pytest -q $(PG_BROWSER_TESTS)

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
