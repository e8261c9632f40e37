"""The gazetteer of schemas/entities.yaml: canonical entities, aliases, sides.

One alias maps to one entity; a clash is a configuration error, never a
silent first-wins.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from builder.errors import ConfigError
from builder.rules import config
from builder.rules.check import Declares, RuleModel, Side, Word, Words, known, read, unique

QID = re.compile(r"^Q[1-9][0-9]*$")
ID = re.compile(r"^[a-z0-9_]+$")  # never a ":": that marks the ids of entities found outside the gazetteer
# people and organisations outside the gazetteer get an id of their own: type -> id prefix
FOUND_PREFIX = {"PERSON": "person", "ORG": "org"}
FOUND_TYPE = {v: k for k, v in FOUND_PREFIX.items()}


def slug(name: str) -> str:
    """'Jana Černochová' -> 'jana-cernochova': accents folded, letters of any script kept."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", folded.casefold()).strip("-")


def found_id(label: str, name: str, side: str | None = None) -> str:
    """The id of a person or organisation outside the gazetteer: `person:jane-doe`, `org:atlantic-council`;
    a generic name ("Foreign Ministry") is told apart by its side: `org:foreign-ministry:ru`."""
    return f"{FOUND_PREFIX[label]}:{slug(name)}" + (f":{side.lower()}" if side else "")


def found_type(entity_id: str) -> str | None:
    """PERSON or ORG for an id made by `found_id`, else None (a gazetteer id)."""
    prefix, sep, _ = entity_id.partition(":")
    return FOUND_TYPE.get(prefix) if sep else None


def _id(value: str) -> str:
    if not ID.match(value):
        raise ValueError(f"{value!r} must be lower-case letters, digits and '_'")
    return value


def _qid(value: str) -> str:
    if not QID.match(value):
        raise ValueError(f"{value!r} is not a Wikidata QID")
    return value


class EntityFile(RuleModel):
    id: Annotated[str, AfterValidator(_id), unique("id")]
    name: Word
    type: Annotated[str, known("label", "labels")]
    side: Side | None = None
    wikidata: Annotated[str, AfterValidator(_qid)] | None = None
    aliases: Words | None = None
    demonyms: Words | None = None
    descriptors: Words | None = None


class EntitiesFile(RuleModel):
    labels: Annotated[Words, Declares]
    sides: Annotated[dict[Word, str], Declares]  # actor code -> what it stands for
    entities: list[EntityFile]


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    side: str | None
    wikidata: str | None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Gazetteer:
    labels: tuple[str, ...]
    sides: dict[str, str]
    entities: dict[str, Entity]
    by_form: dict[str, Entity] = field(default_factory=dict)  # name or alias -> entity
    by_demonym: dict[str, Entity] = field(default_factory=dict)
    by_descriptor: dict[str, Entity] = field(default_factory=dict)  # lower-cased phrase -> entity

    def named_by(self, word: str) -> Entity | None:
        """The entity a single word names as written: a demonym ("German") or a name or alias ("Ukraine")."""
        return self.by_demonym.get(word) or self.by_form.get(word)

    def side_of(self, entity_id: str | None) -> str | None:
        entity = self.entities.get(entity_id) if entity_id else None
        return entity.side if entity else None


def _index(entities: list[Entity], attr: str, path: Path, lower: bool = False) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for entity in entities:
        forms = entity.surface_forms if attr == "surface_forms" else getattr(entity, attr)
        for form in forms:
            key = form.lower() if lower else form
            other = out.get(key)
            if other is not None and other.id != entity.id:
                raise ConfigError(f"{path}: entities: {attr} {form!r} belongs to both {other.id!r} and {entity.id!r}")
            out[key] = entity
    return out


@functools.lru_cache(maxsize=4)
def load_gazetteer(schemas_dir: Path | None = None) -> Gazetteer:
    data = read("entities", EntitiesFile, schemas_dir)
    path = config.schema_path("entities", schemas_dir)
    entities = [
        Entity(
            id=spec.id,
            name=spec.name,
            type=spec.type,
            side=spec.side,
            wikidata=spec.wikidata,
            aliases=tuple(spec.aliases or ()),
            demonyms=tuple(spec.demonyms or ()),
            descriptors=tuple(spec.descriptors or ()),
        )
        for spec in data.entities
    ]
    return Gazetteer(
        labels=tuple(data.labels),
        sides=dict(data.sides),
        entities={e.id: e for e in entities},
        by_form=_index(entities, "surface_forms", path),
        by_demonym=_index(entities, "demonyms", path),
        by_descriptor=_index(entities, "descriptors", path, lower=True),
    )
