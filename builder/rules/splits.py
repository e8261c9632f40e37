"""schemas/splits.yaml compiled: split proportions and the near-duplicate settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, PositiveInt

from builder.rules.check import RuleModel, Share, read


def _sum_to_one(props: dict[str, float]) -> dict[str, float]:
    if abs(sum(props.values()) - 1.0) > 1e-9:
        raise ValueError(f"must sum to 1, got {props}")
    return props


class DedupFile(RuleModel):
    shingle_words: PositiveInt
    num_perm: PositiveInt
    threshold: Share
    lsh_threshold: Share
    seed: int


class SplitsFile(RuleModel):
    proportions: Annotated[dict[str, Share], AfterValidator(_sum_to_one)]
    dedup: DedupFile


@dataclass(frozen=True)
class DedupConfig:
    shingle_words: int
    num_perm: int
    threshold: float
    lsh_threshold: float
    seed: int


def load_splits(schemas_dir: Path | None = None) -> tuple[dict[str, float], DedupConfig]:
    """The split proportions and the near-duplicate settings."""
    data = read("splits", SplitsFile, schemas_dir)
    return {k: float(v) for k, v in data.proportions.items()}, DedupConfig(**data.dedup.model_dump())
