"""schemas/splits.yaml compiled: split proportions and the near-duplicate settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import ConfigError
from builder.rules import config


@dataclass(frozen=True)
class DedupConfig:
    shingle_words: int
    num_perm: int
    threshold: float
    lsh_threshold: float
    seed: int


def load_dedup_config(schemas_dir: Path | None = None) -> DedupConfig:
    data = config.load("splits", schemas_dir)
    where = f"{config.schema_path('splits', schemas_dir)}: dedup"
    keys = {"shingle_words", "num_perm", "threshold", "lsh_threshold", "seed"}
    config.check_keys(where, data.get("dedup"), keys, keys)
    return DedupConfig(**data["dedup"])


def load_proportions(schemas_dir: Path | None = None) -> dict[str, float]:
    data = config.load("splits", schemas_dir)
    path = config.schema_path("splits", schemas_dir)
    config.check_keys(str(path), data, {"proportions", "dedup"}, {"proportions"})
    props = {str(k): float(v) for k, v in data["proportions"].items()}
    if abs(sum(props.values()) - 1.0) > 1e-9 or any(v < 0 for v in props.values()):
        raise ConfigError(f"{path}: proportions must be non-negative and sum to 1, got {props}")
    return props
