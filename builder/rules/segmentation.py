"""schemas/segmentation.yaml compiled: the punctuation and abbreviations sentence boundaries depend on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.rules import config

KEYS = {"terminals", "closers", "openers", "final_abbreviations", "never_final", "attribution_words"}


@dataclass(frozen=True)
class SegmentRules:
    terminals: frozenset[str]
    closers: frozenset[str]
    openers: frozenset[str]
    final_abbreviations: frozenset[str]
    never_final: frozenset[str]
    attribution_words: frozenset[str]


def load_segment_rules(schemas_dir: Path | None = None) -> SegmentRules:
    data = config.load("segmentation", schemas_dir)
    config.check_keys(str(config.schema_path("segmentation", schemas_dir)), data, KEYS, KEYS)
    return SegmentRules(**{k: frozenset(data[k]) for k in KEYS})

