"""Cross-document speakers: a quotation the article never attributes takes the speaker that a
reprint of the same sentence (same duplicate_group) names explicitly.

Runs on compact records after all articles are analysed (no Doc kept), and
before gold, so the rules' own figures include it. Two steps: a corpus-wide pass
collects the trusted speaker of each group, then each article is resolved
against that small mapping on its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator

from builder.records.model import AnalysedArticle, Sentence
from builder.steps.base import Step

TRUSTED = {"explicit", "coreference"}
Source = tuple[str, str | None, str | None, str | None]  # speaker, speaker_id, speaker_side, speaker_side_evidence


class SpeakerSources(Step):
    """{duplicate_group: the speaker its first explicitly attributed sentence names}."""

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for a in data:
            quotes = {q.quote_id: q for q in a.quotes}
            for s in a.sentences:
                q = quotes.get(s.quote_id) if s.quote_id else None
                if q is not None and q.speaker and q.resolution in TRUSTED and not q.tentative:
                    sources.setdefault(s.duplicate_group, (q.speaker, q.speaker_id, q.speaker_side, q.speaker_side_evidence))
        return sources


class CrossDocumentSpeakers(Step):
    """The articles again, unattributed or follow-on-guessed quotes (and their sentences) taking
    the speaker of an attributed reprint; the labels waiting for that speaker's side are given."""

    def __init__(self, sources: dict[str, Source], holder_sides: dict[str, frozenset[str]], label_order: list[str]):
        self.sources = sources
        self.holder_sides = holder_sides
        self.order = {name: i for i, name in enumerate(label_order)}

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> Iterator[AnalysedArticle]:
        for a in data:
            yield self._resolve(a)

    def _resolve(self, a: AnalysedArticle) -> AnalysedArticle:
        by_id = {s.id: s for s in a.sentences}
        quotes = []
        for q in a.quotes:
            found = None if q.speaker and not q.tentative else next(
                (self.sources[g] for g in (by_id[i].duplicate_group for i in q.sentence_ids) if g in self.sources), None)
            if found is None:
                quotes.append(q)
                continue
            speaker, speaker_id, side, evidence = found
            # named in another article: no mention here
            quotes.append(replace(q, speaker=speaker, speaker_id=speaker_id, speaker_side=side, speaker_side_evidence=evidence,
                                  resolution="cross_document", tentative=False, speaker_start=None, speaker_end=None))
            for sid in q.sentence_ids:
                by_id[sid] = self.promote_pending(replace(by_id[sid], speaker=speaker, speaker_id=speaker_id, speaker_side=side))
        if all(new is old for new, old in zip(quotes, a.quotes)):
            return a  # nothing resolved here: the article as it came
        return replace(a, sentences=[by_id[s.id] for s in a.sentences], quotes=quotes)

    def promote_pending(self, sentence: Sentence) -> Sentence:
        """Give the labels whose cue waited for a holder now that the sentence has a speaker of that side."""
        labels, evidence = list(sentence.labels), list(sentence.stance_evidence)
        for ev in sentence.pending_stance:
            if sentence.speaker_side in self.holder_sides.get(ev["label"], ()) and ev["label"] not in labels:
                labels.append(ev["label"])
                evidence.append({**ev, "holder_id": sentence.speaker_id})
        labels.sort(key=self.order.__getitem__)
        evidence.sort(key=lambda e: self.order[e["label"]])
        return replace(sentence, labels=labels, stance_evidence=evidence, pending_stance=[])
