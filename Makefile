# Quick start: `make run` (set up and open the dashboard on the sample data),
# `make test` (set up and run every test, browser tests included).
PYTHON ?= python3
PORT ?= 8501
# Chromium renders chart images (PNG downloads, the meeting brief) and drives the browser tests;
# LibreOffice and poppler check the Word report (and Calc saves .xls/.ods) in the tests; nginx (and openssl for its test certificate)
# runs the deployment guide's reverse proxy in a test.
RUN_PACKAGES = chromium fonts-noto-cjk
TEST_PACKAGES = $(RUN_PACKAGES) libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils nginx openssl

.PHONY: run test setup setup-dev lint bench bundle

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
	$(PYTHON) -m pytest -q

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
