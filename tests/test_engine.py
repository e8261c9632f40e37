"""The analysis on datatrove's executors (builder/engine/): the same tables as a build in one process
whatever the executor and the number of tasks, a rerun that redoes only the failed task, and a
failed Ray task that fails the build (Ray itself returns as if all went well)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pytest

from builder import cli
from builder.engine.executors import TasksIncomplete
from builder.engine.shards import work_folder, write_articles
from builder.run.build import BuildOptions, run_build

from .conftest import REPO, SEEDS
from .test_build import table_rows


def tables(out) -> dict:
    return {config.name: table_rows(out, config.name) for config in sorted((out / "data").iterdir())}


@pytest.fixture(scope="module")
def default_tables(seed_build):
    return tables(seed_build[0])


@pytest.fixture(scope="module")
def local_build(tmp_path_factory):
    """The seeds on the local executor in 3 tasks (2 at once), from an empty cache: the workers analyse."""
    root = tmp_path_factory.mktemp("local")
    opts = BuildOptions(input_dir=SEEDS, out_dir=root / "out", cache_dir=root / "cache", executor="local", tasks=3, workers=2)
    return run_build(opts), opts


def corrupt_shard(work, tasks: int, rank: int) -> tuple:
    """The article shards the build would write, with one article of shard `rank` edited after the
    fact (the analysis refuses it: its text no longer matches its key); returns (folder, shard, good text)."""
    from builder.read.ingest import read_corpus
    from builder.rules import load_rules
    from builder.run.fingerprint import fingerprint, model_name

    rules = load_rules()
    articles = read_corpus(SEEDS, rules).articles
    folder = work_folder(work, fingerprint(rules, model_name()), articles, tasks)
    write_articles(articles, folder / "articles", tasks)
    shard = folder / "articles" / f"{rank:05d}.jsonl"
    good = shard.read_text(encoding="utf-8")
    first, *rest = good.splitlines()
    edited = json.loads(first)
    edited["text"] += " A sentence added later."
    shard.write_text("\n".join([json.dumps(edited), *rest]) + "\n", encoding="utf-8")
    return folder, shard, good


def test_local_tasks_give_the_default_tables(local_build, default_tables):
    result, opts = local_build
    assert tables(opts.out_dir) == default_tables
    report = json.loads((opts.out_dir / "build_report.json").read_text(encoding="utf-8"))
    assert report["versions"]["engine"]["tasks"] == 3
    assert report["versions"]["analysis_cache"] == {"hits": 0, "misses": 5}


def test_rerun_after_a_failed_task_redoes_only_that_task(local_build, default_tables, tmp_path):
    cache = local_build[1].cache_dir  # warm: the tasks are quick
    folder, shard, good = corrupt_shard(tmp_path / "work", tasks=3, rank=2)
    opts = BuildOptions(input_dir=SEEDS, out_dir=tmp_path / "out", cache_dir=cache, work_dir=tmp_path / "work",
                        executor="local", tasks=3, workers=1)  # one at a time: ranks 0 and 1 finish before 2 fails
    with pytest.raises(TasksIncomplete) as failed:
        run_build(opts)
    message = str(failed.value)
    assert "rank(s) 2;" in message and str(folder / "logs" / "logs" / "task_00002.log") in message and str(shard) in message
    assert sorted(os.listdir(folder / "logs" / "completions")) == ["00000", "00001"]
    records = folder / "records"
    before = {p.name: p.stat().st_mtime_ns for p in records.glob("*.jsonl")}
    assert sorted(before) == ["00000.jsonl", "00001.jsonl"] and not (tmp_path / "out").exists()
    shard.write_text(good, encoding="utf-8")
    run_build(opts)
    after = {p.name: p.stat().st_mtime_ns for p in records.glob("*.jsonl")}
    assert sorted(after) == ["00000.jsonl", "00001.jsonl", "00002.jsonl"]
    assert {k: after[k] for k in before} == before  # the completed tasks did not run again
    assert tables(opts.out_dir) == default_tables


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray cluster for the module (its start-up costs seconds), its files in a folder of
    its own (short: Ray's socket paths have a length limit) and no dashboard."""
    ray = pytest.importorskip("ray")
    scratch = tempfile.mkdtemp(prefix="ray", dir="/tmp")
    saved = {k: os.environ.get(k) for k in ("RAY_TMPDIR", "TMPDIR", "RAY_AUTH_MODE")}
    os.environ.update(RAY_TMPDIR=scratch, TMPDIR=scratch, RAY_AUTH_MODE="disabled")  # workers' task logs go to TMPDIR
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_ray_gives_the_default_tables(ray_cluster, default_tables, tmp_path):
    opts = BuildOptions(input_dir=SEEDS, out_dir=tmp_path / "out", cache_dir=tmp_path / "cache", executor="ray", tasks=2)
    run_build(opts)
    assert tables(opts.out_dir) == default_tables
    assert len(list((tmp_path / "cache").glob("*/*.json"))) == 5  # the Ray workers analysed and cached every article


def test_a_failed_ray_task_fails_the_build(ray_cluster, local_build, tmp_path, capsys):
    cache = local_build[1].cache_dir
    folder, _, _ = corrupt_shard(tmp_path / "work", tasks=2, rank=1)
    rc = cli.main(["build", str(SEEDS), "--out", str(tmp_path / "out"), "--cache", str(cache), "--work-dir", str(tmp_path / "work"),
                   "--executor", "ray", "--tasks", "2"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "ray executor: 1 of 2 analysis task(s) did not complete, rank(s) 1;" in err and str(folder / "logs") in err
    assert os.listdir(folder / "logs" / "completions") == ["00000"] and not (tmp_path / "out").exists()


def test_help_and_a_default_build_import_no_engine(local_build, tmp_path):
    code = ("import sys\nfrom builder import cli\ncli._parser()\n"
            f"assert cli.main(['build', {str(SEEDS)!r}, '--out', {str(tmp_path / 'out')!r}, '--cache', {str(local_build[1].cache_dir)!r}]) == 0\n"
            "loaded = {'ray', 'datatrove'} & set(sys.modules)\nassert not loaded, loaded\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
