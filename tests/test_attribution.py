"""Quote attribution forms of real news (issue 16), each on sentences written for the test:
who speaks, which words are the quote, and which mention names the speaker."""

from __future__ import annotations

import pytest


def quotes_of(analyse_text, text: str) -> list[dict]:
    from builder.nlp.fields import values

    doc, _ = analyse_text(text)
    out = []
    for span in doc.spans["quotes"]:
        q = values(span, "quote")
        mention = text[q["speaker_start"] : q["speaker_end"]] if q["speaker_start"] is not None else None
        start, end = q["content_start"], q["content_end"]
        out.append({**q, "start": start, "end": end, "text": text[start:end], "mention": mention})
    return out


def test_people_outside_the_gazetteer_speak(analyse_text):
    qs = quotes_of(analyse_text, '"We trained all winter for this," said the coach, Jane Doe.')
    assert [(q["speaker"], q["mention"]) for q in qs] == [("Jane Doe", "Jane Doe")]
    assert qs[0]["text"] == "We trained all winter for this"


def test_present_tense_says_x_who(analyse_text):
    qs = quotes_of(analyse_text, '"The river has never been this low," says Tomas Brenner, who has fished it for forty years.')
    assert [q["speaker"] for q in qs] == ["Tomas Brenner"]


def test_sentence_initial_according_to_and_content_before_it(analyse_text):
    text = "According to the harbour authority, the ferry will resume on Monday. The bridge will stay shut, according to Lena Ostrova."
    qs = quotes_of(analyse_text, text)
    assert [(q["text"], q["speaker"]) for q in qs] == [
        ("the ferry will resume on Monday", "harbour authority"),
        ("The bridge will stay shut", "Lena Ostrova"),
    ]


def test_common_noun_sources_are_descriptors_not_dropped(analyse_text):
    qs = quotes_of(analyse_text, "Critics say the new tax will hurt small farms. Police said the road was closed for hours.")
    assert [(q["speaker"], q["quote_type"]) for q in qs] == [("critics", "indirect"), ("police", "indirect")]
    assert [q["mention"] for q in qs] == ["Critics", "Police"]


def test_colon_forms(analyse_text):
    text = 'Maria Kovac chaired the meeting.\n\nKovac: "The vote is on Friday."\n\nThe mayor told the crowd:\n\n"Nobody will lose their home."'
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["Maria Kovac", "mayor"]


def test_a_name_line_before_the_quotation_and_a_verb_after_a_preposition(analyse_text):
    text = 'Tomas Brenner runs the port.\n\nBrenner:\n\n"We will not close the port."'
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Tomas Brenner"]
    qs = quotes_of(analyse_text, 'Kovac ended her speech by saying "Never again." The crowd cheered.')
    assert [(q["speaker"], q["cue"]) for q in qs] == [("Kovac", "saying")]


def test_adverbials_between_the_verb_and_its_quotation(analyse_text):
    qs = quotes_of(analyse_text, 'As the columnist Rosa Imhoff had written a year earlier, "Nothing lasts in this town."')
    assert [(q["speaker"], q["text"]) for q in qs] == [("Rosa Imhoff", "Nothing lasts in this town.")]


def test_cataphora_the_role_first_the_name_later(analyse_text):
    text = ('"The dam is safe," the engineer said on Tuesday.\n\n'
            'Piet Halloran, a senior engineer at the water board, said repairs would take a year.')
    qs = quotes_of(analyse_text, text)
    assert qs[0]["speaker"] == "Piet Halloran" and qs[0]["mention"] == "the engineer" and qs[0]["resolution"] == "coreference"
    assert qs[1]["speaker"] == "Piet Halloran"
    # no one is given the role later: the descriptor stands
    qs = quotes_of(analyse_text, '"The dam is safe," the engineer said on Tuesday. Repairs will take a year.')
    assert [q["speaker"] for q in qs] == ["engineer"]


def test_descriptor_then_name_and_he_takes_the_nearest_person(analyse_text):
    text = ("A spokesman for the port, Davor Linde, said the cranes were back in use. "
            "Rosa Imhoff, who runs the dockers' union, disagreed with the plan. "
            '"Nobody asked the crews," she said.')
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["Davor Linde", "Rosa Imhoff"]
    assert qs[1]["mention"] == "she" and qs[1]["resolution"] == "coreference"


def test_a_stated_gender_must_agree_with_the_pronoun(analyse_text):
    text = ("Ms. Anika Sorel met Mr. Otto Crane at the depot on Monday. "
            '"The trams will run again by May," he said.')
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["Otto Crane"]


