"""The build's steps in order, each timed with the peak memory it reached.

read → analyse → near-duplicates → cross-document speakers → gold → splits →
tables. The steps (builder/steps/) return what they make and this module only
passes it on, so an executor can later run a step per shard without the steps
changing; the times and memory are build_report.json's `timings_seconds` and
`peak_rss_mib`.
"""

from __future__ import annotations

import contextlib
import resource
import time
from dataclasses import dataclass

from builder.read.ingest import ReadResult, read_corpus
from builder.records.cache import AnalysisCache
from builder.records.invariants import Dropped
from builder.records.model import AnalysedArticle
from builder.rules import RuleSet, load_rules
from builder.run.evaluate import evaluate
from builder.run.fingerprint import fingerprint, model_name
from builder.run.options import BuildOptions
from builder.steps.analyse import Analyse
from builder.steps.crossdoc import CrossDocumentSpeakers, SpeakerSources
from builder.steps.dedup import MarkDuplicates, NearDuplicates
from builder.steps.gold import ApplyGold, GoldLine, read_gold
from builder.steps.split import Splits


def peak_rss_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StepLog:
    """Wall time of each step and the peak memory reached by its end, in the order they ran."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.memory: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, name: str):
        t0 = time.perf_counter()
        yield
        self.record(name, t0)

    def record(self, name: str, since: float) -> None:
        """A step that began at `since` (time.perf_counter) ends now; its name may say how it went
        (`validate_reused`)."""
        self.timings[name] = time.perf_counter() - since
        self.memory[name] = peak_rss_mib()

    def report(self) -> dict:
        return {"timings_seconds": {k: round(v, 3) for k, v in self.timings.items()},
                "peak_rss_mib": {k: round(v) for k, v in self.memory.items()}}


@dataclass
class AnalysedCorpus:
    """Every article analysed by the rules, with the corpus steps of the rules done (no gold yet)."""

    analysed: list[AnalysedArticle]
    rules: RuleSet
    gold: dict[str, list[GoldLine]]
    read: ReadResult  # inputs, skipped files, duplicate articles (and the articles, until the tables)
    dropped: list[Dropped]  # items the analysis' own checks removed
    versions: dict


@dataclass
class Built:
    """The tables of a corpus and what is said about how they were made; no records any more."""

    tables: dict
    evaluation: dict | None
    rules: RuleSet
    read: ReadResult
    dropped: list[Dropped]
    versions: dict


def analyse(opts: BuildOptions, log: StepLog) -> AnalysedCorpus:
    """read → analyse → near-duplicate groups → cross-document speakers."""
    with log.step("ingest"):
        rules = load_rules(opts.schemas_dir)
        read = read_corpus(opts.input_dir, rules, opts.max_bytes, opts.skip_bad, opts.encoding, opts.progress)
        gold = read_gold(opts.input_dir / "gold", rules) if opts.use_gold else {}
    model = model_name()
    key = fingerprint(rules, model)  # rules, model and code: the cache's namespace, the manifest's record
    engine = None
    with log.step("analyse"):
        if opts.executor:
            from builder.engine.build import analyse_on_executor  # datatrove (and Ray): only for this path

            analysed, dropped, counts, engine = analyse_on_executor(opts, rules, read.articles, key)
        else:
            cache = AnalysisCache(opts.cache_dir, key)
            analysis = Analyse(rules, cache, opts.n_process, opts.progress)
            analysed = list(analysis.run(read.articles))
            dropped, counts = analysis.dropped, {"hits": cache.hits, "misses": cache.misses}
    with log.step("near_duplicates"):
        with NearDuplicates(rules.dedup, AnalysisCache(opts.cache_dir, key).dir).run(analysed) as groups:  # the cache namespace folder
            analysed = list(MarkDuplicates(groups).run(analysed))
    with log.step("cross_document"):
        taxonomy = rules.taxonomy
        holder_sides = {label.name: frozenset(label.holder_sides) for label in taxonomy.labels}
        resolve = CrossDocumentSpeakers(SpeakerSources().run(analysed), holder_sides, taxonomy.names)
        analysed = list(resolve.run(analysed))
    versions = {"model": model, "fingerprint": key, "rules": str(rules.directory) if opts.schemas_dir else "built-in",
                "rules_fingerprint": rules.fingerprint,
                "analysis_cache": counts}
    if engine:
        versions["engine"] = engine
    return AnalysedCorpus(analysed, rules, gold, read, dropped, versions)


def build(opts: BuildOptions, log: StepLog) -> Built:
    """`analyse`, then gold (the rules evaluated against it first) → splits → tables."""
    from builder.tables.rows import build_tables  # pyarrow: only for a build

    corpus = analyse(opts, log)
    rules = corpus.rules
    with log.step("gold"):
        evaluation = evaluate(corpus.analysed, corpus.gold, rules) if corpus.gold else None
        labelled = list(ApplyGold(corpus.gold, rules.gazetteer).run(corpus.analysed))
    with log.step("splits"):
        splits = Splits(rules.proportions).run(labelled)
    with log.step("tables"):
        tables = build_tables(labelled, splits, rules)
    # the tables hold everything from here on: the records go (with this call) before validation,
    # the stage whose memory grows most with the corpus
    corpus.read.articles.clear()
    return Built(tables, evaluation, rules, corpus.read, corpus.dropped, corpus.versions)
