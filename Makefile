# The two commands of the README: `make run` (set up, land sample data, build) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
export LAKEHOUSE_DIR ?= $(CURDIR)/.lakehouse
export DBT_PROFILES_DIR ?= $(CURDIR)
SAMPLE_ORDERS ?= 20000
SAMPLE_BATCHES ?= 3
BENCH_SCALES ?= 1000000,5000000,10000000
BENCH_REPEATS ?= 3

# The `thrift` test run gets a lakehouse of its own (the server owns its metastore while it runs).
THRIFT_TEST_DIR ?= $(CURDIR)/.lakehouse/test-thrift
# the empty lakehouse that `make lint` compiles against (emptied on every lint)
LINT_DIR ?= $(CURDIR)/.lakehouse/lint
# pytest's temp folders (emptied when a suite starts), one per suite
PYTEST_DIR ?= $(CURDIR)/.lakehouse/pytest

# Debian's Chromium drives the lineage-site test (pytests/test_lineage_site_e2e.py).
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: help setup browser run sample-data build lint test test-local test-thrift thrift-start thrift-stop benchmark clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(VENV)/.installed  ## create .venv with the pinned set (requirements.txt)

# Re-installs when a pin or one of this repo's packages changes.
$(VENV)/.installed: requirements.txt pyproject.toml $(shell find adapters src -name '*.py' -o -name '*.toml' -o -name '*.sql' -o -name '*.yml' | grep -v egg-info)
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

browser:  ## install Debian's chromium for the browser test (apt; skipped when present)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

sample-data: setup  ## land SAMPLE_BATCHES batches of SAMPLE_ORDERS orders (skips landed batches)
	$(BIN)/lakehouse generate --orders $(SAMPLE_ORDERS) --batches $(SAMPLE_BATCHES) --skip-existing

build: setup  ## dbt build on the default target
	$(BIN)/dbt build

run: sample-data build  ## set up, land sample data and build the pipeline on embedded Spark

# dbt-score (config in pyproject.toml, the project's rules in lint/): every model, source,
# snapshot and macro documented, a primary-key test on every model, one properties file per
# folder, sources read by bronze only. sqlfluff's dbt templater lints the SQL that models, tests
# and analyses compile to; it skips files that only define macros (it has nothing to render
# there), so macros/ is linted through the models that call its macros. The templater compiles
# against an empty lakehouse of its own (LINT_DIR), so lint judges the same SQL before and after
# `make run` built the local one, and never waits for its lock.
lint: setup  ## ruff + sqlfluff (dbt templater) + dbt-score + mypy
	$(BIN)/ruff check src pytests adapters python_models lint
	$(BIN)/ruff format --check src pytests adapters python_models lint
	rm -rf $(LINT_DIR)
	LAKEHOUSE_DIR=$(LINT_DIR) $(BIN)/sqlfluff lint models tests analyses
	LAKEHOUSE_DIR=$(LINT_DIR) PYTHONPATH=lint $(BIN)/dbt-score lint --run-dbt-parse
	$(BIN)/mypy

# The two suites run side by side: one suite alone keeps ~70% of the two cores busy (Spark's
# driver, dbt and Python wait between statements), so together they take ~30% less time than
# one after the other. Each suite's output is printed whole when it ends; each has its own
# pytest temp folder.
test: lint  ## everything CI runs: lint, then the whole suite on `local` and the `thrift` end-to-end modules, side by side
	@echo "Running the local and thrift suites side by side (~40 min on 2 cores); each one's output follows when it ends."
	$(MAKE) --no-print-directory --output-sync=target -j2 test-local test-thrift

# Chromium is checked in the recipe, not as a prerequisite: with --output-sync=target, make did
# not start this suite beside the thrift one while a prerequisite with a recipe was in the way
# (the two ran one after the other).
test-local: setup  ## the pytest suite (unit + end-to-end) on the embedded `local` target
	@command -v chromium >/dev/null || $(MAKE) --no-print-directory browser
	mkdir -p $(PYTEST_DIR)
	$(BIN)/pytest --basetemp=$(PYTEST_DIR)/local

# Starts a server for THRIFT_TEST_DIR, runs the end-to-end modules marked `thrift` against it
# (what depends on the target, and the property test; `DBT_TARGET=thrift pytest -m e2e` runs
# every e2e module there), stops it even when a test fails (and keeps the suite's exit status).
test-thrift: setup  ## the end-to-end modules marked `thrift`, on the `thrift` target, against a server it starts
	rm -rf $(THRIFT_TEST_DIR) && mkdir -p $(PYTEST_DIR)
	export LAKEHOUSE_DIR=$(THRIFT_TEST_DIR) && $(BIN)/lakehouse thrift start && \
	trap '$(BIN)/lakehouse thrift stop' EXIT && \
	DBT_TARGET=thrift $(BIN)/pytest -m "e2e and thrift" --basetemp=$(PYTEST_DIR)/thrift pytests

thrift-start: setup  ## start the local Spark Thrift Server (target `thrift`) for LAKEHOUSE_DIR
	$(BIN)/lakehouse thrift start

thrift-stop:  ## stop it
	$(BIN)/lakehouse thrift stop

benchmark: setup  ## the whole benchmark (docs/benchmarks/); BENCH_SCALES, BENCH_REPEATS to change it
	$(BIN)/lakehouse benchmark --scales $(BENCH_SCALES) --repeats $(BENCH_REPEATS)

clean:  ## remove local state (warehouse, metastore, landing data) and dbt artifacts
	rm -rf $(LAKEHOUSE_DIR) target logs
