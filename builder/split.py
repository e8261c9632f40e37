"""Deterministic train/validation/test assignment per duplicate group.

Hashing the group id (not shuffling rows) keeps every copy of a wire sentence
in one split. A sentence keeps its split when articles are added unless its
group changes (a new reprint that sorts first, or two groups merged by a new
near-duplicate): the group id is derived from the group's members.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import config
from .errors import ConfigError


def load_proportions(schemas_dir: Path | None = None) -> dict[str, float]:
    data = config.load("splits", schemas_dir)
    path = config.schema_path("splits", schemas_dir)
    config.check_keys(str(path), data, {"proportions", "dedup"}, {"proportions"})
    props = {str(k): float(v) for k, v in data["proportions"].items()}
    if abs(sum(props.values()) - 1.0) > 1e-9 or any(v < 0 for v in props.values()):
        raise ConfigError(f"{path}: proportions must be non-negative and sum to 1, got {props}")
    return props


def assign(group_id: str, proportions: dict[str, float]) -> str:
    """The split of a group: its hash as a point in [0, 1) falls into one proportion's interval."""
    point = int(hashlib.sha256(group_id.encode("utf-8")).hexdigest()[:15], 16) / 16**15
    edge = 0.0
    for name, share in proportions.items():
        edge += share
        if point < edge:
            return name
    return list(proportions)[-1]
