"""The validation stage with real Great Expectations on a small, realistic dataset.

A good dataset must pass and leave JSON results plus Data Docs; each broken
rule must fail the build with a message naming the table and the check.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from builder.rules import contract as schema
from builder.errors import ConfigError, InputError, ValidationFailed
from builder.rules import load_rules
from builder.validate.stage import validate_dir, validate_tables

REPO = Path(__file__).resolve().parent.parent

ENTITIES_YAML = """\
labels: [PERSON, ORG, GPE, NORP, LOC, DATE, EVENT]
sides: {US: United States, RU: Russia, EU: European Union, UA: Ukraine, NATO: NATO, OSCE: OSCE, GB: United Kingdom}
entities: []
"""

ARTICLE_A = (
    "The US and Russia will hold talks in Geneva on January 10. "
    "\u201cWe look forward to engaging with Russia,\u201d State Department spokesman Ned Price said on Tuesday. "
    "The Kremlin has demanded that Nato not expand eastward.\n\n"
    "The meeting will be followed by a Russia-Nato summit."
)
ARTICLE_B = (
    "Sergei Lavrov said Moscow would not accept a refusal. "
    "The European Union wants a seat at the table, Josep Borrell told reporters. "
    "Washington is maintaining pressure on the Kremlin."
)
# (sentence, entities as (text, label, entity_id, side), labels, split)
SENTENCES = {
    "nat-001": [
        ("The US and Russia will hold talks in Geneva on January 10.",
         [("US", "GPE", "usa", "US"), ("Russia", "GPE", "russia", "RU"), ("Geneva", "GPE", "geneva", None),
          ("January 10", "DATE", None, None)], [], "train"),
        ("\u201cWe look forward to engaging with Russia,\u201d State Department spokesman Ned Price said on Tuesday.",
         [("Russia", "GPE", "russia", "RU"), ("Ned Price", "PERSON", "ned_price", "US")], [1], "train"),
        ("The Kremlin has demanded that Nato not expand eastward.",
         [("Kremlin", "ORG", "kremlin", "RU"), ("Nato", "ORG", "nato", "NATO")], [2], "train"),
        ("The meeting will be followed by a Russia-Nato summit.",
         [("Russia", "GPE", "russia", "RU")], [], "train"),
    ],
    "tass-002": [
        ("Sergei Lavrov said Moscow would not accept a refusal.",
         [("Sergei Lavrov", "PERSON", "sergei_lavrov", "RU")], [2], "validation"),
        ("The European Union wants a seat at the table, Josep Borrell told reporters.",
         [("European Union", "ORG", "eu", "EU"), ("Josep Borrell", "PERSON", "josep_borrell", "EU")], [3], "validation"),
        ("Washington is maintaining pressure on the Kremlin.",
         [("Washington", "GPE", "usa", "US"), ("Kremlin", "ORG", "kremlin", "RU")], [0], "validation"),
    ],
}
TEXTS = {"nat-001": ARTICLE_A, "tass-002": ARTICLE_B}
SPEAKERS = {  # sentence id -> (speaker, speaker_id, side, quote_id, quote_type id)
    "nat-001-s001": ("Ned Price", "ned_price", "US", "nat-001-q000", 1),
    "tass-002-s000": ("Sergei Lavrov", "sergei_lavrov", "RU", "tass-002-q000", 2),
    "tass-002-s001": ("Josep Borrell", "josep_borrell", "EU", "tass-002-q001", 2),
}
QUOTES = [  # quote_id, quoted text, cue, sentence index
    ("nat-001-q000", "We look forward to engaging with Russia,", "said", 1),
    ("tass-002-q000", "Moscow would not accept a refusal", "said", 0),
    ("tass-002-q001", "The European Union wants a seat at the table", "told", 1),
]
ENTITIES = [  # id, name, type, side, wikidata
    ("usa", "United States", "GPE", "US", "Q30"),
    ("russia", "Russia", "GPE", "RU", "Q159"),
    ("geneva", "Geneva", "GPE", None, "Q71"),
    ("ned_price", "Ned Price", "PERSON", "US", None),
    ("kremlin", "Kremlin", "ORG", "RU", None),
    ("nato", "NATO", "ORG", "NATO", "Q7184"),
    ("sergei_lavrov", "Sergei Lavrov", "PERSON", "RU", "Q150851"),
    ("eu", "European Union", "ORG", "EU", "Q458"),
    ("josep_borrell", "Josep Borrell", "PERSON", "EU", None),
]
EVIDENCE_CUES = {1: "look forward to engaging", 2: "demanded", 3: "wants a seat at the table", 0: "maintaining pressure"}
TAXONOMY = ["us_deterrence", "us_diplomacy", "ru_hard_line", "eu_inclusion"]


def _sentence_row(aid: str, index: int, spec: tuple, search_from: int) -> dict:
    """A sentence row as the tables stage writes it, offsets found in the article text."""
    text, ents, labels, _split = spec
    start = TEXTS[aid].index(text, search_from)
    sid = f"{aid}-s{index:03d}"
    speaker, speaker_id, side, quote_id, qtype = SPEAKERS.get(sid, (None, None, None, None, 0))
    entities = []
    for etext, label, eid, eside in ents:
        s = text.index(etext)
        entities.append({"text": etext, "label": label, "start": s, "end": s + len(etext), "entity_id": eid, "side": eside})
    evidence = []
    for lab in labels:
        cue = EVIDENCE_CUES[lab] if EVIDENCE_CUES[lab] in text else text.split()[0]
        s = text.index(cue)
        evidence.append({"label": TAXONOMY[lab], "holder_id": speaker_id, "cue": cue, "start": s, "end": s + len(cue)})
    return {
        "id": sid, "article_id": aid, "index": index, "text": text, "start": start, "end": start + len(text),
        "speaker": speaker, "speaker_id": speaker_id, "speaker_side": side, "quote_type": qtype, "quote_id": quote_id,
        "entities": entities, "labels": labels, "stance_evidence": evidence, "label_source": 0,
        "duplicate_group": f"g-{hashlib.sha1(text.encode()).hexdigest()[:8]}",
    }


def good_rows() -> dict[str, dict[str, list[dict]]]:
    """Rows of all four tables, by split: the tests mutate a copy and build Arrow tables from it."""
    sentences = {"train": [], "validation": [], "test": []}
    for aid, specs in SENTENCES.items():
        pos = 0
        for i, spec in enumerate(specs):
            row = _sentence_row(aid, i, spec, pos)
            pos = row["end"]
            sentences[spec[3]].append(row)
    quotes = []
    for qid, qtext, cue, idx in QUOTES:
        aid = qid.rsplit("-q", 1)[0]
        start = TEXTS[aid].index(qtext)
        speaker, speaker_id, side, _q, qtype = SPEAKERS[f"{aid}-s{idx:03d}"]
        quotes.append({
            "quote_id": qid, "article_id": aid, "text": qtext, "start": start, "end": start + len(qtext), "cue": cue,
            "speaker": speaker, "speaker_id": speaker_id, "speaker_side": side, "quote_type": qtype,
            "resolution": "explicit", "sentence_ids": [f"{aid}-s{idx:03d}"],
        })
    articles = [
        {"article_id": aid, "title": f"Title of {aid}", "outlet": "The National", "url": f"https://example.com/{aid}",
         "published": "2022-01-05", "text": text, "raw_sha256": hashlib.sha256(text.encode()).hexdigest(),
         "n_sentences": len(SENTENCES[aid]), "removed": ["Source link"]}
        for aid, text in TEXTS.items()
    ]
    mentions: dict[str, int] = {}
    for rows in sentences.values():
        for r in rows:
            for e in r["entities"]:
                if e["entity_id"]:
                    mentions[e["entity_id"]] = mentions.get(e["entity_id"], 0) + 1
    entities = [
        {"entity_id": eid, "name": name, "type": etype, "side": side, "wikidata": qid, "aliases": [], "mention_count": mentions.get(eid, 0)}
        for eid, name, etype, side, qid in ENTITIES
    ]
    return {"sentences": sentences, "quotes": {"corpus": quotes}, "articles": {"corpus": articles}, "entities": {"corpus": entities}}


def make_schemas(d: Path) -> Path:
    """The repo's rules, contract and suites, with a small gazetteer of our own (entities.yaml is someone else's)."""
    shutil.copytree(REPO / "schemas", d)
    (d / "entities.yaml").write_text(ENTITIES_YAML, encoding="utf-8")
    return d


@pytest.fixture
def schemas_dir(tmp_path: Path) -> Path:
    return make_schemas(tmp_path / "schemas")


def to_arrow(rows: dict, schemas_dir: Path) -> dict:
    contract = schema.load_tables(schemas_dir)
    return {
        t: {s: pa.Table.from_pylist(r, schema=schema.arrow_schema(contract[t])) for s, r in splits.items()}
        for t, splits in rows.items()
    }


def run(rows: dict, schemas_dir: Path, tmp_path: Path) -> dict:
    return validate_tables(to_arrow(rows, schemas_dir), tmp_path / "report", load_rules(schemas_dir))


def failure(rows: dict, schemas_dir: Path, tmp_path: Path) -> str:
    with pytest.raises(ValidationFailed) as info:
        run(rows, schemas_dir, tmp_path)
    return str(info.value)


# --------------------------------------------------------------------------- passing


def test_good_tables_pass_and_write_reports(schemas_dir, tmp_path):
    summary = run(good_rows(), schemas_dir, tmp_path)
    assert summary["success"], summary
    assert set(summary["suites"]) == {"sentences", "quotes", "articles", "entities"}
    for name, suite in summary["suites"].items():
        assert suite["success"] and suite["failed"] == [] and suite["evaluated"] > 5, (name, suite)
        result = json.loads((tmp_path / "report" / f"{name}.json").read_text())
        assert result["suite_name"] == name
        # GX's own verdict also counts the corpus statistics; every expectation it failed is one
        missed = {r["expectation_config"]["meta"]["check"] for r in result["results"] if not r["success"]}
        assert missed == {s["name"] for s in suite["statistics"] if not s["ok"]}, (name, missed)
    # the small fixture labels 5 of its 7 sentences: above the usual rate, reported as such
    assert [(s["name"], s["ok"]) for s in summary["statistics"] if not s["ok"]] == [("labelled_share", False)]
    assert (tmp_path / "report" / "data_docs" / "index.html").is_file()
    json.dumps(summary)  # JSON-serialisable
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report", "schemas"]  # nothing written elsewhere


# --------------------------------------------------------------------------- failing


def test_sentence_text_not_matching_offsets_fails(schemas_dir, tmp_path):
    rows = good_rows()
    rows["sentences"]["train"][2]["start"] += 1
    msg = failure(rows, schemas_dir, tmp_path)
    assert "sentences: text_matches_article" in msg and "nat-001-s002" in msg
    result = json.loads((tmp_path / "report" / "sentences.json").read_text())  # written before raising
    failed = [r for r in result["results"] if not r["success"]]
    assert any(e.get("id") == "nat-001-s002" for r in failed for e in r["result"]["partial_unexpected_index_list"])
    assert (tmp_path / "report" / "data_docs" / "index.html").is_file()


def test_duplicate_sentence_id_fails(schemas_dir, tmp_path):
    rows = good_rows()
    rows["sentences"]["train"][3]["id"] = rows["sentences"]["train"][2]["id"]
    msg = failure(rows, schemas_dir, tmp_path)
    assert "sentences: ExpectColumnValuesToBeUnique on 'id'" in msg and "'nat-001-s002'" in msg
    assert "sentences: sentence_id_format" in msg


def test_duplicate_group_in_two_splits_fails(schemas_dir, tmp_path):
    rows = good_rows()
    rows["sentences"]["train"][0]["duplicate_group"] = rows["sentences"]["validation"][0]["duplicate_group"]
    msg = failure(rows, schemas_dir, tmp_path)
    assert "sentences: duplicate_group_one_split" in msg and "['train', 'validation']" in msg


@pytest.fixture(scope="module")
def many_breaks(tmp_path_factory) -> str:
    """One run with independent breaks, each on its own row or table (one GX run keeps the suite fast).

    The tests below each assert their check's line and the row-specific detail, so
    one break cannot pass for another.
    """
    tmp = tmp_path_factory.mktemp("breaks")
    schemas = make_schemas(tmp / "schemas")
    rows = good_rows()
    rows["entities"]["corpus"][1]["wikidata"] = "Q159x"
    rows["sentences"]["train"][0]["entities"][0]["side"] = "USA"
    leaked = dict(rows["sentences"]["train"][3], id="nat-001-s004", index=4, duplicate_group="g-other")
    leaked.update(text="the meeting will be followed by a Russia Nato summit", entities=[])  # case, hyphen differ
    rows["sentences"]["test"].append(leaked)
    rows["quotes"]["corpus"][0]["sentence_ids"] = ["nat-001-s099"]
    rows["articles"]["corpus"][1]["n_sentences"] = 7
    for q in rows["quotes"]["corpus"][:2]:
        q.update(speaker=None, speaker_id=None, speaker_side=None, resolution=None)
    rows["sentences"]["train"][1]["labels"] = [1, 9]
    arrow = to_arrow(rows, schemas)
    entities = arrow["entities"]["corpus"].drop_columns(["aliases"])  # and a column of the wrong type
    i = entities.schema.get_field_index("mention_count")
    arrow["entities"]["corpus"] = entities.set_column(i, "mention_count", entities["mention_count"].cast(pa.int64()))
    with pytest.raises(ValidationFailed) as info:
        validate_tables(arrow, tmp / "report", load_rules(schemas))
    return str(info.value)


def test_bad_wikidata_qid_fails(many_breaks):
    assert "entities: ExpectColumnValuesToMatchRegex on 'wikidata'" in many_breaks
    assert "'Q159x' (entity_id=russia)" in many_breaks


def test_unknown_entity_side_fails(many_breaks):
    assert "sentences: entity_sides_known" in many_breaks
    assert "entity 'US' has side 'USA' (id=nat-001-s000)" in many_breaks


def test_cross_split_and_cross_table_breaks_fail(many_breaks):
    msg = many_breaks
    assert "sentences: text_in_one_split" in msg and "['test', 'train'] (id=nat-001-s003, nat-001-s004)" in msg
    assert "quotes: sentence_ids_exist" in msg and "nat-001-s099" in msg
    assert "articles: n_sentences_match" in msg and "n_sentences 7 but 3" in msg
    assert "sentences: article_one_split" in msg and "article in splits ['test', 'train'] (id=nat-001-s000" in msg
    # the quotes without a speaker are a corpus statistic: reported, not a failure (see test_splits.py)
    assert "ExpectColumnValuesToNotBeNull on 'speaker'" not in msg


def test_contract_breaks_fail(many_breaks):
    msg = many_breaks
    assert "sentences: labels_ids_in_range" in msg and "[9]" in msg
    assert "entities: ExpectTableColumnsToMatchOrderedList" in msg and "missing ['aliases']" in msg
    assert "entities: arrow_types_match" in msg and "mention_count is int64, expected int32" in msg


def test_missing_table_fails_plainly(schemas_dir, tmp_path):
    arrow = to_arrow(good_rows(), schemas_dir)
    del arrow["quotes"]
    del arrow["sentences"]["test"]
    with pytest.raises(ValidationFailed) as info:
        validate_tables(arrow, tmp_path / "report", load_rules(schemas_dir))
    # a split that would be empty is not declared: a missing split is no error, a missing table is
    assert "table 'quotes' missing" in str(info.value) and "split" not in str(info.value)


def test_validate_dir_reads_the_output_layout(schemas_dir, tmp_path):
    """`stance-builder validate DIR`: Parquet files found by layout; a missing one is a missing table."""
    import pyarrow.parquet as pq

    out = tmp_path / "output"
    for table, splits in to_arrow(good_rows(), schemas_dir).items():
        for split, arrow in splits.items():
            path = out / "data" / table / f"{split}-00000-of-00001.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            if table != "quotes":
                pq.write_table(arrow, path)
    with pytest.raises(ValidationFailed, match="table 'quotes' missing") as info:
        validate_dir(out, load_rules(schemas_dir))
    assert "sentences" not in str(info.value)  # every other table and split was found
    with pytest.raises(InputError, match="not a directory"):
        validate_dir(tmp_path / "nowhere", load_rules(schemas_dir))


def test_split_sizes_and_leakage_key_without_gx(schemas_dir):
    """The split-size rule only bites from min_table_rows on; the leakage key ignores case and punctuation."""
    from builder.steps.dedup import normalise as _normalise
    from builder.validate.checks_statistics import SplitSizes, split_sizes
    from builder.validate.registry import Inputs

    contract = schema.load_tables(schemas_dir)
    entry = SplitSizes(check="split_sizes", min_table_rows=20, min_rows=1, max_share=0.95)
    rows = [{"split": "train"}] * 19 + [{"split": "test"}]
    check = split_sizes(Inputs({"sentences": rows}, contract, {}), "sentences", entry)
    assert list(check(rows[0])) == ["split 'validation' has 0 rows (< 1)"]
    small = Inputs({"sentences": rows[:19]}, contract, {})
    assert list(split_sizes(small, "sentences", entry)(rows[0])) == []
    assert _normalise("“Russia-Nato  summit,” he SAID.") == _normalise("russia nato summit he said")


# --------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    "entry, expected",
    [
        ("{expectation: ExpectColumnValuesToBeUniq, column: id}", r"suites\.sentences\[0\]\.expectation: unknown .*'ExpectColumnValuesToBeUniq'"),
        ("{expectation: ExpectColumnValuesToBeUnique, colum: id}", r"suites\.sentences\[0\]\.colum: .*unknown key"),
        ("{expectation: ExpectColumnValuesToBeUnique, column: idd}", r"suites\.sentences\[0\]: unknown column 'idd'"),
        ("{check: text_matches_articles}", r"suites\.sentences\[0\]\.check: unknown derived check 'text_matches_articles'"),
        ("{check: split_sizes, max_shares: 0.9}", r"suites\.sentences\[0\]: unknown key 'max_shares'"),
    ],
)
def test_bad_expectations_yaml_is_a_config_error(schemas_dir, tmp_path, entry, expected):
    (schemas_dir / "expectations.yaml").write_text(f"suites:\n  sentences:\n    - {entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=expected) as info:
        run(good_rows(), schemas_dir, tmp_path)
    assert "expectations.yaml" in str(info.value)


def test_great_expectations_is_imported_lazily():
    code = "import sys, builder.validate.stage; assert 'great_expectations' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
