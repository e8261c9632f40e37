"""The `stance_quotes` spaCy component: the article's quotations with their speakers on the Doc.

Results, plain data on Span extensions (builder/nlp/fields.py):

- `doc.spans["quotes"]`: one span per quotation, in article order (its position is the
  quotation's index), over the tokens of the quoted or reported content, with `cue`,
  `speaker`, `speaker_id`, `speaker_side`, `speaker_side_evidence`, `quote_type`,
  `resolution`, `tentative`, `sentence_indices`, `speaker_start`/`speaker_end` (the
  mention naming the speaker) and `content_start`/`content_end`: the content's exact
  character offsets (stored when they fall inside a token, else the span's own).
- every sentence of `content_sents(doc)`: `speaker`, `speaker_id`, `speaker_side`,
  `quote_type` and `quote_index` (the quotation it belongs to, or None).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from builder.nlp import fields
from builder.nlp.quotes.attribute import read_article
from builder.nlp.quotes.context import DocContext, QuoteRules
from builder.nlp.quotes.drafts import Draft
from builder.nlp.segment import content_sents
from builder.rules import RuleSet

GROUP = "quotes"


def _span_start(span: Span) -> int:
    return span.start_char


def _span_end(span: Span) -> int:
    return span.end_char


fields.declare("sentence", {"speaker": None, "speaker_id": None, "speaker_side": None, "quote_type": "none", "quote_index": None})
fields.declare("quote", {
    "cue": None, "speaker": None, "speaker_id": None, "speaker_side": None, "speaker_side_evidence": None, "quote_type": "none",
    "resolution": None, "tentative": False, "sentence_indices": [], "speaker_start": None, "speaker_end": None,
    "content_start": _span_start, "content_end": _span_end,
})


class QuoteAttributor:
    """Holds the rules only; each Doc gets its own DocContext."""

    def __init__(self, rules: RuleSet):
        self.rules = QuoteRules.of(rules)

    def context(self, doc: Doc) -> DocContext:
        """A fresh context of the Doc, for calling the quote functions on it directly."""
        return DocContext.of(doc, self.rules)

    def __call__(self, doc: Doc) -> Doc:
        sents = content_sents(doc)
        drafts, of_sentence = read_article(self.context(doc), sents)
        starts = doc.to_array(IDX).tolist() if len(doc) else []
        doc.spans[GROUP] = SpanGroup(doc, name=GROUP, spans=[_quote_span(doc, starts, q) for q in drafts])
        for index, (qtype, key) in of_sentence.items():
            sent, quote = sents[index], drafts[key]
            sent._.quote_type, sent._.quote_index = qtype, key
            sent._.speaker, sent._.speaker_id, sent._.speaker_side = quote.speaker, quote.speaker_id, quote.speaker_side
        return doc


def _quote_span(doc: Doc, starts: list[int], quote: Draft) -> Span:
    """The tokens over a quotation's content (`starts`: each token's character offset), carrying
    its fields (the exact content offsets too, when they fall inside a token)."""
    first = max(bisect_right(starts, quote.start) - 1, 0)
    last = max(bisect_left(starts, quote.end), first + 1)
    span = Span(doc, first, last, span_id=f"q{quote.key}")
    for name, value in quote.fields().items():
        setattr(span._, name, value)
    if span.start_char != quote.start:
        span._.content_start = quote.start
    if span.end_char != quote.end:
        span._.content_end = quote.end
    return span


@Language.factory("stance_quotes", default_config={"rules": {"@misc": "stance_builder.rules.v1"}})
def make_quotes(nlp: Language, name: str, rules: RuleSet) -> QuoteAttributor:
    return QuoteAttributor(rules)
