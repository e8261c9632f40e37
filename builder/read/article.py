"""One article as the rest of the pipeline sees it, made from a raw text and its metadata.

Every reader (builder/read/formats.py) ends here, so the checks and the cleaning
that make an article are the same whatever the file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.errors import InputError
from builder.read.clean import clean_text, outlet_for, parse_date
from builder.rules.furniture import Rules

MAX_CHARS = 1_000_000  # spaCy's nlp.max_length: longer texts would fail inside the parser


@dataclass
class Article:
    """An article as the rest of the pipeline sees it: cleaned body plus provenance."""

    article_id: str
    text: str
    raw_sha256: str
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    removed: list[str] = field(default_factory=list)
    removed_kinds: list[str] = field(default_factory=list)


def make_article(article_id: str, raw: str, sha: str, where: str, rules: Rules, meta: dict | None = None) -> Article:
    """The cleaned article of a raw text; `meta` (a JSONL line's fields) wins over what the text says."""
    if not raw.strip():
        raise InputError(f"{where}: empty article (no text)")
    if len(raw) > MAX_CHARS:
        raise InputError(f"{where}: {len(raw)} characters is over the {MAX_CHARS} an article may have (spaCy's limit); split it")
    meta = meta or {}
    cleaned = clean_text(raw, rules, detect_title=not meta.get("title"))
    if not cleaned.text.strip():
        raise InputError(f"{where}: no article text left after removing page furniture")
    url = meta.get("url") or cleaned.url
    published = cleaned.published
    if meta.get("published"):
        published = parse_date(str(meta["published"]))
        if published is None:
            raise InputError(f"{where}: 'published' is not a date: {meta['published']!r}")
    return Article(
        article_id=article_id,
        text=cleaned.text,
        raw_sha256=sha,
        source=where,
        title=meta.get("title") or cleaned.title,
        # a URL names the outlet more surely than a dateline tag ("(AP)" in another outlet's copy)
        outlet=meta.get("outlet") or outlet_for(url, rules) or cleaned.outlet,
        url=url,
        published=published,
        removed=cleaned.removed,
        removed_kinds=cleaned.removed_kinds,
    )
