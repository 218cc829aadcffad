# flashpoint: `make run` codes the bundled example, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: install dev run test lint clean fuzz

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

# CI fuzz stage: >= 10,000 generated hostile inputs through the readers and the coder (docs/security.md).
fuzz: $(DEVSTAMP)
	rm -f $(VENV)/fuzz-report.jsonl
	FLASHPOINT_FUZZ=full FLASHPOINT_FUZZ_REPORT=$(VENV)/fuzz-report.jsonl $(VENV)/bin/pytest -p no:cacheprovider \
		tests/test_fuzz_coder.py tests/test_fuzz_readers.py
	@$(PY) -c "import json; r = [json.loads(l) for l in open('$(VENV)/fuzz-report.jsonl')]; \
		print('fuzzed', sum(x['inputs'] for x in r), 'inputs:', ', '.join(f\"{x['test']} {x['inputs']}\" for x in r))"

clean:
	rm -rf $(VENV) flashpoint.db events.csv events.geojson
