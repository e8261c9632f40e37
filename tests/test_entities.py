"""Entities corrected and canonicalised against the gazetteer, on the real spaCy model."""

from __future__ import annotations

import pytest

from builder.errors import ConfigError
from builder.rules.gazetteer import found_id


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


def test_people_outside_the_gazetteer_get_an_id_not_a_gazetteer_link(nlp):
    doc = nlp("Analyst Maria Kowalczyk of the Carnegie Endowment said the talks were useful.")
    person = next(e for e in doc.ents if e.label_ == "PERSON")
    assert person.kb_id_ == ""  # kb_id stays the gazetteer's: other components index the gazetteer by it
    assert (person._.canonical, person._.entity_id, person._.side, person._.side_evidence) == (
        "Maria Kowalczyk", "person:maria-kowalczyk", None, None)  # an analyst has no side


def test_alias_clash_is_a_config_error(tmp_path):
    import shutil

    from builder.rules.config import SCHEMAS_DIR
    from builder.rules.gazetteer import load_gazetteer

    shutil.copytree(SCHEMAS_DIR, tmp_path / "schemas")
    path = tmp_path / "schemas" / "entities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("aliases: [US, U.S.,", "aliases: [Nato, US, U.S.,", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"entities\.yaml: entities: surface_forms 'Nato' belongs to both"):
        load_gazetteer(tmp_path / "schemas")


def test_one_word_alias_after_the_full_name(nlp):
    found = ents(nlp, "State Department spokesman Ned Price spoke on Monday. Price said the US would respond.")
    assert [e[2] for e in found if e[1] == "PERSON"] == ["ned_price", "ned_price"]


# ---------------------------------------------------------------- titles are no entities


@pytest.mark.parametrize(
    "text",
    [
        "Secretary of State Tom Akers met the envoys.",
        "Defense Secretary Tom Akers met the envoys.",
        "Press Secretary Tom Akers met the envoys.",
        "Deputy National Security Adviser Maria Lenz met the envoys.",
        "National Security Advisor Maria Lenz met the envoys.",
    ],
)
def test_title_fragments_are_no_entities(nlp, text):
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents if e.label_ != "PERSON"] == []
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] in (["Tom Akers"], ["Maria Lenz"])


def test_an_organisation_ends_where_a_title_starts(nlp):
    doc = nlp("Example News Senior Foreign Correspondent Jane Doe reported from Kyiv.")
    assert [e.text for e in doc.ents if e.label_ == "ORG"] == ["Example News"]


def test_bodies_made_of_title_words_stay(nlp):
    """A title needs a head noun: the National Security Council is a body, not a title."""
    doc = nlp("Members of the National Security Council met on Monday.")
    assert any(e.text == "National Security Council" for e in doc.ents)


# ---------------------------------------------------------------- canonical names and ids


def test_aliases_resolve_to_the_fullest_name_across_paragraphs(nlp):
    doc = nlp("Jane Doe, a State Department official, arrived on Monday.\n\n"
              "Ms. Doe met the envoys.\n\nThe talks were useful, Doe said.")
    people = [(e.text, e._.canonical, e._.entity_id, e._.side) for e in doc.ents if e.label_ == "PERSON"]
    assert people == [("Jane Doe", "Jane Doe", "person:jane-doe", "US")] + [("Doe", "Jane Doe", "person:jane-doe", "US")] * 2


def test_the_fullest_form_wins_over_a_short_first_name(nlp):
    doc = nlp("Christopher S. Murphy met Kyiv officials. Sen. Chris Murphy said later that the visit went well.")
    names = {e.text: (e._.canonical, e._.entity_id) for e in doc.ents if e.label_ == "PERSON"}
    assert names == {"Christopher S. Murphy": ("Christopher S. Murphy", "person:christopher-s-murphy"),
                     "Chris Murphy": ("Christopher S. Murphy", "person:christopher-s-murphy")}


def test_the_same_name_in_two_articles_is_one_entity(nlp):
    a = nlp("Olena Bondar, a Ukrainian defense official, spoke in Kyiv.")
    b = nlp("The plan was welcomed by Olena Bondar on Friday.")
    ids = [next(e._.entity_id for e in d.ents if e.label_ == "PERSON") for d in (a, b)]
    assert ids == ["person:olena-bondar", "person:olena-bondar"]


def test_a_surname_the_model_reads_as_an_organisation_is_the_person(nlp):
    doc = nlp("Senator Chris Coons spoke on Sunday. Coons said the bill would pass.")
    assert [(e.text, e.label_, e._.entity_id) for e in doc.ents] == [
        ("Chris Coons", "PERSON", "person:chris-coons"), ("Coons", "PERSON", "person:chris-coons")]


@pytest.mark.parametrize(
    "text, name, side",
    [
        ("Foreign Ministry spokesman Oleg Nikolenko said the report was false.", "Oleg Nikolenko", None),  # after a title
        ("The drills are routine, said Aleksey Danilov, a senior Ukrainian security official.", "Aleksey Danilov", "UA"),  # office in apposition
    ],
)
def test_a_name_the_model_reads_as_an_organisation_is_a_person(nlp, text, name, side):
    ent = next(e for e in nlp(text).ents if e.text == name)
    assert (ent.label_, ent._.entity_id, ent._.side) == ("PERSON", found_id("PERSON", name), side)


