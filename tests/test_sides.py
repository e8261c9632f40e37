"""Side from an entity's own description (builder/nlp/sides.py, schemas/sides.yaml), on the real model.

Each test is one rule of the lexicon or of the description's phrase, on sentences
written for these tests.
"""

from __future__ import annotations

import shutil

import pytest

from builder.rules.config import SCHEMAS_DIR
from builder.errors import ConfigError
from builder.rules import load_rules
from builder.nlp.descriptions import describe, title_runs
from builder.nlp.sides import side_from_description, side_of_mention


@pytest.fixture(scope="module")
def lex():
    return load_rules().sides


def person(nlp, text: str, name: str):
    doc = nlp(text)
    return next(e for e in doc.ents if e.text == name)


def side(nlp, lex, text: str, name: str) -> str | None:
    found, evidence = side_of_mention(person(nlp, text, name), lex)
    assert evidence == ("description" if found else None)
    return found


@pytest.mark.parametrize(
    "text, name, expected",
    [
        # an institution named in an apposition (entities.yaml descriptor "State Department")
        ("Jane Roe, a State Department official, met the envoys.", "Jane Roe", "US"),
        # a possessive country before an office, in an apposition
        ("Russia's deputy foreign minister, Pavel Zorin, said the talks had failed.", "Pavel Zorin", "RU"),
        # a demonym in the title before the name
        ("Russian Deputy Foreign Minister Pavel Zorin warned the allies.", "Pavel Zorin", "RU"),
        # the name as the apposition of its description
        ("A Kremlin spokesman, Ivan Belov, told reporters that Moscow would wait.", "Ivan Belov", "RU"),
        # a relative clause with a verb of office
        ("Olena Hrytsenko, who serves as Ukraine's foreign minister, flew to Brussels.", "Olena Hrytsenko", "UA"),
        # an affiliation preposition
        ("Jane Doe from the State Department said talks would go on.", "Jane Doe", "US"),
    ],
)
def test_nationality_or_institution_attached_to_an_office(nlp, lex, text, name, expected):
    assert side(nlp, lex, text, name) == expected


@pytest.mark.parametrize(
    "text, name",
    [
        # the topic of a relative clause is not a description
        ("Jane Roe, who has written about Russia, said the talks would fail.", "Jane Roe"),
        # a verb of action, not of office
        ("Jane Roe, an official who visited Moscow, said the talks would fail.", "Jane Roe"),
        # a nationality without an office
        ("Ivan Petrov, a Russian businessman, said sanctions would hurt.", "Ivan Petrov"),
    ],
)
def test_topic_and_bare_nationality_give_no_side(nlp, lex, text, name):
    assert side(nlp, lex, text, name) is None


def test_the_place_of_an_office_is_not_its_side(nlp, lex):
    """'to' is no affiliation: Ukraine's ambassador to the US is Ukraine's."""
    text = "The Ukrainian ambassador to the United States, Oksana Voronova, spoke on Monday."
    assert side(nlp, lex, text, "Oksana Voronova") == "UA"


def test_title_split_at_its_preposition(nlp, lex):
    """The parser often makes the name the object of 'to' in 'Russian Ambassador to X Name'."""
    text = "Russian Ambassador to the Arctic Council Anna Sokolova said the exercises were planned."
    assert side(nlp, lex, text, "Anna Sokolova") == "RU"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Sen. Mark Tillwell said the bill would pass.", "Mark Tillwell"),  # title
        ("Sen Mark Tillwell said the bill would pass.", "Mark Tillwell"),  # title without its period
        ("Mark Tillwell (D-Conn.) said the bill would pass.", "Mark Tillwell"),  # party code in parentheses
        ("The bill was written by John Roe, D-Md., last year.", "John Roe"),  # party code between commas
        ("Dana Holt, a Republican of Texas, agreed with the plan.", "Dana Holt"),  # party
    ],
)
def test_us_legislators_by_title_or_party(nlp, lex, text, name):
    assert side(nlp, lex, text, name) == "US"


