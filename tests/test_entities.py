"""Entities corrected and canonicalised against the gazetteer, on the real spaCy model."""

from __future__ import annotations

import pytest

from builder.errors import ConfigError


def ents(nlp, text):
    return [(e.text, e.label_, e.kb_id_ or None, e._.side) for e in nlp(text).ents]


def test_spelling_variants_share_one_id(nlp):
    a = ents(nlp, "Foreign Minister Sergey Lavrov spoke in Moscow.")
    b = ents(nlp, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    assert ("Sergey Lavrov", "PERSON", "sergei_lavrov", "RU") in a
    assert ("Sergei Lavrov", "PERSON", "sergei_lavrov", "RU") in b


@pytest.mark.parametrize(
    "text, surface, entity_id, side",
    [
        ("Troops massed near Kiev on Sunday.", "Kiev", "kyiv", "UA"),
        ("Troops massed near Kyiv on Sunday.", "Kyiv", "kyiv", "UA"),
        ("Nato said it would not be intimidated.", "Nato", "nato", "NATO"),
        ("The U.S. said it was ready.", "U.S.", "united_states", "US"),
        ("The Kremlin said it was ready.", "Kremlin", "kremlin", "RU"),
        ("The Organisation for Security and Co-operation in Europe met.", "Organisation for Security and Co-operation in Europe", "osce", "OSCE"),
    ],
)
def test_aliases_link_to_canonical_entities(nlp, text, surface, entity_id, side):
    found = {e[0]: e for e in ents(nlp, text)}
    assert surface in found
    assert found[surface][2:] == (entity_id, side)


def test_titles_are_not_part_of_person_names(nlp):
    found = ents(nlp, '"We will see," Mr Price told reporters.')
    assert ("Price", "PERSON", "ned_price", "US") in found


def test_demonyms_carry_the_side(nlp):
    found = ents(nlp, "Russian and American diplomats met.")
    assert ("Russian", "NORP", "russia", "RU") in found


def test_unknown_entities_stay_unlinked(nlp):
    found = ents(nlp, "Analyst Maria Kowalczyk of the Carnegie Endowment said the talks were useful.")
    people = [e for e in found if e[1] == "PERSON"]
    assert people and people[0][2] is None and people[0][3] is None


def test_alias_clash_is_a_config_error(tmp_path):
    import shutil

    from builder.config import SCHEMAS_DIR
    from builder.gazetteer import load_gazetteer

    shutil.copytree(SCHEMAS_DIR, tmp_path / "schemas")
    path = tmp_path / "schemas" / "entities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("aliases: [US, U.S.,", "aliases: [Nato, US, U.S.,", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="'Nato' belongs to both"):
        load_gazetteer(tmp_path / "schemas")


def test_one_word_alias_after_the_full_name(nlp):
    found = ents(nlp, "State Department spokesman Ned Price spoke on Monday. Price said the US would respond.")
    assert [e[2] for e in found if e[1] == "PERSON"] == ["ned_price", "ned_price"]