def test_a_name_with_a_digit_gets_no_id(nlp):
    ents = [e for e in nlp("Lawmakers said Senate Bill 4 would be amended in March.").ents if e.label_ == "PERSON"]
    assert all(e._.entity_id is None for e in ents)


def test_a_party_is_no_government(nlp):
    ent = next(e for e in nlp("The Republican Party said it would oppose the bill.").ents if e.label_ == "ORG")
    assert (ent._.entity_id, ent._.side) == ("org:republican-party", None)


def test_one_word_name_gets_an_id_only_after_a_title(nlp):
    titled = next(e for e in nlp("Mr. Doe said the plan was sound.").ents if e.label_ == "PERSON")
    assert (titled.text, titled._.entity_id) == ("Doe", "person:doe")
    bare = next(e for e in nlp("Kowalski asked about the plan on Sunday.").ents if e.label_ == "PERSON")
    assert (bare.text, bare._.canonical, bare._.entity_id) == ("Kowalski", "Kowalski", None)


def test_a_possessive_is_not_part_of_the_name(nlp):
    doc = nlp("Jane Doe's plan was praised by the minister.")
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["Jane Doe"]


def test_an_acronym_is_the_organisation_it_abbreviates(nlp):
    doc = nlp("The Council for Arctic Security (CAS) published a study. CAS said the study took a year.")
    orgs = {(e.text, e._.entity_id, e._.canonical) for e in doc.ents if e.label_ == "ORG"}
    assert orgs == {("Council for Arctic Security", "org:council-for-arctic-security", "Council for Arctic Security"),
                    ("CAS", "org:council-for-arctic-security", "Council for Arctic Security")}


def test_a_generic_organisation_name_is_told_apart_by_its_side(nlp):
    doc = nlp("Poland's Foreign Ministry said it was ready, and Finland's Foreign Ministry agreed.")
    orgs = [(e._.entity_id, e._.side, e._.side_evidence) for e in doc.ents if e.label_ == "ORG"]
    assert orgs == [("org:foreign-ministry:pl", "PL", "description"), ("org:foreign-ministry:fi", "FI", "description")]


def test_a_gazetteer_name_in_other_letter_case_is_linked(nlp):
    ent = next(e for e in nlp("The White house said it had no comment.").ents)
    assert (ent.kb_id_, ent._.entity_id, ent._.canonical, ent._.side_evidence) == ("white_house", "white_house", "White House", "gazetteer")


def test_gazetteer_entities_carry_their_canonical_name(nlp):
    ent = next(e for e in nlp("Foreign Minister Sergey Lavrov spoke in Moscow.").ents if e.label_ == "PERSON")
    assert (ent._.canonical, ent._.entity_id, ent._.side, ent._.side_evidence) == ("Sergei Lavrov", "sergei_lavrov", "RU", "gazetteer")


def test_extensions_survive_multiprocessing(nlp):
    """nlp.pipe(n_process=2) sends Docs between processes: the entity data must go with them."""
    texts = ["Jane Doe, a State Department official, arrived.", "Ms. Doe met Ivan Belov, a Kremlin spokesman."]
    docs = list(nlp.pipe(texts, n_process=2))
    got = [[(e.text, e._.entity_id, e._.side) for e in d.ents if e.label_ == "PERSON"] for d in docs]
    assert got[0] == [("Jane Doe", "person:jane-doe", "US")]
    assert ("Ivan Belov", "person:ivan-belov", "RU") in got[1]


def test_gazetteer_ids_cannot_look_like_found_ids(tmp_path):
    import shutil

    from builder.rules.config import SCHEMAS_DIR
    from builder.rules.gazetteer import load_gazetteer

    shutil.copytree(SCHEMAS_DIR, tmp_path / "schemas")
    path = tmp_path / "schemas" / "entities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: russia\n", "- id: 'person:russia'\n", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"entities\.yaml: entities\[\d+\]\.id: 'person:russia' must be lower-case letters"):
        load_gazetteer(tmp_path / "schemas")


# ---------------------------------------------------------------- the entities table


def _analysed(sentences, quotes=()):
    from collections import Counter

    from builder.read.ingest import Article
    from builder.records.model import AnalysedArticle, Sentence

    article = Article(article_id="a", text="x", raw_sha256="0" * 64, source="a.txt")
    rows = []
    for i, ents in enumerate(sentences):
        rows.append(Sentence(id=f"a-s{i:03d}", article_id="a", index=i, text="x", start=0, end=1, entities=[
            {"text": t, "label": lab, "start": 0, "end": 1, "entity_id": eid, "side": side} for t, lab, eid, side in ents]))
    return AnalysedArticle(article, rows, list(quotes), Counter())