def test_floating_quotations_over_paragraphs(analyse_text):
    text = ('"The orchard was flooded twice this year," said Hana Vesely, a grower.\n\n'
            '"We lost half the apples. Nobody insures that any more."\n\n'
            "The council will meet next week.")
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["Hana Vesely", "Hana Vesely"]
    assert qs[1]["resolution"] == "coreference" and qs[1]["mention"] == "Hana Vesely"


def test_attribution_in_the_next_sentence_after_a_question(analyse_text):
    text = '"Who will pay for the new lighthouse?" Local harbour pilot Felix Arden asked at the meeting.'
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["Felix Arden"]


def test_two_speakers_in_one_sentence(analyse_text):
    text = "Iris Mallory said the vote was fair, but Jonas Perl insisted that it had been rigged."
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["text"]) for q in qs] == [("Iris Mallory", "the vote was fair"), ("Jonas Perl", "it had been rigged")]


def test_the_addressee_is_never_the_speaker(analyse_text):
    text = "Maria Kovac told the Daily Courier's Otto Crane that the council had run out of money."
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["Maria Kovac"]
    assert qs[0]["text"] == "the council had run out of money"


@pytest.mark.parametrize("text", [
    'The film "A Long Way Home" opened on Friday in twelve cinemas across the region.',
    'Residents call the junction "the death trap" and avoid it after dark whenever they can.',
    'Marchers carried banners reading "Save Our Harbour" through the old town on Saturday.',
])
def test_quoted_material_that_is_not_speech(analyse_text, text):
    assert quotes_of(analyse_text, text) == []


def test_doubled_apostrophes_are_quotation_marks(tmp_path):
    from builder.read.clean import clean_text
    from builder.rules import load_rules

    cleaned = clean_text("''We will rebuild the pier,'' Mr. Brenner said on Monday, a week after the storm.", load_rules().furniture)
    assert cleaned.text.startswith('"We will rebuild the pier,"')


def test_side_evidence_names_where_the_side_comes_from(analyse_text):
    qs = quotes_of(analyse_text, 'Sergei Lavrov said the talks were over. "We are disappointed," a US official said.')
    assert [(q["speaker"], q["speaker_side"], q["speaker_side_evidence"]) for q in qs] == [
        ("Sergei Lavrov", "RU", "gazetteer"),
        ("US official", "US", "description"),
    ]


def test_a_title_the_article_gave_names_the_person_later(analyse_text):
    text = ('Port Director Piet Halloran closed the port on Monday. The ferry company protested. '
            '"Safety comes first," the port director said. Vice Mayor Lena Ostrova agreed. '
            '"We back him," the vice mayor said, while the mayor stayed silent.')
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs][:2] == ["Piet Halloran", "Lena Ostrova"]
    assert qs[0]["mention"] == "the port director" and qs[0]["resolution"] == "coreference"


def test_a_title_without_an_article_ends_in_the_name(analyse_text):
    qs = quotes_of(analyse_text, '"The vote is lost," said Syldavia\'s ambassador to the league Otto Crane.')
    assert [q["speaker"] for q in qs] == ["Otto Crane"]
    qs = quotes_of(analyse_text, "A spokesman for Mayor Otto Crane said the vote was lost.")
    assert [q["speaker"] for q in qs] == ["spokesman"]  # the spokesman speaks, not the mayor


def test_the_canonical_name_is_the_fullest_form_the_article_uses(analyse_text):
    text = ("Hana Brenner opened the market. Later Hana K. Brenner, the market's founder, spoke to farmers. "
            '"Prices will hold," Brenner said.')
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs][-1] == "Hana K. Brenner"


def test_nested_attribution_names_the_cited_source(analyse_text):
    qs = quotes_of(analyse_text, "According to the ministry, Deputy Minister Otto Crane said the bridge would reopen in May.")
    assert [(q["speaker"], q["text"]) for q in qs] == [("ministry", "the bridge would reopen in May")]
    # a relay appended after the verb leaves the words to the one who said them
    qs = quotes_of(analyse_text, '"The bridge will reopen in May," Otto Crane told reporters, according to the Daily Courier.')
    assert [q["speaker"] for q in qs] == ["Otto Crane"]


def test_a_second_statement_in_the_same_sentence(analyse_text):
    qs = quotes_of(analyse_text, "Maria Kovac said the budget was balanced, adding that taxes would not rise next year.")
    assert [(q["speaker"], q["text"]) for q in qs] == [
        ("Maria Kovac", "the budget was balanced"),
        ("Maria Kovac", "taxes would not rise next year"),
    ]


