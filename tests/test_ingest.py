"""Ingest: furniture removal per kind, metadata lines, text repairs, and input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.read.clean import clean_text

from builder.rules import load_rules
from builder.errors import InputError
from builder.read.ingest import read_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def rules():
    return load_rules().furniture


def kinds(cleaned):
    return dict(zip(cleaned.removed, cleaned.removed_kinds))


BODY = "Officials met in Vienna on Monday. They said little afterwards."


@pytest.mark.parametrize(
    "line, kind",
    [
        ("Connect with us", "site_chrome"),
        ("Share this article", "site_chrome"),
        ("Source link", "site_chrome"),
        ("Troops take part in drills near Kharkiv on Sunday. Reuters", "photo_credit_caption"),
        ("Ukrainian servicemen at a position in the Donetsk region last week. AFP/Getty Images", "photo_credit_caption"),
        ("Photo: Anadolu Agency", "photo_credit_caption"),
        ("Beta V.1.0 - Powered by automated translation", "translation_banner"),
        ("This article was automatically translated from German.", "translation_banner"),
        ("Reuters contributed to this report", "contributor_credit"),
        ("Reporting by Jane Doe in Kyiv; editing by John Roe", "contributor_credit"),
        ("Updated: January 11, 2022, 9:15 PM", "timestamp"),
        ("Published on 10 January 2022", "timestamp"),
        ("TALKS IN GENEVA", "section_heading"),
    ],
)
def test_each_furniture_kind_is_removed_and_kept(rules, line, kind):
    cleaned = clean_text(f"{BODY}\n\n{line}\n\nThe talks resumed on Tuesday.", rules)
    assert line not in cleaned.text
    assert kinds(cleaned) == {line: kind}
    assert "The talks resumed on Tuesday." in cleaned.text


def test_teaser_block_drops_the_rest(rules):
    raw = f"{BODY}\n\nCheck Also\n\nSome Other Story Headline\n\nA teaser sentence about it …"
    cleaned = clean_text(raw, rules)
    assert cleaned.text == BODY
    assert cleaned.removed == ["Check Also", "Some Other Story Headline", "A teaser sentence about it …"]


def test_body_sentences_that_look_like_furniture_stay(rules):
    raw = "Published reports say 2,000 troops moved on 3 January.\n\nThe official told AFP late Monday that talks would go ahead."
    cleaned = clean_text(raw, rules)
    assert cleaned.removed == []
    assert "told AFP late Monday" in cleaned.text


def test_metadata_lines(rules):
    raw = "Talks set for Geneva\n20220105\nhttps://www.reuters.com/world/europe/talks-2022-01-05/\nThe body starts here."
    cleaned = clean_text(raw, rules)
    assert (cleaned.title, cleaned.published, cleaned.outlet) == ("Talks set for Geneva", "2022-01-05", "Reuters")
    assert cleaned.url.startswith("https://www.reuters.com/")
    assert cleaned.text == "The body starts here."


def test_first_line_that_is_a_sentence_is_not_a_title(rules):
    cleaned = clean_text("Officials from both countries have confirmed the talks.\nA second paragraph.", rules)
    assert cleaned.title is None
    assert cleaned.text.startswith("Officials from both")


@pytest.mark.parametrize(
    "raw, repaired",
    [
        ("on January 10.The Kremlin has", "on January 10. The Kremlin has"),
        ('close to its borders."The United States looks forward," he said.', 'close to its borders. "The United States looks forward," he said.'),
        ('"It is a proposal," he said of the "ultimatum" to the United States."It works," he said.', '"It is a proposal," he said of the "ultimatum" to the United States. "It works," he said.'),
        ('"We are unified on Ukraine."The meeting is next week.', '"We are unified on Ukraine." The meeting is next week.'),
        ("the troops.\u00a0The council", "the troops. The council"),
        ("\u201cWe want \u201cconcessions\".", '"We want "concessions".'),
        ("Russia\u2019s foreign ministry", "Russia's foreign ministry"),
        ("on 10 January , the agency said", "on 10 January, the agency said"),
        ("the U.S. and Russia", "the U.S. and Russia"),
        ("a 1.5 percent rise in rte.ie traffic", "a 1.5 percent rise in rte.ie traffic"),
    ],
)
def test_repairs_change_no_word(rules, raw, repaired):
    cleaned = clean_text(f"{BODY}\n\n{raw}", rules)
    assert cleaned.text == f"{BODY}\n\n{repaired}"


def test_seed_furniture(tmp_path):
    articles = {a.article_id[:3]: a for a in read_corpus(SEEDS).articles}
    assert articles["000"].removed_kinds == ["photo_credit_caption", "translation_banner", "contributor_credit", "timestamp"]
    assert articles["002"].removed == ["Connect with us", "Source link"]
    assert articles["003"].removed[:2] == ["CONCERNS ON THE TABLE", "Check Also"]
    assert articles["004"].outlet == "RTÉ" and articles["004"].published == "2021-12-28"
    for a in articles.values():
        for line in a.removed:
            assert line not in a.text


def test_jsonl_articles(tmp_path):
    lines = [
        {"id": "a1", "text": "Moscow said on Monday it wanted guarantees.", "title": "T", "published": "2022-01-10", "outlet": "Wire"},
        {"text": "Washington said it was ready to talk."},
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    arts = read_corpus(tmp_path).articles
    assert [a.article_id for a in arts] == ["a1", "batch-00002"]
    assert arts[0].published == "2022-01-10" and arts[0].outlet == "Wire"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"   \n\n", "empty article"),
        ("binary.txt", b"Moscow\x00said", "binary content (NUL byte at offset 6)"),
        ("latin1.txt", "Moscow said caf\u00e9".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 15)"),
        ("only_furniture.txt", b"Connect with us\n\nSource link\n", "no article text left"),
        ("bad.jsonl", b'{"text": "ok"}\n{not json}\n', "bad.jsonl:2: not JSON"),
        ("notext.jsonl", b'{"title": "no text"}\n', "notext.jsonl:1: a JSONL article needs a string field 'text'"),
    ],
)
def test_bad_input_names_file_and_reason(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InputError) as err:
        read_corpus(tmp_path)
    assert name in str(err.value) and message in str(err.value)


def test_duplicate_ids_and_size_limit(tmp_path):
    (tmp_path / "a.txt").write_text("Moscow said it was ready.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "a", "text": "Kyiv said it was ready."}\n', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate article id 'a'"):
        read_corpus(tmp_path)
    with pytest.raises(InputError, match="over the size limit of 10 bytes"):
        read_corpus(tmp_path, max_bytes=10)


def test_a_format_is_one_reader_in_the_registry(tmp_path, monkeypatch):
    """Supporting another suffix takes one Reader and one registry entry; the listing, decoding and
    duplicate checks follow."""
    from builder.read import formats

    (tmp_path / "note.md").write_text("Moscow said on Monday it wanted guarantees.", encoding="utf-8")
    with pytest.raises(InputError, match="no .txt or .jsonl article files"):
        read_corpus(tmp_path)
    monkeypatch.setitem(formats.READERS, ".md", formats.TextReader())
    [article] = read_corpus(tmp_path).articles
    assert article.article_id == "note" and article.text.startswith("Moscow said")


def test_missing_or_empty_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_corpus(tmp_path / "nope")
    with pytest.raises(InputError, match="no .txt or .jsonl article files"):
        read_corpus(tmp_path)
