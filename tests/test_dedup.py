"""The near-duplicate step on hand-written sentences: its groups are those of comparing every pair,
whatever the order of the articles, read back from its cache, and marked on the same stream."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from collections import Counter

import pytest

from builder.read.article import Article
from builder.records.model import AnalysedArticle, Sentence
from builder.rules import load_rules
from builder.steps import dedup
from builder.steps.dedup import DuplicateGroups, MarkDuplicates, NearDuplicates, jaccard, normalise, shingles

CFG = load_rules().dedup

BRIDGE = "The river council agreed on Tuesday to open the old footbridge to cyclists after a two year repair."
HARVEST = "Farmers in the northern valley said the late frost had cut the apple harvest by almost a third."
MAPS = "The museum will lend its collection of painted maps to a gallery in the capital for the summer."
FERRY = "A spokesman for the ferry company said services would resume once the storm had passed."
SCHOOL = "Teachers at the village school voted to accept the new timetable proposed by the board."

SENTENCES = [
    BRIDGE, HARVEST, MAPS, FERRY, SCHOOL,
    # reprints with small edits
    "The river council agreed on Tuesday to open the old footbridge to cyclists after a two-year repair, a spokeswoman said.",
    "The river council agreed on Tuesday to reopen the old footbridge to cyclists after a two year repair.",
    "Farmers in the northern valley said the late frost had cut this year's apple harvest by almost a third.",
    "Farmers in the valley said a late frost had cut the apple harvest by almost a third, the union said.",
    # the same after normalisation: case and punctuation
    MAPS.upper().replace(".", "!"),
    "A spokesman for the ferry company said, services would resume once the storm had passed...",
    "a spokesman for the ferry company said services would resume once the storm had passed",
    # distinct sentences sharing many of these words
    "The council said the footbridge would stay closed to cars and lorries for the rest of the year.",
    "Officials said the apple harvest figures for the northern valley would be published next month.",
    "Farmers in the northern valley said the late frost had hurt the apple growers badly this spring.",  # 0.435
    "Farmers in the southern valley said the early frost had cut the pear harvest by almost a quarter.",  # 0.417
    "The board of the ferry company will meet again on Friday to discuss the damage from the storm.",
    "The gallery in the capital said it had no room for the museum's maps this summer.",
    # a chain: the ends are below the threshold, each link is above it
    "Rain closed the mountain road near the old quarry on Monday morning.",
    "Rain closed the mountain road near the old quarry on Monday night, police said.",
    "Snow blocked the mountain road near the old quarry on Monday night, police said on Tuesday.",
    # short ones: one and two words, and a two-word sentence inside a three-word one (Jaccard 0.5)
    "Yes.", "yes!", "YES", "No.", "Indeed.", "Ferry resumes.", "Ferry resumes today.", "Council agrees.",
    # nothing left after normalisation
    "...", "?!", "—",
]
VARIANT_WORDS = ["local", "regional", "rural", "revised", "weekly", "summer", "winter", "draft"]


def school_variants() -> list[str]:
    """A sentence reprinted with one word changed, many ways: one large run of the same bands."""
    words = SCHOOL.rstrip(".").split()
    out = []
    for i, w in itertools.product(range(len(words)), VARIANT_WORDS):
        out.append(" ".join(words[:i] + [w] + words[i + 1 :]) + ".")
    return out


def corpus(seed: int = 3) -> list[AnalysedArticle]:
    """Articles of these sentences, some repeated: "No comment." 200 times, the variants once each."""
    rng = random.Random(seed)
    texts = SENTENCES * 3 + school_variants() + ["No comment."] * 200
    rng.shuffle(texts)
    articles, i = [], 0
    while i < len(texts):
        n = rng.randint(1, 12)
        articles.append(make_article(f"art{len(articles):03d}", texts[i : i + n]))
        i += n
    return articles


def make_article(aid: str, texts: list[str]) -> AnalysedArticle:
    sentences = [Sentence(id=f"{aid}-s{k:03d}", article_id=aid, index=k, text=t, start=0, end=len(t)) for k, t in enumerate(texts)]
    return AnalysedArticle(Article(aid, " ".join(texts), "0" * 64, f"{aid}.txt"), sentences, [], Counter())


def reference(texts: list[str]) -> list[int]:
    """Every pair compared: exact duplicates after normalisation and pairs at or above the threshold joined."""
    norms = [normalise(t) for t in texts]
    sets = [shingles(n, CFG.shingle_words) for n in norms]
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(texts)), 2):
        if norms[i] == norms[j] or jaccard(sets[i], sets[j]) >= CFG.threshold:
            parent[find(j)] = find(i)
    return [find(i) for i in range(len(texts))]


def partition(labels) -> set[frozenset[int]]:
    out: dict = {}
    for i, g in enumerate(labels):
        out.setdefault(g, set()).add(i)
    return {frozenset(v) for v in out.values()}


def texts_of(articles) -> list[str]:
    return [s.text for a in articles for s in a.sentences]


def test_groups_are_those_of_comparing_every_pair():
    articles = corpus()
    groups = NearDuplicates(CFG).run(iter(articles))  # a one-pass stream
    assert len(groups) == len(texts_of(articles))
    assert partition(list(groups)) == partition(reference(texts_of(articles)))
    by_text = {t: g for t, g in zip(texts_of(articles), groups)}
    assert by_text[BRIDGE] == by_text["The river council agreed on Tuesday to reopen the old footbridge to cyclists after a two year repair."]
    assert by_text[FERRY] == by_text["a spokesman for the ferry company said services would resume once the storm had passed"]
    assert by_text["Yes."] == by_text["YES"] != by_text["No."]
    assert by_text["Ferry resumes."] == by_text["Ferry resumes today."]
    assert by_text["Rain closed the mountain road near the old quarry on Monday morning."] == \
        by_text["Snow blocked the mountain road near the old quarry on Monday night, police said on Tuesday."]
    assert by_text["..."] == by_text["—"]  # empty after normalisation: one text, as before
    assert by_text[HARVEST] != by_text["Officials said the apple harvest figures for the northern valley would be published next month."]
    assert by_text[HARVEST] != by_text["Farmers in the northern valley said the late frost had hurt the apple growers badly this spring."]
    assert len({by_text[v] for v in school_variants()} | {by_text[SCHOOL]}) == 1
    assert all(re.fullmatch(r"g[0-9a-f]{12}", g) for g in groups)


def test_group_id_is_the_least_hash_of_its_members_normalised_texts():
    groups = NearDuplicates(CFG).run([make_article("a", ["Indeed.", "No.", "NO!"])])

    def code(text):
        return int.from_bytes(hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=8).digest(), "little") >> 16

    assert list(groups) == [f"g{code('Indeed.'):012x}", f"g{code('No.'):012x}", f"g{code('No.'):012x}"]


def test_small_batches_parts_and_chunks_give_the_same_groups(monkeypatch):
    """Bucket files split by the next key bits (a few keys fill one alone), batches and chunks cut short."""
    articles = corpus()
    expected = list(NearDuplicates(CFG).run(articles))
    for name, value in {"_PART": 16, "_BATCH": 5, "_SLICE": 8, "_CHUNK": 7, "_BAND_BUCKETS": 4, "_TEXT_BUCKETS": 2}.items():
        monkeypatch.setattr(dedup, name, value)
    assert list(NearDuplicates(CFG).run(articles)) == expected


def test_group_ids_do_not_depend_on_the_order_of_the_articles():
    def ids_by_text(articles):
        out: dict[str, str] = {}
        for text, g in zip(texts_of(articles), NearDuplicates(CFG).run(articles)):
            assert out.setdefault(text, g) == g
        return out

    articles = corpus()
    shuffled = articles[:]
    random.Random(7).shuffle(shuffled)
    shuffled = [make_article(a.article.article_id, [s.text for s in reversed(a.sentences)]) for a in shuffled]
    assert texts_of(shuffled) != texts_of(articles)
    assert ids_by_text(shuffled) == ids_by_text(articles)


def test_mark_duplicates_marks_the_stream_in_order_and_refuses_another():
    articles = corpus()
    groups = NearDuplicates(CFG).run(articles)
    marked = list(MarkDuplicates(groups).run(articles))
    assert [s.duplicate_group for a in marked for s in a.sentences] == list(groups)
    assert all(s.duplicate_group == "" for a in articles for s in a.sentences)  # the input is left alone
    assert groups[0] == marked[0].sentences[0].duplicate_group and groups[-1] == marked[-1].sentences[-1].duplicate_group
    with pytest.raises(IndexError):
        groups[len(groups)]
    with pytest.raises(ValueError):
        list(MarkDuplicates(groups).run(articles[::-1]))
    with pytest.raises(ValueError):
        list(MarkDuplicates(groups).run(articles[:-1]))
    with pytest.raises(ValueError):
        list(MarkDuplicates(groups).run(articles + [make_article("extra", ["One more."])]))


def test_an_empty_corpus_has_no_groups():
    groups = NearDuplicates(CFG).run([])
    assert len(groups) == 0 and list(groups) == [] and list(MarkDuplicates(groups).run([])) == []


def test_the_cache_gives_the_same_groups_and_a_damaged_entry_is_recomputed(tmp_path, monkeypatch):
    articles, cache, work = corpus(), tmp_path / "cache", tmp_path / "work"
    work.mkdir()
    cold = list(NearDuplicates(CFG, cache, work).run(articles))
    [entry] = list((cache / "near_duplicates").glob("*.npy"))
    assert list(work.iterdir()) == []  # the temporary files are gone

    def no_grouping(self):
        raise AssertionError("grouped again instead of reading the cache")

    with monkeypatch.context() as m:
        m.setattr(dedup._Work, "union_find", no_grouping)
        assert list(NearDuplicates(CFG, cache).run(articles)) == cold  # a list: hashed first
        assert list(NearDuplicates(CFG, cache).run(iter(articles))) == cold  # a stream: read once, then looked up
    for damage in (lambda b: b[:-5], lambda b: b[:128] + b"\xff" * (len(b) - 128), lambda b: b"not an array"):
        entry.write_bytes(damage(entry.read_bytes()))
        assert list(NearDuplicates(CFG, cache).run(articles)) == cold
        assert DuplicateGroups.load(entry, len(cold), "") is not None  # written anew
    changed = articles[:-1] + [make_article("other", ["A sentence the cache has not seen."])]
    assert len(list(NearDuplicates(CFG, cache).run(changed))) == len(texts_of(changed))
    assert len(list((cache / "near_duplicates").glob("*.npy"))) == 2
    assert not list((cache / "near_duplicates").glob("*.tmp"))


@pytest.mark.parametrize("small_run", [0, 10**9])
def test_prefix_filtering_and_pairwise_comparison_agree(monkeypatch, small_run):
    """Every run by prefix filtering (0), or every run pair by pair: the groups of comparing every pair."""
    monkeypatch.setattr(dedup, "_SMALL_RUN", small_run)
    articles = corpus()
    assert partition(list(NearDuplicates(CFG).run(articles))) == partition(reference(texts_of(articles)))
