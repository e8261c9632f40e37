"""schemas/sides.yaml compiled: the words a speaker's own description names a side with."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from builder.errors import ConfigError
from builder.rules import config
from builder.rules.gazetteer import Gazetteer, load_gazetteer

KEYS = {
    "titles", "phrase_links", "affiliation_preps", "affiliation_verbs", "roles", "institutions", "independent",
    "past", "past_periods", "plural_titles", "legislators", "parties", "party_codes", "named_by_article",
}
TITLE_KEYS = {"heads", "modifiers", "joiners"}


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


def _words(where: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of words")
    return value


def _by_side(where: str, value, sides: dict) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping of side -> words")
    out: dict[str, str] = {}
    for side, words in value.items():
        if side not in sides:
            raise ConfigError(f"{where}: unknown side {side!r} (declare it under sides in entities.yaml)")
        for w in _words(f"{where}.{side}", words):
            if out.get(w, side) != side:
                raise ConfigError(f"{where}: {w!r} belongs to both {out[w]!r} and {side!r}")
            out[w] = side
    return out


@functools.lru_cache(maxsize=4)
def load_side_lexicon(schemas_dir: Path | None = None) -> SideLexicon:
    """schemas/sides.yaml checked, with the gazetteer of entities.yaml and the independent roles of speech.yaml."""
    path = str(config.schema_path("sides", schemas_dir))
    data = config.load("sides", schemas_dir)
    config.check_keys(path, data, KEYS, KEYS)
    config.check_keys(f"{path}: titles", data["titles"], TITLE_KEYS, TITLE_KEYS)
    gaz = load_gazetteer(schemas_dir)
    names = config.load("names", schemas_dir)
    speech = config.load("speech", schemas_dir)
    lower = lambda key, value: frozenset(w.lower() for w in _words(f"{path}: {key}", value))  # noqa: E731
    heads = lower("titles.heads", data["titles"]["heads"])
    title_words = heads | lower("titles.modifiers", data["titles"]["modifiers"]) | {w.lower() for w in names.get("titles", [])}
    independent = [w.lower() for w in _words(f"{path}: independent", data["independent"])]
    independent += [w.lower() for w in speech.get("independent_roles", [])]
    codes = []
    if not isinstance(data["party_codes"], dict):
        raise ConfigError(f"{path}: party_codes: expected a mapping of side -> pattern")
    for side, pattern in data["party_codes"].items():
        if side not in gaz.sides:
            raise ConfigError(f"{path}: party_codes: unknown side {side!r}")
        try:
            codes.append((re.compile(pattern), side))
        except (re.error, TypeError) as exc:
            raise ConfigError(f"{path}: party_codes.{side}: bad pattern: {exc}") from exc
    descriptors = tuple(
        (tuple(phrase.split()), entity.side) for phrase, entity in sorted(gaz.by_descriptor.items()) if entity.side
    )
    return SideLexicon(
        gazetteer=gaz,
        title_heads=heads,
        title_words=title_words,
        title_joiners=frozenset(_words(f"{path}: titles.joiners", data["titles"]["joiners"])),
        phrase_links=frozenset(_words(f"{path}: phrase_links", data["phrase_links"])),
        affiliation_preps=lower("affiliation_preps", data["affiliation_preps"]),
        affiliation_verbs=lower("affiliation_verbs", data["affiliation_verbs"]),
        offices=lower("roles", data["roles"]) | lower("institutions", data["institutions"]),
        institutions=lower("institutions", data["institutions"]),
        roles=lower("roles", data["roles"]),
        independent=frozenset(w for w in independent if " " not in w),
        independent_phrases=tuple(tuple(w.split()) for w in independent if " " in w),
        past=lower("past", data["past"]),
        past_periods=lower("past_periods", data["past_periods"]),
        plural_titles=frozenset(_words(f"{path}: plural_titles", data["plural_titles"])),
        legislators=_by_side(f"{path}: legislators", data["legislators"], gaz.sides),
        parties=_by_side(f"{path}: parties", data["parties"], gaz.sides),
        party_codes=tuple(codes),
        named_by_article=lower("named_by_article", data["named_by_article"]),
        descriptors=descriptors,
    )