@pytest.mark.parametrize("text, speakers", [
    # a role two people hold names neither; another body's role is not the person's
    ("President Joe Roe met Syldavian President Otto Crane. The president said the border was open.", ["president"]),
    ("Port Director Piet Halloran opened the depot. The company's director said sales rose.", ["director"]),
    ("Attorney General Jane Roe spoke first. The general said the troops were ready.", ["general"]),
    ("Vice Mayor Lena Ostrova spoke first. The mayor said the budget was fixed.", ["mayor"]),
])
def test_a_role_resolves_only_to_the_person_who_holds_it(analyse_text, text, speakers):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == speakers


@pytest.mark.parametrize("text", [
    'Breaking: "Russia has begun the exercise," the ministry said on Monday.',
    'Analysis:\n\n"The vote was close."',
])
def test_headings_before_a_colon_are_no_speakers(analyse_text, text):
    assert "Breaking" not in [q["speaker"] for q in quotes_of(analyse_text, text)]
    assert "Analysis" not in [q["speaker"] for q in quotes_of(analyse_text, text)]


def test_partitive_and_abstract_subjects(analyse_text):
    qs = quotes_of(analyse_text, "One of the officials said the road was closed. The figures suggest prices rose by a third.")
    assert [q["speaker"] for q in qs] == ["officials"]


def test_not_speech(analyse_text):
    assert quotes_of(analyse_text, "The minister expressed his condolences to the families of the victims.") == []
    assert [q["speaker"] for q in quotes_of(analyse_text, "Police detained the blogger for claiming the vote was rigged.")] != ["police"]


def test_the_object_of_a_control_verb_speaks_its_infinitive(analyse_text):
    """"leading some to suggest": "some" suggests (an unnamed group), not the subject of "leading"."""
    qs = quotes_of(analyse_text, "The bill appears to be on hold after a dispute over fees, leading some to suggest the mayor should act alone.")
    assert [q["speaker"] for q in qs] == ["some"]
    qs = quotes_of(analyse_text, "The report prompted critics to argue that the tax is unfair.")
    assert [q["speaker"] for q in qs] == ["critics"]
    qs = quotes_of(analyse_text, "The mayor used the meeting to say that the ferry would resume.")
    assert [q["speaker"] for q in qs] == ["mayor"]


def test_a_descriptor_with_its_own_modifiers_is_not_an_earlier_group(analyse_text):
    text = "Some officials and experts believe the ferry will resume. The ferry is old, the senior transport official said."
    assert [q["speaker"] for q in quotes_of(analyse_text, text)][-1] == "senior transport official"


def test_one_of_an_earlier_group_is_its_singular(analyse_text):
    text = ('The ferry will resume in May, according to two port officials. '
            '"We are exploring options," the first official said. The fees will rise, the official said.')
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["resolution"]) for q in qs] == [
        ("port officials", "explicit"), ("port official", "coreference"), ("port official", "coreference")]


def test_a_side_from_the_defence_body_the_article_names(analyse_text):
    text = 'The Defense Department is drafting options, according to two defense officials. "We are exploring options," the first official said.'
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["speaker_side"]) for q in qs] == [("defense officials", "US"), ("defense official", "US")]


def test_descriptors_drop_emotive_participles(analyse_text):
    text = "Stunned Ukrainian officials said they were not told. Worried European diplomats said the talks failed. The acting minister said the vote was fair."
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Ukrainian officials", "European diplomats", "acting minister"]


def test_a_role_after_the_name_is_that_person(analyse_text):
    """The name first, then the role: the person of the role's side named last, whose titles fit."""
    text = 'Olena Marchuk, the Ukrainian president, met the press. She spoke for an hour. "We will see," the Ukrainian leader said.'
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Olena Marchuk"]
    text = ('Foreign Minister Sergei Lavrov met Liz Truss in Moscow. President Vladimir Putin stayed away. '
            '"Maybe they are preparing something," the veteran Russian diplomat told reporters.')
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Sergei Lavrov"]
    # no person of that side named: the role stands as it is
    text = 'Maria Kovac, the Slovak foreign minister, met the press. "We will see," the Ukrainian leader said.'
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Ukrainian leader"]


def test_a_title_two_people_hold_is_the_one_named_last(analyse_text):
    text = ('President Tomas Brenner spoke with President Ivan Belov on Tuesday. Brenner said the talks were frank. '
            '"It depends on what he does," the president said.')
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Tomas Brenner", "Tomas Brenner"]


