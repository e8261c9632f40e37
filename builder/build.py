"""The build: ingest -> analyse -> records -> tables -> validate -> export, one way.

Nothing reaches the output folder until validation passed; the swap is a rename.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import export, figures, schema


@dataclass
class BuildOptions:
    input_dir: Path
    out_dir: Path
    use_gold: bool = True
    n_process: int = 1
    schemas_dir: Path | None = None
    max_bytes: int = 5_000_000
    progress: bool = False


@dataclass
class BuildResult:
    figures: dict
    timings: dict = field(default_factory=dict)


def _progress(items, total: int, enabled: bool, desc: str):
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=desc, unit="article", leave=False)


def run_build(opts: BuildOptions) -> BuildResult:
    from .analyse import analyse, load_pipeline
    from .gazetteer import load_gazetteer
    from .ingest import read_corpus
    from .records import to_records
    from .tables import build_tables
    from .validate import validate_tables

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    articles = read_corpus(opts.input_dir, opts.schemas_dir, opts.max_bytes)
    gazetteer = load_gazetteer(opts.schemas_dir)
    timings["ingest"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    nlp = load_pipeline(opts.schemas_dir)
    timings["load_model"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = analyse(nlp, (a.text for a in articles), opts.n_process)
    analysed = [to_records(a, d) for a, d in _progress(zip(articles, docs), len(articles), opts.progress, "analyse")]
    timings["analyse"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    from . import crossdoc, dedup

    dedup.assign_groups(analysed, opts.schemas_dir)
    from .taxonomy import load_taxonomy

    taxonomy = load_taxonomy(opts.schemas_dir)
    crossdoc.resolve(analysed, {l.name: frozenset(l.holder_sides) for l in taxonomy.labels}, taxonomy.names)
    if opts.use_gold:
        from .gold import apply_gold

        apply_gold(analysed, opts.input_dir / "gold", gazetteer, taxonomy.names)
    tables = build_tables(analysed, gazetteer, opts.schemas_dir)
    timings["tables"] = time.perf_counter() - t0

    specs = schema.load_tables(opts.schemas_dir)
    figs = figures.compute(tables, specs)
    export.clean_stale(opts.out_dir)
    with export.staging(opts.out_dir) as tmp:
        t0 = time.perf_counter()
        validate_tables(tables, tmp / "validation", opts.schemas_dir)
        timings["validate"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        export.write_parquet(tmp, tables, opts.schemas_dir)
        from .card import render_card

        (tmp / "README.md").write_text(render_card(tables, card_figures(figs), opts.schemas_dir), encoding="utf-8")
        export.write_json(tmp / "figures.json", figs)
        timings["export"] = time.perf_counter() - t0
        export.swap_in(tmp, opts.out_dir)
    return BuildResult(figs, timings)


def card_figures(figs: dict) -> dict:
    """The card template's placeholders."""
    return {
        **{k: v for k, v in figs.items() if not isinstance(v, dict)},
        "split_summary": ", ".join(f"{k} {v}" for k, v in figs["split_sizes"].items()),
        "label_summary": ", ".join(f"`{k}` {v}" for k, v in figs["label_counts"].items()),
    }

