# make demo: set up, then run the whole pipeline offline on the bundled corpus.
# make test: set up, then run the test suite.
# Both create .venv and install from the hashed lock file when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lock bench bench-site serve clean train

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

# The learned kind classifier (extract/model/README.md): the rules' kinds of the training
# sentences (dev split, the training pool extract/gold/train and the 2021 dev gold set, never test), a DocBin, spaCy training with
# the repository's config and seed, and the last epoch's model copied into the package.
KINDS_WORK := build/kinds
train: $(STAMP)
	$(BIN)/python -m extract.train_kinds examples
	$(BIN)/python -m extract.train_kinds docbin $(KINDS_WORK)/train.spacy
	rm -rf $(KINDS_WORK)/out
	$(BIN)/python -m spacy train extract/model/config.cfg --output $(KINDS_WORK)/out \
		--paths.train $(KINDS_WORK)/train.spacy --paths.dev $(KINDS_WORK)/train.spacy
	rm -rf extract/model/kinds
	cp -r $(KINDS_WORK)/out/model-last extract/model/kinds

# The static site at 10,000 commitments and 100,000 mentions (goal: under a minute).
bench-site: $(STAMP)
	$(BIN)/python bench/site_build.py

serve: $(STAMP)
	$(BIN)/commitments serve

clean:
	rm -rf $(VENV) data/demo *.egg-info
