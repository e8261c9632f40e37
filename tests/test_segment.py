"""Sentence boundaries on the real pipeline: the seeds' hazards and the same hazards in new text."""

from __future__ import annotations

import pytest

from builder.read.clean import clean_text

from builder.rules import load_rules


def sentences(nlp, raw: str) -> list[str]:
    from builder.nlp.segment import content_sents

    return [s.text for s in content_sents(nlp(clean_text(raw, load_rules().furniture).text))]


@pytest.mark.parametrize(
    "raw, expected",
    [
        # glued sentences, repaired before segmentation
        ("The vote is on March 3.The council meets later.", ["The vote is on March 3.", "The council meets later."]),
        (
            'Officials met in Vienna."The door is open," a diplomat said.',
            ["Officials met in Vienna.", '"The door is open," a diplomat said.'],
        ),
        (
            '"We will not wait," he said of the "ultimatum" to Washington."It is final," he added.',
            ['"We will not wait," he said of the "ultimatum" to Washington.', '"It is final," he added.'],
        ),
        ('"Our position is clear."The talks ended early.', ['"Our position is clear."', "The talks ended early."]),
        # abbreviations
        ("U.S. and EU envoys met on Jan. 12 in Brussels.", ["U.S. and EU envoys met on Jan. 12 in Brussels."]),
        ("Mr. Peskov spoke first. Mr Lavrov spoke next.", ["Mr. Peskov spoke first.", "Mr Lavrov spoke next."]),
        ("The envoy flew to the U.S. The talks began on Monday.", ["The envoy flew to the U.S.", "The talks began on Monday."]),
        ("The USS Harry S. Truman stayed in the Mediterranean.", ["The USS Harry S. Truman stayed in the Mediterranean."]),
        # quotations that span clauses or sentences
        (
            'The aim was "to reassure our allies," the official said. The talks went on.',
            ['The aim was "to reassure our allies," the official said.', "The talks went on."],
        ),
        (
            '"We are ready. We are united," she said.',
            ['"We are ready.', 'We are united," she said.'],
        ),
        ('"Is this an ultimatum?" he asked reporters.', ['"Is this an ultimatum?" he asked reporters.']),
        # a quotation whose closing mark ends its paragraph, then a new paragraph
        ('He said: "We will respond."\n\nThe meeting ended.', ['He said: "We will respond."', "The meeting ended."]),
        # a paragraph that ends without a full stop is still its own sentence
        ("Talks set for Geneva amid tension\n\nThe US said it was ready.", ["The US said it was ready."]),
    ],
)
def test_segmentation_hazards(nlp, raw, expected):
    assert sentences(nlp, raw) == expected


def test_seed_hard_spots_are_cut_cleanly(seed_corpus):
    texts = [s.text for a in seed_corpus.analysed for s in a.sentences]
    by_start = {t[:40]: t for t in texts}
    assert any(t.endswith("will take place on January 10.") for t in texts)
    assert any(t.startswith("The Kremlin has grown increasingly insistent") and t.endswith("borders.") for t in texts)
    assert '"The United States looks forward to engaging with Russia," the National Security Council spokesperson said.' in texts
    assert any(t.endswith('not an "ultimatum" to the United States.') for t in texts)
    assert any(t.startswith('"President Biden\'s approach on Ukraine') for t in texts)
    assert 'We are unified as an alliance on the consequences Russia would face if it moves on Ukraine."' in texts
    assert any(t.startswith("The meeting is part of the Strategic Security Dialogue") for t in texts)
    # the Reuters copy: U.S. and Jan. never end a sentence
    assert not any(t.endswith(("U.S.", "Jan.")) for t in texts)
    assert any("on Jan. 12, with a broader meeting" in t for t in texts)
    assert "Russian Deputy Foreign Minister Sergei Ryabkov on Tuesday confirmed the Geneva meeting." in texts
    assert len(texts) == 94 and by_start


def test_no_furniture_line_is_a_sentence(seed_corpus):
    for a in seed_corpus.analysed:
        texts = {s.text for s in a.sentences}
        for line in a.article.removed:
            assert line not in texts


def test_offsets_are_exact(seed_corpus):
    for a in seed_corpus.analysed:
        prev_end = 0
        for s in a.sentences:
            assert a.article.text[s.start : s.end] == s.text
            assert s.start >= prev_end and s.text == s.text.strip()
            prev_end = s.end
            for e in s.entities:
                assert s.text[e["start"] : e["end"]] == e["text"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('"Why should Russia wait?" Lavrov asked on Friday. The talks ended.', ['"Why should Russia wait?" Lavrov asked on Friday.', "The talks ended."]),
        ('"We will never accept this!" Peskov told reporters.', ['"We will never accept this!" Peskov told reporters.']),
        ('"Is it over?" The answer came later.', ['"Is it over?"', "The answer came later."]),
        ("He met Lt. Smith and Amb. Jones in Geneva.", ["He met Lt. Smith and Amb. Jones in Geneva."]),
    ],
)
def test_attribution_after_question_and_titles_with_full_stops(nlp, raw, expected):
    assert sentences(nlp, raw) == expected
