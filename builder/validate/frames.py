"""The pandas DataFrame GX validates for one table: its columns, the split, one result column per check.

Scalar columns go in as their values. List columns go in as their lengths
(null stays null): GX needs them only to see that they exist and are not null,
everything inside a list is a derived check's job, and a length is a scalar
pandas and GX handle natively.
"""

from __future__ import annotations

from typing import Any

from builder.rules import contract as schema
from builder.validate.entries import SPLIT
from builder.validate.registry import Problem


def _values(column) -> list:
    """One Arrow column as GX sees it: Python scalars, or list lengths."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        column = pc.list_value_length(column)
    return column.to_pylist()


def _column_names(splits: dict[str, Any], table: schema.Table) -> list[str]:
    """Columns in the order the Arrow tables have them (the first split's), then any stragglers."""
    names: list[str] = []
    for t in splits.values():
        names += [n for n in t.column_names if n not in names]
    return names if splits else table.column_names


def frame(splits: dict[str, Any], table: schema.Table, found: dict[str, dict[int, list[Problem]]]):
    """All splits' rows in order; `found` maps each check's result column to its problems by row,
    which the column holds as text (null: none)."""
    import pandas as pd

    data: dict[str, list] = {}
    for name in _column_names(splits, table):
        data[name] = [v for t in splits.values() for v in (_values(t[name]) if name in t.column_names else [None] * t.num_rows)]
    data[SPLIT] = [s for s, t in splits.items() for _ in range(t.num_rows)]
    n = len(data[SPLIT])
    for column, problems in found.items():
        texts: list[str | None] = [None] * n
        for i, ps in problems.items():
            texts[i] = "; ".join(p.detail for p in ps)
        data[column] = texts
    return pd.DataFrame(data, columns=list(data))
