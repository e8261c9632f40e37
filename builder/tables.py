"""Records into Arrow tables that follow schemas/tables.yaml exactly.

Cross-article work here is on compact data: split assignment per article group
(articles joined by the duplicate groups builder/dedup.py set), entity mention counts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow as pa

from . import schema, split
from .gazetteer import Gazetteer
from .records import AnalysedArticle


def _encode(rows: list[dict], table: schema.Table) -> list[dict]:
    """Class-label names to ids, as datasets stores them."""
    for col in table.columns:
        if col.type == "class_label":
            index = {n: i for i, n in enumerate(col.names)}
            for row in rows:
                row[col.name] = index[row[col.name]]
        elif col.item_names:
            index = {n: i for i, n in enumerate(col.item_names)}
            for row in rows:
                row[col.name] = [index[v] for v in row[col.name]]
    return rows


def to_arrow(rows: list[dict], table: schema.Table) -> pa.Table:
    names = table.column_names
    rows = _encode([{k: r[k] for k in names} for r in rows], table)
    return pa.Table.from_pylist(rows, schema=schema.arrow_schema(table))


def build_tables(
    analysed: list[AnalysedArticle], gazetteer: Gazetteer, schemas_dir: Path | None = None
) -> dict[str, dict[str, pa.Table]]:
    """{table: {split: Arrow table}} for sentences (train/validation/test), quotes, articles, entities."""
    specs = schema.load_tables(schemas_dir)
    proportions = split.load_proportions(schemas_dir)
    groups = split.article_groups((s.article_id, s.duplicate_group) for a in analysed for s in a.sentences)
    sizes: dict[str, int] = {}
    for a in analysed:
        g = groups.get(a.article.article_id)
        if g is not None:
            sizes[g] = sizes.get(g, 0) + len(a.sentences)
    split_of = split.assign_groups(sizes, proportions)
    by_split: dict[str, list[dict]] = {name: [] for name in specs["sentences"].splits}
    for a in analysed:
        for sent in a.sentences:
            by_split[split_of[groups[sent.article_id]]].append(vars(sent))  # read only: to_arrow copies the columns it keeps
    # a split that would be empty is not declared (load_dataset refuses empty splits)
    by_split = {name: rows for name, rows in by_split.items() if rows} or {next(iter(by_split)): []}
    mentions: Counter = Counter()
    for a in analysed:
        mentions.update(a.mentions)
    articles = [
        {
            **{k: getattr(a.article, k) for k in ("article_id", "title", "outlet", "url", "published", "text", "raw_sha256", "removed")},
            "n_sentences": len(a.sentences),
        }
        for a in analysed
    ]
    entities = [
        {
            "entity_id": e.id,
            "name": e.name,
            "type": e.type,
            "side": e.side,
            "wikidata": e.wikidata,
            "aliases": list(e.aliases),
            "mention_count": mentions.get(e.id, 0),
        }
        for e in gazetteer.entities.values()
    ]
    quotes = [vars(q) for a in analysed for q in a.quotes]
    return {
        "sentences": {name: to_arrow(rows, specs["sentences"]) for name, rows in by_split.items()},
        "quotes": {"corpus": to_arrow(quotes, specs["quotes"])},
        "articles": {"corpus": to_arrow(articles, specs["articles"])},
        "entities": {"corpus": to_arrow(entities, specs["entities"])},
    }
