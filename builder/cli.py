"""Command line: `stance-builder build|validate|evaluate|datasheet`.

Imports nothing heavy at start-up (`--help` stays fast); expected failures
print one line naming the file and the reason and exit 1 (validation) or 2
(bad input or usage), without a traceback. An internal error (a bug) exits 3.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from builder.errors import BuilderError

REPO = Path(__file__).resolve().parent.parent


def _checkout() -> Path | None:
    """The source checkout the CLI runs from (an editable install), None when installed from a wheel:
    only a checkout has the seeds/ and the committed output/ that the path defaults point at."""
    return REPO if (REPO / "pyproject.toml").is_file() and (REPO / "seeds").is_dir() else None


CHECKOUT = _checkout()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stance-builder")
    except PackageNotFoundError:  # a checkout run without installing it
        return "unknown (not installed)"


def _required(value: Path | None, what: str) -> Path:
    """`value`, or a usage error saying why there is no default."""
    if value is None:
        raise BuilderError(f"{what} is required: this stance-builder is an installed package, not a source checkout, so it has no seeds/ to default to")
    return value


def _parser() -> argparse.ArgumentParser:
    from builder.read.formats import READERS  # the input formats, for the help text

    p = argparse.ArgumentParser(prog="stance-builder", description="Build an entity-and-stance NLP dataset from news articles.")
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", required=True)
    # defaults: the checkout's seeds/ and output/; an installed package needs INPUT_DIR and writes ./output
    home = CHECKOUT
    seeds = home / "seeds" if home else None
    output = home / "output" if home else Path("output")
    out_help = "(default: output/ of the source checkout, else ./output)"
    b = sub.add_parser("build", help="build the dataset folder from a folder of articles")
    b.add_argument("input_dir", nargs="?", type=Path, default=seeds, help=f"folder of {'/'.join(READERS)} articles (default: seeds/ of the source checkout; required otherwise)")
    b.add_argument("--out", type=Path, default=output, help=f"output dataset folder {out_help}")
    b.add_argument("--no-gold", action="store_true", help="rules only: ignore INPUT_DIR/gold/")
    b.add_argument("--n-process", type=int, default=1, help="spaCy worker processes (default 1)")
    b.add_argument("--max-bytes", type=int, default=5_000_000, help="largest accepted article file (default 5 MB)")
    b.add_argument("--schemas", type=Path, default=None, help="folder of rule files to use instead of the built-in schemas/")
    b.add_argument("--skip-bad", action="store_true", help="build the rest when a file is bad; the skipped files and reasons go to build_report.json")
    b.add_argument("--encoding", default=None, metavar="NAME",
                   help="read the files that are not valid UTF-8 in this encoding instead of detecting theirs (default: detect "
                        "per file among Windows-1252 and the Cyrillic code pages); valid UTF-8 files are always read as UTF-8")
    b.add_argument("--cache", type=Path, default=None, help="analysis cache folder (default: ~/.cache/stance-builder)")
    b.add_argument("--no-cache", action="store_true", help="analyse every article afresh, reading and writing no cache")
    b.add_argument("--strict", action="store_true", help="corpus-statistics expectations (speaker coverage, label rate, split balance) fail the build too")
    b.add_argument("--executor", choices=["local", "ray", "slurm"], default=None,
                   help="run the per-article analysis as --tasks datatrove tasks on this executor (default: in this process; "
                        "--tasks alone means local); a rerun skips the tasks that completed")
    b.add_argument("--tasks", type=int, default=None, help="shards of the articles, one datatrove task each (default 1)")
    b.add_argument("--workers", type=int, default=-1, help="tasks that run at once (default: all)")
    b.add_argument("--work-dir", type=Path, default=None,
                   help="folder for the tasks' shards, completion files and logs; shared by every node (default: CACHE/work)")
    b.add_argument("--executor-option", action="append", default=[], metavar="KEY=VALUE",
                   help="keyword argument of the datatrove executor, e.g. partition=cpu time=02:00:00 cpus_per_task=2 "
                        "mem_per_cpu_gb=4 venv_path=/shared/venv/bin/activate (repeatable)")
    v = sub.add_parser("validate", help="re-run the Great Expectations suites on a built folder")
    v.add_argument("dir", nargs="?", type=Path, default=output, help=f"built dataset folder {out_help}")
    v.add_argument("--strict", action="store_true", help="corpus-statistics expectations fail too")
    v.add_argument("--schemas", type=Path, default=None,
                   help="folder of rule files to validate against (default: the folder DIR's build used, from its build_report.json)")
    e = sub.add_parser("evaluate", help="rules against gold: per-label P/R/F1, speaker accuracy, disagreements")
    e.add_argument("input_dir", nargs="?", type=Path, default=seeds, help="folder of articles with a gold/ folder (default: seeds/ of the source checkout; required otherwise)")
    e.add_argument("--json", type=Path, help="also write the full evaluation as JSON here")
    a = sub.add_parser("analyse", help="analyse a folder (or a shard of one) into the analysis cache only; a later build reuses it")
    a.add_argument("input_dir", type=Path)
    a.add_argument("--cache", type=Path, default=None, help="analysis cache folder (default: ~/.cache/stance-builder)")
    a.add_argument("--n-process", type=int, default=1)
    a.add_argument("--schemas", type=Path, default=None)
    x = sub.add_parser("explore", help="write a static HTML explorer into DIR/explorer/index.html")
    x.add_argument("dir", nargs="?", type=Path, default=output, help=f"built dataset folder {out_help}")
    x.add_argument("--limit", type=int, default=200, help="show the first N articles (0: all; default 200)")
    r = sub.add_parser("export-review", help="write Label Studio tasks (with predictions) for every sentence")
    r.add_argument("dir", nargs="?", type=Path, default=output, help=f"built dataset folder {out_help}")
    r.add_argument("--format", choices=["label-studio"], default="label-studio")
    r.add_argument("--to", type=Path, default=(home or Path()) / "review" / "tasks.json",
                   help="tasks file, label_config.xml is written beside it (default: review/tasks.json of the source checkout, else ./review/tasks.json)")
    i = sub.add_parser("import-review", help="write a Label Studio export's corrections into a gold folder")
    i.add_argument("file", type=Path)
    i.add_argument("--gold", type=Path, default=seeds / "gold" if seeds else None, help="gold folder (default: seeds/gold/ of the source checkout; required otherwise)")
    d = sub.add_parser("datasheet", help="re-render DIR/DATASHEET.md from a built folder")
    d.add_argument("dir", nargs="?", type=Path, default=output, help=f"built dataset folder {out_help}")
    d.add_argument("--to", type=Path, default=None, help="write the datasheet here instead (default: DIR/DATASHEET.md)")
    return p


def _show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _default_cache() -> Path:
    from builder.records.cache import default_cache_dir

    return default_cache_dir()


def _option(text: str) -> tuple[str, object]:
    """KEY=VALUE of --executor-option, the value as a number or a truth value when it is one."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise BuilderError(f"--executor-option {text!r}: expected KEY=VALUE")
    if value in ("True", "False", "true", "false"):
        return key, value.lower() == "true"
    for kind in (int, float):
        try:
            return key, kind(value)
        except ValueError:
            pass
    return key, value


