"""Hygiene rules for real copy: update notices, datelines, scraper joins, title abbreviations.

Real feeds deliver a body as one paragraph, with the dateline glued to the first sentence and the
update notice or the credit as the last; every sentence here is written for these tests.
"""

from __future__ import annotations

import shutil

import pytest

from builder.read.clean import clean_text

from builder.rules import load_rules
from builder.rules.config import SCHEMAS_DIR, ConfigError
from builder.read.ingest import read_corpus

# a lead paragraph longer than a headline (metadata.title_max_chars), as real first paragraphs are
LEAD = (
    "After a week of calls with European leaders, the president turned to a friendlier partner on "
    "Wednesday and held a long video meeting about trade, energy and the tension on the border, "
    "officials in both capitals said afterwards."
)


@pytest.fixture(scope="module")
def rules():
    return load_rules().furniture


def sentences(nlp, raw: str) -> list[str]:
    from builder.nlp.segment import content_sents

    return [s.text for s in content_sents(nlp(clean_text(raw, load_rules().furniture, detect_title=False).text))]


# --- 1. update notices, corrections, editor's notes -------------------------------------------


@pytest.mark.parametrize(
    "line, kind",
    [
        ("This story has been updated with additional details.", "update_notice"),
        ("This article and its headline have been updated to include comments from the ministry.", "update_notice"),
        ("This is a developing story and will be updated.", "update_notice"),
        ("Editor's note: The author advised the delegation in 2019.", "editor_note"),
        ("CORRECTION: An earlier version of this story misstated the date of the summit.", "correction"),
        ("Correction Appended.", "correction"),
    ],
)
def test_notice_lines_are_furniture(rules, line, kind):
    cleaned = clean_text(f"Envoys met in Vienna on Monday.\n\n{line}\n\nThey will meet again in March.", rules)
    assert line not in cleaned.text
    assert dict(zip(cleaned.removed, cleaned.removed_kinds)) == {line: kind}


def test_bare_correction_label_takes_the_correction_after_it(rules):
    raw = "Envoys met in Vienna on Monday.\n\nCORRECTION:\n\nAn article on Monday gave the wrong venue.\n\nTuesday, March 1."
    cleaned = clean_text(raw, rules)
    assert cleaned.text == "Envoys met in Vienna on Monday."
    assert cleaned.removed_kinds == ["correction"] * 3


def test_hard_wrapped_notice_goes_with_its_continuation_lines(rules):
    raw = "Envoys met in Vienna.\n\nEditor's note: The writer was an envoy\nto Moscow and\nto Kyiv.\n\nthe talks went on."
    cleaned = clean_text(raw, rules)
    assert cleaned.removed == ["Editor's note: The writer was an envoy", "to Moscow and", "to Kyiv."]
    assert cleaned.text == "Envoys met in Vienna.\n\nthe talks went on."  # a blank line ends the notice


@pytest.mark.parametrize(
    "tail, kinds",
    [
        (" This story has been updated with additional details Sunday.", ["update_notice"]),
        (" This story and headline have been updated with comments from U.S. officials.", ["update_notice"]),
        (" ABC News' Jane Roe and John F. Doe contributed to this report from Kyiv, Ukraine.", ["contributor_credit"]),
        (" — Jane Roe, Ann Lee and Tom Ray contributed to this report", ["contributor_credit"]),
        (
            " CORRECTION: A previous version of this story gave the wrong day. It was Monday."
            " This story has been updated with further details.",
            ["update_notice", "correction"],
        ),
    ],
)
def test_trailing_notice_in_a_one_paragraph_body(rules, tail, kinds):
    body = 'Envoys met in Vienna on Monday. "We will talk again," one of them said.'
    cleaned = clean_text(body + tail, rules, detect_title=False)
    assert cleaned.text == body
    assert cleaned.removed_kinds == kinds
    assert " ".join(reversed(cleaned.removed)) == tail.strip()


def test_trailing_notice_is_kept_verbatim(rules):
    raw = "The envoy said: \u201cWe will talk.\u201d\u00a0This story\u00a0has been updated."
    cleaned = clean_text(raw, rules, detect_title=False)
    assert cleaned.text == 'The envoy said: "We will talk."'
    assert cleaned.removed == ["This story\u00a0has been updated."]


