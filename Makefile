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
KERNEL   := cchc-briefings
# What to build, for `make reports` and `make preview` alike. Singular and plural are one variable:
# PROVINCE='Nghệ An' = PROVINCES='Nghệ An'; YEAR=2024 = YEARS=2024 (also 2019-2021 or all).
# Empty: every province, the latest year with data, Vietnamese, all cores.
PROVINCES ?=
YEARS     ?=
JOBS      ?=
FORCE     ?=
SEL_PROVINCES = $(strip $(or $(PROVINCES),$(PROVINCE)))
SEL_YEARS     = $(strip $(or $(YEARS),$(YEAR)))
# The briefing language: BRIEF_LANG or LANGS (vi, en, vi,en), from the environment or the command
# line. LANG is the shell's locale variable: it selects languages only when given on the make
# command line (`make reports LANG=en`); one in the environment is the locale and is left alone.
BRIEF_LANG ?= $(LANGS)
ifeq ($(origin LANG),command line)
BRIEF_LANG := $(LANG)
endif
# Variables a newcomer might type that mean nothing here: stop with the closest known one.
KNOWN_VARS := PROVINCES PROVINCE YEARS YEAR BRIEF_LANG LANGS LANG JOBS FORCE PYTHON CCHC_ROOT CCHC_SHARED
CMDLINE_VARS := $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))
UNKNOWN_VARS := $(filter-out $(KNOWN_VARS),$(CMDLINE_VARS))
ifneq ($(UNKNOWN_VARS),)
$(error unknown variable $(firstword $(UNKNOWN_VARS))$(shell python3 -c 'import difflib,sys; m=difflib.get_close_matches(sys.argv[1],sys.argv[2:],1,0.5); print(f" (did you mean {m[0]}?)" if m else "")' $(firstword $(UNKNOWN_VARS)) $(KNOWN_VARS)); known: PROVINCE(S)= YEAR(S)= LANG=/BRIEF_LANG= JOBS= FORCE=1)
endif
# `LANG=en make reports`: an environment LANG that looks like a briefing language, not a locale.
# Building Vietnamese anyway would surprise, and honouring it would let any shell's locale choose:
# stop and say how to ask for English.
ifeq ($(origin LANG),environment)
ifneq ($(filter $(LANG),vi en vi,en en,vi all),)
ifeq ($(strip $(BRIEF_LANG)),)
ifneq ($(filter reports preview,$(MAKECMDGOALS)),)
$(error LANG=$(LANG) came from the environment, where LANG is the shell's locale, so it does not choose the briefing language; say `make $(firstword $(MAKECMDGOALS)) LANG=$(LANG)` or `BRIEF_LANG=$(LANG) make $(firstword $(MAKECMDGOALS))`)
endif
endif
endif
endif
# Run Python in a UTF-8 locale whatever LANG was set to on the command line.
RUN := env LANG=C.UTF-8 LC_ALL=C.UTF-8
# The library's bytecode, as pip writes it for installed packages (an editable install gets none):
# where PYTHONDONTWRITEBYTECODE is set, as in many container images, every build process and kernel
# would otherwise compile the library's sources again (0.1 s each). Files already current are skipped.
COMPILE := $(BIN)/python -m compileall -q src/analysis >/dev/null

.PHONY: help setup data reports preview test lint clean benchmark audit

help: ## List the targets
	@echo "cchc-briefings: make <target>"
	@grep -hE '^[a-z][a-zA-Z_-]*:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo "Select (reports, preview): PROVINCE(S)='Nghệ An,Lào Cai' YEAR(S)=2024|2019-2021|all"
	@echo "  LANG=vi|en|vi,en on the command line, or BRIEF_LANG=en anywhere; JOBS=2; FORCE=1 rebuilds"
	@echo "Preview one briefing:   make preview PROVINCE='Nghệ An' YEAR=2024 LANG=en  (Ctrl-C stops)"

# The venv is a file target: it is rebuilt only when the requirements or pyproject change.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@echo "==> building $(VENV) (first run only; about a minute)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip $(PIPQUIET)
	@$(BIN)/python -m pip install --quiet -r requirements-dev.txt $(PIPQUIET)
	@$(BIN)/python -m pip install --quiet --no-deps -e . $(PIPQUIET)
	@$(COMPILE)
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv (pinned packages), register the Jupyter kernel, install the notebook git filter
	@$(BIN)/python -m ipykernel install --user --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null 2>&1 \
	  && echo "==> Jupyter kernel '$(KERNEL)' registered (Python of this .venv)" \
	  || echo "warning: could not register the Jupyter kernel '$(KERNEL)'" >&2
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean "sh scripts/nbstripout-filter" && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv "sh scripts/nbstripout-filter -t" && \
	  echo "==> git strips notebook outputs on commit (nbstripout, .gitattributes)"; fi

data: $(STAMP) ## Clean data/raw into data/clean when a raw file changed (FORCE=1: always)
	@$(RUN) $(BIN)/analysis clean $(if $(FORCE),--force)

reports: data ## Build the briefings (HTML, PDF, CSV, Word) into reports/ (PROVINCES= YEARS= LANG= JOBS= FORCE=)
	@echo "==> building briefings"
	@$(COMPILE)
	@$(RUN) $(BIN)/analysis reports \
	  $(if $(SEL_PROVINCES),--provinces "$(SEL_PROVINCES)") $(if $(SEL_YEARS),--years "$(SEL_YEARS)") \
	  $(if $(BRIEF_LANG),--lang "$(BRIEF_LANG)") $(if $(JOBS),--jobs "$(JOBS)") $(if $(FORCE),--force)

preview: $(STAMP) ## One briefing served on a local port, rebuilt and reloaded on every change (PROVINCE= YEAR= LANG=)
	@test -n "$(SEL_PROVINCES)" || { echo "usage: make preview PROVINCE='Nghệ An' [YEAR=2024] [LANG=vi|en]" >&2; exit 2; }
	@$(RUN) $(BIN)/analysis preview --province "$(SEL_PROVINCES)" \
	  $(if $(SEL_YEARS),--year "$(SEL_YEARS)") $(if $(BRIEF_LANG),--lang "$(BRIEF_LANG)")

test: $(STAMP) ## Run the test suite (includes an end-to-end build of two briefings)
	@echo "==> running tests"
	@$(RUN) $(BIN)/python -m pytest -q

audit: data ## Check every briefing 2005-2025 (63/34 provinces, vi/en) against the rule book; non-zero on any violation
	@echo "==> auditing every briefing against the rule book"
	@$(RUN) $(BIN)/analysis audit

lint: $(STAMP) ## ruff check + format check; notebooks carry no outputs and are saved as Jupyter saves them
	@echo "==> linting"
	@$(BIN)/ruff check src tests benchmarks scripts
	@$(BIN)/ruff format --check src tests benchmarks scripts
	@$(BIN)/python -m analysis.nbcheck notebooks

benchmark: $(STAMP) ## Time make reports against the naive papermill+nbconvert loop (writes benchmarks/out/)
	@$(COMPILE)
	@$(BIN)/python benchmarks/bench_reports.py

clean: ## Remove built data and reports (keeps .venv and data/raw)
	@echo "==> removing data/clean and reports outputs"
	@find data/clean -mindepth 1 ! -name .gitkeep -delete
	@find reports -mindepth 1 ! -name .gitkeep -delete
