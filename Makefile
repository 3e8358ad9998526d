# plangen — `make help` lists the targets. Only python3 and make are needed: the first target
# that needs Python creates .venv/ and installs plangen into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

INPUTS   := $(wildcard inputs/plan.xlsx inputs/returns/*.xlsx)
TEMPLATE := templates/plan.docx
SOURCES  := $(wildcard src/plangen/*.py)

.DEFAULT_GOAL := help
.PHONY: help plan returns test lint clean docs bench

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

plan: outputs/plan.docx ## Build outputs/plan.docx from inputs/ and the Word template

outputs/plan.docx: $(STAMP) $(INPUTS) $(TEMPLATE) $(SOURCES)
	$(BIN)/plangen build --inputs inputs --template $(TEMPLATE) --output $@

returns: $(STAMP) ## Write a blank return for each partner to outputs/returns/
	$(BIN)/plangen returns --inputs inputs --out outputs/returns

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## Check style and types (ruff, mypy)
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

clean: ## Remove built outputs (keeps .venv)
	find outputs -mindepth 1 ! -name .gitkeep -delete

docs: $(STAMP) ## Regenerate the schema tables in docs/returns.md and docs/partners.md
	$(BIN)/python scripts/make_docs.py

bench: $(STAMP) ## Time and size a build at three sizes against the floor (slow; not in make test)
	$(BIN)/python scripts/bench.py
