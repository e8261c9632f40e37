"""Near-duplicate sentence groups across articles (wire copy reprinted by several outlets).

Exact duplicates after normalisation always share a group; near duplicates are
found with MinHash LSH (datasketch) over word shingles and verified by their
true Jaccard similarity before union-find merges them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from dataclasses import replace
from typing import Iterable, Iterator

from builder.records.model import AnalysedArticle
from builder.rules.splits import DedupConfig
from builder.steps.base import Step

_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, whitespace folded: how two copies of a sentence are compared."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower())).strip()


def shingles(norm: str, n: int) -> set[str]:
    words = norm.split()
    if len(words) <= n:
        return {" ".join(words)}
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def candidate_pairs(norms: list[str], cfg: DedupConfig) -> list[tuple[int, int, float]]:
    """Pairs above the threshold: LSH proposes, the exact Jaccard of the shingles decides."""
    from datasketch import MinHash, MinHashLSH

    sets = [shingles(n, cfg.shingle_words) for n in norms]
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    pairs = []
    for i, sh in enumerate(sets):
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        m.update_batch([s.encode("utf-8") for s in sh])
        for j in lsh.query(m):
            score = jaccard(sh, sets[j])
            if score >= cfg.threshold:
                pairs.append((j, i, score))
        lsh.insert(i, m)
    return pairs


def group_ids(texts: list[str], cfg: DedupConfig) -> list[str]:
    """A `duplicate_group` id per text: hash of the group's smallest normalised member."""
    norms = [normalise(t) for t in texts]
    uf = _UnionFind(len(texts))
    first: dict[str, int] = {}
    for i, norm in enumerate(norms):
        if norm in first:
            uf.union(first[norm], i)
        else:
            first[norm] = i
    unique = list(first.values())
    for a, b, _ in candidate_pairs([norms[i] for i in unique], cfg):
        uf.union(unique[a], unique[b])
    members: dict[int, list[str]] = {}
    for i, norm in enumerate(norms):
        members.setdefault(uf.find(i), []).append(norm)
    key = {root: "g" + hashlib.sha1(min(ms).encode("utf-8")).hexdigest()[:12] for root, ms in members.items()}
    return [key[uf.find(i)] for i in range(len(texts))]


class NearDuplicates(Step):
    """{sentence id: duplicate_group} over every sentence of the corpus (a corpus-wide pass).

    With `cache_dir` (the analysis cache's namespace folder, so keyed by rules, model and code
    already) the groups of the same sentences are read back instead of recomputed: the MinHash
    pass is most of an unchanged rebuild's time."""

    def __init__(self, cfg: DedupConfig, cache_dir: Path | None = None):
        self.cfg = cfg
        self.cache_dir = cache_dir

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> dict[str, str]:
        sentences = [s for a in data for s in a.sentences]
        path = self._cached(sentences)
        if path is not None and path.is_file():
            try:
                groups = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(groups, dict) and len(groups) == len(sentences):
                    return groups
            except (OSError, ValueError):
                pass  # a damaged entry is recomputed and replaced
        groups = dict(zip((s.id for s in sentences), group_ids([s.text for s in sentences], self.cfg)))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(groups), encoding="utf-8")
            os.replace(tmp, path)  # a killed build never leaves a half-written entry
        return groups

    def _cached(self, sentences) -> Path | None:
        """The cache file of these sentences (ids and texts, in order) under these settings."""
        if self.cache_dir is None:
            return None
        h = hashlib.sha256(repr(self.cfg).encode())
        for s in sentences:
            h.update(f"{s.id}\0{s.text}\0".encode("utf-8"))
        return self.cache_dir / "near_duplicates" / f"{h.hexdigest()}.json"


class MarkDuplicates(Step):
    """The articles again, each sentence carrying its `duplicate_group` from NearDuplicates."""

    def __init__(self, groups: dict[str, str]):
        self.groups = groups

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> Iterator[AnalysedArticle]:
        for a in data:
            yield replace(a, sentences=[replace(s, duplicate_group=self.groups[s.id]) for s in a.sentences])
