"""Records into Arrow tables that follow schemas/tables.yaml exactly.

The splits come decided (builder/steps/split.py); the one cross-article job left
here is on compact data: the entities the corpus mentions with their counts.
"""

from __future__ import annotations

from collections import Counter

import pyarrow as pa

from builder.rules import RuleSet
from builder.rules import contract as schema
from builder.rules.gazetteer import Gazetteer, found_type, slug
from builder.records.model import AnalysedArticle


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


def _pick_side(sides: Counter) -> str | None:
    """The side most mentions carry; None when two sides tie (one name, two actors)."""
    ranked = sides.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _found_name(entity_id: str, forms: Counter, fallback: str | None) -> str:
    """The canonical name of a found entity: the form its id was made from (the fullest the articles
    use), the most used when several spell it alike ("Foreign Ministry", "foreign ministry")."""
    key = entity_id.split(":")[1]
    same = [f for f in forms if slug(f) == key]
    if same:
        return max(same, key=lambda f: (forms[f], sum(c.isupper() for c in f), f))
    if fallback:
        return fallback
    return max(forms, key=lambda f: (len(f.split()), len(f), f)) if forms else key


def entity_rows(analysed: list[AnalysedArticle], gazetteer: Gazetteer) -> list[dict]:
    """The entities the corpus mentions: gazetteer entities with a mention (or named as a speaker or a
    stance holder) in gazetteer order, then the people and organisations found outside it, by id.
    Counted from the sentences' entities themselves, so every entity_id there has its row."""
    count: Counter = Counter()
    forms: dict[str, Counter] = {}
    sides: dict[str, Counter] = {}
    for a in analysed:
        for sent in a.sentences:
            for e in sent.entities:
                eid = e["entity_id"]
                if not eid:
                    continue
                count[eid] += 1
                forms.setdefault(eid, Counter())[e["text"]] += 1
                if e["side"]:
                    sides.setdefault(eid, Counter())[e["side"]] += 1
    named: dict[str, tuple[str | None, str | None]] = {}  # ids named only as a speaker or holder
    for a in analysed:
        for row in [*a.sentences, *a.quotes]:
            if row.speaker_id:
                named.setdefault(row.speaker_id, (row.speaker, row.speaker_side))
        for sent in a.sentences:
            for ev in sent.stance_evidence:
                if ev.get("holder_id"):
                    named.setdefault(ev["holder_id"], (None, None))
    rows = []
    for e in gazetteer.entities.values():
        if e.id in count or e.id in named:
            rows.append({
                "entity_id": e.id, "name": e.name, "type": e.type, "side": e.side, "wikidata": e.wikidata,
                "aliases": sorted(set(forms.get(e.id, ())) - {e.name}), "mention_count": count.get(e.id, 0),
                "side_evidence": "gazetteer" if e.side else None,
            })
    for eid in sorted((set(count) | set(named)) - set(gazetteer.entities)):
        etype = found_type(eid)
        if etype is None:
            continue  # an id of neither kind: validation names it (entity_ids_known)
        speaker, speaker_side = named.get(eid, (None, None))
        name = _found_name(eid, forms.get(eid, Counter()), speaker)
        side = _pick_side(sides.get(eid, Counter())) if eid in count else speaker_side
        rows.append({
            "entity_id": eid, "name": name, "type": etype, "side": side, "wikidata": None,
            "aliases": sorted(set(forms.get(eid, ())) - {name}), "mention_count": count.get(eid, 0),
            "side_evidence": "description" if side else None,
        })
    return rows


def build_tables(
    analysed: list[AnalysedArticle], splits: dict[str, str], rules: RuleSet
) -> dict[str, dict[str, pa.Table]]:
    """{table: {split: Arrow table}} for sentences (train/validation/test, by `splits`: {article_id:
    split}), quotes, articles, entities."""
    specs = rules.tables
    by_split: dict[str, list[dict]] = {name: [] for name in specs["sentences"].splits}
    for a in analysed:
        for sent in a.sentences:
            by_split[splits[sent.article_id]].append(vars(sent))  # read only: to_arrow copies the columns it keeps
    # a split that would be empty is not declared (load_dataset refuses empty splits)
    by_split = {name: rows for name, rows in by_split.items() if rows} or {next(iter(by_split)): []}
    articles = [
        {
            **{k: getattr(a.article, k) for k in ("article_id", "title", "outlet", "url", "published", "text", "raw_sha256", "removed")},
            "n_sentences": len(a.sentences),
        }
        for a in analysed
    ]
    entities = entity_rows(analysed, rules.gazetteer)
    quotes = [vars(q) for a in analysed for q in a.quotes]
    return {
        "sentences": {name: to_arrow(rows, specs["sentences"]) for name, rows in by_split.items()},
        "quotes": {"corpus": to_arrow(quotes, specs["quotes"])},
        "articles": {"corpus": to_arrow(articles, specs["articles"])},
        "entities": {"corpus": to_arrow(entities, specs["entities"])},
    }
