"""The outlet's own voice is the narrator (ANNOTATION_GUIDE: the narrator is no speaker): "CNN
reported Wednesday" in a CNN article is the article speaking, not a source it quotes.

Applied to an article's records once its quotes are made, since only the article's metadata
says which outlet wrote it (the spaCy components see the text alone)."""

from __future__ import annotations

import re

from builder.read.article import Article

_THE = re.compile(r"^the\s+")
_NEWS = re.compile(r"\s+(news|online|digital)$")


def outlet_forms(outlet: str | None) -> frozenset[str]:
    """The names an outlet goes by in its own copy: "CBS News" -> cbs news, cbs; "The New York
    Times" -> the new york times, new york times."""
    if not outlet or not outlet.strip():
        return frozenset()
    full = " ".join(outlet.lower().replace("’", "'").split())
    bare = _THE.sub("", full)
    return frozenset({full, bare, _NEWS.sub("", bare)})


def _norm(name: str) -> str:
    return _THE.sub("", " ".join(name.lower().replace("’", "'").split()))


def drop_own_outlet(article: Article, sentences: list, quotes: list) -> list:
    """`quotes` without those the article's own outlet speaks; their sentences lose the speaker."""
    own = outlet_forms(article.outlet)
    if not own:
        return quotes
    gone = {q.quote_id for q in quotes if q.speaker and _norm(q.speaker) in own}
    if not gone:
        return quotes
    for sent in sentences:
        if sent.quote_id in gone:
            sent.speaker = sent.speaker_id = sent.speaker_side = None
            sent.quote_type, sent.quote_id = "none", None
    return [q for q in quotes if q.quote_id not in gone]
