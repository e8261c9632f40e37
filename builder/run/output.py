"""The output folder written: nothing reaches it until validation passed; the swap is a rename.

Under the folder's lock, into a staging folder beside it: the validation (or the
previous build's result, for the same tables against the same suites), the files
(or the previous build's, when made from the same inputs), the report with its
manifest; then the swap.
"""

from __future__ import annotations

import time
from pathlib import Path

from builder.errors import ValidationFailed
from builder.publish import export
from builder.publish.manifest import (DIGEST_FILE, REPORT, SUMMARY_FILE, export_digest, manifest, reuse_files,
                                      reuse_validation, validation_digest)
from builder.publish.report import build_report
from builder.run.options import BuildOptions
from builder.run.pipeline import Built, StepLog


def publish(opts: BuildOptions, built: Built, figs: dict, log: StepLog) -> dict:
    """Validate and write `built` into `opts.out_dir`; the figures with the validation's corpus
    statistics (as figures.json holds them)."""
    with export.output_lock(opts.out_dir), export.staging(opts.out_dir) as tmp:
        export.check_target(opts.out_dir, opts.input_dir)  # again, now that no other build runs
        t0 = time.perf_counter()
        digest = validation_digest(built.tables, built.versions["fingerprint"], opts.strict)
        summary = reuse_validation(opts.out_dir / "validation", tmp / "validation", digest)
        if summary is not None:
            log.record("validate_reused", t0)
        else:
            summary = _validate(opts, built, tmp / "validation", digest)
            log.record("validate", t0)
        figs = {**figs, "corpus_statistics": summary.get("statistics", [])}
        t0 = time.perf_counter()
        files_digest = export_digest(digest, figs, built.evaluation)
        if reuse_files(opts.out_dir, tmp, files_digest):
            # same tables, figures, code, rules and libraries: the files would come out identical
            log.record("export_reused", t0)
        else:
            _write_files(tmp, built, figs)
            log.record("export", t0)
        report = {**build_report(built.read, built.dropped, built.versions, figs), **log.report(), "files": manifest(tmp, files_digest)}
        export.write_json(tmp / REPORT, report)
        export.swap_in(tmp, opts.out_dir)
        export.clear_failed_reports(opts.out_dir)
    return figs


def _validate(opts: BuildOptions, built: Built, reports: Path, digest: str) -> dict:
    """Run the suites; on failure the reports stay beside the output for the user to read."""
    from builder.validate.stage import validate_tables

    try:
        summary = validate_tables(built.tables, reports, built.rules, strict=opts.strict)
    except ValidationFailed as exc:
        kept = export.keep_failed_reports(reports, opts.out_dir)
        raise ValidationFailed(str(exc).replace(str(reports), str(kept))) from None
    export.write_json(reports / SUMMARY_FILE, summary)
    (reports / DIGEST_FILE).write_text(digest)
    return summary


def _write_files(tmp: Path, built: Built, figs: dict) -> None:
    """The Parquet files, the card, figures, explorer, evaluation and datasheet."""
    from builder.publish.card import render_card
    from builder.publish.datasheet import write_datasheet
    from builder.publish.explore import write_explorer

    export.write_parquet(tmp, built.tables, built.rules)
    (tmp / "README.md").write_text(render_card(built.tables, figs, built.rules, built.evaluation), encoding="utf-8")
    export.write_json(tmp / "figures.json", figs)
    write_explorer(tmp)
    if built.evaluation is not None:
        export.write_json(tmp / "evaluation.json", built.evaluation)
    write_datasheet(tmp)  # from the files just written, as `stance-builder datasheet OUT` would
