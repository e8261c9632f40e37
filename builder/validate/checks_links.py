"""Ids and the references between tables: every id rebuildable, every reference resolvable."""

from __future__ import annotations

import re

from builder.records.model import sentence_id
from builder.validate.registry import Inputs, check, each_item


@check("sentence_id_format", ("sentences",))
def sentence_id_format(inp: Inputs, table: str, entry):
    """Ids must be rebuildable from (article_id, index): users join on them across rebuilds."""

    def row(r):
        want = sentence_id(r["article_id"], r["index"])
        if r["id"] != want:
            yield f"id {r['id']!r} != {want!r}"

    return row


@check("quote_id_format", ("quotes",))
def quote_id_format(inp: Inputs, table: str, entry):
    """Quote ids follow the sentence id scheme so a quote is traceable to its article."""

    def row(r):
        if not re.fullmatch(re.escape(r["article_id"]) + r"-q[0-9]{3,}", r["quote_id"]):
            yield f"quote_id {r['quote_id']!r} is not '{r['article_id']}-q<index:03d>'"

    return row


def known_ids(inp: Inputs, column: str, table: str, key: str):
    """Row check: `column` is null or one of `table.key`."""
    ids = set(inp.column(table, key))

    def row(r):
        v = r[column]
        if v is not None and v not in ids:
            yield f"{column} {v!r} not in {table}.{key}"

    return row


@check("speaker_id_known", ("sentences", "quotes"))
def speaker_id_known(inp: Inputs, table: str, entry):
    """A speaker_id outside the gazetteer would dangle: the entities table could not resolve it."""
    return known_ids(inp, "speaker_id", "entities", "entity_id")


@check("quote_exists", ("sentences",))
def quote_exists(inp: Inputs, table: str, entry):
    """A sentence pointing at a quote that was never written out would dangle."""
    return known_ids(inp, "quote_id", "quotes", "quote_id")


@check("entity_ids_known", ("sentences",))
def entity_ids_known(inp: Inputs, table: str, entry):
    """Every linked entity must be a row of the entities table."""
    ids = set(inp.column("entities", "entity_id"))
    return each_item(
        "entities",
        lambda r, e: None
        if e["entity_id"] is None or e["entity_id"] in ids
        else f"entity {e['text']!r} has entity_id {e['entity_id']!r} not in entities.entity_id",
    )


@check("sentence_ids_exist", ("quotes",))
def sentence_ids_exist(inp: Inputs, table: str, entry):
    """A quote must point at real sentences of its own article, or it cannot be traced."""
    article_of = {r["id"]: r["article_id"] for r in inp.rows.get("sentences", [])}

    def row(r):
        ids = r["sentence_ids"] or []
        if not ids:
            yield "no sentence_ids"
        for sid in ids:
            if sid not in article_of:
                yield f"sentence_id {sid!r} not in sentences.id"
            elif article_of[sid] != r["article_id"]:
                yield f"sentence_id {sid!r} belongs to article {article_of[sid]!r}"

    return row


@check("n_sentences_match", ("articles",))
def n_sentences_match(inp: Inputs, table: str, entry):
    """The articles table summarises the sentences table; the two must agree."""
    counts: dict[str, int] = {}
    for aid in inp.column("sentences", "article_id"):
        counts[aid] = counts.get(aid, 0) + 1

    def row(r):
        n = counts.get(r["article_id"], 0)
        if r["n_sentences"] != n:
            yield f"n_sentences {r['n_sentences']} but {n} sentences rows"

    return row
