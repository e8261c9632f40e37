"""One article cannot sink a corpus: the analysis checks its own invariants per article, drops
what breaks one, and reports it (build_report.json `dropped`, a stderr line, the figures)."""

from __future__ import annotations

import json

from builder import cli
from builder.read.ingest import Article
from builder.records.invariants import check_article
from builder.records.model import AnalysedArticle, Quote, Sentence

from .corpora import write_corpus

TEXT = "Ministers met on Friday. \"We agreed on a timetable,\" said Ana Lenz."


def _article() -> AnalysedArticle:
    art = Article(article_id="x", text=TEXT, raw_sha256="0" * 64, source="x.txt")
    s0 = Sentence(id="x-s000", article_id="x", index=0, text="Ministers met on Friday.", start=0, end=24,
                  entities=[{"text": "Friday", "label": "DATE", "start": 17, "end": 23, "entity_id": None, "side": None}])
    s1 = Sentence(id="x-s001", article_id="x", index=1, text=TEXT[25:], start=25, end=len(TEXT),
                  speaker="Ana Lenz", quote_type="direct", quote_id="x-q000",
                  labels=["us_diplomacy"], stance_evidence=[{"label": "us_diplomacy", "holder_id": None, "cue": "agreed", "start": 4, "end": 10}])
    q = Quote(quote_id="x-q000", article_id="x", text=TEXT[26:50], start=26, end=50, cue="said", speaker="Ana Lenz",
              speaker_id=None, speaker_side=None, quote_type="direct", resolution="explicit", sentence_ids=["x-s001"])
    return AnalysedArticle(art, [s0, s1], [q], mentions={})


def test_a_valid_article_loses_nothing():
    a = _article()
    assert check_article(a) == []
    assert len(a.sentences) == 2 and len(a.quotes) == 1 and a.sentences[1].labels == ["us_diplomacy"]


def test_an_empty_quote_is_dropped_and_its_sentence_becomes_narration():
    a = _article()
    a.quotes[0].start = a.quotes[0].end = 26
    a.quotes[0].text = ""
    dropped = check_article(a)
    assert [(d.item, d.reason) for d in dropped] == [("quote x-q000", "empty span at 26")]
    assert a.quotes == [] and a.sentences[1].quote_id is None and a.sentences[1].speaker is None
    assert a.sentences[1].quote_type == "none"


def test_bad_entity_and_evidence_are_dropped_with_their_label():
    a = _article()
    a.sentences[0].entities[0]["end"] = 99
    a.sentences[1].stance_evidence[0]["cue"] = "disagreed"
    dropped = check_article(a)
    assert [d.item.split()[0] for d in dropped] == ["entity", "stance"]
    assert "outside the text of length 24" in dropped[0].reason
    assert a.sentences[0].entities == [] and a.sentences[1].labels == [] and a.sentences[1].stance_evidence == []


def test_a_broken_sentence_is_dropped_and_its_quote_loses_it():
    a = _article()
    a.sentences[1].text = "something else"
    dropped = check_article(a)
    assert dropped[0].item == "sentence x-s001" and "is not the text at" in dropped[0].reason
    assert dropped[1].item == "quote x-q000" and dropped[1].reason == "no sentence of the article holds it"
    assert [s.id for s in a.sentences] == ["x-s000"] and a.quotes == []


def test_sentence_initial_according_to_reports_what_follows(analyse_text):
    """The root cause of the empty quotes on real copy: 'According to X, ...' opens the sentence."""
    text = "According to the city's transport office, the new tram line will open in March."
    doc, _ = analyse_text(text)
    spans = [text[q._.content_start : q._.content_end] for q in doc.spans["quotes"]]
    assert spans == ["the new tram line will open in March"]
    text2 = "The tram line will open in March, according to the city's transport office."
    doc, _ = analyse_text(text2)
    assert [text2[q._.content_start : q._.content_end] for q in doc.spans["quotes"]] == ["The tram line will open in March"]


def test_a_build_with_a_broken_item_finishes_and_reports_it(tmp_path, monkeypatch, capsys):
    """Fault injection: the analysis emits one empty quote; the build drops it and says so."""
    import builder.records.model as records

    real = records.to_records

    def broken(article, doc):
        rec = real(article, doc)
        if rec.quotes:
            rec.quotes[0].end = rec.quotes[0].start
            rec.quotes[0].text = ""
        return rec

    monkeypatch.setattr(records, "to_records", broken)
    src = write_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "--out", str(out), "--no-cache"]) == 0
    err = capsys.readouterr().err
    report = json.loads((out / "build_report.json").read_text())
    assert report["dropped"] and all(d["reason"].startswith("empty span at") for d in report["dropped"])
    assert f"dropped {len(report['dropped'])} item(s)" in err
    figs = json.loads((out / "figures.json").read_text())
    assert figs["dropped"]["n"] == len(report["dropped"])


def test_a_bad_speaker_mention_is_dropped_but_the_quote_stays():
    a = _article()
    a.quotes[0].speaker_start, a.quotes[0].speaker_end = 60, 200
    dropped = check_article(a)
    assert [d.item for d in dropped] == ["speaker mention of x-q000"] and "outside the text" in dropped[0].reason
    assert len(a.quotes) == 1 and a.quotes[0].speaker == "Ana Lenz" and a.quotes[0].speaker_start is None


def test_gold_that_names_another_speaker_clears_the_rules_mention(seeds_copy, tmp_path):
    """A gold line that calls a quoted sentence narration or names another speaker: the rules'
    speaker mention and side evidence no longer apply, and the build still validates."""
    import json as _json

    path = seeds_copy / "gold" / "000_73e2c0667f79ae5f.jsonl"
    lines = [_json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    quoted = next(i for i, l in enumerate(lines) if l["speaker"] and l["quote_type"] != "none")
    lines[quoted].update(speaker=None, speaker_side=None)
    path.write_text("".join(_json.dumps(l, ensure_ascii=False) + "\n" for l in lines), encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(seeds_copy), "--out", str(out), "--no-cache"]) == 0
    import pyarrow.parquet as pq

    for q in pq.read_table(out / "data" / "quotes" / "corpus-00000-of-00001.parquet").to_pylist():
        assert (q["speaker_start"] is None) or q["speaker"] is not None
