# make demo: set up, then run the whole pipeline offline on the bundled corpus.
# make test: set up, then run the test suite.
# Both create .venv and install from the hashed lock file when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lock bench serve clean

demo: $(STAMP)
	$(BIN)/commitments demo

test: $(STAMP)
	$(BIN)/python -m pytest

install: $(STAMP)

# Every dependency, the spaCy model among them, is pinned with its hashes in
# requirements.lock; the project itself is installed editable on top.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerate requirements.lock after changing a pin in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 --no-header --quiet -o requirements.lock

bench: $(STAMP)
	$(BIN)/python bench/run.py

serve: $(STAMP)
	$(BIN)/commitments serve

clean:
	rm -rf $(VENV) data/demo *.egg-info
