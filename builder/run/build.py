"""The build's entry points: `run_build` makes a dataset folder, `analyse_corpus` the rules' view
of a corpus (for `evaluate`, `analyse` and the benchmarks).

run_build: the output folder is checked before anything is read, the steps run
(builder/run/pipeline.py), the figures are computed from the tables, and the
folder is written (builder/run/output.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.publish import export
from builder.read import corpusinfo
from builder.run import pipeline
from builder.run.options import BuildOptions
from builder.run.output import publish


@dataclass
class BuildResult:
    figures: dict
    evaluation: dict | None
    timings: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    memory: dict = field(default_factory=dict)  # step -> peak RSS (MiB) at its end


def analyse_corpus(opts: BuildOptions) -> pipeline.AnalysedCorpus:
    """Every article of `opts.input_dir` analysed, near-duplicates grouped, cross-document
    speakers resolved; gold read but not applied."""
    return pipeline.analyse(opts, pipeline.StepLog())


def run_build(opts: BuildOptions) -> BuildResult:
    export.check_target(opts.out_dir, opts.input_dir)  # before anything is read or written
    info, info_file = corpusinfo.load(opts.input_dir)  # a typo in corpus.yaml fails before the analysis, not after
    log = pipeline.StepLog()
    built = pipeline.build(opts, log)
    with log.step("figures"):
        figs = _figures(opts, built, corpusinfo.record(info, opts.input_dir, info_file))
    figs = publish(opts, built, figs, log)
    return BuildResult(figs, built.evaluation, log.timings, built.read.skipped, [d.as_dict() for d in built.dropped], log.memory)


def _figures(opts: BuildOptions, built: pipeline.Built, corpus: dict) -> dict:
    """The tables' figures, and what the card and datasheet need beyond them, kept in figures.json
    so `datasheet DIR` re-renders."""
    from builder.publish.report import dropped_by_reason
    from builder.run.evaluate import agreement
    from builder.tables import figures

    rules = built.rules
    figs = figures.compute(built.tables, rules)
    figs["n_skipped_files"] = len(built.read.skipped)
    figs["n_duplicate_articles"] = len(built.read.duplicates)
    figs["dropped"] = {"n": len(built.dropped), "by_reason": dropped_by_reason(built.dropped)}
    figs["annotator_agreement"] = agreement(opts.input_dir / "gold" / "independent", rules.taxonomy.names) if opts.use_gold else None
    figs["split_rules"] = figures.split_rules(rules)
    figs["model"] = built.versions["model"]
    figs["corpus"] = corpus
    return figs
