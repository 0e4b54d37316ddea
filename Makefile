# cchc-briefings: the front door. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# pip on some machines warns about local mirror folders that do not exist; that noise hides real errors.
PIPQUIET := 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
# Selections for `make reports` (empty = the defaults: every province, latest year, Vietnamese, all cores).
PROVINCES ?=
YEARS     ?=
JOBS      ?=
# Selection for `make preview` (one briefing).
PROVINCE  ?=
YEAR      ?=
# LANG is also the shell's locale variable: only a value given on the make command line selects languages.
ifeq ($(origin LANG),command line)
BRIEF_LANG := $(LANG)
endif
# Run Python in a UTF-8 locale whatever LANG was set to on the command line.
RUN := env LANG=C.UTF-8 LC_ALL=C.UTF-8

.PHONY: help setup data reports preview test lint clean benchmark audit

help: ## List the targets
	@echo "cchc-briefings: make <target>"
	@grep -hE '^[a-z][a-zA-Z_-]*:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo "Selections for reports: PROVINCES='Nghệ An,Lào Cai' YEARS=2018 LANG=vi|en|vi,en JOBS=2"
	@echo "Preview one briefing:   make preview PROVINCE='Nghệ An' YEAR=2018 LANG=en  (Ctrl-C stops)"

# The venv is a file target: it is rebuilt only when the requirements or pyproject change.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@echo "==> building $(VENV) (first run only; about a minute)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip $(PIPQUIET)
	@$(BIN)/python -m pip install --quiet -r requirements-dev.txt $(PIPQUIET)
	@$(BIN)/python -m pip install --quiet --no-deps -e . $(PIPQUIET)
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned packages (only when requirements change)

data: $(STAMP) ## Clean data/raw into data/clean (figures.parquet/csv, rejects.csv, manifest.json)
	@echo "==> cleaning data/raw -> data/clean"
	@$(RUN) $(BIN)/analysis clean

reports: data ## Build HTML + PDF briefings into reports/ (PROVINCES= YEARS= LANG= JOBS=)
	@echo "==> building briefings"
	@$(RUN) $(BIN)/analysis reports \
	  $(if $(PROVINCES),--provinces "$(PROVINCES)") $(if $(YEARS),--years "$(YEARS)") \
	  $(if $(BRIEF_LANG),--lang "$(BRIEF_LANG)") $(if $(JOBS),--jobs "$(JOBS)")

preview: $(STAMP) ## One briefing: build it, print its HTML path, rebuild on every change (PROVINCE= YEAR= LANG=)
	@test -n "$(PROVINCE)" || { echo "usage: make preview PROVINCE='Nghệ An' [YEAR=2018] [LANG=vi|en]" >&2; exit 2; }
	@$(RUN) $(BIN)/analysis preview --province "$(PROVINCE)" \
	  $(if $(YEAR),--year "$(YEAR)") $(if $(BRIEF_LANG),--lang "$(BRIEF_LANG)")

test: $(STAMP) ## Run the test suite (includes an end-to-end build of two briefings)
	@echo "==> running tests"
	@$(RUN) $(BIN)/python -m pytest -q

audit: data ## Check every briefing 2005-2025 (63/34 provinces, vi/en) against the rule book; non-zero on any violation
	@echo "==> auditing every briefing against the rule book"
	@$(RUN) $(BIN)/analysis audit

lint: $(STAMP) ## ruff check + format check, and notebooks carry no outputs
	@echo "==> linting"
	@$(BIN)/ruff check src tests benchmarks scripts
	@$(BIN)/ruff format --check src tests benchmarks scripts
	@$(BIN)/python -m analysis.nbcheck notebooks

benchmark: $(STAMP) ## Time make reports against the naive papermill+nbconvert loop (writes benchmarks/out/)
	@$(BIN)/python benchmarks/bench_reports.py

clean: ## Remove built data and reports (keeps .venv and data/raw)
	@echo "==> removing data/clean and reports outputs"
	@find data/clean -mindepth 1 ! -name .gitkeep -delete
	@find reports -mindepth 1 ! -name .gitkeep -delete
