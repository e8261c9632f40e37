"""Derived checks: named rules GX's pandas backend cannot express, registered with `@check`.

Cross-table, cross-split and inside-list rules run here in Python over the plain
rows; each returns, per row, readable problems, kept as `Problem`s (table, row
key, check, detail) for the failure message, and reaches GX as one column of
problem texts per check, so its verdict lands in GX's results and Data Docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from builder.rules import contract as schema
from builder.validate.entries import SPLIT, Check

RowCheck = Callable[[dict], Iterable[str]]  # a row -> its problems (none: the row is fine)


@dataclass(frozen=True)
class Inputs:
    """Everything a check may look at: all rows of all tables (tagged with their split), the contract,
    and each table's Arrow schema per split."""

    rows: dict[str, list[dict]]
    contract: dict[str, schema.Table]
    schemas: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, tables: dict[str, dict[str, Any]], contract: dict[str, schema.Table]) -> "Inputs":
        rows = {t: [{**r, SPLIT: split} for split, arrow in tables[t].items() for r in arrow.to_pylist()] for t in contract}
        return cls(rows, contract, {t: {s: arrow.schema for s, arrow in tables[t].items()} for t in contract})

    def column(self, table: str, name: str) -> list:
        """One column of a table across its splits (absent table: empty)."""
        return [r.get(name) for r in self.rows.get(table, [])]


@dataclass(frozen=True)
class Problem:
    table: str
    key: Any  # the row's key value
    check: str
    detail: str


@dataclass(frozen=True)
class Derived:
    """A registered check: `prepare(inputs, table, entry)` returns the row check."""

    prepare: Callable[[Inputs, str, Check], RowCheck]
    tables: tuple[str, ...] | None  # tables whose rows it reads; None: generated from tables.yaml for every table
    params: type[Check]  # its suite entry's model: the parameters and their defaults
    figure: Callable[[Inputs, str, Check], str] | None  # the figure a statistic reports


CHECKS: dict[str, Derived] = {}


def check(name: str, tables: tuple[str, ...] | None = None, params: type[Check] = Check, figure=None):
    """Register `prepare(inputs, table, entry) -> row check` under `name`."""

    def register(prepare):
        CHECKS[name] = Derived(prepare, tables, params, figure)
        return prepare

    return register


def every_row(problems: list[str]) -> RowCheck:
    """A table-level verdict repeated on every row, so GX counts it like any other."""
    return lambda row: problems


def each_item(column: str, problem: Callable[[dict, dict], str | None]) -> RowCheck:
    """Row check over a list column: `problem(row, item)` of every item that has one."""
    return lambda row: [p for p in (problem(row, item) for item in row[column] or []) if p]


def find(entry: Check, inp: Inputs, table: str) -> dict[int, list[Problem]]:
    """Row index -> problems of one check; malformed data (a missing column, a null offset) fails
    the row instead of crashing the build."""
    rows, key = inp.rows[table], inp.contract[table].key
    found: dict[int, list[Problem]] = {}

    def add(i: int, details: Iterable[str]) -> None:
        problems = [Problem(table, rows[i].get(key), entry.name, d) for d in details]
        if problems:
            found[i] = problems

    try:
        row_check = CHECKS[entry.check].prepare(inp, table, entry)
    except Exception as exc:
        for i in range(len(rows)):
            add(i, [_cannot(exc)])
        return found
    for i, r in enumerate(rows):
        try:
            add(i, list(row_check(r)))
        except Exception as exc:
            add(i, [_cannot(exc)])
    return found


def _cannot(exc: Exception) -> str:
    return f"cannot check: {type(exc).__name__}: {exc}"
