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
.PHONY: help plan test lint clean docs check-template summary

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

plan: outputs/plan.docx ## Build outputs/plan.docx from inputs/ and the Word template

outputs/plan.docx: $(STAMP) $(INPUTS) $(TEMPLATE) $(SOURCES)
	$(BIN)/plangen build --inputs inputs --template $(TEMPLATE) --output $@

summary: outputs/plan-on-a-page.docx ## Build outputs/plan-on-a-page.docx, the plan on a page

outputs/plan-on-a-page.docx: $(STAMP) $(INPUTS) templates/plan-on-a-page.docx $(SOURCES)
	$(BIN)/plangen build --inputs inputs --template templates/plan-on-a-page.docx --output $@

check-template: $(STAMP) ## Check templates/plan.docx after editing it (TEMPLATE=other.docx)
	$(BIN)/plangen check-template $(TEMPLATE)

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## Check style and types (ruff, mypy)
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

clean: ## Remove built outputs (keeps .venv)
	find outputs -mindepth 1 ! -name .gitkeep -delete

docs: $(STAMP) ## Regenerate the generated parts of docs/returns.md and docs/template-guide.md
	$(BIN)/python scripts/make_docs.py
