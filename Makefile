# Entry points for a fresh machine with Python 3.11 (see README "Quick start"):
#   make demo   set up .venv and run the main job on the bundled example articles
#   make test   set up .venv and run the whole test suite
#   make bench-store   the event store benchmark (100,000 synthetic events, SQLite; see README)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench-store clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/eventlens ingest examples/articles.jsonl
	$(BIN)/eventlens events --limit 5 --format table >/dev/null

test: setup
	$(BIN)/python -m pytest -q

bench-store: setup
	$(BIN)/python bench/store.py --events 100000

clean:
	rm -rf $(VENV) eventlens.db eventlens.db-wal eventlens.db-shm