def test_more_speech_verbs_with_a_clause(analyse_text):
    text = ("The minister mentioned that the talks had stalled. Kovac revealed that the port would close. "
            "The company maintains that it did nothing wrong. Russia maintains 100,000 troops at the border. "
            "The mayor reassured residents that the water was safe.")
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["text"]) for q in qs] == [
        ("minister", "the talks had stalled"), ("Kovac", "the port would close"), ("company", "it did nothing wrong"),
        ("mayor", "the water was safe")]


def test_transcript_line_name_and_colon(analyse_text):
    """'TAPPER: ...' after 'Jake Tapper' is Tapper's line (the rest of the paragraph, his own
    words); 'Note:' and 'Related:' are labels, not speakers."""
    from builder.nlp.fields import values

    text = ("CNN host Jake Tapper spoke with Governor Mary Fallin on Sunday.\n\n"
            "TAPPER: Do you think he has campaigned as a healer of the nation?\n\n"
            "FALLIN: I think he is trying to campaign as a healer. I think that has been part of his message.")
    doc, _ = analyse_text(text)
    got = [(doc.text[q._.content_start : q._.content_end], values(q, "quote")["speaker"], q._.quote_type) for q in doc.spans["quotes"]]
    assert got == [("Do you think he has campaigned as a healer of the nation?", "Jake Tapper", "direct"),
                   ("I think he is trying to campaign as a healer. I think that has been part of his message.", "Mary Fallin", "direct")]
    doc, _ = analyse_text("The talks ended on Monday.\n\nNote: This article has been updated with new figures.\n\n"
                          "Related: Five things to know about the talks.")
    assert list(doc.spans["quotes"]) == []


@pytest.mark.parametrize("text, speaker, side", [
    ('"The shops are still open," said Paul Miller, an American businessman who has lived in Kyiv for ten years.',
     "Paul Miller", None),
    ('"We will not leave," said Anna Kowal, a Ukrainian mother of three.', "Anna Kowal", None),
    ('"We will not leave," said Olek Brzoza, a Ukrainian army officer.', "Olek Brzoza", "UA"),
])
def test_a_nationality_gives_a_side_on_an_office_not_on_a_private_person(analyse_text, text, speaker, side):
    """The guide: the side is the actor the speaker stands for; a businessman or a mother of
    three stands for no government, whatever their nationality."""
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["speaker_side"]) for q in qs] == [(speaker, side)]


def test_descriptor_then_place_then_name(analyse_text):
    qs = quotes_of(analyse_text, "Asked about the delay, the top British diplomat in Kenya Sarah Coleman denied there was any.")
    assert [(q["speaker"], q["speaker_side"], q["mention"]) for q in qs] == [("Sarah Coleman", "GB", "Sarah Coleman")]
    # a name after "for" is whom the role serves, not the speaker
    qs = quotes_of(analyse_text, "A spokesman for Sarah Coleman denied there was any delay.")
    assert [q["speaker"] for q in qs] == ["spokesman"]


def test_the_bare_organisation_noun_is_the_organisation_named_before(analyse_text):
    text = "The Treasury Department imposed sanctions on Monday. The department said the four men had acted for a foreign service."
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["speaker_side"], q["resolution"], q["mention"]) for q in qs] == [
        ("Treasury Department", "US", "coreference", "The department")]
    text = "The Russian Foreign Ministry singled out two countries on Friday. The foreign ministry said the drills were a threat."
    assert [(q["speaker"], q["resolution"]) for q in quotes_of(analyse_text, text)][-1] == ("Russian Foreign Ministry", "coreference")
    # with no organisation of that name before, the noun stays a descriptor
    qs = quotes_of(analyse_text, "The department said the four men had acted for a foreign service.")
    assert [q["speaker"] for q in qs] == ["department"]


