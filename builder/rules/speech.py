"""schemas/speech.yaml compiled: the speech verbs, source nouns and pronouns the quote rules read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.rules import config

SPEECH_KEYS = {
    "speech_verbs", "speech_adjectives", "independent_roles", "non_referential",
    "object_report_verbs", "addressee_verbs", "preposition_report_verbs", "role_synonyms", "relay_verbs", "clause_only_verbs", "according_to", "role_nouns",
    "government_nouns", "organisation_nouns", "pronouns", "title_gender", "role_titles", "partitives", "not_sources",
}


@dataclass(frozen=True)
class SpeechLexicon:
    speech_verbs: frozenset[str]
    speech_adjectives: frozenset[str]
    relay_verbs: frozenset[str]
    clause_only_verbs: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]
    role_nouns: frozenset[str]
    government_nouns: frozenset[str]
    organisation_nouns: frozenset[str]
    person_pronouns: frozenset[str]
    institution_pronouns: frozenset[str]
    either_pronouns: frozenset[str]
    independent_roles: frozenset[str]
    non_referential: frozenset[str]
    object_report_verbs: frozenset[str]
    addressee_verbs: frozenset[str]
    preposition_report_verbs: frozenset[str]
    role_synonyms: frozenset[str]
    pronoun_gender: dict[str, str]
    title_gender: dict[str, str]
    pronoun_window: int
    pronoun_reach: int
    role_titles: frozenset[str]
    role_qualifiers: frozenset[str]
    partitives: frozenset[str]
    not_sources: frozenset[str]


def load_lexicon(schemas_dir: Path | None = None) -> SpeechLexicon:
    data = config.load("speech", schemas_dir)
    where = str(config.schema_path("speech", schemas_dir))
    config.check_keys(where, data, SPEECH_KEYS, SPEECH_KEYS)
    config.check_keys(f"{where}: pronouns", data["pronouns"], {"person", "institution", "either", "gender", "window", "reach"}, {"person", "institution", "either", "gender", "window", "reach"})
    return SpeechLexicon(
        speech_verbs=frozenset(data["speech_verbs"]),
        speech_adjectives=frozenset(data["speech_adjectives"]),
        relay_verbs=frozenset(data["relay_verbs"]),
        clause_only_verbs=frozenset(data["clause_only_verbs"]),
        according_to=tuple(tuple(x) for x in data["according_to"]),
        role_nouns=frozenset(data["role_nouns"]),
        government_nouns=frozenset(data["government_nouns"]),
        organisation_nouns=frozenset(data["organisation_nouns"]),
        person_pronouns=frozenset(data["pronouns"]["person"]),
        institution_pronouns=frozenset(data["pronouns"]["institution"]),
        either_pronouns=frozenset(data["pronouns"]["either"]),
        independent_roles=frozenset(data["independent_roles"]),
        non_referential=frozenset(data["non_referential"]),
        object_report_verbs=frozenset(data["object_report_verbs"]),
        addressee_verbs=frozenset(data["addressee_verbs"]),
        preposition_report_verbs=frozenset(data["preposition_report_verbs"]),
        role_synonyms=frozenset(data["role_synonyms"]),
        pronoun_gender={str(k): str(v) for k, v in data["pronouns"]["gender"].items()},
        title_gender={str(k).lower().rstrip("."): str(v) for k, v in data["title_gender"].items()},
        pronoun_window=int(data["pronouns"]["window"]),
        pronoun_reach=int(data["pronouns"]["reach"]),
        role_titles=frozenset(data["role_titles"]["roles"]),
        role_qualifiers=frozenset(data["role_titles"]["qualifiers"]),
        partitives=frozenset(data["partitives"]),
        not_sources=frozenset(data["not_sources"]),
    )


