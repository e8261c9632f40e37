"""The validation summary (summary.json) and the failure message, from GX's verdicts and the problems.

GX decides every verdict and counts the rows; the examples a line shows are
`Problem`s: a derived check's own, or those GX reports for an expectation's
unexpected rows (value and row key, from its structured results).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder.validate.entries import Check, Entry, Expectation
from builder.validate.registry import CHECKS, Inputs, Problem

SHOWN = 3  # distinct problems (and row keys of each) quoted per line
MAX_LINES = 25  # failure lines in the ValidationFailed message


def _plain(v: Any) -> Any:
    """numpy scalars and NaN from GX's results as plain Python values."""
    if hasattr(v, "item"):
        v = v.item()
    return None if isinstance(v, float) and v != v else v


def _columns_of(kwargs: dict) -> list[str]:
    """The columns a (column, pair or multicolumn) expectation reads."""
    return [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] + list(kwargs.get("column_list") or [])


def gx_problems(table: str, entry: Expectation, result, key: str | None) -> list[Problem]:
    """An expectation's unexpected rows as GX reports them: the values read, and the row key
    (left out where the value is the key itself)."""
    res = result.result or {}
    cols = _columns_of(entry.kwargs)
    problems = []
    for found in (e for e in res.get("partial_unexpected_index_list") or [] if isinstance(e, dict)):
        k = _plain(found.get(key)) if key else None
        values = [_plain(found.get(c)) for c in cols]
        detail = repr(values[0]) if len(values) == 1 else ", ".join(f"{c}={x!r}" for c, x in zip(cols, values))
        problems.append(Problem(table, None if values == [k] else k, entry.name, detail))
    if not problems:  # no index (a table without its key column): the values alone
        problems = [Problem(table, None, entry.name, repr(_plain(v))) for v in res.get("partial_unexpected_list") or []]
    return problems


def examples(problems: list[Problem], key: str | None) -> str:
    """A few distinct problems, each with the keys of (a few of) its rows."""
    keys: dict[str, list] = {}
    for p in problems:
        keys.setdefault(p.detail, [])
        if p.key is not None:
            keys[p.detail].append(p.key)
    shown = [f"{d} ({key}={', '.join(map(str, ks[:SHOWN]))})" if key and ks else d for d, ks in list(keys.items())[:SHOWN]]
    return "; ".join(shown)


def _exception_text(result) -> str | None:
    """First line of the error GX caught while computing a metric (e.g. a missing column)."""
    info = result.exception_info or {}
    infos = [info] if "raised_exception" in info else list(info.values())
    msgs = [i.get("exception_message") for i in infos if isinstance(i, dict) and i.get("exception_message")]
    return msgs[0].splitlines()[0] if msgs else None


def _table_level(entry: Expectation, res: dict) -> str:
    """Table-level results (column list, distinct values): what was observed against what was asked."""
    kwargs = entry.kwargs
    if "column_list" in kwargs:
        want, got = list(kwargs["column_list"]), list(res.get("observed_value") or [])
        missing = [c for c in want if c not in got]
        extra = [c for c in got if c not in want]
        return f"columns missing {missing}, unexpected {extra}" if missing or extra else f"column order {got} != {want}"
    shown = {k: v for k, v in res.items() if k in ("observed_value", "details", "partial_missing_list")}
    asked = {k: v for k, v in kwargs.items() if k != "column"}
    return f"asked {asked}, observed {json.dumps(shown, default=str)[:200]}"


def describe(table: str, entry: Entry, result, problems: list[Problem], key: str | None) -> str:
    """One readable line per failed entry: table, check, column, how many rows, which and why."""
    kwargs = entry.kwargs if isinstance(entry, Expectation) else {}
    columns = [] if "column_list" in kwargs else _columns_of(kwargs)
    head = f"{table}: {entry.name}" + (f" on {', '.join(map(repr, columns))}" if columns else "")
    error = _exception_text(result)
    if error:
        return f"{head}: could not be evaluated: {error}"
    res = result.result or {}
    if "unexpected_count" not in res:
        return f"{head}: {_table_level(entry, res)}"
    body = f"{res['unexpected_count']} of {res.get('element_count')} rows unexpected"
    body += f" (at most {1 - kwargs['mostly']:.0%} allowed)" if kwargs.get("mostly") else ""
    ex = examples(problems, key)
    return f"{head}: {body}" + (f", e.g. {ex}" if ex else "")


def statistic(table: str, entry: Entry, result, problems: list[Problem], figure: str | None) -> dict:
    """A corpus statistic as the datasheet reports it: what was asked, what was seen."""
    res = result.result or {}
    if "unexpected_count" in res and res.get("element_count"):
        n, bad = res["element_count"], res["unexpected_count"]
        observed = f"{n - bad} of {n} rows ({(n - bad) / n:.1%})"
    elif "unexpected_count" in res:
        observed = "no rows"
    else:
        observed = json.dumps(_plain(res.get("observed_value")), default=str)
    if figure is not None:
        observed = figure
    elif not result.success and isinstance(entry, Check):
        observed = examples(problems, None) or observed
    asked = entry.kwargs if isinstance(entry, Expectation) else entry.params
    expected = entry.notes or ", ".join(f"{k}={v}" for k, v in asked.items())
    return {"table": table, "name": entry.name, "observed": observed, "expected": expected, "ok": bool(result.success)}


def _problems(table: str, entry: Entry, result, found: dict, key: str | None) -> list[Problem]:
    if isinstance(entry, Check):
        return [p for ps in found[entry.result_column].values() for p in ps]
    return gx_problems(table, entry, result, key)


def _figure(inp: Inputs, table: str, entry: Entry) -> str | None:
    """The figure a derived statistic reports instead of its row counts."""
    figure = CHECKS[entry.check].figure if isinstance(entry, Check) else None
    return figure(inp, table, entry) if figure else None


def suite_summary(table: str, entries: list[Entry], results: list, found: dict, inp: Inputs, key: str | None, strict: bool) -> dict:
    """One table's verdicts: the invariants that failed, then (with --strict) the statistics that did;
    every statistic with its figure."""
    judged = [(e, r, _problems(table, e, r, found, key)) for e, r in zip(entries, results)]
    failed = [describe(table, e, r, ps, key) for e, r, ps in judged if e.kind == "invariant" and not r.success]
    stats = [(e, r, ps) for e, r, ps in judged if e.kind == "statistic"]
    if strict:
        failed += [f"{describe(table, e, r, ps, key)} [corpus statistic; --strict]" for e, r, ps in stats if not r.success]
    statistics = [statistic(table, e, r, ps, _figure(inp, table, e)) for e, r, ps in stats]
    return {"success": not failed, "evaluated": len(results), "failed": failed, "statistics": statistics}


def summary(suites: dict[str, dict]) -> dict:
    """{"success", "suites": {name: suite summary}, "statistics": every suite's, in order}."""
    return {
        "success": all(s["success"] for s in suites.values()),
        "suites": suites,
        "statistics": [st for s in suites.values() for st in s["statistics"]],
    }


def message(summary: dict, report_dir: Path) -> str:
    """The ValidationFailed text: one line per failed entry, capped so a broken build stays readable."""
    lines = [f for s in summary["suites"].values() for f in s["failed"]]
    bad = [n for n, s in summary["suites"].items() if not s["success"]]
    head = f"validation failed: {len(lines)} expectation(s) in {', '.join(bad)}; reports in {report_dir}"
    more = [f"... and {len(lines) - MAX_LINES} more"] if len(lines) > MAX_LINES else []
    return "\n".join([head] + [f"  - {line}" for line in lines[:MAX_LINES]] + more)
