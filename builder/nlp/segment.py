"""Sentence boundaries as a spaCy component that runs before the parser.

The small English parser cuts after "U.S." and inside quotation attributions;
deciding every boundary from punctuation, abbreviations, quote direction and
paragraph breaks (rules in schemas/segmentation.yaml) is stable and explainable.
"""

from __future__ import annotations


import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from builder.rules import RuleSet
from builder.rules.segmentation import SegmentRules

QUESTION_OR_BANG = {"?", "!", "?!", "!?"}


def _is_paragraph_break(token: Token) -> bool:
    return token.is_space and "\n" in token.text


def _can_start(token: Token, rules: SegmentRules) -> bool:
    """A sentence starts with a capital, a digit, or an opening mark before one."""
    if token.text in rules.openers and token.whitespace_ == "" and token.i + 1 < len(token.doc):
        token = token.doc[token.i + 1]
    first = token.text[:1]
    return first.isupper() or first.isdigit()


class Segmenter:
    """Sets `is_sent_start` on every token, so the parser adds no boundary of its own."""

    def __init__(self, rules: SegmentRules, stop_words: frozenset[str]):
        self.rules = rules
        self.stop_words = stop_words

    def _ends_sentence(self, token: Token, nxt: Token) -> bool:
        text = token.text
        if text in QUESTION_OR_BANG and token.i + 1 < nxt.i:
            # '"Why should Russia wait?" Lavrov asked': the attribution belongs to the quotation
            window = token.doc[nxt.i : nxt.i + 4]
            for t in window:
                if t.is_punct:
                    break
                if t.lower_ in self.rules.attribution_words:
                    return False
        if text in self.rules.terminals:
            return True
        if text in self.rules.final_abbreviations:
            return nxt.is_title and nxt.lower_ in self.stop_words
        return False

    def __call__(self, doc: Doc) -> Doc:
        rules = self.rules
        n = len(doc)
        starts = [False] * n
        if n:
            starts[0] = True
        i = 0
        while i < n:
            token = doc[i]
            if _is_paragraph_break(token):
                if i + 1 < n:
                    starts[i + 1] = True
                i += 1
                continue
            if i + 1 < n and (token.text in rules.terminals or token.text in rules.final_abbreviations):
                j = i + 1
                # closing quotes and brackets glued to the terminal stay with this sentence
                while j < n and doc[j].text in rules.closers and doc[j - 1].whitespace_ == "":
                    j += 1
                if j < n and doc[j - 1].whitespace_ and not doc[j].is_space:
                    if self._ends_sentence(token, doc[j]) and _can_start(doc[j], rules):
                        starts[j] = True
                i = j
                continue
            i += 1
        if n:
            # one array write: setting Token.is_sent_start token by token is quadratic in Doc length
            doc.from_array([SENT_START], numpy.array([[1 if st else -1] for st in starts], dtype="int64").astype("uint64"))
        return doc


@Language.factory("stance_segmenter", default_config={"rules": {"@misc": "stance_builder.rules.v1"}})
def make_segmenter(nlp: Language, name: str, rules: RuleSet) -> Segmenter:
    rules = rules.segmentation
    for word in rules.never_final:
        # keep "Lt." or "Amb." one token, so its full stop is never read as a sentence end
        nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    return Segmenter(rules, frozenset(nlp.Defaults.stop_words))


def content_sents(doc: Doc) -> list[Span]:
    """The sentences of a doc without surrounding whitespace; the index here is the sentence index.

    Computed once per Doc (every later component and the records stage ask for it)."""
    cached = doc.user_data.get("content_sents")
    if cached is not None:
        return [doc[a:b] for a, b in cached]
    out = []
    for sent in doc.sents:
        start, end = sent.start, sent.end
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if start < end:
            out.append(doc[start:end])
    doc.user_data["content_sents"] = [(s.start, s.end) for s in out]
    return out


def ents_by_sentence(doc: Doc, sents: list[Span]) -> list[list[Span]]:
    """doc.ents bucketed by sentence in one pass (Span.ents rescans the Doc for every sentence)."""
    out: list[list[Span]] = [[] for _ in sents]
    k = 0
    for ent in doc.ents:
        while k < len(sents) and sents[k].end <= ent.start:
            k += 1
        if k < len(sents) and sents[k].start <= ent.start and ent.end <= sents[k].end:
            out[k].append(ent)
    return out


class EntityIndex:
    """doc.ents read once, with a token -> entity map: Doc.ents rebuilds its list on every
    access, which made per-token lookups quadratic in the article's length."""

    def __init__(self, doc: Doc):
        self.ents = list(doc.ents)
        self.at: dict[int, Span] = {i: e for e in self.ents for i in range(e.start, e.end)}

    def starting_in(self, tokens) -> list[Span]:
        return [self.at[t.i] for t in tokens if t.i in self.at and self.at[t.i].start == t.i]

    def covering(self, i: int) -> Span | None:
        return self.at.get(i)

    def within(self, lo: int, hi: int) -> list[Span]:
        return [e for e in self.ents if lo <= e.start and e.end <= hi]
