"""Output safety: a build writes --out only when it is absent, empty or an earlier output of this
tool, never the input folder or a folder inside or around it; it never renames or deletes a file
it did not write, and leaves no lock or backup file behind."""

from __future__ import annotations

import json

import pytest

from builder import cli

from .corpora import write_corpus
from .test_build import folder_hash


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "in", 2)


def _refused(capsys, args, message):
    code = cli.main(["build", *map(str, args), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "Traceback" not in err
    return err


def test_out_is_the_input_folder(corpus, capsys):
    before = folder_hash(corpus)
    _refused(capsys, [corpus, "--out", corpus], "--out is the input folder")
    assert folder_hash(corpus) == before


def test_out_inside_the_input_folder(corpus, capsys):
    before = folder_hash(corpus)
    _refused(capsys, [corpus, "--out", corpus / "dataset"], "--out is inside the input folder")
    assert folder_hash(corpus) == before and not (corpus / "dataset").exists()


def test_out_around_the_input_folder(corpus, tmp_path, capsys):
    before = folder_hash(tmp_path)
    _refused(capsys, [corpus, "--out", tmp_path], "--out contains the input folder")
    assert folder_hash(tmp_path) == before


def test_out_holding_a_users_files(corpus, tmp_path, capsys):
    thesis = tmp_path / "thesis"
    (thesis / "chapters").mkdir(parents=True)
    (thesis / "chapters" / "one.tex").write_text("\\chapter{One}\n", encoding="utf-8")
    (thesis / "notes.md").write_text("do not lose me\n", encoding="utf-8")
    before = folder_hash(thesis)
    _refused(capsys, [corpus, "--out", thesis], "not an earlier output of stance-builder")
    assert folder_hash(thesis) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "thesis"]


def test_out_is_a_file(corpus, tmp_path, capsys):
    target = tmp_path / "dataset.txt"
    target.write_text("my file\n", encoding="utf-8")
    _refused(capsys, [corpus, "--out", target], "exists and is not a folder")
    assert target.read_text(encoding="utf-8") == "my file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset.txt", "in"]  # no hidden backup


def test_new_empty_and_earlier_outputs_are_written_and_nothing_is_left_beside_them(corpus, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["build", str(corpus), "--out", str(empty), "--no-cache"]) == 0
    assert (empty / "build_report.json").is_file()
    manifest = json.loads((empty / "build_report.json").read_text())["files"]["written"]
    assert "data/sentences/train-00000-of-00001.parquet" in manifest and any(p.startswith("validation/") for p in manifest)
    # an earlier output of the tool is rebuilt in place
    assert cli.main(["build", str(corpus), "--out", str(empty), "--no-cache"]) == 0
    assert cli.main(["build", str(corpus), "--out", str(tmp_path / "new"), "--no-cache"]) == 0
    # no lock, staging or backup file outlives a build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "in", "new"]
    # a file a user adds to an output makes it theirs: the next build refuses to replace it
    (empty / "my_analysis.ipynb").write_text("{}\n", encoding="utf-8")
    before = folder_hash(empty)
    _refused(capsys, [corpus, "--out", empty], "'my_analysis.ipynb'")
    assert folder_hash(empty) == before


def test_a_users_folder_named_like_failed_reports_is_not_deleted(corpus, tmp_path, capsys):
    """Failed-validation reports go beside the output, but never over a folder the tool did not make."""
    from builder.rules.config import SCHEMAS_DIR
    import shutil

    theirs = tmp_path / "out.validation-failed"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("mine\n", encoding="utf-8")
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    exp = schemas / "expectations.yaml"
    exp.write_text(exp.read_text(encoding="utf-8").replace("    - {expectation: ExpectColumnValuesToBeUnique, column: id}\n", "    - {expectation: ExpectColumnValuesToBeUnique, column: id}\n    - {expectation: ExpectTableRowCountToBeBetween, max_value: 0}\n", 1), encoding="utf-8")
    code = cli.main(["build", str(corpus), "--out", str(tmp_path / "out"), "--schemas", str(schemas), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 1
    assert (theirs / "keep.txt").read_text(encoding="utf-8") == "mine\n" and len(list(theirs.iterdir())) == 1
    assert "out.validation-failed-1" in err and (tmp_path / "out.validation-failed-1" / "data_docs" / "index.html").is_file()
    assert not (tmp_path / "out").exists()


def test_stale_folders_of_another_output_are_left_alone(tmp_path):
    """Only this folder's own leftovers are tidied: "output-v2" is another output's."""
    from builder.publish import export

    other = tmp_path / f"{export.TMP_PREFIX}output-v2-4242"
    other_old = tmp_path / f"{export.OLD_PREFIX}output-v2-4242"
    mine = tmp_path / f"{export.TMP_PREFIX}output-999999"
    for d in (other, other_old, mine):
        d.mkdir()
        (d / "keep.parquet").write_bytes(b"x")
    with export.output_lock(tmp_path / "output"):
        pass
    assert other.is_dir() and other_old.is_dir() and not mine.exists()


def test_an_interrupted_swap_is_undone_by_the_next_build(tmp_path):
    """Killed between its two renames, a build leaves the previous output moved aside: the next
    build of that folder puts it back before anything else."""
    from builder.publish import export

    aside = tmp_path / f"{export.OLD_PREFIX}output-999999"
    aside.mkdir()
    (aside / "README.md").write_text("previous output\n", encoding="utf-8")
    with export.output_lock(tmp_path / "output"):
        assert (tmp_path / "output" / "README.md").read_text(encoding="utf-8") == "previous output\n"
    assert not aside.exists()


@pytest.mark.parametrize("make", [
    lambda out: (out / "validation" / "my_notes.txt").write_text("mine\n", encoding="utf-8"),
    lambda out: (out / "my_analysis").mkdir(),
])
def test_a_users_file_or_folder_inside_an_earlier_output_is_refused(corpus, tmp_path, capsys, make):
    out = tmp_path / "out"
    assert cli.main(["build", str(corpus), "--out", str(out), "--no-cache"]) == 0
    make(out)
    before = folder_hash(out), sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    _refused(capsys, [corpus, "--out", out], "not an earlier output of stance-builder")
    assert (folder_hash(out), sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))) == before
