"""Cue matching for the stance labeler: spaCy Matcher patterns, tried only where a cue can start.

spaCy's Matcher starts every pattern at every token, and a set on a pattern's
first token (`{LEMMA: {IN: [...]}}`) is a Python call per token: over a corpus
that was most of the labeler's time. Here each pattern is indexed by the words
its first token can be (its anchor), the anchors are found with one array
lookup per Doc, and a small Matcher holding only that anchor's patterns runs on
the few tokens after each hit. The matches are the Matcher's own (the tests
compare them with a plain Matcher over the whole Doc); patterns with no usable
anchor (an optional first token) run the plain way.

A cue may also be a spaCy DependencyMatcher pattern (its first element has
`RIGHT_ID`): a relation in the parse ("troops that would deploy", "units it
wants to send"), reported as the span from its first to its last token (at
most twice max_len tokens: the words between belong to the relation).
"""

from __future__ import annotations

from spacy.attrs import LEMMA, LOWER, NORM, ORTH
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span

# pattern keys whose values are strings stored as hashes in Doc.to_array
ANCHOR_ATTRS = {"LEMMA": LEMMA, "LOWER": LOWER, "NORM": NORM, "ORTH": ORTH, "TEXT": ORTH}


def is_dependency_pattern(pattern: list) -> bool:
    return bool(pattern) and isinstance(pattern[0], dict) and "RIGHT_ID" in pattern[0]


def anchors(pattern: list) -> tuple[str, list[str]] | None:
    """(attribute, the words the first token can be), or None when the first token is optional,
    repeatable, or not a plain word / set of words on a string attribute."""
    first = pattern[0] if pattern and isinstance(pattern[0], dict) else None
    if not first or first.get("OP", "1") != "1":
        return None
    for key, value in first.items():
        if key.upper() not in ANCHOR_ATTRS:
            continue
        if isinstance(value, str):
            return key.upper(), [value]
        if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            return key.upper(), list(dict.fromkeys(value["IN"]))
    return None


class CueMatcher:
    """`add(key, pattern)` like spaCy's Matcher; `__call__(doc, max_len)` gives the same
    (match_id, start, end) triples, limited to matches of at most max_len tokens."""

    def __init__(self, vocab):
        self.vocab = vocab
        # attr id -> word hash -> (keys of one-token patterns, Matcher of the longer ones)
        self.by_anchor: dict[int, dict[int, tuple[list[int], Matcher]]] = {}
        self.rest = Matcher(vocab)  # patterns without an anchor
        self.deps = DependencyMatcher(vocab)  # relations in the parse

    def add(self, key: str, pattern: list) -> None:
        if is_dependency_pattern(pattern):
            DependencyMatcher(self.vocab).add(key, [pattern])  # raises spaCy's own error for a bad pattern
            self.deps.add(key, [pattern])
            return
        Matcher(self.vocab).add(key, [pattern])  # raises spaCy's own error for a bad pattern
        found = anchors(pattern)
        if found is None:
            self.rest.add(key, [pattern])
            return
        attr, words = found
        index = self.by_anchor.setdefault(ANCHOR_ATTRS[attr], {})
        single = len(pattern) == 1 and len(pattern[0]) == 1  # one token, nothing but the anchor
        for word in words:
            direct, matcher = index.setdefault(self.vocab.strings.add(word), ([], Matcher(self.vocab)))
            if single:  # the anchor is the whole pattern: a hit is a match
                direct.append(self.vocab.strings.add(key))
            else:
                matcher.add(key, [pattern])

    def __call__(self, doclike: Doc | Span, max_len: int) -> list[tuple[int, int, int]]:
        """Matches in a Doc or a Span, offsets relative to it, like spaCy's Matcher."""
        doc, lo, hi = (doclike.doc, doclike.start, doclike.end) if isinstance(doclike, Span) else (doclike, 0, len(doclike))
        found: set[tuple[int, int, int]] = set()
        for attr, index in self.by_anchor.items():
            words = doc.to_array(attr)[lo:hi].tolist() if hi > lo else ()
            for i, word in enumerate(words, lo):
                slot = index.get(word)
                if slot is None:
                    continue
                direct, matcher = slot
                found.update((key, i - lo, i - lo + 1) for key in direct)
                if not len(matcher):
                    continue
                for match_id, start, end in matcher(doc[i : min(hi, i + max_len)]):
                    if start == 0:  # a match starting later belongs to a later anchor
                        found.add((match_id, i - lo, i - lo + end))
        if len(self.rest):
            found.update(m for m in self.rest(doclike) if m[2] - m[1] <= max_len)
        if len(self.deps):
            for key, ids in self.deps(doclike):
                start, end = min(ids), max(ids) + 1
                if end - start <= 2 * max_len:  # a relation in the parse spans what lies between its words
                    found.add((key, start, end))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))
