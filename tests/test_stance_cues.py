"""The stance cues added from the real development corpus's misses (round 3), each on sentences
written for this suite: the form it is meant for, and the look-alike it must leave alone."""

from __future__ import annotations

import pytest


def labels(analyse_text, text):
    _, sents = analyse_text(text)
    return [s["labels"] for s in sents]


@pytest.mark.parametrize(
    "text, expected",
    [
        # us_deterrence: warnings to Russia itself, red lines drawn in advance, promised responses
        ("The State Department has repeatedly warned Moscow not to send troops into Ukraine.", ["us_deterrence"]),
        ('"Any Russian battalion that crosses that border, that is an invasion," Jen Psaki told reporters.', ["us_deterrence"]),
        ("Kamala Harris said Washington would respond to any aggression against Ukraine's power grid.", ["us_deterrence"]),
        ('"Make no mistake: we will come to the defense of every NATO member," Lloyd Austin said.', ["us_deterrence"]),
        ("Antony Blinken urged allies to stand up to Russian aggression in Eastern Europe.", ["us_deterrence"]),
        ("The Pentagon said it was preparing for a possible incursion by Russian forces.", ["us_deterrence"]),
        ("The Biden administration made the findings public to dissuade Moscow from staging an attack.", ["us_deterrence"]),
        ("Jake Sullivan said any Russian move would be met with a harsh response.", ["us_deterrence"]),
        ("The US has strengthened its posture on NATO's eastern flank, John Kirby said.", ["us_deterrence"]),
        ('"Nothing in the financial sphere is off the table," Jake Sullivan said of Moscow.', ["us_deterrence"]),
        ("Lloyd Austin said all options remained on the table if Russian forces crossed into Ukraine.", ["us_deterrence"]),
        ("The Pentagon has not ruled out any option to reinforce Poland, John Kirby said.", ["us_deterrence"]),
        ("About 200 service members from Fort Bragg are deploying to Poland, the Pentagon said.", ["us_deterrence"]),
        # us_diplomacy: offers and engagements on record
        ("Wendy Sherman said Washington would give Moscow a written response to its proposals next week.", ["us_diplomacy"]),
        ("Ned Price said the State Department was pursuing every diplomatic avenue with the Kremlin.", ["us_diplomacy"]),
        ("US officials voiced a willingness to discuss missile placement with Russia.", ["us_diplomacy"]),
        ("Blinken said the meeting could lay the groundwork for formal negotiations with Moscow.", ["us_diplomacy"]),
        # ru_hard_line: legal guarantees, the indivisibility principle, ultimatums, warnings
        ('"We need legally binding agreements on NATO," Dmitry Peskov said.', ["ru_hard_line"]),
        ("Sergei Lavrov said no state may strengthen its security at the expense of others.", ["ru_hard_line"]),
        ('"Our patience has run out," Sergei Ryabkov told the news agency.', ["ru_hard_line"]),
        ("Maria Zakharova said Moscow would insist on a full answer to every point of its draft treaty.", ["ru_hard_line"]),
        ('Vladimir Putin said new sanctions would be a "colossal mistake" for Washington.', ["ru_hard_line"]),
        ("Peskov warned that such a step could lead to a complete rupture of relations.", ["ru_hard_line"]),
        ("The Russian Foreign Ministry called for the withdrawal of foreign forces from Romania and Bulgaria.", ["ru_hard_line"]),
        ("Moscow wants NATO's deployments rolled back to where they stood in 1997, Ryabkov said.", ["ru_hard_line"]),
        ("Alexander Grushko promised a retaliatory response to any new NATO deployments.", ["ru_hard_line"]),
    ],
)
def test_new_cues_fire_on_their_form(analyse_text, text, expected):
    assert labels(analyse_text, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # an intelligence warning about Russia deters nothing
        "US officials warned an attack on Kyiv could come within days.",
        # talking someone else out of something is not deterring Russia
        "The White House sent aides to Capitol Hill to dissuade senators from backing the bill.",
        # a mention of the document is not an offer to send it
        "John Kirby confirmed the written response published by a Spanish newspaper was authentic.",
        # a denial is not an insistence on a demand
        "The Kremlin insists it has no plans to invade its neighbour.",
        # the opponent's insistence does not make a Russian hard line
        "Antony Blinken insisted on NATO's open-door policy at the meeting in Geneva.",
        # Russia preparing for something is no US posture
        "Russian forces are preparing for large military exercises in Belarus, the defence ministry said.",
        # a schedule kept open is no option kept open; an option ruled out is none
        "Ned Price said a date for the next round was off the table for now.",
        "John Kirby said the Pentagon had ruled out any option of sending combat troops to Ukraine.",
        # Russian service members moving toward the border are no US deployment
        "Thousands of Russian service members are moving toward the Ukrainian border, US officials said.",
        # a mistake without a warning of consequences from Moscow's side
        "An analyst said the decision was a big mistake for Ukraine's economy.",
    ],
)
def test_look_alikes_stay_unlabelled(analyse_text, text):
    assert labels(analyse_text, text) == [[]]


def test_contrastive_not_leaves_the_cue_alone(analyse_text):
    """ "X, not Y" negates Y: the demand for binding agreements stands; a plain "not" still negates."""
    assert labels(analyse_text, '"We need legally binding agreements, not promises," Dmitry Peskov said.') == [["ru_hard_line"]]
    assert labels(analyse_text, '"We want binding guarantees -- not words," Sergei Ryabkov said.') == [["ru_hard_line"]]
    assert labels(analyse_text, "Washington will impose sanctions, not wait, Jen Psaki said.") == [["us_deterrence"]]
    assert labels(analyse_text, "Washington will not impose sanctions this week, Jen Psaki said.") == [[]]


def test_object_control_verbs_hand_the_clause_to_their_object(analyse_text):
    """ "urged India to de-escalate": India would act, so no US diplomacy (a de-escalation asked
    of Russia is the asker's diplomacy: guide, seventh round 13); "pressed the administration
    to send weapons": the administration would, so US deterrence."""
    assert labels(analyse_text, "Antony Blinken urged India to de-escalate along its border.") == [[]]
    assert labels(analyse_text, "Senators pressed the Biden administration to send more weapons to Ukraine.") == [["us_deterrence"]]
    # without an object-control verb the subject still acts
    assert labels(analyse_text, "Antony Blinken sought to de-escalate the crisis in Geneva.") == [["us_diplomacy"]]


def test_engagement_needs_a_partner_or_talks(analyse_text):
    assert labels(analyse_text, "Ned Price said Washington would keep engaging with Moscow.") == [["us_diplomacy"]]
    assert labels(analyse_text, "US officials said the State Department was engaged in talks with the Kremlin.") == [["us_diplomacy"]]
    assert labels(analyse_text, "US officials said Moscow was engaged in a campaign of disinformation.") == [[]]