@pytest.mark.parametrize(
    "text",
    [
        "Several agencies contributed to this report, which found no breach. The talks went on.",
        "The talks went on. The ministry said its report has been updated with new figures.",
        "The talks went on. Reporters asked whether this story has been updated by the agency.",
        "Talks ended. The briefing for ABC Audio: ABC News' Jane Roe contributed to this report.",
    ],
)
def test_sentences_that_mention_updates_or_reports_stay(rules, text):
    cleaned = clean_text(text, rules, detect_title=False)
    assert cleaned.text == text and cleaned.removed == []


def test_leading_bracketed_editor_note(rules):
    raw = "(Editor's note: This story contains details of the closed talks.) Envoys met in Vienna on Monday."
    cleaned = clean_text(raw, rules, detect_title=False)
    assert cleaned.text == "Envoys met in Vienna on Monday."
    assert cleaned.removed_kinds == ["editor_note"]


# --- 2. datelines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dateline, outlet",
    [
        ("(CNN)", "CNN"),
        ("WASHINGTON (Reuters) -", "Reuters"),
        ("MOSCOW, Jan 10 (Reuters) -", "Reuters"),
        ("KYIV, Ukraine (AP) —", "Associated Press"),
        ("CAMBRIDGE, Mass., Dec. 11 (UPI) —", "UPI"),
        ("Geneva (AFP) –", "AFP"),
        ("Jan 12 (Reuters) -", "Reuters"),
        ("WASHINGTON —", None),
        ("WASHINGTON—", None),
        ("ST. LOUIS -", None),
        ("BRUSSELS --", None),
        ("Moscow —", None),
        ("Kyiv, Ukraine —", None),
        ("Tapa Air Base, northern Estonia —", None),
        ("Washington and Kyiv —", None),
    ],
)
def test_dateline_is_cut_into_metadata(rules, dateline, outlet):
    cleaned = clean_text(f"{dateline} {LEAD}", rules, detect_title=False)
    assert cleaned.text == LEAD
    assert cleaned.dateline == dateline
    assert (cleaned.removed, cleaned.removed_kinds) == ([dateline], ["dateline"])
    assert cleaned.outlet == outlet


def test_dateline_glued_to_the_first_word(rules):
    cleaned = clean_text("(CNN)President Joe Biden spoke with allies on Friday.", rules, detect_title=False)
    assert cleaned.text == "President Joe Biden spoke with allies on Friday."
    assert (cleaned.dateline, cleaned.outlet) == ("(CNN)", "CNN")


def test_dateline_is_kept_verbatim(rules):
    cleaned = clean_text("CHARLESTON, S.C.\u00a0— " + LEAD, rules, detect_title=False)
    assert cleaned.text == LEAD and cleaned.removed == ["CHARLESTON, S.C.\u00a0—"]


@pytest.mark.parametrize(
    "text",
    [
        "Moscow has said it will answer the proposals within a week, and officials in Kyiv said they would wait. " + LEAD,
        "Anna Petrova — Kyiv's former envoy and now a professor in Geneva — said the talks were doomed. " + LEAD,
        "EXCLUSIVE — Officials in Kyiv said on Monday that the talks had stalled over the question of guarantees. " + LEAD,
        "BREAKING—Officials in Kyiv said on Monday that the talks had stalled over the question of guarantees. " + LEAD,
        "NATO — The alliance said on Monday that it was ready to talk, but that its door would stay open to new members. " + LEAD,
        "SMITH--Jane Ann, 88, of Albany, died on Friday after a long illness, surrounded by her family and friends.",
        "Talks Stall — Envoys Go Home",
    ],
)
def test_openings_that_are_no_dateline_stay(rules, text):
    cleaned = clean_text(text, rules, detect_title=False)
    assert cleaned.text == text and cleaned.dateline is None and cleaned.removed == []


def test_dateline_after_a_headline_and_standfirst_kept_in_the_body(rules):
    raw = f"Talks end without a deal.\n\nEnvoys say they will meet again.\n\nGENEVA (AP) — {LEAD}"
    cleaned = clean_text(raw, rules)
    assert cleaned.text.endswith(f"\n\n{LEAD}") and cleaned.dateline == "GENEVA (AP) —"


