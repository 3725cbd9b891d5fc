# saleor-qb-sync developer commands. `make test` is what CI runs (see .ci/run).
PYTHON ?= $(shell command -v python3.12 || ls $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -1)
VENV := .venv
BIN := $(VENV)/bin
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/saleor_qb_sync
QBXML_SCHEMA_DIR ?= $(abspath ../shared/qbxml-schema/13.0)
QBWC_WSDL ?= $(abspath ../shared/qbwc-wsdl/QBWebConnectorSvc.wsdl)
export QBXML_SCHEMA_DIR QBWC_WSDL

.PHONY: setup test test-saleor test-dashboard-real bench lint demo serve dist clean dashboard-test dashboard-e2e dashboard-build

$(BIN)/python:
	@test -n "$(PYTHON)" || (echo "Python 3.12 not found: install it (pyenv install 3.12) or set PYTHON=" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

test: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q

test-saleor:
	@test -n "$(SALEOR_SRC)" || (echo "set SALEOR_SRC=<path to a Saleor checkout with its venv>" && exit 2)
	SALEOR_SRC=$(SALEOR_SRC) tests/saleor/run

# the real Saleor Dashboard with our app in it (tests/dashboard_real/README.md)
test-dashboard-real:
	@test -n "$(SALEOR_SRC)" -a -n "$(SALEOR_DASHBOARD_SRC)" || (echo "set SALEOR_SRC=<Saleor checkout with its venv> and SALEOR_DASHBOARD_SRC=<saleor-dashboard checkout> (optional SALEOR_DATABASE_URL)" && exit 2)
	SALEOR_SRC=$(SALEOR_SRC) SALEOR_DASHBOARD_SRC=$(SALEOR_DASHBOARD_SRC) tests/dashboard_real/run

bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH)

lint: setup
	$(BIN)/ruff check saleor_qb_sync tests benchmarks

demo: setup
	$(BIN)/python -m saleor_qb_sync.demo

serve: setup
	$(BIN)/python -m saleor_qb_sync.standalone.manage migrate --noinput
	$(BIN)/python -m saleor_qb_sync.standalone.manage load_sample_orders
	$(BIN)/python -m saleor_qb_sync.standalone.manage runserver 127.0.0.1:8000

# The wheel a store installs into Saleor's environment (the package is not on PyPI):
#   uv pip install --python <saleor>/.venv/bin/python dist/saleor_qb_sync-<version>-py3-none-any.whl
# It carries the built Dashboard app (saleor_qb_sync/static/dashboard) and schema.graphql.
dist: setup
	rm -rf dist build
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	@$(BIN)/python -c "import sys, zipfile, glob; w = glob.glob('dist/*.whl')[0]; n = zipfile.ZipFile(w).namelist(); missing = [p for p in ('saleor_qb_sync/static/dashboard/index.html', 'saleor_qb_sync/graphql/schema.graphql', 'saleor_qb_sync/migrations/0001_initial.py') if p not in n]; sys.exit(f'{w} lacks {missing}') if missing else print(f'{w}: {len(n)} files')"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis dist build

dashboard-extension/node_modules/.package-lock.json: dashboard-extension/package-lock.json
	cd dashboard-extension && npm ci --no-audit --no-fund

dashboard-test: dashboard-extension/node_modules/.package-lock.json
	cd dashboard-extension && npm run check-codegen && npm run lint && npm test && npm run check-build

dashboard-build: dashboard-extension/node_modules/.package-lock.json
	cd dashboard-extension && npm run build

dashboard-e2e: setup dashboard-extension/node_modules/.package-lock.json
	cd dashboard-extension && npm run e2e
