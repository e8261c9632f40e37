"""Figures about a built dataset, computed from its tables (for the card, the datasheet and tests).

Nothing in the documentation is typed by hand: every count comes from here.
"""

from __future__ import annotations

from collections import Counter

import pyarrow as pa

from builder.rules import RuleSet

TOP_SPEAKERS = 10


def _rows(splits: dict[str, pa.Table], columns: list[str]) -> list[dict]:
    """Only the columns a figure needs: the text and nested entity lists of a large corpus
    would otherwise all become Python objects at once."""
    return [row for t in splits.values() for row in t.select(columns).to_pylist()]


def _mentions(table: pa.Table) -> tuple[int, int, int]:
    """(entity mentions, mentions linked to the gazetteer, mentions of people and organisations found
    outside it) of a sentences table, in Arrow. Found entities' ids hold a ":" ("person:jane-doe")."""
    import pyarrow.compute as pc

    flat = pc.list_flatten(table.column("entities"))
    if not len(flat):
        return 0, 0, 0
    ids = pc.struct_field(flat, "entity_id")
    found = pc.sum(pc.match_substring(ids, ":")).as_py() or 0
    return len(flat), len(flat) - ids.null_count - found, found


def _entity_figures(entities: list[dict], gazetteer_size: int) -> dict:
    """What the entities table holds: the gazetteer entities the corpus mentions, and the people and
    organisations found outside the gazetteer (ids with a ":")."""
    found = [e for e in entities if ":" in e["entity_id"]]
    return {
        "n_entities": len(entities),
        "n_entities_gazetteer": gazetteer_size,  # entities in schemas/entities.yaml
        # gazetteer entities the corpus mentions (the table lists no unmentioned ones)
        "n_entities_mentioned": sum(1 for e in entities if ":" not in e["entity_id"] and e["mention_count"] > 0),
        "n_entities_found": len(found),
        "entities_found_by_type": dict(sorted(Counter(e["type"] for e in found).items())),
        "n_entities_found_with_side": sum(1 for e in found if e.get("side")),
    }


def compute(tables: dict[str, dict[str, pa.Table]], rules: RuleSet) -> dict:
    specs = rules.tables
    sent_spec = specs["sentences"]
    label_names = list(sent_spec.column("labels").item_names)
    quote_types = list(sent_spec.column("quote_type").names)
    sources = list(sent_spec.column("label_source").names)
    columns = ["article_id", "labels", "quote_type", "label_source", "duplicate_group"]
    sentences = {s: t.select(columns).to_pylist() for s, t in tables["sentences"].items()}
    all_sents = [r for rows in sentences.values() for r in rows]
    mention_counts = [_mentions(t) for t in tables["sentences"].values()]
    articles = _rows(tables["articles"], ["article_id", "outlet", "url", "published", "n_sentences", "removed"])
    quotes = _rows(tables["quotes"], ["speaker", "speaker_side", "resolution"])
    entities = _rows(tables["entities"], ["entity_id", "type", "side", "mention_count"])
    per_split_labels = {
        s: {name: sum(1 for r in rows for l in r["labels"] if label_names[l] == name) for name in label_names}
        for s, rows in sentences.items()
    }
    groups = Counter(r["duplicate_group"] for r in all_sents)
    group_articles: dict[str, set] = {}
    for r in all_sents:
        group_articles.setdefault(r["duplicate_group"], set()).add(r["article_id"])
    dates = sorted(a["published"] for a in articles if a["published"])
    speakers = Counter(q["speaker"] for q in quotes if q["speaker"])
    return {
        "n_articles": len(articles),
        "n_sentences": len(all_sents),
        "split_sizes": {s: len(rows) for s, rows in sentences.items()},
        "articles_per_split": {s: len({r["article_id"] for r in rows}) for s, rows in sentences.items()},
        "labels_per_split": per_split_labels,
        "label_counts": {n: sum(v[n] for v in per_split_labels.values()) for n in label_names},
        "n_unlabelled": sum(1 for r in all_sents if not r["labels"]),
        "quote_types": dict(Counter(quote_types[r["quote_type"]] for r in all_sents)),
        "n_quotes": len(quotes),
        "n_quotes_with_speaker": sum(1 for q in quotes if q["speaker"]),
        "quote_resolution": dict(Counter(q["resolution"] or "unresolved" for q in quotes)),
        "speakers_by_side": dict(Counter((q["speaker_side"] or "none") for q in quotes)),
        "n_speakers": len({q["speaker"] for q in quotes if q["speaker"]}),
        # the most quoted speakers, ties by name, so the documents name who speaks in this corpus
        "top_speakers": dict(sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SPEAKERS]),
        "label_sources": dict(Counter(sources[r["label_source"]] for r in all_sents)),
        "n_gold_articles": len({r["article_id"] for r in all_sents if sources[r["label_source"]] == "gold"}),
        "per_article": {
            a["article_id"]: {"sentences": a["n_sentences"], "removed": len(a["removed"]), "outlet": a["outlet"],
                              "published": a["published"], "url": a["url"]}
            for a in articles
        },
        "per_outlet": dict(Counter(a["outlet"] or "unknown" for a in articles)),
        "published_range": {"first": dates[0], "last": dates[-1], "n_dated": len(dates)} if dates else None,
        "furniture_removed": sum(len(a["removed"]) for a in articles),
        **_entity_figures(entities, len(rules.gazetteer.entities)),
        "n_entity_mentions": sum(n for n, _, _ in mention_counts),
        "n_linked_mentions": sum(k for _, k, _ in mention_counts),
        "n_found_mentions": sum(f for _, _, f in mention_counts),
        "n_duplicate_groups": len(groups),
        "n_cross_article_groups": sum(1 for g in group_articles.values() if len(g) > 1),
        "n_sentences_in_shared_groups": sum(c for g, c in groups.items() if c > 1),
    }


def split_rules(rules: RuleSet) -> dict:
    """The split rules the build used (schemas/splits.yaml), so the datasheet states them as they were."""
    return {"proportions": dict(rules.proportions), "dedup_threshold": rules.dedup.threshold, "shingle_words": rules.dedup.shingle_words}
