"""Packaging: a wheel built from the repository carries its rules and builds the seeds from any
working directory in a fresh environment; `--version`; path defaults outside a source checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import version
from pathlib import Path

import pytest

from builder import cli

from .conftest import REPO, SEEDS


def _run(args: list, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A wheel of the repository installed (no deps) into a fresh venv that sees this venv's third-party
    packages through a .pth line, but not its editable `builder` (a .pth inside a path added that way
    is not run, so the editable finder stays out)."""
    tmp = tmp_path_factory.mktemp("packaging")
    src = tmp / "src"  # a copy, so setuptools' build/ and egg-info never land in the checkout
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for name in ("builder", "schemas"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "--disable-pip-version-check", "-w", tmp / "dist", src], cwd=tmp)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp / "dist").glob("stance_builder-*.whl")
    venv = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp).stdout.strip())
    (purelib / "_stance_builder_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # --ignore-installed: never uninstall the editable stance-builder this venv can see
    done = _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
                 "--disable-pip-version-check", "--quiet", wheel], cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    work = tmp / "elsewhere"  # a working directory outside the checkout
    work.mkdir()
    return venv, purelib, work, tmp


def test_wheel_builds_the_seeds_from_outside_the_checkout(installed):
    from datasets import load_dataset

    venv, purelib, work, tmp = installed
    where = _run([venv / "bin" / "python", "-c", "import builder, builder.rules.config as c; print(builder.__file__); print(c.SCHEMAS_DIR)"], cwd=work)
    module, schemas = (Path(line) for line in where.stdout.split())
    assert module.is_relative_to(purelib), where.stdout + where.stderr  # the wheel's builder, not the checkout's
    assert schemas == purelib / "builder" / "schemas" and (schemas / "tables.yaml").is_file()
    tool = venv / "bin" / "stance-builder"
    assert _run([tool, "--version"], cwd=work).stdout.strip() == "stance-builder 0.1.0"
    missing = _run([tool, "build"], cwd=work)
    assert missing.returncode == 2 and "INPUT_DIR is required" in missing.stderr and "Traceback" not in missing.stderr
    env = {**os.environ, "CI": "1"}
    out = tmp / "out"
    result = _run([tool, "build", SEEDS, "--out", out], cwd=work, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    sentences = load_dataset(str(out))
    assert set(sentences) <= {"train", "validation", "test"} and sum(len(s) for s in sentences.values()) > 50
    assert len(load_dataset(str(out), "quotes")["corpus"]) > 0
    assert not (work / "output").exists() and not list(work.iterdir())  # nothing written into the working directory


def test_version_flag_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"stance-builder {version('stance-builder')}\n"


def test_outside_a_checkout_input_is_required_and_output_goes_to_the_working_directory(monkeypatch, capsys):
    monkeypatch.setattr(cli, "CHECKOUT", None)
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err
    assert "INPUT_DIR is required" in err and "no seeds/" in err
    assert cli.main(["import-review", "export.json"]) == 2
    assert "--gold is required" in capsys.readouterr().err
    args = cli._parser().parse_args(["build", "articles"])
    assert args.input_dir == Path("articles") and args.out == Path("output")
    assert cli._parser().parse_args(["export-review"]).to == Path("review") / "tasks.json"
