"""End to end on the real components: build, Great Expectations, load_dataset, CLI exit codes,
atomic output, committed output and datasheet current."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from builder import cli
from builder.rules.config import SCHEMAS_DIR
from builder.steps.dedup import normalise

from .conftest import REPO, SEEDS


def folder_hash(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(path)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def table_rows(root: Path, config: str) -> dict[str, list[dict]]:
    return {p.name.split("-")[0]: pq.read_table(p).to_pylist() for p in sorted((root / "data" / config).glob("*.parquet"))}


def test_load_dataset_round_trip_keeps_features(seed_build):
    import datasets

    out, result = seed_build
    ds = datasets.load_dataset(str(out))
    # the five seeds are reprints of each other's wire copy: one article group, so one split
    assert set(ds) == set(result.figures["split_sizes"]) == {"train"}
    feats = ds["train"].features
    assert isinstance(feats["quote_type"], datasets.ClassLabel) and feats["quote_type"].names == ["none", "direct", "indirect", "mixed"]
    assert isinstance(feats["labels"], datasets.List) and isinstance(feats["labels"].feature, datasets.ClassLabel)
    from builder.rules import load_rules

    assert feats["labels"].feature.names == load_rules().taxonomy.names  # the taxonomy's order, as declared
    assert feats["labels"].feature.names[:4] == ["us_deterrence", "us_diplomacy", "ru_hard_line", "eu_inclusion"]
    assert isinstance(feats["entities"], datasets.List) and set(feats["entities"].feature) == {"text", "label", "start", "end", "entity_id", "side"}
    assert isinstance(feats["label_source"], datasets.ClassLabel)
    assert sum(len(s) for s in ds.values()) == result.figures["n_sentences"] == 94
    for config, split in (("articles", "corpus"), ("quotes", "corpus"), ("entities", "corpus")):
        assert len(datasets.load_dataset(str(out), config)[split]) > 0
    card = (out / "README.md").read_text(encoding="utf-8")
    for name, n in result.figures["split_sizes"].items():
        assert re.search(rf"name: {name}\n\s+num_bytes: \d+\n\s+num_examples: {n}\n", card)


def test_offsets_and_texts_agree_across_tables(seed_build):
    out, _ = seed_build
    articles = {a["article_id"]: a["text"] for a in table_rows(out, "articles")["corpus"]}
    for rows in table_rows(out, "sentences").values():
        for r in rows:
            assert articles[r["article_id"]][r["start"] : r["end"]] == r["text"]
    for q in table_rows(out, "quotes")["corpus"]:
        assert articles[q["article_id"]][q["start"] : q["end"]] == q["text"]


def test_splits_do_not_leak(seed_build):
    out, _ = seed_build
    seen_groups, seen_texts = {}, {}
    for split, rows in table_rows(out, "sentences").items():
        for r in rows:
            assert seen_groups.setdefault(r["duplicate_group"], split) == split
            assert seen_texts.setdefault(normalise(r["text"]), split) == split
    # the wire copy reprinted by several outlets really is grouped
    groups = {}
    for rows in table_rows(out, "sentences").values():
        for r in rows:
            groups.setdefault(r["duplicate_group"], set()).add(r["article_id"])
    assert sum(1 for arts in groups.values() if len(arts) > 1) >= 15


def test_gold_rows_say_so_and_no_gold_uses_rules(seed_build, tmp_path):
    out, _ = seed_build
    rows = [r for rs in table_rows(out, "sentences").values() for r in rs]
    assert {r["label_source"] for r in rows} == {1}  # every seed sentence has gold
    assert cli.main(["build", str(SEEDS), "--out", str(tmp_path / "o"), "--no-gold"]) == 0
    rows = [r for rs in table_rows(tmp_path / "o", "sentences").values() for r in rs]
    assert {r["label_source"] for r in rows} == {0}


def test_committed_output_and_datasheet_are_current(seed_build):
    """A fresh build of the seeds gives exactly the committed tables, card and datasheet."""
    from builder.publish.datasheet import render

    out, _ = seed_build
    committed = REPO / "output"
    for config in ("sentences", "quotes", "articles", "entities"):
        assert table_rows(out, config) == table_rows(committed, config), f"output/ {config} is stale: rebuild"
    assert (out / "README.md").read_text(encoding="utf-8") == (committed / "README.md").read_text(encoding="utf-8")
    for name in ("figures.json", "evaluation.json"):
        assert json.loads((out / name).read_text()) == json.loads((committed / name).read_text())
    assert render(out) == (REPO / "DATASHEET.md").read_text(encoding="utf-8"), "DATASHEET.md is stale: rebuild"


def test_datasheet_figures_match_the_tables(seed_build):
    out, _ = seed_build
    sheet = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    sentences = table_rows(out, "sentences")
    quotes = table_rows(out, "quotes")["corpus"]
    articles = table_rows(out, "articles")["corpus"]
    n = sum(len(r) for r in sentences.values())
    assert f"{len(articles)} articles, {n} sentences, {len(quotes)}\nquotes" in sheet
    for split, rows in sentences.items():
        counts = [sum(1 for r in rows if i in r["labels"]) for i in range(4)]
        assert f"| {split} | {len(rows)} | " + " | ".join(map(str, counts)) + " |" in sheet
    removed = sum(len(a["removed"]) for a in articles)
    assert f"`articles.removed` ({removed} lines in all)" in sheet
    for section in ("## 1. Motivation", "## 2. Composition", "## 3. Collection process", "## 4. Preprocessing", "## 5. Uses", "## 6. Distribution", "## 7. Maintenance"):
        assert section in sheet


def test_validation_failure_exits_1_and_keeps_old_output(seed_build, tmp_path, capsys):
    out, _ = seed_build
    target = tmp_path / "output"
    shutil.copytree(out, target)
    before = folder_hash(target)
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    exp = schemas / "expectations.yaml"
    # demand that every quote has a speaker bound that the rules cannot meet: 100% and a max of 1 quote
    exp.write_text(exp.read_text(encoding="utf-8").replace("column: quote_id}", "column: quote_id}\n    - {expectation: ExpectTableRowCountToBeBetween, max_value: 1}", 1), encoding="utf-8")
    code = cli.main(["build", str(SEEDS), "--out", str(target), "--schemas", str(schemas)])
    err = capsys.readouterr().err
    assert code == 1
    assert "quotes" in err and "ExpectTableRowCountToBeBetween" in err
    assert folder_hash(target) == before
    assert not list(tmp_path.glob(".stance-builder-*"))
    assert (tmp_path / "output.validation-failed" / "data_docs" / "index.html").exists()  # the report to read


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: (d / "broken.txt").write_bytes(b"caf\xe9 au lait"), "broken.txt: not valid UTF-8 (byte 0xe9 at offset 3)"),
        (lambda d: (d / "000_73e2c0667f79ae5f.jsonl").write_text('{"id": "000_73e2c0667f79ae5f", "text": "Again."}\n'), "duplicate article id '000_73e2c0667f79ae5f'"),
        (lambda d: (d / "gold" / "001_eed326a8c04006eb.jsonl").write_text(
            (d / "gold" / "001_eed326a8c04006eb.jsonl").read_text().replace("will hold security talks", "will hold talks", 1)),
         "001_eed326a8c04006eb.jsonl:1: gold text differs from sentence 0"),
        (lambda d: (d / "gold" / "003_c8580ee1e5267d36.jsonl").write_text(
            (d / "gold" / "003_c8580ee1e5267d36.jsonl").read_text().replace('"eu_inclusion"', '"eu_membership"', 1)),
         "label 'eu_membership' is not in the stance taxonomy"),
    ],
)
def test_bad_input_exits_2_names_file_and_keeps_old_output(seed_build, seeds_copy, tmp_path, capsys, make, message):
    out, _ = seed_build
    target = tmp_path / "output"
    shutil.copytree(out, target)
    before = folder_hash(target)
    make(seeds_copy)
    code = cli.main(["build", str(seeds_copy), "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert folder_hash(target) == before


def test_validate_command_on_the_committed_output(tmp_path, capsys):
    copy = tmp_path / "output"
    shutil.copytree(REPO / "output", copy)  # validate rewrites DIR/validation: never the committed one
    assert cli.main(["validate", str(copy)]) == 0
    assert "every invariant holds" in capsys.readouterr().out
    table = copy / "data" / "sentences" / "train-00000-of-00001.parquet"
    rows = pq.read_table(table)
    import pyarrow as pa

    texts = rows.column("text").to_pylist()
    texts[0] = texts[0].upper()
    pq.write_table(rows.set_column(rows.schema.get_field_index("text"), "text", pa.array(texts, pa.string())), table)
    assert cli.main(["validate", str(copy)]) == 1
    assert "text_matches_article" in capsys.readouterr().err


def test_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = "import sys; from builder import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit: pass\nprint(sorted(m for m in ('spacy', 'datasets', 'great_expectations', 'pyarrow') if m in sys.modules))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip().splitlines()[-1] == "[]"


def test_every_reprinted_pair_above_the_threshold_shares_a_group(seed_corpus):
    """LSH only proposes: no pair whose exact similarity reaches the threshold may be missed."""
    import itertools

    from builder.rules import load_rules
    from builder.steps.dedup import jaccard, shingles

    cfg = load_rules().dedup
    sents = [s for a in seed_corpus.analysed for s in a.sentences]
    sh = [shingles(normalise(s.text), cfg.shingle_words) for s in sents]
    for i, j in itertools.combinations(range(len(sents)), 2):
        if jaccard(sh[i], sh[j]) >= cfg.threshold:
            assert sents[i].duplicate_group == sents[j].duplicate_group, (sents[i].id, sents[j].id)


def test_corpus_steps_return_new_records_and_leave_their_input_alone(seed_corpus):
    """Each corpus step returns what it makes (datatrove's `run(data, rank, world_size)`): re-running
    them on the analysed seeds gives the same groups, and the records they were given are unchanged."""
    import copy

    from builder.steps.crossdoc import CrossDocumentSpeakers, SpeakerSources
    from builder.steps.dedup import MarkDuplicates, NearDuplicates
    from builder.steps.gold import ApplyGold, read_gold
    from builder.steps.split import Splits

    rules = seed_corpus.rules
    before = copy.deepcopy(seed_corpus.analysed)
    groups = NearDuplicates(rules.dedup).run(seed_corpus.analysed)
    assert list(groups) == [s.duplicate_group for a in seed_corpus.analysed for s in a.sentences]  # in stream order
    marked = list(MarkDuplicates(groups).run(seed_corpus.analysed))
    holder_sides = {label.name: frozenset(label.holder_sides) for label in rules.taxonomy.labels}
    resolved = list(CrossDocumentSpeakers(SpeakerSources().run(marked), holder_sides, rules.taxonomy.names).run(marked))
    gold = read_gold(SEEDS / "gold", rules)
    labelled = list(ApplyGold(gold, rules.gazetteer).run(resolved))
    assert {s.label_source for a in labelled for s in a.sentences} == {"gold"}
    assert set(Splits(rules.proportions).run(labelled).values()) == {"train"}  # one article group: one split
    assert seed_corpus.analysed == before
    assert {s.label_source for a in seed_corpus.analysed for s in a.sentences} == {"rule"}