def cmd_build(args) -> int:
    from builder.run.build import BuildOptions, run_build

    args.input_dir = _required(args.input_dir, "INPUT_DIR")
    if args.n_process < 1:
        raise BuilderError("--n-process must be at least 1")
    if args.tasks is not None and args.tasks < 1:
        raise BuilderError("--tasks must be at least 1")
    executor = args.executor or ("local" if args.tasks else None)
    result = run_build(
        BuildOptions(
            input_dir=args.input_dir,
            out_dir=args.out,
            use_gold=not args.no_gold,
            n_process=args.n_process,
            max_bytes=args.max_bytes,
            schemas_dir=args.schemas,
            progress=_show_progress(),
            skip_bad=args.skip_bad,
            encoding=args.encoding,
            cache_dir=None if args.no_cache else (args.cache or _default_cache()),
            strict=args.strict,
            executor=executor,
            tasks=args.tasks or 1,
            workers=args.workers,
            work_dir=args.work_dir,
            executor_options=dict(_option(o) for o in args.executor_option),
        )
    )
    if (args.out.resolve() == (REPO / "output").resolve() and args.input_dir.resolve() == (REPO / "seeds").resolve()
            and args.schemas is None):
        from builder.publish.datasheet import write_datasheet

        # the repository's own DATASHEET.md describes the seeds' build; every build also wrote OUT/DATASHEET.md
        write_datasheet(args.out, REPO / "DATASHEET.md")
    f = result.figures
    total = sum(result.timings.values())
    for item in result.skipped:
        print(f"stance-builder: skipped {item['reason']}", file=sys.stderr)
    if result.dropped:
        reasons = f["dropped"]["by_reason"]
        print(f"stance-builder: dropped {len(result.dropped)} item(s) that broke the analysis' invariants "
              f"({'; '.join(f'{k}: {v}' for k, v in reasons.items())}); each is listed in {args.out / 'build_report.json'}", file=sys.stderr)
    missed = [s for s in f.get("corpus_statistics", []) if not s["ok"]]
    if missed:
        print(f"stance-builder: {len(missed)} corpus statistic(s) outside their expected range (reported, not fatal; "
              f"--strict makes them fail): " + "; ".join(f"{s['table']}.{s['name']}: {s['observed']}" for s in missed), file=sys.stderr)
    print(
        f"built {args.out}: {f['n_articles']} articles, {f['n_sentences']} sentences "
        f"({', '.join(f'{k} {v}' for k, v in f['split_sizes'].items())}), {f['n_quotes']} quotes in {total:.1f} s"
    )
    return 0


