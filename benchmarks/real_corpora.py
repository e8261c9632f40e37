"""Build the real news corpora beside the repository and print what broke.

    python -m benchmarks.real_corpora [--sample N] [--cache DIR] [--keep DIR]

Corpora (read from ../shared, never copied into the repository): the development corpus
(120 articles of the Dec 2021 - Feb 2022 crisis, CNN/CBS/ABC/NYT) and PolNeAR train + dev
(924 articles of 2016 US election news). Each is built as a user would (`run_build`, rules
only, --skip-bad), and the script prints per corpus: articles, bad files, crashes, items the
analysis' invariant checks dropped (by reason, with the first few items), validation result,
corpus statistics outside their range, and time. A crash (an exception that is not an expected
BuilderError) is then located article by article.

--sample N takes a fixed sample of N articles per corpus (the ids whose SHA-256 sorts first),
as the CI test does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = {
    "dev_corpus": [SHARED / "dev_corpus" / "articles.jsonl"],
    "polnear": [SHARED / "eval" / "polnear" / "train" / "articles.jsonl", SHARED / "eval" / "polnear" / "dev" / "articles.jsonl"],
}
KEYS = ("id", "text", "title", "url", "published", "outlet")


def sample_ids(ids: list[str], n: int | None) -> set[str]:
    """A fixed sample: the n ids whose SHA-256 sorts first (all ids when n is None)."""
    if n is None:
        return set(ids)
    return set(sorted(ids, key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())[:n])


def write_input(name: str, folder: Path, sample: int | None) -> int:
    """The corpus as one JSONL file in the builder's input format (PolNeAR's extra fields left out)."""
    rows = [json.loads(line) for path in CORPORA[name] for line in path.open(encoding="utf-8") if line.strip()]
    keep = sample_ids([r["id"] for r in rows], sample)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            if r["id"] in keep:
                f.write(json.dumps({k: r[k] for k in KEYS if isinstance(r.get(k), str)}, ensure_ascii=False) + "\n")
    return len(keep)


def locate_crashes(input_dir: Path) -> list[tuple[str, str]]:
    """Analyse article by article to find the ones that raise (only after a build crashed)."""
    from builder.nlp.pipeline import load_pipeline
    from builder.read.ingest import read_corpus
    from builder.records.invariants import check_article
    from builder.records.model import to_records

    nlp = load_pipeline()
    crashes = []
    for article in read_corpus(input_dir, skip_bad=True).articles:
        try:
            check_article(to_records(article, nlp(article.text)))
        except Exception as exc:  # noqa: BLE001 - counting every kind of crash is the point
            crashes.append((article.article_id, f"{type(exc).__name__}: {exc}"))
    return crashes


def run(name: str, sample: int | None, cache: Path | None, work: Path) -> dict:
    from builder.run.build import BuildOptions, run_build
    from builder.errors import BuilderError

    src, out = work / f"{name}_in", work / f"{name}_out"
    n = write_input(name, src, sample)
    t0 = time.perf_counter()
    result = {"corpus": name, "articles": n, "crashes": [], "error": None}
    try:
        built = run_build(BuildOptions(input_dir=src, out_dir=out, use_gold=False, skip_bad=True, cache_dir=cache))
    except BuilderError as exc:
        result["error"] = str(exc)
    except Exception:  # noqa: BLE001
        result["error"] = traceback.format_exc(limit=3)
        result["crashes"] = locate_crashes(src)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    if result["error"] is None:
        report = json.loads((out / "build_report.json").read_text(encoding="utf-8"))
        figs = json.loads((out / "figures.json").read_text(encoding="utf-8"))
        result.update(
            skipped=report["skipped"],
            dropped=report["dropped"],
            sentences=figs["n_sentences"],
            quotes=figs["n_quotes"],
            splits=figs["split_sizes"],
            statistics_missed=[s for s in figs.get("corpus_statistics", []) if not s["ok"]],
            timings=report["timings_seconds"],
        )
        del built
    return result


def show(r: dict) -> None:
    print(f"== {r['corpus']}: {r['articles']} articles, {r['seconds']} s")
    if r["error"]:
        print(f"   build FAILED: {r['error'].strip().splitlines()[-1][:300]}")
    print(f"   crashes: {len(r['crashes'])}")
    for aid, why in r["crashes"][:10]:
        print(f"     {aid}: {why[:200]}")
    if r["error"]:
        return
    print(f"   sentences {r['sentences']}, quotes {r['quotes']}, splits {r['splits']}")
    print(f"   bad files skipped: {len(r['skipped'])}")
    dropped = r["dropped"]
    print(f"   items dropped by the invariant checks: {len(dropped)}")
    for reason, count in Counter(f"{d['item'].split()[0]}: {d['reason'].split(' at ')[0][:60]}" for d in dropped).most_common():
        print(f"     {count:4d}  {reason}")
    for d in dropped[:5]:
        print(f"       e.g. {d['article_id']}: {d['item']}: {d['reason'][:120]}")
    print("   validation: every invariant holds")
    for s in r["statistics_missed"]:
        print(f"   corpus statistic outside its range: {s['table']}.{s['name']}: {s['observed']} (expected: {s['expected']})")
    print(f"   stage timings (s): {r['timings']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sample", type=int, default=None, help="a fixed sample of N articles per corpus")
    p.add_argument("--cache", type=Path, default=None, help="analysis cache folder (default: none, every article analysed)")
    p.add_argument("--keep", type=Path, default=None, help="build into this folder and keep the outputs")
    p.add_argument("--corpus", choices=sorted(CORPORA), action="append", help="only this corpus (repeatable)")
    args = p.parse_args(argv)
    missing = [str(f) for files in CORPORA.values() for f in files if not f.is_file()]
    if missing:
        print(f"real_corpora: missing {missing[0]} (the shared corpora sit beside the repository)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="stance-builder-real-") as tmp:
        work = args.keep or Path(tmp)
        results = [run(name, args.sample, args.cache, work) for name in (args.corpus or sorted(CORPORA))]
    for r in results:
        show(r)
    total = sum(r["articles"] for r in results)
    crashes = sum(len(r["crashes"]) for r in results)
    dropped = sum(len(r.get("dropped", [])) for r in results)
    failed = sum(1 for r in results if r["error"])
    print(f"== all: {total} articles, {failed} failed builds, {crashes} crashes, {dropped} items dropped, "
          f"{sum(r['seconds'] for r in results):.0f} s")
    return 1 if failed or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
