"""The stance taxonomy of schemas/stance_taxonomy.yaml: label names, holder sides, cues."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.rules import config

LABEL_KEYS = {"name", "holder_sides", "opposing_sides", "limit_words", "definition", "cues"}
TOP_KEYS = {"labels", "other_targets", "max_cue_tokens", "refusal_words", "hypothetical_marks", "holder_words", "word_lists", "frame_modifiers"}


@dataclass(frozen=True)
class Label:
    name: str
    holder_sides: tuple[str, ...]
    definition: str
    cues: tuple[Any, ...] = field(default_factory=tuple)
    opposing_sides: tuple[str, ...] = ()  # the holder's opponents: their reports of it and joint actors give no label
    limit_words: tuple[str, ...] = ()  # heads that turn a cue into its limit ("ruled out sending troops")


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[Label, ...]
    extra: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]


def load_taxonomy(schemas_dir: Path | None = None) -> Taxonomy:
    data = config.load("stance_taxonomy", schemas_dir)
    path = config.schema_path("stance_taxonomy", schemas_dir)
    config.check_keys(str(path), data, TOP_KEYS, {"labels"})
    extra = {k: v for k, v in data.items() if k != "labels"}
    labels = []
    for i, spec in enumerate(data.get("labels") or []):
        where = f"{path}: labels[{i}]"
        config.check_keys(where, spec, LABEL_KEYS, {"name", "holder_sides", "definition"})
        labels.append(
            Label(
                spec["name"],
                tuple(spec["holder_sides"]),
                spec["definition"],
                tuple(spec.get("cues") or ()),
                tuple(spec.get("opposing_sides") or ()),
                tuple(spec.get("limit_words") or ()),
            )
        )
    if not labels:
        from builder.errors import ConfigError

        raise ConfigError(f"{path}: labels: at least one label is required")
    return Taxonomy(tuple(labels), extra)
