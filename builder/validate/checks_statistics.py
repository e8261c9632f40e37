"""Corpus statistics over a whole table, each with the figure the summary and the datasheet report."""

from __future__ import annotations

from collections import Counter

from builder.validate.entries import SPLIT, Check
from builder.validate.registry import Inputs, check, every_row


class SplitSizes(Check):
    min_table_rows: int = 20
    min_rows: int = 1
    max_share: float = 1.0


class ShareRange(Check):
    min_share: float
    max_share: float


def _labelled(inp: Inputs, table: str) -> tuple[float, str]:
    rows = inp.rows[table]
    share = sum(1 for r in rows if r["labels"]) / len(rows) if rows else 0.0
    return share, f"{share:.1%} of {len(rows)} sentences carry a stance label"


def labelled_figure(inp: Inputs, table: str, entry: ShareRange) -> str:
    return _labelled(inp, table)[1]


@check("labelled_share", ("sentences",), ShareRange, labelled_figure)
def labelled_share(inp: Inputs, table: str, entry: ShareRange):
    """The share of sentences with a stance label, against the range usual for news of the
    taxonomy's topic (a corpus off that topic reads near 0: worth knowing, not an error)."""
    share, figure = _labelled(inp, table)
    ok = entry.min_share <= share <= entry.max_share
    return every_row([] if ok else [f"{figure} (expected {entry.min_share:.0%}-{entry.max_share:.0%})"])


def _split_counts(inp: Inputs, table: str) -> Counter:
    """Rows per split, every declared split present (an empty one counts 0)."""
    counts = Counter({s: 0 for s in inp.contract[table].splits})
    counts.update(r[SPLIT] for r in inp.rows[table])
    return counts


def split_figure(inp: Inputs, table: str, entry: SplitSizes) -> str:
    counts = _split_counts(inp, table)
    total = sum(counts.values()) or 1
    return ", ".join(f"{s} {counts[s]} ({counts[s] / total:.0%})" for s in inp.contract[table].splits)


@check("split_sizes", ("sentences",), SplitSizes, split_figure)
def split_sizes(inp: Inputs, table: str, entry: SplitSizes):
    """Each declared split non-empty and none dominant, once the table is big enough to ask."""
    counts = _split_counts(inp, table)
    total = sum(counts.values())
    if total < entry.min_table_rows:
        return every_row([])
    small = [f"split {s!r} has {n} rows (< {entry.min_rows})" for s, n in counts.items() if n < entry.min_rows]
    big = [f"split {s!r} has {n / total:.0%} of the rows (> {entry.max_share:.0%})" for s, n in counts.items() if n / total > entry.max_share]
    return every_row(small + big)