@pytest.mark.parametrize("text, speaker", [
    ('A White House readout of the call said the leaders discussed "ways to lower fuel prices."', "White House"),
    ('The harbour authority\'s statement said the pier would reopen in May.', "harbour authority"),
    ('A letter from the harbour authority warns that the pier will stay shut until May.', "harbour authority"),
    ('The statement said the pier would reopen in May.', "statement"),
])
def test_a_document_speaks_for_its_author(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ('The port authority on Monday dismissed the reports about the closure as "hysteria."', "port authority"),
    ('Marek Zielinski, a spokesman for the city council, criticised the decision as "a premature step."', "Marek Zielinski"),
    ('The minister described the talks as "useful but difficult."', "minister"),
    ("At a news conference, the prime minister portrayed the escalation as a threat to all of Europe.", "prime minister"),
])
def test_a_judgement_in_quoted_words_is_the_subjects(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == [speaker]


def test_a_transcript_answer_runs_to_the_end_of_its_paragraph(analyse_text):
    """Q&A excerpts: each line is its speaker's until the paragraph ends; a line may open with
    the topic of the question ('X, on the bridge:') or with the role the article titled the
    speaker by ('Mayor:' after 'Mayor Lena Ostrova')."""
    text = ("Below are excerpts of the interview with Mayor Lena Ostrova.\n\n"
            "The Courier's Tom Hale, on the new bridge: Is this a plan that works for the city?\n\n"
            "Mayor Lena Ostrova: We saw the plan before it was sent. We trust the engineers.\n\n"
            "Hale: Will residents accept the tolls?\n\n"
            "Mayor: Absolutely, I have no doubt. It is incredible.\n\n"
            "The interview was recorded on Friday.")
    _, sents = analyse_text(text)
    assert [s["speaker"] for s in sents] == [None, "Tom Hale", "Lena Ostrova", "Lena Ostrova", "Tom Hale",
                                             "Lena Ostrova", "Lena Ostrova", None]


def test_a_counterpart_is_an_office_of_the_side_it_names(analyse_text):
    text = ('The US spokesman called the step prudent, but his Polish counterpart, ministry spokesperson Marek Zielinski, '
            'said it was "a premature one."')
    assert [(q["speaker"], q["speaker_side"]) for q in quotes_of(analyse_text, text)] == [("Marek Zielinski", "PL")]


def test_the_description_first_and_the_name_later(analyse_text):
    text = ('"The water came up to the roof," said one resident.\n\n'
            '"We lost everything," said the resident, Karl Biro, who has lived there for 30 years.')
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Karl Biro", "Karl Biro"]
    # two residents named: the first description stays as it is
    text = ('"The water came up to the roof," said one resident.\n\n'
            '"We lost everything," said the resident, Karl Biro.\n\n'
            '"Nobody helped us," said the other resident, Vera Holm.')
    assert quotes_of(analyse_text, text)[0]["speaker"] == "resident"


def test_a_gazetteer_surname_after_another_given_name_is_someone_else(analyse_text):
    """'Sullivan' is a gazetteer alias of Jake Sullivan; 'John Sullivan' is not him."""
    qs = quotes_of(analyse_text, "Ambassador John Sullivan, who delivered the reply, reiterated that any attack would be punished.")
    assert [(q["speaker"], q["speaker_id"]) for q in qs] == [("John Sullivan", "person:john-sullivan")]
    qs = quotes_of(analyse_text, "Jake Sullivan spoke on Monday. \"We are ready,\" Mr. Sullivan said.")
    assert [q["speaker_id"] for q in qs] == ["jake_sullivan"]


def test_another_title_of_the_same_office(analyse_text):
    text = "Russian Ambassador Vera Lind spoke at the council. But Russia's envoy again denied that Moscow planned an attack."
    assert [(q["speaker"], q["resolution"]) for q in quotes_of(analyse_text, text)] == [("Vera Lind", "coreference")]
    text = "US Ambassador Tom Reilly met the press. Russia's envoy denied the claim."  # another side: not him
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Russian envoy"]


@pytest.mark.parametrize("text, speaker, content", [
    ("The governor in March ruled out raising the fuel tax this year.", "governor", "raising the fuel tax this year"),
    ("Vera Holm, a city councillor, again called for a vote on the budget.", "Vera Holm", "a vote on the budget"),
    ("The council called the meeting for Tuesday.", None, None),  # the preposition is not the report's
    ("The council has not offered to rule out a new tax.", None, None),  # a negated announcement reports nothing
])
def test_reports_through_a_particle(analyse_text, text, speaker, content):
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["text"]) for q in qs] == ([(speaker, content)] if speaker else [])


def test_an_unnamed_office_is_the_person_the_article_gives_it(analyse_text):
    text = ("Poland's foreign minister said the talks had failed. Polish Foreign Minister Jan Nowak met his German "
            "counterpart later. German Foreign Minister Eva Lang said nothing.")
    assert quotes_of(analyse_text, text)[0]["speaker"] == "Jan Nowak"
    # the name after the description, titled without a side: the description gives it
    text = ("Russia's deputy defense minister warned foreign envoys of a high risk of conflict on Tuesday. "
            "Deputy Defense Minister Alexander Fomin spoke at a briefing in Moscow.")
    assert [(q["speaker"], q["speaker_side"]) for q in quotes_of(analyse_text, text)] == [("Alexander Fomin", "RU")]
    # two people with that office: neither
    text = ("A deputy minister said the plan was ready. Deputy Minister Jan Nowak and Deputy Minister Eva Lang "
            "had drafted it.")
    assert quotes_of(analyse_text, text)[0]["speaker_id"] is None


