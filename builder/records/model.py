"""Plain records of one analysed article: what the tables stage needs, nothing of spaCy.

Turning a Doc into records right after analysis keeps memory flat (no Doc
outlives its article) and gives later stages data they can cache and test.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from builder.read.ingest import Article


@dataclass
class Sentence:
    id: str
    article_id: str
    index: int
    text: str
    start: int
    end: int
    entities: list[dict] = field(default_factory=list)
    speaker: str | None = None
    speaker_id: str | None = None
    speaker_side: str | None = None
    quote_type: str = "none"
    quote_id: str | None = None
    labels: list[str] = field(default_factory=list)
    stance_evidence: list[dict] = field(default_factory=list)
    label_source: str = "rule"
    duplicate_group: str = ""
    pending_stance: list[dict] = field(default_factory=list)  # cues waiting for a holder (not a column)


@dataclass
class Quote:
    quote_id: str
    article_id: str
    text: str
    start: int
    end: int
    cue: str | None
    speaker: str | None
    speaker_id: str | None
    speaker_side: str | None
    quote_type: str
    resolution: str | None
    sentence_ids: list[str]
    speaker_start: int | None = None  # article offsets of the mention naming the speaker for this quote
    speaker_end: int | None = None
    speaker_side_evidence: str | None = None  # gazetteer | description | None
    tentative: bool = False  # follow-on guess that a cross-document attribution may replace


@dataclass
class AnalysedArticle:
    article: Article
    sentences: list[Sentence]
    quotes: list[Quote]
    mentions: Counter  # entity_id (gazetteer or person:/org:) -> mention count


def sentence_id(article_id: str, index: int) -> str:
    return f"{article_id}-s{index:03d}"


def quote_id(article_id: str, index: int) -> str:
    return f"{article_id}-q{index:03d}"


def _sentence_fields(article_id: str, sent) -> dict:
    """The quote and stance fields a sentence takes from the components' sentence extensions."""
    from builder.nlp.fields import values

    extra = values(sent, "sentence")
    out = {k: extra[k] for k in ("speaker", "speaker_id", "speaker_side", "quote_type", "labels", "stance_evidence", "pending_stance") if k in extra}
    if extra.get("quote_index") is not None:
        out["quote_id"] = quote_id(article_id, extra["quote_index"])
    return out


def _quote(article: Article, index: int, span) -> Quote:
    """One quotation of doc.spans["quotes"] (its position is its index)."""
    q = span._
    start, end = q.content_start, q.content_end
    return Quote(
        quote_id=quote_id(article.article_id, index),
        article_id=article.article_id,
        text=article.text[start:end],
        start=start,
        end=end,
        cue=q.cue,
        speaker=q.speaker,
        speaker_id=q.speaker_id,
        speaker_side=q.speaker_side,
        quote_type=q.quote_type,
        resolution=q.resolution,
        sentence_ids=[sentence_id(article.article_id, i) for i in q.sentence_indices],
        tentative=q.tentative,
        speaker_start=q.speaker_start,
        speaker_end=q.speaker_end,
        speaker_side_evidence=q.speaker_side_evidence,
    )


def to_records(article: Article, doc) -> AnalysedArticle:
    """Sentences with entities (offsets relative to the sentence), quotes and stance from the
    Doc's extensions (builder/nlp/quotes/component.py, builder/nlp/stance).

    `doc` is the analysis of `article.text`, so texts are sliced from the article's
    string (Doc.text and Span.text join their tokens anew on every access)."""
    from builder.nlp.quotes import GROUP
    from builder.nlp.segment import content_sents, ents_by_sentence  # spaCy: only when there is a Doc
    from builder.records.narrator import drop_own_outlet

    text = article.text
    sents = content_sents(doc)
    mentions: Counter = Counter()
    sentences = []
    for index, (sent, sent_ents) in enumerate(zip(sents, ents_by_sentence(doc, sents))):
        s0 = sent.start_char
        ents = []
        for ent in sent_ents:
            ents.append(
                {
                    "text": text[ent.start_char : ent.end_char],
                    "label": ent.label_,
                    "start": ent.start_char - s0,
                    "end": ent.end_char - s0,
                    "entity_id": ent._.entity_id,  # gazetteer id, or person:/org: id of one outside it
                    "side": ent._.side,
                }
            )
            if ent._.entity_id:
                mentions[ent._.entity_id] += 1
        sentences.append(
            Sentence(
                id=sentence_id(article.article_id, index),
                article_id=article.article_id,
                index=index,
                text=text[s0 : sent.end_char],
                start=s0,
                end=sent.end_char,
                entities=ents,
                **_sentence_fields(article.article_id, sent),
            )
        )
    group = doc.spans[GROUP] if GROUP in doc.spans else []
    quotes = [_quote(article, index, span) for index, span in enumerate(group)]
    quotes = drop_own_outlet(article, sentences, quotes)  # "CNN reported" in a CNN article: the narrator
    return AnalysedArticle(article, sentences, quotes, mentions)
