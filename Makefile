# näringslivsstatistik: `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
LOCK   := requirements.lock
export STATS_DB ?= $(CURDIR)/data/stats.duckdb

# The lock is resolved against the public package index alone: no pip config file and none of the
# pip variables that add another index, local wheels or a constraint file.
PUBLIC_PIP := env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null
LOCK_FLAGS ?=

.PHONY: run test lint lock refresh snapshot load bench clean

# Every package, setuptools for the editable build included, comes from the lock with its hashes.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# After a change to pyproject.toml: `make lock` (keeps the other pins; LOCK_FLAGS=--upgrade moves all).
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(PUBLIC_PIP) $(BIN)/pip install --quiet pip-tools
	$(PUBLIC_PIP) $(BIN)/pip-compile --quiet --generate-hashes --extra dev \
		--build-deps-for editable --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) -o $(LOCK) pyproject.toml

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
	$(BIN)/python -m bench.suggest
	$(BIN)/python -m bench.gallery
	$(BIN)/python bench/export.py
	$(BIN)/python bench/publish.py
	$(BIN)/python bench/refresh.py
	$(BIN)/python bench/kolada_search.py

clean:
	rm -rf $(VENV) data/stats.duckdb data/stats.duckdb.* data/.stats.duckdb.* data/raw
