# flashpoint: `make run` codes the bundled example, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: install dev run test lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[serve,analytics,postgres,watch]"
	touch $@

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(PIP) install --quiet -e ".[serve,analytics,postgres,watch,scale,dev]"
	touch $@

install: $(STAMP)

dev: $(DEVSTAMP)

run: $(STAMP)
	$(VENV)/bin/flashpoint code examples/hts-2018.txt --published 2018-05-08 \
		--title "HTS loses ground and support in Syria" --db sqlite:///flashpoint.db --format table
	$(VENV)/bin/flashpoint export --db sqlite:///flashpoint.db --format acled-csv --out events.csv
	$(VENV)/bin/flashpoint export --db sqlite:///flashpoint.db --format geojson --out events.geojson
	@echo "Saved: flashpoint.db, events.csv, events.geojson"

test: $(DEVSTAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) flashpoint.db events.csv events.geojson