def test_a_plural_title_covers_the_list_of_names(nlp, lex):
    text = "The measure was written by Sens. Jane Doe, R-Texas, and John Roe last year."
    assert side(nlp, lex, text, "John Roe") == "US"
    text = "Sen. Jane Doe and John Roe, a Russia analyst, spoke."  # a singular title does not
    assert side(nlp, lex, text, "John Roe") is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Peter Marsh, a Russia analyst at the Brookings Institution, said the plan was weak.", "Peter Marsh"),
        ("Ukrainian journalist Olena Bondar said the city was calm.", "Olena Bondar"),
        ("Ivan Sidorov, a fellow at a Moscow think tank, said the plan was weak.", "Ivan Sidorov"),
        # an office of a university or think tank speaks for no side
        ("Jane Doe, a spokeswoman for a Moscow university, said the plan was weak.", "Jane Doe"),
    ],
)
def test_independent_analysts_think_tanks_and_media_have_no_side(nlp, lex, text, name):
    assert side(nlp, lex, text, name) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Former Ukrainian foreign minister Jane Doe said the talks would fail.", "Jane Doe"),
        ("Jane Doe, a former US ambassador, said the bill would fail.", "Jane Doe"),
        ("The sanctions list included Jane Doe, Prime Minister of Ukraine from 2003 to 2005, and John Roe.", "Jane Doe"),
    ],
)
def test_past_offices_give_no_side(nlp, lex, text, name):
    assert side(nlp, lex, text, name) is None


def test_a_past_job_does_not_cancel_a_current_title(nlp, lex):
    assert side(nlp, lex, "Sen. Jane Doe, a former journalist, said the bill would pass.", "Jane Doe") == "US"


def test_the_administration_is_the_one_the_article_names(nlp, lex):
    named = "The Biden administration is divided. An administration official, Jane Doe, said talks would continue."
    assert side(nlp, lex, named, "Jane Doe") == "US"
    assert side(nlp, lex, "An administration official, Jane Doe, said talks would continue.", "Jane Doe") is None


def test_describe_collects_title_apposition_and_parenthetical(nlp, lex):
    ent = person(nlp, "Mark Tillwell (D-Conn.), a member of the committee, said the bill would pass.", "Mark Tillwell")
    words = [t.text for t in describe(ent, lex)]
    assert "member" in words and "committee" in words and "(" in words and ")" in words
    assert "said" not in words and "bill" not in words


def test_side_from_description_takes_any_tokens(nlp, lex):
    """The function the quote component calls with a speaker's noun phrase."""
    doc = nlp("A senior Kremlin official said the talks were over.")
    np = [t for t in doc if t.i <= 3]
    assert side_from_description(np, lex) == ("RU", "description")
    assert side_from_description([], lex) == (None, None)


def test_title_runs(nlp, lex):
    doc = nlp("Deputy National Security Adviser Maria Lenz met the National Security Council and Secretary of State Tom Akers.")
    runs = {doc[a:b].text for a, b in title_runs(doc, lex)}
    assert runs == {"Deputy National Security Adviser", "Secretary of State"}


def test_unknown_side_in_the_lexicon_is_a_config_error(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    path = schemas / "sides.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  GB: [Labour", "  XX: [Labour", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sides\.yaml: parties\.XX: unknown side 'XX'"):
        load_rules(schemas)


def test_unknown_key_in_the_lexicon_is_a_config_error(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    path = schemas / "sides.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nroels: [minister]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sides\.yaml: unknown key 'roels'"):
        load_rules(schemas)


def test_a_body_word_takes_the_side_of_the_body_the_article_names(nlp, lex):
    def of_officials(text):
        doc = nlp(text)
        head = next(t for t in doc if t.lower_ == "officials")
        return side_from_description(list(head.subtree), lex, head=head)[0]

    assert of_officials("The Defense Department is drafting options, according to two defense officials.") == "US"
    assert of_officials("The Pentagon is drafting options, according to two defense officials.") == "US"
    # two countries' defence ministries named: which one is unknown
    assert of_officials("The Pentagon is drafting options, according to two defense officials. "
                        "The Russian Defence Ministry denied it.") is None
    assert of_officials("Talks failed, according to two defense officials.") is None
