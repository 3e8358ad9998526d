# plangen — `make help` lists the targets. Only python3 and make are needed: the first target
# that needs Python creates .venv/ and installs plangen into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

# Every file in the inputs, and a list of their names that changes only when a file is added,
# removed or renamed: so deleting a return rebuilds the plan too.
INPUTS   := $(wildcard inputs/plan.xlsx inputs/returns/*) outputs/.inputs-list
TEMPLATE := templates/plan.docx
HTML_TEMPLATE := templates/plan.html
BUILD    = $(BIN)/plangen build --inputs inputs --template $(TEMPLATE) --output outputs/plan.docx
SOURCES  := $(wildcard src/plangen/*.py src/plangen/*/*.py)

.DEFAULT_GOAL := help
.PHONY: help plan validate pdf html publish returns summary check-template test lint clean docs bench FORCE

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

plan: outputs/plan.docx ## Build outputs/plan.docx from inputs/ and the Word template

outputs/.inputs-list: FORCE
	@mkdir -p outputs
	@echo '$(wildcard inputs/plan.xlsx inputs/returns/*)' | cmp -s - $@ || \
	  echo '$(wildcard inputs/plan.xlsx inputs/returns/*)' > $@

validate: $(STAMP) ## Check the inputs and list every problem, by file, sheet and cell
	$(BIN)/plangen validate --inputs inputs

outputs/plan.docx: $(STAMP) $(INPUTS) $(TEMPLATE) $(SOURCES)
	$(BUILD)

pdf: outputs/plan.pdf ## Build outputs/plan.pdf (and the .docx) through LibreOffice

outputs/plan.pdf: $(STAMP) $(INPUTS) $(TEMPLATE) $(SOURCES)
	$(BUILD) --pdf

html: outputs/plan.html ## Build outputs/plan.html (and the .docx), the accessible web page

outputs/plan.html: $(STAMP) $(INPUTS) $(TEMPLATE) $(HTML_TEMPLATE) $(SOURCES)
	$(BUILD) --html

publish: $(STAMP) ## Build the .docx, .pdf and .html, then check their accessibility
	$(BUILD) --pdf --html
	$(BIN)/plangen check-accessibility outputs/plan.docx outputs/plan.html

returns: $(STAMP) ## Write a blank return for each partner to outputs/returns/
	$(BIN)/plangen returns --inputs inputs --out outputs/returns

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

docs: $(STAMP) ## Regenerate the generated parts of docs/returns.md, partners.md, template-guide.md
	$(BIN)/python scripts/make_docs.py

bench: $(STAMP) ## Time and size a build at three sizes and hostile inputs (slow; not in make test)
	$(BIN)/python scripts/bench.py
