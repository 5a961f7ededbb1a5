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
# The second pass, on PostgreSQL (SAFETY_TEST_STORE=postgresql), runs the tests of what reads or writes
# the store: every metric and its coverage, import, undo and replace, the import rules, two importers at
# once, the store and its accounts, the server store and several processes importing into it while another
# reads, migrate, the command line's data, metric and document subcommands, the report from the stored
# figures, and the leader and import pages through AppTest; in the browser, every page on a served
# PostgreSQL database as a fresh server's first request (deep links). The rest runs on DuckDB only: it
# does not touch the store (readers, limits, fuzzing, templates, charts, wording, docs, structure,
# bundles), repeats through the CLI or another page what the metric tests above check on both stores, or
# tests the browser side, which is the same on both. `make test-postgresql-all` runs every non-browser
# test on PostgreSQL (about half an hour here): the 40-minute CI budget leaves no room for it beside the
# DuckDB pass.
PG_TESTS = tests/test_metrics_*.py tests/test_coverage.py tests/test_import_commit.py tests/test_import_rules.py \
	tests/test_import_concurrency.py tests/test_store.py tests/test_store_server.py \
	tests/test_store_server_concurrency.py tests/test_accounts.py tests/test_cli_data.py tests/test_cli_metrics.py \
	tests/test_cli_documents.py tests/test_report.py tests/test_report_seed_blanks.py tests/test_pages_leader.py \
	tests/test_page_import.py tests/browser/test_deep_links.py

.PHONY: run test test-duckdb test-postgresql test-postgresql-all setup setup-dev lint bench bundle

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
	SAFETY_TEST_STORE=postgresql $(PYTHON) -m pytest -q $(PG_TESTS)

test-postgresql-all:
	SAFETY_TEST_STORE=postgresql $(PYTHON) -m pytest -q --ignore=tests/browser

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
