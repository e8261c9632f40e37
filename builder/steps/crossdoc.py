"""Cross-document speakers: a quotation the article never attributes takes the speaker that a
reprint of the same sentence (same duplicate_group) names explicitly.

Runs on compact records after all articles are analysed (no Doc kept), and
before gold, so the rules' own figures include it.
"""

from __future__ import annotations

from builder.records.model import AnalysedArticle

TRUSTED = {"explicit", "coreference"}


def resolve(analysed: list[AnalysedArticle], holder_sides: dict[str, frozenset[str]], label_order: list[str]) -> int:
    """Fill unattributed or follow-on-guessed quotes from attributed reprints; returns how many changed."""
    sources: dict[str, tuple[str, str | None, str | None, str | None]] = {}
    for a in analysed:
        quotes = {q.quote_id: q for q in a.quotes}
        for s in a.sentences:
            q = quotes.get(s.quote_id) if s.quote_id else None
            if q is not None and q.speaker and q.resolution in TRUSTED and not q.tentative:
                sources.setdefault(s.duplicate_group, (q.speaker, q.speaker_id, q.speaker_side, q.speaker_side_evidence))
    changed = 0
    for a in analysed:
        by_id = {s.id: s for s in a.sentences}
        for q in a.quotes:
            if q.speaker and not q.tentative:
                continue
            found = next((sources[g] for g in (by_id[i].duplicate_group for i in q.sentence_ids) if g in sources), None)
            if found is None:
                continue
            q.speaker, q.speaker_id, q.speaker_side, q.speaker_side_evidence = found
            q.resolution, q.tentative = "cross_document", False
            q.speaker_start = q.speaker_end = None  # named in another article: no mention here
            for sid in q.sentence_ids:
                sent = by_id[sid]
                sent.speaker, sent.speaker_id, sent.speaker_side = found[:3]
                promote_pending(sent, holder_sides, label_order)
            changed += 1
    return changed


def promote_pending(sentence, holder_sides: dict[str, frozenset[str]], label_order: list[str]) -> None:
    """Give the labels whose cue waited for a holder once the sentence has a speaker of that side."""
    for ev in sentence.pending_stance:
        if sentence.speaker_side in holder_sides.get(ev["label"], ()) and ev["label"] not in sentence.labels:
            sentence.labels.append(ev["label"])
            sentence.stance_evidence.append({**ev, "holder_id": sentence.speaker_id})
    order = {name: i for i, name in enumerate(label_order)}
    sentence.labels.sort(key=order.__getitem__)
    sentence.stance_evidence.sort(key=lambda e: order[e["label"]])
    sentence.pending_stance = []