def cmd_validate(args) -> int:
    from builder.validate.stage import validate_dir

    from builder.publish.report import recorded_rules

    summary = validate_dir(args.dir, recorded_rules(args.dir, args.schemas), strict=args.strict)
    missed = [s for s in summary["statistics"] if not s["ok"]]
    print(f"{args.dir}: {sum(s['evaluated'] for s in summary['suites'].values())} expectations evaluated, every invariant holds"
          + (f"; {len(missed)} corpus statistic(s) outside their range: " + "; ".join(f"{s['table']}.{s['name']}: {s['observed']}" for s in missed) if missed else ""))
    return 0


def cmd_evaluate(args) -> int:
    from builder.run.build import BuildOptions, analyse_corpus
    from builder.run.evaluate import evaluate, format_report
    from builder.publish.export import write_json

    args.input_dir = _required(args.input_dir, "INPUT_DIR")
    corpus = analyse_corpus(BuildOptions(input_dir=args.input_dir, out_dir=REPO / "output", progress=_show_progress()))
    if not corpus.gold:
        raise BuilderError(f"{args.input_dir / 'gold'}: no gold annotations to evaluate against")
    ev = evaluate(corpus.analysed, corpus.gold, corpus.rules)
    print(format_report(ev))
    if args.json:
        write_json(args.json, ev)
    return 0


def cmd_datasheet(args) -> int:
    from builder.publish.datasheet import write_datasheet

    print(f"wrote {write_datasheet(args.dir, args.to)}")
    return 0


def cmd_analyse(args) -> int:
    from builder.run.build import BuildOptions, analyse_corpus

    corpus = analyse_corpus(
        BuildOptions(input_dir=args.input_dir, out_dir=REPO / "output", use_gold=False, n_process=args.n_process,
                     schemas_dir=args.schemas, cache_dir=args.cache or _default_cache(), progress=_show_progress())
    )
    stats = corpus.versions["analysis_cache"]
    print(f"analysed {args.input_dir}: {stats['misses']} articles analysed, {stats['hits']} already cached")
    return 0


def cmd_explore(args) -> int:
    from builder.publish.explore import write_explorer

    print(f"wrote {write_explorer(args.dir, args.limit)}")
    return 0


def cmd_export_review(args) -> int:
    from builder.publish.review import export_tasks

    from builder.rules import load_rules

    n = export_tasks(args.dir, args.to, load_rules())
    print(f"wrote {n} Label Studio tasks to {args.to} (interface: {args.to.parent / 'label_config.xml'})")
    return 0


def cmd_import_review(args) -> int:
    from builder.publish.review import import_review

    args.gold = _required(args.gold, "--gold")
    from builder.rules import load_rules

    written = import_review(args.file, args.gold, load_rules())
    print(f"wrote {sum(written.values())} reviewed sentences into {args.gold} ({', '.join(written) or 'none'})")
    return 0


COMMANDS = {"analyse": cmd_analyse, "explore": cmd_explore, "export-review": cmd_export_review, "import-review": cmd_import_review, "build": cmd_build, "validate": cmd_validate, "evaluate": cmd_evaluate, "datasheet": cmd_datasheet}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BuilderError as exc:
        print(f"stance-builder: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("stance-builder: interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
    except OSError as exc:  # a file vanished, a folder is not writable, the disk is full
        print(f"stance-builder: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception:  # a bug: say so, with the traceback, and keep exit 1 for failed validation only
        import traceback

        traceback.print_exc()
        print("stance-builder: internal error (a bug; please report it with the traceback above)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