def test_no_dateline_once_the_story_has_started(rules):
    raw = f"{LEAD}\n\nGENEVA — The second round of talks began on Tuesday."
    cleaned = clean_text(raw, rules)
    assert cleaned.dateline is None and "GENEVA — The second" in cleaned.text


def test_outlet_from_the_url_comes_before_the_dateline(rules):
    cleaned = clean_text(f"https://www.bbc.com/news/world-1\n\nWASHINGTON (Reuters) - {LEAD}", rules)
    assert cleaned.outlet == "BBC" and cleaned.dateline == "WASHINGTON (Reuters) -"


def test_ingest_fills_outlet_from_the_dateline(tmp_path):
    (tmp_path / "wire.txt").write_text(f"(CNN)President Joe Biden spoke with allies on Friday. {LEAD}\n", encoding="utf-8")
    [article] = read_corpus(tmp_path).articles
    assert article.outlet == "CNN"
    assert article.text.startswith("President Joe Biden")
    assert (article.removed, article.removed_kinds) == (["(CNN)"], ["dateline"])


# --- 3. scraper joins ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, repaired",
    [
        ("The talks ended on Monday., Following the meeting, Russia said it would reply.",
         "The talks ended on Monday. Following the meeting, Russia said it would reply."),
        ("Envoys met again, officials said.,The venue was kept secret.", "Envoys met again, officials said. The venue was kept secret."),
        ('The vote passed 52 to 48., "It is done," she said.', 'The vote passed 52 to 48. "It is done," she said.'),
        # curly quotes are made straight first, so a glued closing quote is repaired as a straight one
        ("close to its borders.\u201dThe talks went on.", 'close to its borders." The talks went on.'),
    ],
)
def test_scraper_joins_are_repaired(rules, raw, repaired):
    assert clean_text(raw, rules, detect_title=False).text == repaired


@pytest.mark.parametrize(
    "text",
    [
        "The bill by Sen. Ann Lee, D-Md., Senator Tom Ray and others passed.",
        "Shares of Ford Motor Co., Apple Inc. and others fell in Washington, D.C., Friday.",
        "Judge Jo Ray Jr., Defense Secretary Ann Lee and the envoy met at 2:30 p.m., Thompson said.",
        "They discussed oil, gas, grain, etc., Lee said.",
    ],
)
def test_abbreviations_before_a_comma_are_no_join(rules, text):
    assert clean_text(text, rules, detect_title=False).text == text


def test_segmenter_cuts_at_a_repaired_join(nlp):
    raw = "The talks ended on Monday., Following the meeting, the envoy said Russia would reply."
    assert sentences(nlp, raw) == ["The talks ended on Monday.", "Following the meeting, the envoy said Russia would reply."]


# --- 4. plural and compound titles --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Sens. Jim Risch and Bob Menendez said the bill was ready.",
        "The measure was written by Reps. Ann Lee and Tom Ray and backed by Govs. Jo Smith and Al Cruz.",
        "Lt. Gen. Ann Moore and Maj. Gen. Tom Ray briefed reporters, with Brig. Gen. Jo Smith beside them.",
        "The flight was confirmed by Lt. Cmdr. Jo Smith, a spokesman, and by Adm. Al Cruz.",
        "The envoy met Sec. Blinken and Amb. Lee before Pres. Zelensky spoke.",
    ],
)
def test_title_abbreviations_never_end_a_sentence(nlp, raw):
    assert sentences(nlp, raw) == [raw]


def test_sentence_after_a_title_list_still_starts_on_its_own(nlp):
    raw = "The talks were led by Sens. Ann Lee and Tom Ray. The envoys left on Tuesday."
    assert sentences(nlp, raw) == ["The talks were led by Sens. Ann Lee and Tom Ray.", "The envoys left on Tuesday."]


# --- rule files: a bad rule names the file and the reason -------------------------------------------


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("    where: trailing\n", "    where: middle\n", "paragraph_notices[0].where: unknown value 'middle' (allowed: 'leading' or 'trailing')"),
        ("^{caps_place}(", "^{capital_place}(", "datelines.patterns[1].pattern: unknown part {capital_place}"),
    ],
)
def test_bad_hygiene_rules_name_the_file(tmp_path, old, new, message):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    path = schemas / "furniture.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(schemas)
    assert str(path) in str(err.value) and message in str(err.value)
