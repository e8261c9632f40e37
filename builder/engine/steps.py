"""The datatrove steps of the analysis: `AnalyseShard` wraps the project's `Analyse`, `RecordWriter`
writes a task's records.

They live in the installed package because Ray and Slurm workers import them by
reference; they carry only paths and names, and load the rules and spaCy inside
`run()`, in the worker, never in the driver that pickles them.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from datatrove.pipeline.base import PipelineStep

from builder.rules import RuleSet
from builder.errors import BuilderError, InputError
from builder.read.article import Article
from builder.records.cache import AnalysisCache, encode

ARTICLE_FIELDS = [f.name for f in fields(Article) if f.name not in ("article_id", "text")]


def to_article(doc) -> Article:
    """The Article of a datatrove Document read from an article shard, checked against the key the
    build wrote beside it (an edited shard would mix another text into the cache)."""
    meta = doc.metadata
    article = Article(article_id=doc.id, text=doc.text, **{name: meta[name] for name in ARTICLE_FIELDS})
    if AnalysisCache.key(article) != meta["key"]:
        raise InputError(f"{meta.get('file_path')}: article {doc.id!r} is not the one the build wrote (its id and text no longer "
                         "match their key); delete this file and the build writes it again")
    return article


class AnalyseShard(PipelineStep):
    """A task's articles → their records (cache, spaCy for the misses, invariant checks), one dict
    per article with its position and dropped items, then a footer with the task's cache counts."""

    name = "analyse"
    type = "stance-builder"

    def __init__(self, rules: RuleSet, cache_root: Path | None, namespace: str, n_process: int = 1):
        super().__init__()
        self.rules = rules  # pickled as its folder: each worker loads and checks the set once (RuleSet.__reduce__)
        self.cache_root = cache_root
        self.namespace = namespace
        self.n_process = n_process

    def run(self, data, rank: int = 0, world_size: int = 1):
        from builder.run.fingerprint import fingerprint, model_name
        from builder.steps.analyse import Analyse

        rules = self.rules
        if fingerprint(rules, model_name()) != self.namespace:
            raise BuilderError(f"task {rank}: this worker's rules, model or code differ from the build's (fingerprint "
                               f"{fingerprint(rules, model_name())}, not {self.namespace}); install the same stance-builder everywhere")
        docs = list(data or ())
        cache = AnalysisCache(self.cache_root, self.namespace)
        analysis = Analyse(rules, cache, self.n_process)
        seen = 0
        for doc, rec in zip(docs, analysis.run([to_article(d) for d in docs])):
            dropped, seen = analysis.dropped[seen:], len(analysis.dropped)
            self.stat_update("articles")
            yield {"position": doc.metadata["position"], "analysis": encode(rec), "dropped": [d.as_dict() for d in dropped]}
        self.stat_update("cache_hits", value=cache.hits)
        self.stat_update("cache_misses", value=cache.misses)
        yield {"footer": {"rank": rank, "articles": len(docs), "cache_hits": cache.hits, "cache_misses": cache.misses}}


class RecordWriter(PipelineStep):
    """The last step: the task's items as `<rank>.jsonl` in `folder` (builder/engine/shards.py)."""

    name = "records"
    type = "stance-builder"

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = Path(folder)

    def run(self, data, rank: int = 0, world_size: int = 1):
        from builder.engine.shards import shard_name, write_records

        write_records(self.folder / shard_name(rank), data or ())
        yield from ()
