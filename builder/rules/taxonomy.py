"""The stance taxonomy of schemas/stance_taxonomy.yaml: label names, holder sides, cues."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PositiveInt

from builder.rules.check import RuleModel, Word, Words, read, unique


class CueFile(RuleModel):
    """A cue entry; its pattern is checked by spaCy's Matcher when the labeler compiles it (builder/nlp/stance.py)."""

    id: Word
    pattern: Annotated[list[dict[str, Any]], Field(min_length=1)]
    negatable: bool = True
    polarity: Literal["positive", "negative"] = "positive"
    requires_sides: Words | None = None
    requires_words: Words | None = None
    actor_only: bool = False
    governed_by: Words | None = None
    any_reporter: bool = False
    unowned_requires: Words | None = None
    condition_of: Words | None = None


class LabelFile(RuleModel):
    key_field: ClassVar[str] = "name"

    name: Annotated[Word, unique("label")]
    holder_sides: Words
    definition: str
    cues: list[CueFile] | None = None
    opposing_sides: Words | None = None
    limit_words: Words | None = None


class TaxonomyFile(RuleModel):
    labels: Annotated[list[LabelFile], Field(min_length=1)]
    other_targets: Words | None = None
    max_cue_tokens: PositiveInt = 10
    refusal_words: Words | None = None
    hypothetical_marks: Words | None = None
    holder_words: dict[Word, Words] | None = None  # side -> nouns that name an actor of it
    word_lists: dict[Word, Words] | None = None  # shared by cues through YAML anchors
    frame_modifiers: Words | None = None


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
    """The labels in file order (the ClassLabel order); a cue stays the mapping the file wrote."""
    data = read("stance_taxonomy", TaxonomyFile, schemas_dir)
    labels = tuple(
        Label(
            spec.name,
            tuple(spec.holder_sides),
            spec.definition,
            tuple(cue.model_dump(exclude_unset=True) for cue in spec.cues or ()),
            tuple(spec.opposing_sides or ()),
            tuple(spec.limit_words or ()),
        )
        for spec in data.labels
    )
    return Taxonomy(labels, data.model_dump(exclude={"labels"}, exclude_unset=True))
