"""The analysis' own structural checks, per article, before its records leave the stage.

One bad span must not sink a corpus: an item (sentence, entity, stance evidence,
quote) that breaks an invariant is dropped and reported with article id, item and
reason, and the rest of the article goes on. Great Expectations stays the final
gate over the tables; this is the safety net in front of it, not a bin: each
reason it reports is a bug to fix at its root.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.records.model import AnalysedArticle, Sentence


@dataclass(frozen=True)
class Dropped:
    article_id: str
    item: str  # "sentence <id>", "entity <sentence id>[k]", "quote <id>", ...
    reason: str

    def as_dict(self) -> dict:
        return {"article_id": self.article_id, "item": self.item, "reason": self.reason}


def _span_problem(text: str, start, end, expected: str | None, limit: int) -> str | None:
    """Why [start:end] is no valid span of `text` (None when it is one)."""
    if not (isinstance(start, int) and isinstance(end, int)):
        return f"offsets {start!r}:{end!r} are not integers"
    if start == end:
        return f"empty span at {start}"
    if not 0 <= start < end <= limit:
        return f"span [{start}:{end}] outside the text of length {limit}"
    if expected is not None and text[start:end] != expected:
        return f"text {expected[:40]!r} is not the text at [{start}:{end}] ({text[start:end][:40]!r})"
    if not text[start:end].strip():
        return f"whitespace-only span at [{start}:{end}]"
    return None


def _check_sentence(sent: Sentence, text: str, dropped: list[Dropped]) -> bool:
    """Entities and evidence of one sentence; False when the sentence itself is broken."""
    aid = sent.article_id
    problem = _span_problem(text, sent.start, sent.end, sent.text, len(text))
    if problem is None and sent.text != sent.text.strip():
        problem = "sentence span is not trimmed"
    if problem is not None:
        dropped.append(Dropped(aid, f"sentence {sent.id}", problem))
        return False
    kept = []
    for k, ent in enumerate(sent.entities):
        problem = _span_problem(sent.text, ent["start"], ent["end"], ent["text"], len(sent.text))
        if problem is None:
            kept.append(ent)
        else:
            dropped.append(Dropped(aid, f"entity {sent.id}[{k}] {ent['text'][:30]!r}", problem))
    sent.entities = kept
    evidence = []
    for k, ev in enumerate(sent.stance_evidence):
        problem = _span_problem(sent.text, ev["start"], ev["end"], ev["cue"], len(sent.text))
        if problem is None and ev["label"] not in sent.labels:
            problem = f"evidence for {ev['label']!r}, a label the sentence does not carry"
        if problem is None:
            evidence.append(ev)
        else:
            dropped.append(Dropped(aid, f"stance evidence {sent.id}[{k}] {ev['label']}", problem))
    lost = {ev["label"] for ev in sent.stance_evidence} - {ev["label"] for ev in evidence}
    sent.stance_evidence = evidence
    sent.labels = [label for label in sent.labels if label not in lost]  # its only evidence was dropped
    return True


def _clear_quote(sent: Sentence) -> None:
    sent.quote_id = None
    sent.speaker = sent.speaker_id = sent.speaker_side = None
    sent.quote_type = "none"


def check_article(analysed: AnalysedArticle) -> list[Dropped]:
    """Drop what breaks an invariant from one analysed article (in place); return what was dropped."""
    dropped: list[Dropped] = []
    text = analysed.article.text
    aid = analysed.article.article_id
    seen: set[str] = set()
    sentences = []
    for sent in analysed.sentences:
        if sent.id in seen:
            dropped.append(Dropped(aid, f"sentence {sent.id}", "duplicate sentence id"))
            continue
        if _check_sentence(sent, text, dropped):
            seen.add(sent.id)
            sentences.append(sent)
    analysed.sentences = sentences
    quotes, quote_ids = [], set()
    for q in analysed.quotes:
        problem = _span_problem(text, q.start, q.end, q.text, len(text))
        if problem is None and q.quote_id in quote_ids:
            problem = "duplicate quote id"
        if problem is None and q.quote_type == "none":
            problem = "a quote of type none"
        if problem is None and (q.speaker is None) != (q.resolution is None):
            problem = f"speaker {q.speaker!r} with resolution {q.resolution!r}"
        if problem is None:
            q.sentence_ids = [sid for sid in q.sentence_ids if sid in seen]
            if not q.sentence_ids:
                problem = "no sentence of the article holds it"
        if problem is None and (q.speaker_start is not None or q.speaker_end is not None):
            mention = _span_problem(text, q.speaker_start, q.speaker_end, None, len(text))
            if mention is not None:
                dropped.append(Dropped(aid, f"speaker mention of {q.quote_id}", mention))
                q.speaker_start = q.speaker_end = None  # the quote and its speaker stay; the bad offsets go
        if problem is None:
            quotes.append(q)
            quote_ids.add(q.quote_id)
        else:
            dropped.append(Dropped(aid, f"quote {q.quote_id}", problem))
    analysed.quotes = quotes
    for sent in sentences:
        if sent.quote_id is not None and sent.quote_id not in quote_ids:
            _clear_quote(sent)  # its quote was dropped above: the sentence is narration again
    return dropped
