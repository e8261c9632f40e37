"""Content-addressed cache of per-article analyses, so a rebuild re-analyses only what changed.

Key: the article's id and cleaned text. Namespace (fingerprint): the model's name
and version, spaCy's version, the rule files the components read, and the source
of the modules that produce the records; any change to one of them starts a new
namespace, so stale analyses are never reused.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

from . import config
from .ingest import Article
from .records import AnalysedArticle, Quote, Sentence

RULE_FILES = ["segmentation", "entities", "names", "sides", "speech", "stance_taxonomy"]
CODE_FILES = ["analyse.py", "segment.py", "entities.py", "gazetteer.py", "sides.py", "quotes.py", "stance.py", "cues.py", "taxonomy.py", "records.py", "config.py"]


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stance-builder"


def fingerprint(model: str, schemas_dir: Path | None = None) -> str:
    """Everything an analysis depends on besides the article itself."""
    from importlib.metadata import version  # not `import spacy`: a cached rebuild never needs it

    h = hashlib.sha256(f"{model}|spacy-{version('spacy')}|{config.fingerprint(RULE_FILES, schemas_dir)}".encode())
    here = Path(__file__).resolve().parent
    for name in CODE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:20]


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
        return AnalysedArticle(
            article,
            [Sentence(**s) for s in data["sentences"]],
            [Quote(**q) for q in data["quotes"]],
            Counter(data["mentions"]),
        )

    def put(self, analysed: AnalysedArticle) -> None:
        if self.dir is None:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        data = {
            "sentences": [vars(s) for s in analysed.sentences],  # plain fields: no deep copy needed
            "quotes": [vars(q) for q in analysed.quotes],
            "mentions": dict(analysed.mentions),
        }
        path = self.dir / f"{self.key(analysed.article)}.json"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # a killed build never leaves a half-written entry
