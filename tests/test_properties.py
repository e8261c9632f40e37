"""Property tests (hypothesis) on ingest and segmentation: for any text, nothing is lost and
offsets are exact."""

from __future__ import annotations

from collections import Counter

from hypothesis import example, HealthCheck, given, settings
from hypothesis import strategies as st

from builder.read.clean import clean_text

from builder.rules import load_rules

PIECES = st.sampled_from([
    "Moscow", "said", "the", "U.S.", "Jan.", "10", "Mr", "Price", "NATO", "talks", ".", ",", "?", '"', "'", "\u201c",
    "\u201d", "\u2019", "\u00a0", " ", " ", " ", "\n", "\n\n", "Connect with us", "Source link", "CONCERNS", "EPA",
    "Updated: January 1, 2022", "https://www.rte.ie/x", "20211228", "\u200b", "-", "\u2014", "(", ")", ":", "A", "b",
])
TEXTS = st.lists(PIECES, min_size=0, max_size=60).map("".join)


def non_space(text: str) -> Counter:
    return Counter(c for c in text if not c.isspace())


@settings(max_examples=300, deadline=None, derandomize=True)  # the same examples on every run: CI never flakes
@given(TEXTS)
@example("Moscow\n''")  # a title line, then a doubled apostrophe
def test_cleaning_loses_no_character(raw):
    rules = load_rules().furniture
    cleaned = clean_text(raw, rules)
    # every non-space character of the input is in the body, the removed furniture or the metadata
    # lines; the pieces are lines of their own, so joined by a newline (glued, "''" + "Moscow" would
    # make a quotation-mark context that the input never had)
    kept = "\n".join([cleaned.text, *cleaned.removed, *cleaned.meta_lines])
    assert non_space(_repaired(raw, rules)) == non_space(_repaired(kept, rules))


def _repaired(text: str, rules) -> str:
    """The character-level repairs of schemas/furniture.yaml (quote characters, quotation-mark
    sequences, scraper joins): the only changes cleaning may make to the characters it keeps."""
    text = text.translate(rules.char_map)
    for regex, replace in rules.joins:
        text = regex.sub(replace, text)
    return text


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS)
def test_sentence_offsets_are_exact_and_ordered(nlp, raw):
    from builder.nlp.segment import content_sents

    text = clean_text(raw, load_rules().furniture).text
    prev = 0
    for sent in content_sents(nlp(text)):
        assert 0 <= prev <= sent.start_char < sent.end_char <= len(text)
        assert text[sent.start_char : sent.end_char] == sent.text
        assert sent.text == sent.text.strip()
        prev = sent.end_char
