"""Per-file encodings: UTF-8 first, a legacy code page detected (with its confidence) otherwise,
--encoding only for the files that are not UTF-8, and every bad file reported in one run."""

from __future__ import annotations

import json
import random

import pytest

from builder.errors import InputError
from builder.read.ingest import read_corpus
from builder.rules import load_rules

# Sentences written for these tests: accented words, curly quotes and a dash, as a legacy editor saves them.
ACCENTED = (
    "Foreign ministers met in Gen\u00e8ve on Monday for talks both delegations called \u201cfrank but useful\u201d. "
    "The French envoy said the d\u00e9tente was fragile and that Europe\u2019s voice had to be heard at the table. "
    "Aides drank coffee at a caf\u00e9 by the lake before the session \u2014 a fa\u00e7ade of calm, one of them said. "
    "A Russian diplomat told reporters that Moscow would not accept a na\u00efve r\u00e9sum\u00e9 of its demands."
)
PLAIN_UTF8 = "Kyiv said the na\u00efve plan was \u201cdead on arrival\u201d, and Washington\u2019s envoy agreed to meet again."


def _inputs(corpus) -> dict:
    return {i["file"]: (i["encoding"], i["encoding_confidence"]) for i in corpus.inputs}


def test_cp1252_file_is_detected_and_decoded_and_the_utf8_file_beside_it_is_untouched(tmp_path):
    legacy, reference = tmp_path / "legacy", tmp_path / "reference"
    legacy.mkdir(), reference.mkdir()
    (legacy / "a.txt").write_bytes(ACCENTED.encode("cp1252"))
    (legacy / "b.txt").write_text(PLAIN_UTF8, encoding="utf-8")
    (reference / "a.txt").write_text(ACCENTED, encoding="utf-8")
    (reference / "b.txt").write_text(PLAIN_UTF8, encoding="utf-8")
    got, want = read_corpus(legacy), read_corpus(reference)
    assert [a.text for a in got.articles] == [a.text for a in want.articles]
    assert "Gen\u00e8ve" in got.articles[0].text and "r\u00e9sum\u00e9" in got.articles[0].text
    enc = _inputs(got)
    assert enc["b.txt"] == ("utf-8", 1.0)
    assert enc["a.txt"][0] == "cp1252" and load_rules().encodings.min_confidence <= enc["a.txt"][1] <= 1.0


def test_cp1252_jsonl_is_read_per_file(tmp_path):
    lines = [{"id": "x1", "text": ACCENTED}, {"id": "x2", "text": PLAIN_UTF8, "outlet": "Le Monde diplomatique"}]
    (tmp_path / "batch.jsonl").write_bytes("\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode("cp1252") + b"\n")
    corpus = read_corpus(tmp_path)
    assert [a.article_id for a in corpus.articles] == ["x1", "x2"]
    assert "d\u00e9tente" in corpus.articles[0].text and "na\u00efve" in corpus.articles[1].text
    assert _inputs(corpus)["batch.jsonl"][0] == "cp1252"


def test_encoding_option_applies_only_to_files_that_are_not_utf8(tmp_path):
    (tmp_path / "a.txt").write_bytes("Moscow said caf\u00e9".encode("latin-1"))  # too short to detect
    (tmp_path / "b.txt").write_text(PLAIN_UTF8, encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.txt: not valid UTF-8 .* cannot be detected with confidence"):
        read_corpus(tmp_path)
    corpus = read_corpus(tmp_path, encoding="latin-1")
    texts = {a.article_id: a.text for a in corpus.articles}
    assert "caf\u00e9" in texts["a"]
    assert "na\u00efve" in texts["b"] and "\u00c3" not in texts["b"]  # read as Latin-1 it would be "naÃ¯ve"
    assert _inputs(corpus) == {"a.txt": ("iso8859-1", None), "b.txt": ("utf-8", 1.0)}
    with pytest.raises(InputError, match="--encoding: unknown encoding 'klingon'"):
        read_corpus(tmp_path, encoding="klingon")


def test_random_bytes_are_refused_by_name_while_a_legacy_file_is_read(tmp_path):
    rng = random.Random(12)
    (tmp_path / "noise.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))  # no NUL: not "binary content"
    (tmp_path / "good.txt").write_bytes(ACCENTED.encode("cp1252"))
    corpus = read_corpus(tmp_path, skip_bad=True)
    assert [a.article_id for a in corpus.articles] == ["good"]
    [skipped] = corpus.skipped
    assert skipped["file"] == "noise.txt"
    assert "noise.txt: not valid UTF-8" in skipped["reason"] and "--encoding" in skipped["reason"]
    assert _inputs(corpus)["noise.txt"] == (None, None)


def test_damaged_utf8_is_refused_not_read_as_mojibake(tmp_path):
    data = bytearray(PLAIN_UTF8.encode("utf-8") * 3)
    data[10] = 0xFF  # one bad byte in an otherwise UTF-8 file
    (tmp_path / "damaged.txt").write_bytes(bytes(data))
    with pytest.raises(InputError) as err:
        read_corpus(tmp_path)
    assert "damaged.txt: not valid UTF-8 (byte 0xff at offset 10) on line 1" in str(err.value)
    assert "other characters are valid UTF-8" in str(err.value)


def test_every_bad_file_is_reported_in_one_run(tmp_path):
    (tmp_path / "a_ok.txt").write_text(PLAIN_UTF8, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"Moscow\x00said")
    (tmp_path / "c_short.txt").write_bytes(b"caf\xe9 au lait")
    (tmp_path / "d_empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_corpus(tmp_path)
    message = str(err.value)
    assert message.startswith("3 bad input files")
    for reason in ("b_binary.txt: binary content (NUL byte at offset 6)", "c_short.txt: not valid UTF-8 (byte 0xe9 at offset 3)",
                   "d_empty.txt: empty article"):
        assert reason in message
    corpus = read_corpus(tmp_path, skip_bad=True)
    assert [s["file"] for s in corpus.skipped] == ["b_binary.txt", "c_short.txt", "d_empty.txt"]


def test_reading_shows_a_progress_bar_only_when_asked(tmp_path, capsys):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(PLAIN_UTF8.replace("Kyiv", name.upper()), encoding="utf-8")
    read_corpus(tmp_path)
    assert capsys.readouterr().err == ""
    read_corpus(tmp_path, progress=True)
    err = capsys.readouterr().err
    assert err.startswith("\rread:") and "/2 " in err  # tqdm on stderr, per file
