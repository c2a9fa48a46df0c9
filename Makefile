# näringslivsstatistik: `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
export STATS_DB ?= $(CURDIR)/data/stats.duckdb

.PHONY: run test lint refresh snapshot load bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(STATS_DB): $(STAMP) $(wildcard data/snapshot/*.toml data/snapshot/*/*)
	$(BIN)/stats load-snapshot

load: $(STAMP)
	$(BIN)/stats load-snapshot

run: $(STATS_DB)
	$(BIN)/streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

refresh: $(STAMP)
	$(BIN)/stats refresh

snapshot: $(STAMP)
	$(BIN)/stats snapshot

bench: $(STAMP)
	$(BIN)/python bench/decode.py
	$(BIN)/python bench/indicators.py
	$(BIN)/python bench/page.py
	$(BIN)/python -m bench.meeting
	$(BIN)/python bench/export.py

clean:
	rm -rf $(VENV) data/stats.duckdb data/stats.duckdb.* data/.stats.duckdb.* data/raw