def test_entities_table_lists_what_the_corpus_mentions():
    from builder.rules.gazetteer import load_gazetteer
    from builder.tables.rows import entity_rows

    a = _analysed([
        [("Lavrov", "PERSON", "sergei_lavrov", "RU"), ("Jane Doe", "PERSON", "person:jane-doe", "US")],
        [("Doe", "PERSON", "person:jane-doe", "US"), ("Geneva", "GPE", None, None)],
    ])
    b = _analysed([[("Jane Doe", "PERSON", "person:jane-doe", None)], [("Atlantic Council", "ORG", "org:atlantic-council", None)]])
    rows = {r["entity_id"]: r for r in entity_rows([a, b], load_gazetteer())}
    assert set(rows) == {"sergei_lavrov", "person:jane-doe", "org:atlantic-council"}  # no unmentioned gazetteer rows
    assert rows["sergei_lavrov"] == {
        "entity_id": "sergei_lavrov", "name": "Sergei Lavrov", "type": "PERSON", "side": "RU",
        "wikidata": load_gazetteer().entities["sergei_lavrov"].wikidata,
        "aliases": ["Lavrov"], "mention_count": 1, "side_evidence": "gazetteer"}
    assert rows["person:jane-doe"] == {
        "entity_id": "person:jane-doe", "name": "Jane Doe", "type": "PERSON", "side": "US", "wikidata": None,
        "aliases": ["Doe"], "mention_count": 3, "side_evidence": "description"}
    assert (rows["org:atlantic-council"]["type"], rows["org:atlantic-council"]["side"], rows["org:atlantic-council"]["side_evidence"]) == ("ORG", None, None)


def test_entities_table_keeps_a_speaker_named_without_a_mention():
    """speaker_id must resolve in the entities table even when the speaker's entity is never tagged."""
    from builder.rules.gazetteer import load_gazetteer
    from builder.tables.rows import entity_rows

    a = _analysed([[]])
    a.sentences[0].speaker, a.sentences[0].speaker_id, a.sentences[0].speaker_side = "Ned Price", "ned_price", "US"
    rows = entity_rows([a], load_gazetteer())
    assert [(r["entity_id"], r["mention_count"]) for r in rows] == [("ned_price", 0)]


def test_entity_side_is_the_majority_and_a_tie_is_unknown():
    from builder.rules.gazetteer import load_gazetteer
    from builder.tables.rows import entity_rows

    tie = _analysed([[("Jane Doe", "PERSON", "person:jane-doe", "US")], [("Jane Doe", "PERSON", "person:jane-doe", "RU")]])
    assert entity_rows([tie], load_gazetteer())[0]["side"] is None


def test_entity_figures_count_gazetteer_and_found_entities():
    import pyarrow as pa

    from builder.rules import contract as schema
    from builder.tables.figures import _entity_figures, _mentions

    spec = schema.load_tables()["sentences"]
    ents = [{"text": "x", "label": "PERSON", "start": 0, "end": 1, "entity_id": i, "side": None}
            for i in ("ned_price", "person:jane-doe", None)]
    table = pa.table({"entities": pa.array([ents], type=schema.arrow_schema(spec).field("entities").type)})
    assert _mentions(table) == (3, 1, 1)
    rows = [{"entity_id": "ned_price", "type": "PERSON", "side": "US", "mention_count": 1},
            {"entity_id": "person:jane-doe", "type": "PERSON", "side": "US", "mention_count": 1},
            {"entity_id": "org:x", "type": "ORG", "side": None, "mention_count": 2}]
    assert _entity_figures(rows, 205) == {"n_entities": 3, "n_entities_gazetteer": 205, "n_entities_mentioned": 1, "n_entities_found": 2,
                                     "entities_found_by_type": {"ORG": 1, "PERSON": 1}, "n_entities_found_with_side": 1}


def test_a_person_span_ends_before_a_verb(nlp):
    """The small model may tag "Surname told Surname" as one entity: the name is not the fullest form."""
    from spacy.tokens import Doc, Span

    from builder.nlp.people import split_at_verbs

    doc = Doc(nlp.vocab, words=["Kovac", "told", "Brenner", "and", "Lena", "Ostrova"],
              pos=["PROPN", "VERB", "PROPN", "CCONJ", "PROPN", "PROPN"])
    pieces = split_at_verbs(Span(doc, 0, 6, label="PERSON"))
    assert [p.text for p in pieces] == ["Kovac", "Brenner", "Lena Ostrova"]
    text = 'Sen. Jeanne Shaheen visited Kyiv. "We will keep Russia at the table," Shaheen told Pannell.'
    names = [(e.text, e._.canonical) for e in nlp(text).ents if e.label_ == "PERSON"]
    assert ("Shaheen", "Jeanne Shaheen") in names
    assert all("told" not in (canonical or "") for _, canonical in names)


def test_a_known_surname_wins_over_a_common_noun_reading(nlp):
    """"Price" tagged as a common noun is still the gazetteer's Ned Price when it speaks or is described."""
    text = 'Price, the State Department spokesperson, spoke on Monday. "We are trying to deter them," Price claimed.'
    found = ents(nlp, text)
    assert [e for e in found if e[0] == "Price"] == [("Price", "PERSON", "ned_price", "US")] * 2
    assert not [e for e in ents(nlp, "The price of bread doubled, officials said.") if e[1] == "PERSON"]
