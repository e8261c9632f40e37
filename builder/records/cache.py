"""Content-addressed cache of per-article analyses, so a rebuild re-analyses only what changed.

Key: the article's id and cleaned text. Namespace: the build's fingerprint
(builder/run/fingerprint.py: rules, model, spaCy and code); any change to one of
them starts a new namespace, so stale analyses are never reused.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

from builder.read.article import Article
from builder.records.model import AnalysedArticle, Quote, Sentence


def encode(analysed: AnalysedArticle) -> dict:
    """An article's analysis as JSON-ready data (its article is keyed, not stored): the cache
    entry, and a line of the engine's record shards (builder/engine/shards.py)."""
    return {
        "sentences": [vars(s) for s in analysed.sentences],  # plain fields: no deep copy needed
        "quotes": [vars(q) for q in analysed.quotes],
        "mentions": dict(analysed.mentions),
    }


def decode(article: Article, data: dict) -> AnalysedArticle:
    """`encode`'s data back into the records of `article`."""
    return AnalysedArticle(
        article,
        [Sentence(**s) for s in data["sentences"]],
        [Quote(**q) for q in data["quotes"]],
        Counter(data["mentions"]),
    )


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stance-builder"


class AnalysisCache:
    def __init__(self, root: Path | None, namespace: str):
        self.dir = root / namespace if root is not None else None
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(article: Article) -> str:
        return hashlib.sha256(f"{article.article_id}\0{article.text}".encode("utf-8")).hexdigest()

    def get(self, article: Article) -> AnalysedArticle | None:
        if self.dir is None:
            self.misses += 1
            return None
        path = self.dir / f"{self.key(article)}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            self.misses += 1
            return None
        self.hits += 1
        return decode(article, data)

    def put(self, analysed: AnalysedArticle) -> None:
        if self.dir is None:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        data = encode(analysed)
        path = self.dir / f"{self.key(analysed.article)}.json"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # a killed build never leaves a half-written entry