def test_a_document_named_again_speaks_for_the_same_author(analyse_text):
    text = ("According to the Polish Defense Ministry's latest intelligence assessment, the army has deployed 3,000 "
            "troops. The assessment said the border was calm.")
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker_side"], q["resolution"]) for q in qs] == [("PL", "explicit"), ("PL", "coreference")]
    assert qs[0]["speaker"] == qs[1]["speaker"]


def test_a_titled_name_the_model_did_not_tag(analyse_text):
    qs = quotes_of(analyse_text, "Governor Ana Ruiz said the road would reopen. Ruiz added that the bridge was safe.")
    assert [(q["speaker"], q["mention"]) for q in qs] == [("Ana Ruiz", "Ana Ruiz"), ("Ana Ruiz", "Ruiz")]


def test_a_newspaper_named_post_is_a_source_not_a_document(analyse_text):
    qs = quotes_of(analyse_text, "The Washington Post reported that the plan would cost billions.")
    assert [q["speaker"] for q in qs] == ["The Washington Post"]


def test_officials_of_two_sides_speak_for_neither(analyse_text):
    qs = quotes_of(analyse_text, "Ukrainian and US officials say a potential assault would not begin with tanks.")
    assert [(q["speaker"], q["speaker_side"]) for q in qs] == [("Ukrainian and US officials", None)]


def test_a_bare_quotation_after_reported_speech_is_the_same_speakers(analyse_text):
    text = ('A senior city official told reporters on Tuesday that the talks were useful.\n\n'
            '"We are ready for either path. The choice is theirs."\n\nThe union did not respond.')
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["senior city official", "senior city official"]
    assert qs[1]["tentative"]
    # not when a narrated sentence comes between
    text = ('A senior city official told reporters on Tuesday that the talks were useful.\n\nThe union met on Friday.\n\n'
            '"We are ready for either path."')
    assert quotes_of(analyse_text, text)[-1]["speaker"] is None


def test_one_alone_is_one_of_the_group_named_just_before(analyse_text):
    text = ('The remarks left Ukrainian officials aghast. One told a reporter he was "shocked that the president would '
            'say that." "This gives a green light to the enemy," the official added.')
    assert [(q["speaker"], q["speaker_side"]) for q in quotes_of(analyse_text, text)] == [
        ("Ukrainian official", "UA"), ("Ukrainian official", "UA")]


def test_he_after_an_unnamed_source_in_the_sentence_before(analyse_text):
    """'he' in the next sentence is the unnamed official who just spoke, not the reporter told;
    a person the sentence makes a subject comes first, and the official is 'he' for one sentence only."""
    text = ("A senior official told the Courier's Tom Hale the talks had failed. \"This is a setback,\" the official "
            'added. "We are stunned," he said.')
    assert quotes_of(analyse_text, text)[-1]["speaker"] == "senior official"
    text = ('Karl Biro warned of new cuts, an aide said. He told the council that the budget was "gone."')
    assert quotes_of(analyse_text, text)[-1]["speaker"] == "Karl Biro"


@pytest.mark.parametrize("text, speaker, side", [
    ("Dmitri Kuleba said the talks had failed.", "Dmytro Kuleba", "UA"),  # a spelling of the same given name
    ("The German Foreign Office said the embassy would stay open.", None, "DE"),  # not the UK's
    ("The British Treasury said the sanctions would take effect.", None, "GB"),  # not the US's
    ("The Treasury said the four men had acted for a foreign service.", "Treasury Department", "US"),
    ("Ukraine's Marine Corps said the port was calm.", None, "UA"),
])
def test_names_and_bodies_of_other_spellings_and_other_countries(analyse_text, text, speaker, side):
    qs = quotes_of(analyse_text, text)
    assert qs and qs[0]["speaker_side"] == side
    if speaker:
        assert qs[0]["speaker"] == speaker


@pytest.mark.parametrize("text", [
    "The plan calls for the deployment of 5,000 troops.",
    "The president dismissed two generals as part of a shake-up.",
    'Moscow rejected the "peace formula" put forward by Kyiv.',
])
def test_what_is_no_report(analyse_text, text):
    assert [q for q in quotes_of(analyse_text, text) if q["speaker"]] == []


def test_a_headline_with_a_possessive_is_no_transcript_line(analyse_text):
    _, sents = analyse_text("Zelensky's Gamble: Why Kyiv Is Betting on the West\n\nThe president spoke on Monday.")
    assert [s["speaker"] for s in sents] == [None, None]


def test_the_author_by_name_wins_over_the_platform(analyse_text):
    qs = quotes_of(analyse_text, "A Facebook post by Ana Ruiz said the bridge was safe.")
    assert [q["speaker"] for q in qs] == ["Ana Ruiz"]


