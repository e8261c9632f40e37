"""Quotation spans, cues and speaker resolution on the real pipeline.

Each attribution form has a test on sentences written for this suite (not from
the seeds) and the seeds' own hazards are checked against the adjudicated gold.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.nlp.quotes import quote_spans

GOLD = Path(__file__).resolve().parent.parent / "seeds" / "gold"


def speakers(analyse_text, text):
    _, sents = analyse_text(text)
    return [(s.get("speaker"), s.get("speaker_side"), s.get("quote_type", "none")) for s in sents]


def test_quote_spans_pair_marks_and_close_at_paragraph_end():
    text = 'He said "no" and "never." Then: "We go on\n\nNew paragraph "here".'
    spans = [text[a:b] for a, b in quote_spans(text)]
    assert spans == ["no", "never.", "We go on", "here"]


def test_a_quotation_left_open_closes_where_the_next_one_opens():
    """'. "X' opens (space before the mark), '." X' closes (space after): an unclosed quotation ends
    at its sentence when the next one opens, so the marks after it pair right."""
    text = 'She called it "a farce. "We will not sign," Kovac said. "Never." The talks ended.'
    spans = [text[a:b] for a, b in quote_spans(text)]
    assert spans == ["a farce.", "We will not sign,", "Never."]


@pytest.mark.parametrize(
    "text, expected",
    [
        # "...," X said
        ('"We are ready to talk," Deputy Secretary of State Wendy Sherman said.', [("Wendy Sherman", "US", "direct")]),
        # X said "..."
        ('Dmitry Peskov said: "Our position has not changed."', [("Dmitry Peskov", "RU", "direct")]),
        # said X
        ('"The alliance will not be divided," said NATO Secretary General Jens Stoltenberg.', [("Jens Stoltenberg", "NATO", "direct")]),
        # X said that ...
        ("Kremlin spokesman Dmitry Peskov said that Moscow expected a written reply.", [("Dmitry Peskov", "RU", "indirect")]),
        # present tense, inverted
        ('"We will not be rushed," says Alexander Grushko, Russia\'s deputy foreign minister.', [("Alexander Grushko", "RU", "direct")]),
        # according to X
        ("The talks lasted eight hours, according to Ukrainian Foreign Minister Dmytro Kuleba.", [("Dmytro Kuleba", "UA", "indirect")]),
        # partial quote inside reported speech
        ('Lavrov said Moscow would respond with "appropriate measures" if ignored.', [("Sergei Lavrov", "RU", "mixed")]),
    ],
)
def test_attribution_forms(analyse_text, text, expected):
    assert speakers(analyse_text, text) == expected


def test_anonymous_source_and_back_reference(analyse_text):
    text = (
        "A senior State Department official, speaking on condition of anonymity, told reporters the talks were frank.\n\n"
        '"We made our position clear," the official said.'
    )
    got = speakers(analyse_text, text)
    assert got[0] == ("senior State Department official", "US", "indirect")
    assert got[1] == ("senior State Department official", "US", "direct")


def test_pronoun_and_honorific_resolve_to_the_named_person(analyse_text):
    text = (
        "Secretary of State Antony Blinken spoke after the meeting.\n\n"
        '"Diplomacy is the better path," Mr Blinken said.\n\n'
        '"But we are prepared either way," he added.'
    )
    got = speakers(analyse_text, text)
    assert got[1][:2] == ("Antony Blinken", "US")
    assert got[2][:2] == ("Antony Blinken", "US")


def test_unattributed_follow_on_quote_inherits_the_speaker(analyse_text):
    text = '"We want guarantees," Mr Ryabkov said.\n\n"And we want them in writing. Now."'
    got = speakers(analyse_text, text)
    assert [g[0] for g in got] == ["Sergei Ryabkov"] * 3
    assert [g[2] for g in got] == ["direct"] * 3


def test_multi_sentence_quote_takes_the_attribution_of_its_last_sentence(analyse_text):
    text = '"We will not accept this. Our concerns are serious. We expect answers," Peskov told reporters.'
    assert [g[0] for g in speakers(analyse_text, text)] == ["Dmitry Peskov"] * 3


def test_side_from_the_descriptor_not_from_the_sentence(analyse_text):
    got = speakers(analyse_text, "An analyst at the Carnegie Endowment said Russia and the United States were far apart.")
    assert got == [("analyst", None, "indirect")]
    got = speakers(analyse_text, "A Russian diplomatic source said the talks with Washington were hard.")
    assert got[0][1] == "RU"


def test_narration_is_not_speech(analyse_text):
    got = speakers(analyse_text, "The US did not announce who will lead the delegation. Russia is accused of massing troops.")
    assert got == [(None, None, "none"), (None, None, "none")]


def test_seed_quotes_all_have_speakers_and_narration_none(seed_corpus):
    gold = {}
    for path in GOLD.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            gold[(row["article_id"], row["text"])] = row
    quotes = [q for a in seed_corpus.analysed for q in a.quotes]
    assert quotes and all(q.speaker for q in quotes)
    for a in seed_corpus.analysed:
        for s in a.sentences:
            if gold[(s.article_id, s.text)]["speaker"] is None:
                assert s.speaker is None, s.text
    resolutions = {q.resolution for q in quotes}
    assert {"explicit", "coreference", "cross_document"} <= resolutions


@pytest.mark.parametrize(
    "sentence_id, speaker, resolution",
    [
        ("000_73e2c0667f79ae5f-s005", "Ned Price", "explicit"),  # "Mr Price said"
        ("000_73e2c0667f79ae5f-s014", "White House official", "coreference"),  # "the official said"
        ("002_cbac86f97823d3e0-s008", "Dmitry Polyanskiy", "coreference"),  # "he said"
        ("004_2bda35b8f11524d4-s004", "Dmitry Polyanskiy", "cross_document"),  # "he said" before he is named
        ("004_2bda35b8f11524d4-s009", "White House official", "cross_document"),  # never attributed in this article
        ("002_cbac86f97823d3e0-s004", "US official", "cross_document"),
        ("004_2bda35b8f11524d4-s014", "US official", "coreference"),  # introduced later in the article
        ("003_c8580ee1e5267d36-s012", "NSC spokesperson", "coreference"),
    ],
)
def test_seed_resolution_hazards(seed_corpus, sentence_id, speaker, resolution):
    sent = next(s for a in seed_corpus.analysed for s in a.sentences if s.id == sentence_id)
    quote = next(q for a in seed_corpus.analysed for q in a.quotes if q.quote_id == sent.quote_id)
    assert (sent.speaker, quote.resolution) == (speaker, resolution)


def test_colon_attribution(analyse_text):
    got = speakers(analyse_text, 'The talks ended.\n\nKremlin spokesman Dmitry Peskov: "We will respond to any provocation."')
    assert got[1] == ("Dmitry Peskov", "RU", "direct")


def test_single_quoted_quotations(analyse_text):
    text = "'We will respond to any aggression,' Mr Peskov told reporters. 'There can be no compromise.'"
    got = speakers(analyse_text, text)
    assert [g[0] for g in got] == ["Dmitry Peskov", "Dmitry Peskov"]
    assert [g[2] for g in got] == ["direct", "direct"]


def test_scare_quotes_are_not_speech(analyse_text):
    text = '"We are ready for talks," Lavrov said. The Kremlin has long called NATO\'s "open door" policy a threat to its security.'
    assert speakers(analyse_text, text)[1] == (None, None, "none")


def test_non_speech_uses_of_speech_verbs(analyse_text):
    assert speakers(analyse_text, "Russia has added 10,000 troops near the border this week.") == [(None, None, "none")]


def test_unlisted_person_by_surname_and_independent_analyst(analyse_text):
    text = 'Ukrainian analyst Olena Petrenko said the talks were a trap.\n\n"They want time," Ms Petrenko said.'
    got = speakers(analyse_text, text)
    assert got == [("Olena Petrenko", None, "indirect"), ("Olena Petrenko", None, "direct")]


def test_pronoun_to_the_last_person_who_was_a_subject(analyse_text):
    text = 'Vladimir Putin met Joe Biden in Geneva in June. He said Russia would defend itself.'
    assert speakers(analyse_text, text)[1][:2] == ("Vladimir Putin", "RU")


def test_short_quotes_framed_by_added(analyse_text):
    text = 'Peskov spoke to reporters.\n\n"We will see," he added.\n\nHe added: "Maybe."'
    assert [g[0] for g in speakers(analyse_text, text)[1:]] == ["Dmitry Peskov", "Dmitry Peskov"]


def test_passive_relay_relative_clause_and_speech_adjective(analyse_text):
    """"he was quoted as saying": the one quoted speaks; "an official who told reporters ...":
    the official speaks (and "the official" later refers to them); "she was blunt that ...": she
    states a position."""
    text = (
        "Secretary of State Antony Blinken arrived in Berlin on Thursday.\n\n"
        '"Our allies can count on us," he was quoted as saying.\n\n'
        "The warning came from a senior Pentagon official who told reporters that more troops could be sent.\n\n"
        "The official said the decision rested with the president."
    )
    got = speakers(analyse_text, text)
    assert got[1][:2] == ("Antony Blinken", "US")
    assert got[2][0] is not None and got[2][1] == "US" and "official" in got[2][0]
    assert got[3][:2] == got[2][:2]
    text = "Deputy Secretary of State Wendy Sherman spoke in Brussels.\n\nShe was blunt that the alliance would not close its doors."
    assert speakers(analyse_text, text)[1] == ("Wendy Sherman", "US", "indirect")


def quote_texts(analyse_text, text):
    doc, _ = analyse_text(text)
    return [doc.text[q._.content_start : q._.content_end] for q in doc.spans["quotes"]]


def test_pointed_out_that_reports_its_clause(analyse_text):
    """'pointed out that ...' reports the clause; 'pointed to the map' reports nothing."""
    assert quote_texts(analyse_text, "Mayor Ana Ruiz pointed out that the budget had grown for three years.") == [
        "the budget had grown for three years"]
    assert quote_texts(analyse_text, "Mayor Ana Ruiz pointed to the map, which showed the old border.") == []


def test_asked_someone_if_reports_the_question(analyse_text):
    """'asked workers if ...': the question, which the small parser hangs on the verb as a
    conditional clause; a real condition after 'told' is part of what was told, and a
    condition after a non-speech verb is no speech."""
    got = quote_texts(analyse_text, "The senator shook hands and asked workers if they planned to attend the caucuses.")
    assert len(got) == 1 and "they planned to attend the caucuses" in got[0]
    assert quote_texts(analyse_text, "The senator will visit the plant if the workers agree.") == []


def test_a_quotation_split_around_said_is_one_statement(analyse_text):
    """'"A," X said. "B."' in one paragraph is one quotation of X (over both pieces); a new
    paragraph, or a second quotation with an attribution of its own, stays apart."""
    text = '"We will not sign this," Maria Kovac said on Monday. "The terms are unfair to our farmers."'
    got = quote_texts(analyse_text, text)
    assert len(got) == 1 and got[0].startswith("We will not sign") and got[0].endswith("farmers.")
    text = '"We will not sign this," Maria Kovac said on Monday.\n\n"The terms are unfair to our farmers."'
    assert len(quote_texts(analyse_text, text)) == 2
    text = '"We will not sign this," Maria Kovac said on Monday. "Why now?" her deputy asked.'
    assert quote_texts(analyse_text, text) == ["We will not sign this", "Why now?"]
