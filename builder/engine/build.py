"""The analysis stage of a build on an executor: shards written, tasks run, records read back."""

from __future__ import annotations

from builder.rules import RuleSet
from builder.engine.executors import run_tasks
from builder.engine.shards import read_records, work_folder, write_articles
from builder.engine.steps import AnalyseShard, RecordWriter
from builder.errors import BuilderError
from builder.read.article import Article
from builder.run.options import BuildOptions


def analyse_on_executor(opts: BuildOptions, rules: RuleSet, articles: list[Article], namespace: str):
    """(records in input order, dropped items, cache counts, engine summary) of `articles`
    analysed by `opts.tasks` tasks on `opts.executor`."""
    from datatrove.pipeline.readers import JsonlReader

    root = opts.work_dir or (opts.cache_dir / "work" if opts.cache_dir else None)
    if root is None:
        raise BuilderError("an executor needs a work folder for its shards and completion files: pass --work-dir (the cache is off)")
    folder = work_folder(root, namespace, articles, opts.tasks)
    write_articles(articles, folder / "articles", opts.tasks)
    pipeline = [
        JsonlReader(str(folder / "articles"), glob_pattern="*.jsonl", text_key="text", id_key="article_id"),
        AnalyseShard(rules, opts.cache_dir, namespace, opts.n_process),
        RecordWriter(folder / "records"),
    ]
    run_tasks(opts.executor, pipeline, opts.tasks, folder / "logs", opts.workers, opts.executor_options)
    analysed, dropped, counts = read_records(folder / "records", articles, opts.tasks)
    return analysed, dropped, counts, {"executor": opts.executor, "tasks": opts.tasks, "work_folder": str(folder)}
