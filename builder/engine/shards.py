"""The files between the build and the executor's tasks: article shards in, record shards out.

datatrove gives each task whole files, so the build writes exactly one article
shard per task (article i in shard i % tasks); each task writes one record
shard. Both carry the article's position, so the records come back in input
order whatever the number of tasks.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from builder.errors import BuilderError
from builder.read.article import Article
from builder.records.cache import AnalysisCache, decode
from builder.records.invariants import Dropped
from builder.records.model import AnalysedArticle


def work_folder(root: Path, namespace: str, articles: list[Article], tasks: int) -> Path:
    """One folder per (fingerprint, articles, tasks): datatrove's completion files are tied to the
    rank, so a resumed run must see the same shards."""
    h = hashlib.sha256()
    for article in articles:
        h.update(AnalysisCache.key(article).encode())
    return root / namespace / f"{h.hexdigest()[:16]}-{tasks}tasks"


def shard_name(rank: int) -> str:
    return f"{rank:05d}.jsonl"


def write_articles(articles: list[Article], folder: Path, tasks: int) -> None:
    """The article shards, each written once (a rerun keeps the files its completed tasks read)."""
    folder.mkdir(parents=True, exist_ok=True)
    for rank in range(tasks):
        path = folder / shard_name(rank)
        if path.exists():
            continue
        lines = [
            json.dumps({**asdict(a), "position": i, "key": AnalysisCache.key(a)}, ensure_ascii=False)
            for i, a in enumerate(articles) if i % tasks == rank
        ]
        _write_lines(path, lines)


def write_records(path: Path, items) -> None:
    """One task's record shard; written under a temporary name first, so that a task that fails
    midway leaves no file that looks finished."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_lines(path, (json.dumps(item, ensure_ascii=False) for item in items))


def _write_lines(path: Path, lines) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
    os.replace(tmp, path)


def read_records(folder: Path, articles: list[Article], tasks: int) -> tuple[list[AnalysedArticle], list[Dropped], dict]:
    """Every article's records in input order, the items the tasks' checks dropped (in the same
    order) and the tasks' cache counts; a shard that is missing or short is an error naming it."""
    found: dict[int, tuple[AnalysedArticle, list[Dropped]]] = {}
    counts = {"hits": 0, "misses": 0}
    for rank in range(tasks):
        path = folder / shard_name(rank)
        if not path.is_file():
            raise BuilderError(f"{path}: missing, though task {rank} is marked complete; delete the folder {folder.parent} to redo every task")
        footer = None
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if "footer" in item:
                footer = item["footer"]
                continue
            pos = item["position"]
            found[pos] = (decode(articles[pos], item["analysis"]), [Dropped(**d) for d in item["dropped"]])
        if footer is None:
            raise BuilderError(f"{path}: no footer line, so task {rank} did not finish writing it")
        counts["hits"] += footer["cache_hits"]
        counts["misses"] += footer["cache_misses"]
    lost = [i for i in range(len(articles)) if i not in found]
    if lost:
        ranks = sorted({i % tasks for i in lost})
        raise BuilderError(f"{folder}: no records for {len(lost)} article(s) (first: {articles[lost[0]].source}) in the shards of "
                           f"task(s) {ranks}; their task logs say why (a line of the article shard that did not parse is skipped)")
    analysed = [found[i][0] for i in range(len(articles))]
    dropped = [d for i in range(len(articles)) for d in found[i][1]]
    return analysed, dropped, counts
