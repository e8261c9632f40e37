"""The analysis cache: unchanged articles are not re-analysed, changed ones and changed rules are,
and a cached build gives exactly the tables of a fresh one."""

from __future__ import annotations

import json
import shutil

import numpy as np

from builder import cli
from builder.rules.config import SCHEMAS_DIR

from .test_build import table_rows


def report(out):
    return json.loads((out / "build_report.json").read_text())


def test_cache_hits_misses_and_invalidation(seeds_copy, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    args = ["build", str(seeds_copy), "--out", str(out), "--cache", str(cache)]
    assert cli.main(args) == 0
    cold = table_rows(out, "sentences")
    assert report(out)["versions"]["analysis_cache"] == {"hits": 0, "misses": 5}
    assert "validate" in report(out)["timings_seconds"]

    assert cli.main(args) == 0  # nothing changed: nothing re-analysed, validation result reused
    assert report(out)["versions"]["analysis_cache"] == {"hits": 5, "misses": 0}
    assert "validate_reused" in report(out)["timings_seconds"]
    assert "export_reused" in report(out)["timings_seconds"]
    assert table_rows(out, "sentences") == cold

    # one article changed: only it is analysed again (its gold no longer applies to it)
    path = seeds_copy / "001_eed326a8c04006eb.txt"
    path.write_text(path.read_text().replace("swift and brutal sanctions", "swift sanctions"))
    (seeds_copy / "gold" / "001_eed326a8c04006eb.jsonl").unlink()
    assert cli.main(args) == 0
    assert report(out)["versions"]["analysis_cache"] == {"hits": 4, "misses": 1}
    assert "validate" in report(out)["timings_seconds"]

    # a rule changed: every analysis is stale
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    speech = schemas / "speech.yaml"
    speech.write_text(speech.read_text().replace("speech_verbs: [say,", "speech_verbs: [say, proclaim,", 1))
    assert cli.main(args + ["--schemas", str(schemas)]) == 0
    assert report(out)["versions"]["analysis_cache"] == {"hits": 0, "misses": 5}


def test_cached_build_equals_uncached(seed_build, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    from .conftest import SEEDS

    for _ in range(2):
        assert cli.main(["build", str(SEEDS), "--out", str(out), "--cache", str(cache)]) == 0
    for config in ("sentences", "quotes", "articles", "entities"):
        assert table_rows(out, config) == table_rows(seed_build[0], config)


def test_shards_analysed_apart_fill_one_cache_that_the_build_reuses(seeds_copy, tmp_path, capsys):
    """The scale-out recipe of the README: analyse shards (on any number of machines sharing the
    cache folder), then one build over the whole corpus analyses nothing again."""
    cache = tmp_path / "cache"
    shards = [tmp_path / "shard0", tmp_path / "shard1"]
    for i, path in enumerate(sorted(seeds_copy.glob("*.txt"))):
        shards[i % 2].mkdir(exist_ok=True)
        shutil.copy(path, shards[i % 2] / path.name)
    for shard in shards:
        assert cli.main(["analyse", str(shard), "--cache", str(cache)]) == 0
    out = tmp_path / "out"
    assert cli.main(["build", str(seeds_copy), "--out", str(out), "--cache", str(cache)]) == 0
    assert report(out)["versions"]["analysis_cache"] == {"hits": 5, "misses": 0}


def test_fingerprint_follows_rules_model_and_code(tmp_path, monkeypatch):
    """One fingerprint keys the cache and the manifest: a changed byte in any rule file, another
    model version or a changed module of the package gives a new one; equal inputs the same."""
    from builder.rules import load_rules
    from builder.run import fingerprint as fp

    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    base = fp.fingerprint(load_rules(schemas), "model-1")
    assert fp.fingerprint(load_rules(schemas), "model-1") == base
    assert fp.fingerprint(load_rules(schemas), "model-2") != base
    other = tmp_path / "other"
    shutil.copytree(SCHEMAS_DIR, other)
    splits = other / "splits.yaml"  # a file no spaCy component reads still counts
    splits.write_text(splits.read_text() + "\n# a comment\n")
    assert fp.fingerprint(load_rules(other), "model-1") != base
    package = tmp_path / "builder"
    shutil.copytree(fp.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__", "schemas"))
    monkeypatch.setattr(fp, "PACKAGE", package)
    fp.code_fingerprint.cache_clear()
    try:
        assert fp.fingerprint(load_rules(schemas), "model-1") == base
        module = package / "steps" / "split.py"  # far from the analysis: still part of the key
        module.write_text(module.read_text() + "\n")
        fp.code_fingerprint.cache_clear()
        assert fp.fingerprint(load_rules(schemas), "model-1") != base
    finally:
        fp.code_fingerprint.cache_clear()


def test_reused_files_are_checked_and_listed(seeds_copy, tmp_path):
    """An unchanged rebuild copies the previous files only while they are exactly as written:
    a file edited by hand is written anew. The report lists every file with its SHA-256."""
    import hashlib

    out = tmp_path / "out"
    args = ["build", str(seeds_copy), "--out", str(out), "--cache", str(tmp_path / "cache")]
    assert cli.main(args) == 0
    card = (out / "README.md").read_text()
    files = report(out)["files"]["sha256"]
    assert {"README.md", "figures.json", "explorer/index.html", "data/sentences/train-00000-of-00001.parquet"} <= set(files)
    assert all(hashlib.sha256((out / rel).read_bytes()).hexdigest() == h for rel, h in files.items())

    (out / "README.md").write_text(card.replace("stance", "STANCE"))
    assert cli.main(args) == 0
    assert "export" in report(out)["timings_seconds"] and "export_reused" not in report(out)["timings_seconds"]
    assert (out / "README.md").read_text() == card

    assert cli.main(args) == 0
    assert "export_reused" in report(out)["timings_seconds"]
    assert (out / "README.md").read_text() == card


def test_the_analysis_step_runs_one_shard_per_rank(seed_corpus, tmp_path):
    """An executor runs the analysis step once per rank: the shards cover the corpus once, in order,
    each article looked up in the shared cache (all hits here, so no model is loaded)."""
    from builder.records.cache import AnalysisCache
    from builder.steps.analyse import Analyse

    warm = AnalysisCache(tmp_path, "ns")
    for a in seed_corpus.analysed:
        warm.put(a)
    articles = [a.article for a in seed_corpus.analysed]
    ids = [a.article_id for a in articles]
    shards = []
    for rank in range(2):
        cache = AnalysisCache(tmp_path, "ns")
        shards.append([rec.article.article_id for rec in Analyse(seed_corpus.rules, cache).run(articles, rank, 2)])
        assert (cache.hits, cache.misses) == (len(shards[-1]), 0)
    assert shards == [ids[0::2], ids[1::2]]


def test_near_duplicate_groups_are_cached_with_the_analyses(seeds_copy, tmp_path):
    """An unchanged rebuild reads the near-duplicate groups back (the MinHash pass was most of its
    time); a damaged entry is recomputed, and the tables stay those of a cold build."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    args = ["build", str(seeds_copy), "--out", str(out), "--cache", str(cache)]
    assert cli.main(args) == 0
    cold = table_rows(out, "sentences")
    [entry] = list(cache.glob("*/near_duplicates/*.npy"))
    codes = np.load(entry)
    assert len(codes) == sum(len(rows) for rows in cold.values())
    entry.write_bytes(entry.read_bytes()[:-3])  # cut short
    assert cli.main(args) == 0
    assert table_rows(out, "sentences") == cold
    assert np.array_equal(np.load(entry), codes)  # written anew
