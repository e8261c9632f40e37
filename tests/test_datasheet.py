"""The card and the datasheet describe the corpus that was built, on real builds.

A small invented corpus (four weather reports of two made-up outlets) is built for
real; its documents must name its own outlets, dates and URLs, carry none of the
seed corpus's prose, show the questions its provider left unanswered as open, and
take the answers of its corpus.yaml. (Four articles, not one: a one-article corpus
is being fixed to pass validation in another change.)
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from builder import cli
from builder.read.corpusinfo import OPEN, SECTIONS, CorpusInfo, parse

from .conftest import REPO

ARTICLES = [
    {"id": "storm-north", "title": "Storm brings heavy rain to the northern valleys", "outlet": "Valley Weather Gazette",
     "published": "2023-03-14", "url": "https://valley-weather.example/2023/03/14/storm-north",
     "text": "A slow storm moved across the northern valleys on Tuesday, leaving rivers high and roads flooded.\n\n"
             "\"We measured more rain in six hours than in the whole of February,\" said Ingrid Haller, a forecaster "
             "at the regional weather office.\n\nThe office said the rain would ease by Thursday morning. Farmers in "
             "the lower fields were told to move their animals to higher ground.\n\nHaller added that the wind would "
             "turn north and bring colder air by the weekend."},
    {"id": "heat-coast", "title": "Coastal towns swelter in early heat", "outlet": "Valley Weather Gazette",
     "published": "2023-03-16", "url": "https://valley-weather.example/2023/03/16/heat-coast",
     "text": "Temperatures on the coast reached 31 degrees on Thursday, the warmest March day in the town's records.\n\n"
             "The harbour master said fishing boats would leave before dawn to avoid the afternoon heat.\n\n\"People "
             "should drink water and stay in the shade at midday,\" said Tomas Brandt, who runs the town's clinic.\n\n"
             "Cooler sea winds are expected to return next week."},
    {"id": "snow-pass", "title": "Snow closes the mountain pass", "outlet": "Alpine Morning Post",
     "published": "2023-03-18", "url": "https://alpine-morning.example/news/snow-pass",
     "text": "Fresh snow closed the high mountain pass on Saturday for the third time this month.\n\nRoad crews worked "
             "through the night, but the drifts came back faster than the ploughs could clear them, a spokesperson "
             "for the road authority said.\n\nDrivers were asked to use the valley road instead. The pass is expected "
             "to reopen on Monday if the wind drops."},
    {"id": "fog-airport", "title": "Fog delays morning flights", "outlet": "Alpine Morning Post",
     "published": "2023-03-20", "url": "https://alpine-morning.example/news/fog-airport",
     "text": "Thick fog delayed about forty flights at the regional airport on Monday morning.\n\nAn airport official "
             "said the first departures left almost three hours late. \"Safety comes first, and the fog simply did "
             "not lift,\" the official said.\n\nThe fog cleared shortly before noon, and the afternoon schedule ran "
             "as planned."},
]

# phrases of the seed corpus's own prose (the old templates, now seeds/corpus.yaml): none may
# appear in the documents of another corpus
SEED_PHRASES = ["US-Russia security talks", "US–Russia security talks", "27–29 December 2021", "27-29 December 2021",
                "The National", "The Guardian", "RTÉ", "AFP", "Reuters", "two annotators", "Two annotators",
                "seed sentence", "Five reports", "five web articles", "fair-use", "issue tracker"]


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return folder


def card_meta(card: str) -> dict:
    return yaml.safe_load(card.split("---\n")[1])


@pytest.fixture(scope="session")
def weather_build(tmp_path_factory):
    """A real build of the invented weather corpus, with no corpus.yaml."""
    root = tmp_path_factory.mktemp("weather")
    src = write_corpus(root / "weather-news")
    out = root / "out"
    assert cli.main(["build", str(src), "--out", str(out)]) == 0
    return src, out


def questions(section) -> list[str]:
    return [q for q, _ in section.answers()]


def test_documents_of_another_corpus_describe_it_not_the_seeds(weather_build):
    from builder.publish.datasheet import render

    _, out = weather_build
    card = (out / "README.md").read_text(encoding="utf-8")
    sheet = (out / "DATASHEET.md").read_text(encoding="utf-8")
    assert sheet == render(out)  # the build wrote OUT/DATASHEET.md, as `datasheet OUT` renders it
    for doc in (card, sheet):
        for phrase in SEED_PHRASES:
            assert phrase not in doc, phrase
        assert "Alpine Morning Post: 2, Valley Weather Gazette: 2" in doc
        assert "published 2023-03-14 to 2023-03-20" in doc
        for a in ARTICLES:  # four URLs: few enough to list
            assert f"<{a['url']}>" in doc
        assert "Cohen's kappa" not in doc  # no gold/independent/, so no agreement
    meta = card_meta(card)
    assert meta["pretty_name"] == "weather-news"  # the input folder's name, no corpus.yaml
    assert meta["size_categories"] == ["n<1K"]
    assert meta["license"] == "unknown"
    assert "(none was supplied for this corpus)" in sheet and "No gold annotations were supplied" in card
    figs = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert figs["corpus"] == {"input_folder": "weather-news", "corpus_yaml": False, "info": {}}


def test_unanswered_questions_are_shown_as_open(weather_build):
    _, out = weather_build
    sheet = (out / "DATASHEET.md").read_text(encoding="utf-8")
    empty = CorpusInfo()
    for name in SECTIONS:
        for q in questions(getattr(empty, name)):
            assert f"**{q}** *{OPEN}*" in sheet, q
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"**License:** *{OPEN}*" in card and f"### Curation rationale\n\n*{OPEN}*" in card


def test_corpus_yaml_answers_appear_and_a_changed_one_is_not_reused(weather_build, tmp_path):
    src, built = weather_build
    corpus = tmp_path / "weather-news"
    shutil.copytree(src, corpus)
    (corpus / "corpus.yaml").write_text(
        "pretty_name: Spring weather reports\n"
        "card: {license: cc-by-4.0}\n"
        "motivation:\n  purpose: To test forecasts against what local papers reported.\n"
        "distribution:\n  licence: Invented texts, CC BY 4.0.\n"
        "limitations: [Four invented articles from two invented outlets.]\n",
        encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)  # same tables as the earlier build: only corpus.yaml differs
    assert cli.main(["build", str(corpus), "--out", str(out)]) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    sheet = (out / "DATASHEET.md").read_text(encoding="utf-8")
    meta = card_meta(card)
    assert meta["pretty_name"] == "Spring weather reports" and meta["license"] == "cc-by-4.0"
    assert "\n# Spring weather reports\n" in card
    assert "# Datasheet: Spring weather reports" in sheet
    for doc in (card, sheet):
        assert "To test forecasts against what local papers reported." in doc
        assert "Invented texts, CC BY 4.0." in doc
        assert "- Four invented articles from two invented outlets." in doc
    assert f"**Who funded the creation of the dataset?** *{OPEN}*" in sheet  # still unanswered
    assert "(none was supplied for this corpus)" not in sheet


@pytest.mark.parametrize("text, key", [
    ("motivation:\n  purpose: ok\n  fundng: typo\n", "'motivation.fundng'"),
    ("licence: top-level typo\n", "'licence'"),
    ("limitations: one string, not a list\n", "'limitations'"),
])
def test_a_bad_corpus_yaml_exits_2_naming_file_and_key(weather_build, tmp_path, capsys, text, key):
    src, _ = weather_build
    corpus = tmp_path / "weather-news"
    shutil.copytree(src, corpus)
    (corpus / "corpus.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(corpus), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{corpus / 'corpus.yaml'}: " in err and key in err
    assert "Traceback" not in err and not out.exists()


def test_unknown_key_error_lists_the_allowed_keys():
    from builder.errors import InputError

    with pytest.raises(InputError, match=r"x.yaml: unknown key 'maintenance.contatc' \(allowed: contact, contributions, "):
        parse({"maintenance": {"contatc": "me"}}, "x.yaml")


def test_a_bad_quality_file_names_the_file_and_key(tmp_path):
    from builder.publish.card import QUALITY, load_quality
    from builder.errors import ConfigError

    bad = tmp_path / "quality.yaml"
    bad.write_text(QUALITY.read_text(encoding="utf-8").replace('stance recall: "0.630"', "stance recall: 63%"), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{bad}: key 'measurements.0.figures.stance recall'"):
        load_quality(bad)


def test_datasheet_command_writes_into_the_folder_and_leaves_the_repository_datasheet(weather_build, tmp_path, capsys):
    _, built = weather_build
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "DATASHEET.md").unlink()
    repo_sheet = REPO / "DATASHEET.md"
    before = (repo_sheet.read_bytes(), repo_sheet.stat().st_mtime_ns)
    assert cli.main(["datasheet", str(out)]) == 0
    assert (out / "DATASHEET.md").read_text(encoding="utf-8") == (built / "DATASHEET.md").read_text(encoding="utf-8")
    assert (repo_sheet.read_bytes(), repo_sheet.stat().st_mtime_ns) == before
    assert cli.main(["datasheet", str(out), "--to", str(tmp_path / "elsewhere.md")]) == 0
    assert (tmp_path / "elsewhere.md").read_text(encoding="utf-8") == (built / "DATASHEET.md").read_text(encoding="utf-8")
    assert cli.main(["datasheet", str(tmp_path / "not-built")]) == 2
    assert "no figures.json" in capsys.readouterr().err


def test_dropped_items_and_corpus_statistics_are_rendered_when_present(weather_build, tmp_path):
    from builder.publish.datasheet import render

    _, built = weather_build
    out = tmp_path / "out"
    shutil.copytree(built, out)
    figs = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    figs["dropped"] = {"n": 3, "by_reason": {"quote: empty span": 2, "entity: offsets outside sentence": 1}}
    figs["corpus_statistics"] = [{"table": "quotes", "name": "speaker_share", "observed": "40%", "expected": ">= 80%", "ok": False}]
    (out / "figures.json").write_text(json.dumps(figs), encoding="utf-8")
    sheet = render(out)
    assert "dropped by its own invariant checks: 3 (quote: empty span: 2, entity: offsets outside sentence: 1;" in sheet
    assert "| quotes | speaker_share | 40% | >= 80% | **no** |" in sheet


def test_seed_documents_come_from_seeds_corpus_yaml_and_the_card_loads(seed_build):
    import datasets

    from builder.publish.card import load_quality
    from builder.read.corpusinfo import load

    out, result = seed_build
    ds = datasets.load_dataset(str(out))
    assert sum(len(s) for s in ds.values()) == result.figures["n_sentences"]
    card = (out / "README.md").read_text(encoding="utf-8")
    sheet = (out / "DATASHEET.md").read_text(encoding="utf-8")
    info, path = load(REPO / "seeds")
    assert path == REPO / "seeds" / "corpus.yaml"
    assert card_meta(card)["pretty_name"] == info.pretty_name
    assert info.motivation.purpose.strip() in sheet and info.collection.acquisition.strip() in card
    assert "Cohen's kappa" in sheet  # seeds/gold/independent exists
    assert "[`docs/ANNOTATION_GUIDE.md`](docs/ANNOTATION_GUIDE.md)" in sheet and (REPO / "docs" / "ANNOTATION_GUIDE.md").is_file()
    for m in load_quality().measurements:  # the measured quality, from its one data file
        for name, value in m.figures.items():
            assert f"{name} {value}" in sheet and f"{name} {value}" in card
