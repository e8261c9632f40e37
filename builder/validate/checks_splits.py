"""Leakage between splits: what belongs together (an article, a near-duplicate group, a text) is in one split."""

from __future__ import annotations

from typing import Any, Callable

from builder.steps.dedup import normalise
from builder.validate.entries import SPLIT
from builder.validate.registry import Inputs, check


def _in_one_split(inp: Inputs, table: str, key: Callable[[dict], Any], what: str):
    """Row check: every row sharing this row's key is in the same split."""
    splits: dict[Any, set] = {}
    for r in inp.rows[table]:
        splits.setdefault(key(r), set()).add(r[SPLIT])

    def row(r):
        found = splits[key(r)]
        if len(found) > 1:
            yield f"{what} in splits {sorted(found)}"

    return row


@check("duplicate_group_one_split", ("sentences",))
def duplicate_group_one_split(inp: Inputs, table: str, entry):
    """Near-duplicates (reprinted wire copy) in two splits leak test data into training."""
    return _in_one_split(inp, table, lambda r: r["duplicate_group"], "duplicate_group")


@check("text_in_one_split", ("sentences",))
def text_in_one_split(inp: Inputs, table: str, entry):
    """The same sentence with other case or punctuation in two splits is leakage the grouping missed.

    Empty normalised texts (punctuation only) carry no content to leak; they are exempt.
    """

    def key(r):
        norm = normalise(r["text"])  # the same key the duplicate groups are built on
        return norm or ("", r["id"])

    return _in_one_split(inp, table, key, "normalised text")


@check("article_one_split", ("sentences",))
def article_one_split(inp: Inputs, table: str, entry):
    """An article's sentences never span two splits (context of one article leaks otherwise)."""
    return _in_one_split(inp, table, lambda r: r["article_id"], "article")
