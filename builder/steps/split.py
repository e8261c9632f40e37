"""Train/validation/test assignment by article group, deterministic and leakage-free.

An article never spans two splits (its sentences share context: a quotation can
run over several of them). Articles that share a near-duplicate sentence group
(wire copy reprinted by several outlets, see builder/steps/dedup.py) form one group, so
no reprinted sentence sits in two splits. Groups are dealt out largest first
(ties broken by a hash of the group id) to the split furthest below its share of
sentences: proportions hold by sentences as far as the grouping allows, and the
same input always gives the same splits. Adding articles can move a group, since
the shares are of the whole corpus.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from builder.records.model import AnalysedArticle
from builder.steps.base import Step


class Splits(Step):
    """{article_id: split} for every article with a sentence: article groups dealt out by size."""

    def __init__(self, proportions: dict[str, float]):
        self.proportions = proportions

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> dict[str, str]:
        sizes: dict[str, int] = {}  # article id -> sentences
        pairs = []
        for a in data:
            sizes[a.article.article_id] = len(a.sentences)
            pairs += [(s.article_id, s.duplicate_group) for s in a.sentences]
        groups = article_groups(pairs)
        group_sizes: dict[str, int] = {}
        for article_id, group in groups.items():
            group_sizes[group] = group_sizes.get(group, 0) + sizes[article_id]
        split_of = assign_groups(group_sizes, self.proportions)
        return {article_id: split_of[group] for article_id, group in groups.items()}


def article_groups(pairs) -> dict[str, str]:
    """{article_id: group id} from (article_id, duplicate_group) pairs: articles that share a
    duplicate group are one group (union-find); the id is a hash of its first article id."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    first_of_group: dict[str, str] = {}
    for article_id, group in pairs:
        parent.setdefault(article_id, article_id)
        other = first_of_group.setdefault(group, article_id)
        ra, rb = find(article_id), find(other)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {a: "a" + hashlib.sha1(find(a).encode("utf-8")).hexdigest()[:12] for a in parent}


def assign_groups(sizes: dict[str, int], proportions: dict[str, float]) -> dict[str, str]:
    """{group id: split}: largest group first, each to the split furthest below its target
    number of sentences (ties: the order of `proportions`)."""
    total = sum(sizes.values())
    filled = {name: 0 for name in proportions}
    order = sorted(sizes, key=lambda g: (-sizes[g], hashlib.sha256(g.encode("utf-8")).hexdigest()))
    out = {}
    for g in order:
        name = max(proportions, key=lambda n: proportions[n] * total - filled[n])
        out[g] = name
        filled[name] += sizes[g]
    return out
