"""schemas/sides.yaml compiled: the words a speaker's own description names a side with."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from builder.rules.check import Regex, RuleModel, Side, Words, read
from builder.rules.gazetteer import Gazetteer, load_gazetteer
from builder.rules.names import NamesFile
from builder.rules.speech import SpeechFile


def _one_side_each(by_side: dict[str, list[str]]) -> dict[str, list[str]]:
    owner: dict[str, str] = {}
    for side, words in by_side.items():
        for w in words:
            if owner.setdefault(w, side) != side:
                raise ValueError(f"{w!r} belongs to both {owner[w]!r} and {side!r}")
    return by_side


BySide = Annotated[dict[Side, Words], AfterValidator(_one_side_each)]  # side -> exact forms


class TitlesFile(RuleModel):
    heads: Words
    modifiers: Words
    joiners: Words


class SidesFile(RuleModel):
    """The sides it names are those of entities.yaml (given to `read` as `sides`)."""

    titles: TitlesFile
    phrase_links: Words
    affiliation_preps: Words
    affiliation_verbs: Words
    roles: Words
    institutions: Words
    independent: Words
    past: Words
    past_periods: Words
    legislators: BySide
    plural_titles: Words
    parties: BySide
    party_codes: dict[Side, Regex]
    named_by_article: Words


@dataclass(frozen=True)
class SideLexicon:
    gazetteer: Gazetteer
    title_heads: frozenset[str]
    title_words: frozenset[str]  # heads, modifiers and names.yaml titles, lower-cased
    title_joiners: frozenset[str]
    phrase_links: frozenset[str]
    affiliation_preps: frozenset[str]
    affiliation_verbs: frozenset[str]
    offices: frozenset[str]  # roles and institutions, lower-cased
    institutions: frozenset[str]
    roles: frozenset[str]  # offices of people
    independent: frozenset[str]  # one-word entries, lower-cased
    independent_phrases: tuple[tuple[str, ...], ...]
    past: frozenset[str]  # "former", "retired": the office they qualify is a past one
    past_periods: frozenset[str]  # "from 2003 to 2005": a dated office is a past one
    plural_titles: frozenset[str]  # exact forms
    legislators: dict[str, str]  # exact form -> side
    parties: dict[str, str]
    party_codes: tuple[tuple[re.Pattern, str], ...]
    named_by_article: frozenset[str]
    descriptors: tuple[tuple[tuple[str, ...], str], ...]  # lower-cased words of an entities.yaml descriptor -> side


def _lower(words: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


@functools.lru_cache(maxsize=4)
def load_side_lexicon(schemas_dir: Path | None = None) -> SideLexicon:
    """schemas/sides.yaml checked, with the gazetteer of entities.yaml, the titles of names.yaml and the
    independent roles of speech.yaml."""
    gaz = load_gazetteer(schemas_dir)
    data = read("sides", SidesFile, schemas_dir, sides=gaz.sides)
    titles = read("names", NamesFile, schemas_dir).titles
    independent = [w.lower() for w in data.independent + read("speech", SpeechFile, schemas_dir).independent_roles]
    heads = _lower(data.titles.heads)
    descriptors = tuple(
        (tuple(phrase.split()), entity.side) for phrase, entity in sorted(gaz.by_descriptor.items()) if entity.side
    )
    return SideLexicon(
        gazetteer=gaz,
        title_heads=heads,
        title_words=heads | _lower(data.titles.modifiers) | _lower(titles),
        title_joiners=frozenset(data.titles.joiners),
        phrase_links=frozenset(data.phrase_links),
        affiliation_preps=_lower(data.affiliation_preps),
        affiliation_verbs=_lower(data.affiliation_verbs),
        offices=_lower(data.roles) | _lower(data.institutions),
        institutions=_lower(data.institutions),
        roles=_lower(data.roles),
        independent=frozenset(w for w in independent if " " not in w),
        independent_phrases=tuple(tuple(w.split()) for w in independent if " " in w),
        past=_lower(data.past),
        past_periods=_lower(data.past_periods),
        plural_titles=frozenset(data.plural_titles),
        legislators=_by_word(data.legislators),
        parties=_by_word(data.parties),
        party_codes=tuple((re.compile(pattern), side) for side, pattern in data.party_codes.items()),
        named_by_article=_lower(data.named_by_article),
        descriptors=descriptors,
    )


def _by_word(by_side: dict[str, list[str]]) -> dict[str, str]:
    return {w: side for side, words in by_side.items() for w in words}
