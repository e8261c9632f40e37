"""Splits by article: an article never spans two splits, near-duplicates pull articles together,
proportions hold by sentences as far as the grouping allows, and any corpus from one article up
builds and loads (a split that would be empty is not declared). Corpus statistics are reported
and fail the build only with --strict."""

from __future__ import annotations

import json

import pytest
from datasets import load_dataset

from builder import cli
from builder.steps import split

from .corpora import write_corpus
from .test_build import table_rows

PROPORTIONS = {"train": 0.8, "validation": 0.1, "test": 0.1}


def test_articles_sharing_a_duplicate_group_are_one_group():
    groups = split.article_groups([("a", "g1"), ("a", "g2"), ("b", "g2"), ("c", "g3"), ("d", "g3"), ("e", "g4")])
    assert groups["a"] == groups["b"] and groups["c"] == groups["d"]
    assert len({groups["a"], groups["c"], groups["e"]}) == 3
    assert split.article_groups([("b", "g"), ("a", "g")]) == split.article_groups([("a", "g"), ("b", "g")])


def test_groups_are_dealt_out_by_sentences():
    sizes = {f"g{i}": 10 for i in range(20)}
    out = split.assign_groups(sizes, PROPORTIONS)
    counts = {s: sum(sizes[g] for g, v in out.items() if v == s) for s in PROPORTIONS}
    assert counts == {"train": 160, "validation": 20, "test": 20}
    assert split.assign_groups(sizes, PROPORTIONS) == out  # deterministic
    # one giant group cannot be split: it goes whole to train, the rest fills the others
    sizes = {"big": 100, "s1": 5, "s2": 5}
    out = split.assign_groups(sizes, PROPORTIONS)
    assert out["big"] == "train" and {out["s1"], out["s2"]} == {"validation", "test"}


@pytest.mark.parametrize("n", [1, 2, 3])
def test_tiny_corpora_build_and_load(tmp_path, n):
    src = write_corpus(tmp_path / "in", n)
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "--out", str(out), "--no-cache"]) == 0
    files = sorted(p.name.split("-")[0] for p in (out / "data" / "sentences").glob("*.parquet"))
    ds = load_dataset(str(out))
    assert sorted(ds) == files and all(len(ds[s]) > 0 for s in ds)
    assert sum(len(ds[s]) for s in ds) == sum(r["n_sentences"] for r in table_rows(out, "articles")["corpus"])
    for config in ("quotes", "articles", "entities"):
        load_dataset(str(out), config)


def test_no_article_spans_two_splits_and_reprints_stay_together(tmp_path):
    src = write_corpus(tmp_path / "in", 14)
    # a reprint: story 13 repeats a sentence of story 00 word for word
    first = (src / "story00.txt").read_text(encoding="utf-8").split("\n\n")[0]
    (src / "story13.txt").write_text((src / "story13.txt").read_text(encoding="utf-8") + "\n\n" + first, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "--out", str(out), "--no-cache"]) == 0
    where: dict[str, set] = {}
    for name, rows in table_rows(out, "sentences").items():
        for r in rows:
            where.setdefault(r["article_id"], set()).add(name)
    assert all(len(s) == 1 for s in where.values())
    assert where["story00"] == where["story13"]
    assert len(set().union(*where.values())) >= 2  # a corpus of 14 stories does get more than one split


def test_corpus_statistics_are_reported_and_fail_only_with_strict(tmp_path, capsys):
    src = write_corpus(tmp_path / "in", 1)
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "--out", str(out), "--no-cache"]) == 0
    err = capsys.readouterr().err
    stats = {s["name"]: s for s in json.loads((out / "figures.json").read_text())["corpus_statistics"]}
    # invented local news carries no stance of the taxonomy: reported, not fatal
    assert stats["labelled_share"]["ok"] is False and "0.0% of" in stats["labelled_share"]["observed"]
    assert "labelled_share" in err and "not fatal" in err
    code = cli.main(["build", str(src), "--out", str(tmp_path / "strict"), "--no-cache", "--strict"])
    err = capsys.readouterr().err
    assert code == 1 and "labelled_share" in err and "--strict" in err
    assert not (tmp_path / "strict").exists()
