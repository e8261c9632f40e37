"""The per-article analysis: cache lookup, spaCy for the misses, records, the invariant checks.

One step over a stream of articles, so an executor can run it per shard; the
model is loaded only when an article of the shard is not in the cache.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from builder.progress import progress as with_progress
from builder.read.article import Article
from builder.records import model as records
from builder.records.cache import AnalysisCache
from builder.records.invariants import Dropped, check_article
from builder.rules import RuleSet
from builder.steps.base import Step, shard


class Analyse(Step):
    """Articles in, analysed articles out (input order); the items the invariant checks drop are
    collected in `dropped` (article id, item, reason), like a filter's exclusions."""

    def __init__(self, rules: RuleSet, cache: AnalysisCache, n_process: int = 1, progress: bool = False):
        self.rules = rules
        self.cache = cache
        self.n_process = n_process
        self.progress = progress
        self.dropped: list[Dropped] = []

    def run(self, data: Iterable[Article], rank: int = 0, world_size: int = 1) -> Iterator[records.AnalysedArticle]:
        articles = list(shard(data, rank, world_size))
        analysed = [self.cache.get(a) for a in articles]
        missing = [i for i, rec in enumerate(analysed) if rec is None]
        if missing:
            for i, rec in zip(missing, self._analyse([articles[i] for i in missing])):
                analysed[i] = rec
        # every article, cached or new, passes the structural checks before the corpus steps
        for rec in analysed:
            self.dropped.extend(check_article(rec))
            yield rec

    def _analyse(self, articles: list[Article]) -> Iterator[records.AnalysedArticle]:
        """Records of articles the cache lacks (cached as they come, before their checks)."""
        from builder.nlp.pipeline import analyse, load_pipeline

        nlp = load_pipeline(self.rules)
        docs = analyse(nlp, (a.text for a in articles), self.n_process)
        for article, doc in with_progress(zip(articles, docs), self.progress, "analyse", "article", len(articles)):
            rec = records.to_records(article, doc)
            self.cache.put(rec)
            yield rec
