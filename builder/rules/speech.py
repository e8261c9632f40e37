"""schemas/speech.yaml compiled: the speech verbs, source nouns and pronouns the quote rules read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import PositiveInt, model_validator

from builder.rules.check import RuleModel, Word, Words, read

Gender = Literal["m", "f"]


class PronounsFile(RuleModel):
    person: Words
    institution: Words
    either: Words
    gender: dict[Word, Gender]
    window: PositiveInt
    reach: PositiveInt


class RoleTitlesFile(RuleModel):
    roles: Words
    qualifiers: Words
    same: list[Words]


class SpeechFile(RuleModel):
    speech_verbs: Words
    speech_adjectives: Words
    relay_verbs: Words
    clause_only_verbs: Words
    characterising_verbs: Words
    particle_reports: dict[Word, Words]
    report_objects: dict[Word, Words]
    object_report_verbs: Words
    addressee_verbs: Words
    preposition_report_verbs: Words
    role_synonyms: Words
    according_to: list[Words]
    role_nouns: Words
    government_nouns: Words
    organisation_nouns: Words
    document_nouns: Words
    outlet_nouns: Words
    source_qualifiers: Words
    source_counts: Words
    independent_roles: Words
    non_referential: Words
    pronouns: PronounsFile
    role_titles: RoleTitlesFile
    partitives: Words
    not_sources: Words
    object_control_verbs: Words
    title_gender: dict[Word, Gender]

    @model_validator(mode="after")
    def _clause_only_verbs_are_speech_verbs(self) -> SpeechFile:
        # cues come from speech_verbs and relay_verbs only; clause_only_verbs restricts some of them
        for field in ("clause_only_verbs", "characterising_verbs", "particle_reports", "report_objects"):
            stray = sorted(set(getattr(self, field)) - set(self.speech_verbs) - set(self.relay_verbs))
            if stray:
                raise ValueError(f"{field}: {stray[0]!r} is not in speech_verbs or relay_verbs")
        return self


@dataclass(frozen=True)
class SpeechLexicon:
    speech_verbs: frozenset[str]
    speech_adjectives: frozenset[str]
    relay_verbs: frozenset[str]
    clause_only_verbs: frozenset[str]
    characterising_verbs: frozenset[str]
    particle_reports: dict[str, frozenset[str]]
    report_objects: dict[str, frozenset[str]]
    according_to: tuple[tuple[str, ...], ...]
    role_nouns: frozenset[str]
    government_nouns: frozenset[str]
    organisation_nouns: frozenset[str]
    document_nouns: frozenset[str]
    outlet_nouns: frozenset[str]
    source_qualifiers: frozenset[str]
    source_counts: frozenset[str]
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
    same_roles: dict[str, frozenset[str]]  # role -> the other titles of the same office
    partitives: frozenset[str]
    not_sources: frozenset[str]
    object_control_verbs: frozenset[str]


def load_lexicon(schemas_dir: Path | None = None) -> SpeechLexicon:
    data = read("speech", SpeechFile, schemas_dir)
    return SpeechLexicon(
        speech_verbs=frozenset(data.speech_verbs),
        speech_adjectives=frozenset(data.speech_adjectives),
        relay_verbs=frozenset(data.relay_verbs),
        clause_only_verbs=frozenset(data.clause_only_verbs),
        characterising_verbs=frozenset(data.characterising_verbs),
        particle_reports={v: frozenset(ps) for v, ps in data.particle_reports.items()},
        report_objects={v: frozenset(ps) for v, ps in data.report_objects.items()},
        according_to=tuple(tuple(x) for x in data.according_to),
        role_nouns=frozenset(data.role_nouns),
        government_nouns=frozenset(data.government_nouns),
        organisation_nouns=frozenset(data.organisation_nouns),
        document_nouns=frozenset(data.document_nouns),
        outlet_nouns=frozenset(data.outlet_nouns),
        source_qualifiers=frozenset(data.source_qualifiers),
        source_counts=frozenset(data.source_counts),
        person_pronouns=frozenset(data.pronouns.person),
        institution_pronouns=frozenset(data.pronouns.institution),
        either_pronouns=frozenset(data.pronouns.either),
        independent_roles=frozenset(data.independent_roles),
        non_referential=frozenset(data.non_referential),
        object_report_verbs=frozenset(data.object_report_verbs),
        addressee_verbs=frozenset(data.addressee_verbs),
        preposition_report_verbs=frozenset(data.preposition_report_verbs),
        role_synonyms=frozenset(data.role_synonyms),
        pronoun_gender=dict(data.pronouns.gender),
        title_gender={k.lower().rstrip("."): v for k, v in data.title_gender.items()},
        pronoun_window=data.pronouns.window,
        pronoun_reach=data.pronouns.reach,
        role_titles=frozenset(data.role_titles.roles),
        role_qualifiers=frozenset(data.role_titles.qualifiers),
        same_roles={r: frozenset(group) - {r} for group in data.role_titles.same for r in group},
        partitives=frozenset(data.partitives),
        not_sources=frozenset(data.not_sources),
        object_control_verbs=frozenset(data.object_control_verbs),
    )
