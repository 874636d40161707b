# The two commands of the README: `make run` (set up, land sample data, build) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
export LAKEHOUSE_DIR ?= $(CURDIR)/.lakehouse
export DBT_PROFILES_DIR ?= $(CURDIR)
SAMPLE_ORDERS ?= 20000
SAMPLE_BATCHES ?= 3

.PHONY: help setup run sample-data build lint test clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(VENV)/.installed  ## create .venv with the pinned set (requirements.txt)

# Re-installs when a pin or one of this repo's packages changes.
$(VENV)/.installed: requirements.txt pyproject.toml $(shell find adapters src -name '*.py' -o -name '*.toml' -o -name '*.sql' -o -name '*.yml' | grep -v egg-info)
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

sample-data: setup  ## land SAMPLE_BATCHES batches of SAMPLE_ORDERS orders (skips landed batches)
	$(BIN)/lakehouse generate --orders $(SAMPLE_ORDERS) --batches $(SAMPLE_BATCHES) --skip-existing

build: setup  ## dbt build on the default target
	$(BIN)/dbt build

run: sample-data build  ## set up, land sample data and build the pipeline on embedded Spark

lint: setup  ## ruff + sqlfluff (dbt templater)
	$(BIN)/ruff check src pytests adapters python_models
	$(BIN)/ruff format --check src pytests adapters python_models
	$(BIN)/sqlfluff lint models tests analyses

test: lint  ## everything CI runs: lint, then the pytest suite (unit + end-to-end)
	$(BIN)/pytest

clean:  ## remove local state (warehouse, metastore, landing data) and dbt artifacts
	rm -rf $(LAKEHOUSE_DIR) target logs