def test_a_description_named_later_must_be_the_same_description(analyse_text):
    text = ("A spokesman for the harbour authority said the pier was closed. Later, the Kremlin spokesman, "
            "Dmitry Peskov, said talks would resume.")
    assert quotes_of(analyse_text, text)[0]["speaker"] != "Dmitry Peskov"


def test_a_transcript_that_lost_its_paragraph_breaks(analyse_text):
    text = ("Below are excerpts of the interview with Mayor Lena Ostrova. Ambassador Tom Hale met her. "
            "Mayor Lena Ostrova: We saw the plan before it was sent. We trust the engineers. "
            "Hale: Will residents accept the tolls? Mayor: Absolutely, I have no doubt. It is incredible.")
    _, sents = analyse_text(text)
    assert [s["speaker"] for s in sents] == [None, None, "Lena Ostrova", "Lena Ostrova", "Tom Hale", "Lena Ostrova", "Lena Ostrova"]
    # mid-paragraph, a colon after a name the article does not know is no line
    _, sents = analyse_text("The vote was close. Result: the council kept the old budget for another year.")
    assert [s["speaker"] for s in sents] == [None, None]


@pytest.mark.parametrize("text, speaker", [
    ("The pier will reopen, two harbour officials said.", "harbour officials"),
    ("The pier will reopen, several officials told reporters.", "officials"),
    ('"We will stay," one farmer told the radio.', "farmer"),
])
def test_how_many_is_no_part_of_a_descriptor(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("The mine will close in May, sources familiar with the matter told the paper.", "sources familiar with the matter"),
    ("The mayor will resign, according to a person close to the council.", "person close to the council"),
    ("Officials briefed on the plan said it would cost more.", "officials briefed on the plan"),
])
def test_which_source_the_words_after_it_say(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("The strike ended, the state broadcaster Radio Lumen reported.", "Radio Lumen"),
    ("The strike ended, the Harbour Times newspaper reported.", "Harbour Times"),
])
def test_an_outlet_by_its_name_not_its_description(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == [speaker]


def test_the_statement_named_with_its_author_speaks_for_it_again(analyse_text):
    text = ('The fair opens on Friday, the Harbour Authority announced in a statement. '
            '"Every stall is taken," the statement said.')
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["Harbour Authority", "Harbour Authority"]


def test_quoted_words_parsed_as_a_subject_do_not_speak(analyse_text):
    text = '"Higher costs, longer queues, fewer jobs," a senior port official said.'
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["senior port official"]


def test_a_feeling_is_no_source(analyse_text):
    text = "Farmers fears eased but warn of delays A senior farm official warned that the harvest could be late."
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["senior farm official"]


def test_the_cue_that_frames_the_quotation_speaks_for_it(analyse_text):
    text = ('The plan was rejected by the council on Monday, with its chair Anna Berg saying, "We cannot pay for it." '
            'Berg said the city had "no money left" for the bridge.')
    qs = quotes_of(analyse_text, text)
    assert [q["speaker"] for q in qs] == ["Anna Berg", "Anna Berg"]
    # a quotation inside what the main verb reports stays the main speaker's
    qs = quotes_of(analyse_text, 'Mayor Ivo Lind noted that the union had expressed "readiness" to talk.')
    assert [q["speaker"] for q in qs] == ["Ivo Lind"]


@pytest.mark.parametrize("text, speaker", [
    ("Local farmers have voiced concern that the dam could fail.", "local farmers"),
    ("The union expressed hope for a deal by Friday.", "union"),
    ("The mayor on Monday dismissed the allegations.", "mayor"),
    ("The council has indicated a willingness to talk.", "council"),
    ("The port authority appealed for calm.", "port authority"),
    ("The coach blamed the referee for the defeat.", "coach"),
])
def test_a_statement_as_the_object_is_a_report(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == [speaker]


@pytest.mark.parametrize("text", [
    "The tanker expressed 10,000 litres of oil into the bay.",
    "The referee rejected the ball before kick-off.",
    "The company raised prices in May.",
])
def test_an_object_that_is_no_statement_reports_nothing(analyse_text, text):
    assert quotes_of(analyse_text, text) == []


def test_the_country_s_office_is_the_country_named_before(analyse_text):
    text = ('Moldova has doubts about the plan, and the country\'s former president, Ion Varga, told reporters '
            'that "the border must stay open." "We cannot wait," Varga said.')
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["speaker_side"]) for q in qs] == [("Ion Varga", "MD"), ("Ion Varga", "MD")]
    # no country named before: no side
    qs = quotes_of(analyse_text, '"We are ready," said Anna Kovac, the country\'s top diplomat.')
    assert [(q["speaker"], q["speaker_side"]) for q in qs] == [("Anna Kovac", None)]


