"""The validation stage: every table checked with Great Expectations before anything is exported.

One way through: the suites (declared in expectations.yaml, generated from
tables.yaml) are loaded and checked, the derived checks find their problems in
the rows, GX validates each table's frame and writes its results and Data Docs,
and the report turns verdicts and problems into the summary or the failure.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from builder.errors import InputError, ValidationFailed
from builder.rules import RuleSet
from builder.rules import contract as schema
from builder.validate import report
from builder.validate.entries import Check
from builder.validate.frames import frame
from builder.validate.registry import Inputs, find
from builder.validate.runner import Runner, import_gx, quiet
from builder.validate.spec import load_suites
from builder.validate.suites import table_suite


def _check_inputs(tables: dict, contract: dict[str, schema.Table]) -> None:
    """A missing table or split cannot be validated row by row; say so plainly."""
    problems = []
    for tname, table in contract.items():
        got = tables.get(tname)
        if got is None:
            problems.append(f"table {tname!r} missing")
            continue
        if not got:
            problems.append(f"table {tname!r} has no split")
        declared = ", ".join(table.splits)
        problems += [f"{tname}: unknown split {s!r} (tables.yaml: {declared})" for s in got if s not in table.splits]
    problems += [f"unknown table {t!r}" for t in tables if t not in contract]
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise ValidationFailed(f"validation failed: the tables do not match tables.yaml:\n{lines}")


def validate_tables(
    tables: dict[str, dict[str, Any]], report_dir: Path, rules: RuleSet, strict: bool = False
) -> dict:
    """Validate all tables; write GX results (JSON, one per suite) and Data Docs under report_dir.

    Returns {"success", "suites": {name: {"success", "evaluated", "failed", "statistics"}},
    "statistics": [...]}; raises ValidationFailed (after writing the reports) if an invariant
    failed, or with `strict` a corpus statistic too.
    """
    gx = import_gx()
    contract = rules.tables
    declared = load_suites(gx, rules)
    _check_inputs(tables, contract)
    inp = Inputs.of(tables, contract)
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(report_dir / "data_docs", ignore_errors=True)  # no stale pages from an earlier run
    suites = {}
    with quiet():
        runner = Runner(gx, report_dir)
        for name, table in contract.items():
            entries = table_suite(table, declared[name])
            found = {e.result_column: find(e, inp, name) for e in entries if isinstance(e, Check)}
            df = frame(tables[name], table, found)
            key = table.key if table.key in df.columns else None
            results = runner.run(name, entries, df, key)
            suites[name] = report.suite_summary(name, entries, results, found, inp, key, strict)
        runner.build_docs()
    summary = report.summary(suites)
    if not summary["success"]:
        raise ValidationFailed(report.message(summary, report_dir))
    return summary


def validate_dir(dataset_dir: Path, rules: RuleSet, report_dir: Path | None = None, strict: bool = False) -> dict:
    """`stance-builder validate DIR`: re-run the suites on a built folder's Parquet files.

    Reports go to DIR/validation unless report_dir says otherwise; a missing
    Parquet file is reported as a missing table or split (ValidationFailed).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from builder.publish.export import parquet_path

    root = Path(dataset_dir)
    if not root.is_dir():
        raise InputError(f"{root}: not a directory")
    tables: dict[str, dict[str, Any]] = {}
    for name, table in rules.tables.items():
        for split in table.splits:
            path = parquet_path(root, name, split)
            if not path.is_file():
                continue
            try:
                tables.setdefault(name, {})[split] = pq.read_table(path)
            except (pa.ArrowException, OSError) as exc:
                raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    return validate_tables(tables, Path(report_dir) if report_dir else root / "validation", rules, strict)
