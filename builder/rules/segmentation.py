"""schemas/segmentation.yaml compiled: the punctuation and abbreviations sentence boundaries depend on."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from builder.rules.check import RuleModel, Words, read


class SegmentationFile(RuleModel):
    terminals: Words
    closers: Words
    openers: Words
    final_abbreviations: Words
    never_final: Words
    attribution_words: Words


@dataclass(frozen=True)
class SegmentRules:
    terminals: frozenset[str]
    closers: frozenset[str]
    openers: frozenset[str]
    final_abbreviations: frozenset[str]
    never_final: frozenset[str]
    attribution_words: frozenset[str]


def load_segment_rules(schemas_dir: Path | None = None) -> SegmentRules:
    data = read("segmentation", SegmentationFile, schemas_dir)
    return SegmentRules(**{f.name: frozenset(getattr(data, f.name)) for f in fields(SegmentRules)})