@pytest.mark.parametrize("text, speaker", [
    # a gendered noun before the name or in an apposition states a gender the pronoun must not contradict
    ('Actress Jane Doe met the governor, Tom Reed, on Monday. "If he wins, things will change," she said.', "Jane Doe"),
    ('Actress Jane Doe met Tom Reed on Monday. "We are ready," he said.', "Tom Reed"),
    ('Jane Doe, the congresswoman, met Tom Reed on Monday. "We are ready," he said.', "Tom Reed"),
    # nothing stated: the nearest subject, as before (no guess from first names)
    ('Tom Reed met Jane Doe on Monday. "We are ready," she said.', "Tom Reed"),
])
def test_a_gender_the_article_states_rules_out_a_person_for_the_pronoun(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)][-1] == speaker


def test_a_relative_clause_is_no_qualifier_of_the_source(analyse_text):
    text = "The plan is ready, said a senior port official who briefed reporters on Tuesday."
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == ["senior port official"]


def test_an_unnamed_ministry_s_official_takes_the_side_of_the_ministry_named_before(analyse_text):
    text = ("Moldova's Interior Ministry closed the road. A senior interior ministry official said it would reopen. "
            "A ministry official said the same.")
    qs = quotes_of(analyse_text, text)
    assert [(q["speaker"], q["speaker_side"]) for q in qs] == [
        ("senior interior ministry official", "MD"), ("ministry official", None)]


@pytest.mark.parametrize("text, speaker", [
    ("Others said the ferry had been late all week.", "others"),
    ("Some argue that the new bridge will not help.", "some"),
    ("The mayor gave a long speech expressing concern over the flooding.", "mayor"),
    ("The opposition has questioned why the city would pay for it.", "opposition"),
    ("The union welcomed the decision to reopen the plant.", "union"),
    ("The farmers objected to the new tax on diesel.", "farmers"),
])
def test_more_forms_of_report(analyse_text, text, speaker):
    assert [q["speaker"] for q in quotes_of(analyse_text, text)] == [speaker]


@pytest.mark.parametrize("text", [
    "The mayor welcomed the guests at the door.",
    "The mayor gave a speech lasting an hour.",
    "The mayor questioned the witness.",
])
def test_forms_that_report_nothing(analyse_text, text):
    assert quotes_of(analyse_text, text) == []


def test_every_statement_of_a_sentence_is_a_quote(analyse_text):
    text = "Ortiz, who said he usually votes for the left, said the new mayor had surprised him."
    qs = quotes_of(analyse_text, text)
    assert sorted((q["speaker"], q["text"]) for q in qs) == [
        ("Ortiz", "he usually votes for the left"), ("Ortiz", "the new mayor had surprised him")]
    text = "The mayor said the bridge would open in May, while the council said it could not pay for it."
    qs = quotes_of(analyse_text, text)
    assert sorted(q["speaker"] for q in qs) == ["council", "mayor"]
    # a report inside the main report is part of it, not a second quote
    qs = quotes_of(analyse_text, "The mayor said the council had warned that the bridge was unsafe.")
    assert [q["speaker"] for q in qs] == ["mayor"]


def test_the_article_s_own_outlet_is_the_narrator(tmp_path):
    """"The Harbour Times reported" in a Harbour Times article is the article's own voice; the same
    words in another outlet's article quote a source."""
    import json

    from builder.run.build import BuildOptions, analyse_corpus

    text = ("The ferry will stop on {day}, the Harbour Times reported on Friday. "
            "The port will close for a week, the mayor said.")
    src = tmp_path / "in"
    src.mkdir()
    # two texts that differ, so that the exact-duplicate check keeps both articles
    with (src / "a.jsonl").open("w", encoding="utf-8") as f:
        for aid, outlet, day in (("own", "The Harbour Times", "Monday"), ("other", "Coast Radio", "Tuesday")):
            f.write(json.dumps({"id": aid, "outlet": outlet, "title": "Ferry", "text": text.format(day=day)}) + "\n")
    corpus = analyse_corpus(BuildOptions(input_dir=src, out_dir=tmp_path / "out", use_gold=False, cache_dir=tmp_path / "cache"))
    speakers = {rec.article.article_id: [s.speaker for s in rec.sentences] for rec in corpus.analysed}
    assert speakers == {"own": [None, "mayor"], "other": ["Harbour Times", "mayor"]}
