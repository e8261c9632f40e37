"""Time and peak memory of the corpus-wide steps (everything after the per-article analysis) at
corpus sizes beyond what spaCy can analyse on this machine in a session.

  python benchmarks/corpus_steps.py 2000 20000 [--no-validate] [--log benchmarks/results/corpus_steps.log]

Records are made from real analysed articles, not analysed again: the development
corpus (120) and PolNeAR dev (84) are analysed once by the project's `Analyse` step
(rules, no gold; cached under /tmp/stance-corpus-steps-base, so a rerun reads
them back), then copied to N articles. Copy 0 of a base article is the article
itself; copy k > 0 gets the id `<id>-c<k>` (sentence and quote ids follow) and,
in 30% of its sentences, one lowercase word of five letters or more (outside
entities, stance evidence, cues waiting for a holder and the speaker's
mention) replaced by the same letters
reversed, in the article text and the sentence and quote texts at the same
offsets: so every copy is a near-duplicate of its base article, most of its
sentences are exact duplicates, and the varied ones are new texts that MinHash
LSH must match against the others (the near-duplicate step has real work, growing
with N). Every text is a new string object, as records decoded from a cache or a
record shard would be.

Each size runs in a fresh process (peak RSS is per size, without the spaCy model:
the analysis happened elsewhere). For each step: wall time, the process's RSS at
its end and the peak RSS so far (ru_maxrss, which never decreases):

  generate (the records of N articles) -> near_duplicates (NearDuplicates +
  MarkDuplicates) -> cross_document (SpeakerSources + CrossDocumentSpeakers) ->
  gold (ApplyGold, no gold) -> splits -> tables (Arrow) -> validate (Great
  Expectations and the named checks, report in a temporary folder)

The same order and the same calls as builder/run/pipeline.py; the records are
freed before validation as the build does. The builder package is an export of
`--commit` (default HEAD), as in benchmarks/engine.py.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

BASE_SOURCES = [Path("/work/shared/dev_corpus/articles.jsonl"), Path("/work/shared/eval/polnear/dev/articles.jsonl")]
BASE_DIR = Path("/tmp/stance-corpus-steps-base")
WORD = re.compile(r"\b[a-z]{5,}\b")
VARY = 0.3


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def base_folder() -> Path:
    folder = BASE_DIR / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as f:
        for path in BASE_SOURCES:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    f.write(json.dumps({k: row[k] for k in ("id", "title", "text", "url", "published", "outlet") if k in row},
                                       ensure_ascii=False) + "\n")
    return folder


def base_records(n_process: int = 1):
    """The base articles' records (analysed once, then read from the cache) and the rules."""
    from builder.read.ingest import read_corpus
    from builder.records.cache import AnalysisCache
    from builder.rules import load_rules
    from builder.run.fingerprint import fingerprint, model_name
    from builder.steps.analyse import Analyse

    rules = load_rules(None)
    read = read_corpus(base_folder(), rules)
    cache = AnalysisCache(BASE_DIR / "cache", fingerprint(rules, model_name()))
    analysis = Analyse(rules, cache, n_process, progress=False)
    analysed = list(analysis.run(read.articles))
    return analysed, rules, cache


def prepare(n_process: int) -> dict:
    t0 = time.perf_counter()
    analysed, _, cache = base_records(n_process)
    return {"articles": len(analysed), "sentences": sum(len(a.sentences) for a in analysed), "hits": cache.hits,
            "misses": cache.misses, "seconds": time.perf_counter() - t0}


def vary(a, k: int, rng: random.Random):
    """Copy k of analysed article `a` (k = 0: the article, re-made as new objects)."""
    old = a.article.article_id
    new = old if k == 0 else f"{old}-c{k}"
    text = list(a.article.text)
    if k:
        speakers = [(q.speaker_start, q.speaker_end) for q in a.quotes if q.speaker_start is not None]
        for s in a.sentences:
            if rng.random() >= VARY:
                continue
            busy = [(e["start"], e["end"]) for e in (*s.entities, *s.stance_evidence, *s.pending_stance)]
            busy += [(x - s.start, y - s.start) for x, y in speakers]
            words = [m for m in WORD.finditer(s.text) if not any(m.start() < y and x < m.end() for x, y in busy)]
            if words:
                m = rng.choice(words)
                w = m.group()
                r = w[::-1] if w[::-1] != w else w[1:] + w[0]
                text[s.start + m.start() : s.start + m.end()] = r
    text = "".join(text)

    def rid(x: str) -> str:
        return new + x[len(old):]

    article = replace(a.article, article_id=new, text=text, raw_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                      removed=list(a.article.removed), removed_kinds=list(a.article.removed_kinds))
    sentences = [replace(s, id=rid(s.id), article_id=new, text=text[s.start:s.end], entities=[dict(e) for e in s.entities],
                         quote_id=rid(s.quote_id) if s.quote_id else None, labels=list(s.labels),
                         stance_evidence=[dict(e) for e in s.stance_evidence], pending_stance=[dict(e) for e in s.pending_stance])
                 for s in a.sentences]
    quotes = [replace(q, quote_id=rid(q.quote_id), article_id=new, text=text[q.start:q.end],
                      sentence_ids=[rid(i) for i in q.sentence_ids]) for q in a.quotes]
    return replace(a, article=article, sentences=sentences, quotes=quotes, mentions=a.mentions.copy())


def run_size(n: int, validate: bool) -> dict:
    """The corpus steps over N generated articles; {step: (seconds, rss_mib, peak_mib)} and counts."""
    from builder.run.pipeline import StepLog  # noqa: F401  (the same modules as a build)
    from builder.steps.crossdoc import CrossDocumentSpeakers, SpeakerSources
    from builder.steps.dedup import MarkDuplicates, NearDuplicates
    from builder.steps.gold import ApplyGold
    from builder.steps.split import Splits
    from builder.tables.rows import build_tables

    steps: dict[str, list[float]] = {}
    t0 = time.perf_counter()
    base, rules, _ = base_records()
    gc.collect()
    steps["load_base"] = [time.perf_counter() - t0, rss_mib(), peak_mib()]
    rng = random.Random(13)
    t0 = time.perf_counter()
    analysed = []
    for i in range(n):
        analysed.append(vary(base[i % len(base)], i // len(base), rng))
        if (i + 1) % max(1, n // 5) == 0:
            print(f"  generated {i + 1}/{n} ({time.perf_counter() - t0:.0f}s, RSS {rss_mib():.0f} MiB)", file=sys.stderr, flush=True)
    del base
    gc.collect()
    steps["generate"] = [time.perf_counter() - t0, rss_mib(), peak_mib()]
    counts = {"articles": n, "sentences": sum(len(a.sentences) for a in analysed), "quotes": sum(len(a.quotes) for a in analysed),
              "characters": sum(len(a.article.text) for a in analysed)}

    def step(name, fn):
        t = time.perf_counter()
        print(f"  {name} ...", file=sys.stderr, flush=True)
        out = fn()
        steps[name] = [time.perf_counter() - t, rss_mib(), peak_mib()]
        print(f"  {name} {steps[name][0]:.1f}s, RSS {steps[name][1]:.0f} MiB, peak {steps[name][2]:.0f} MiB", file=sys.stderr, flush=True)
        return out

    def dedup():
        groups = NearDuplicates(rules.dedup).run(analysed)
        counts["duplicate_groups"] = len(set(groups.codes().tolist()))
        return list(MarkDuplicates(groups).run(analysed))

    analysed = step("near_duplicates", dedup)
    taxonomy = rules.taxonomy
    holder_sides = {label.name: frozenset(label.holder_sides) for label in taxonomy.labels}
    analysed = step("cross_document", lambda: list(CrossDocumentSpeakers(SpeakerSources().run(analysed), holder_sides, taxonomy.names).run(analysed)))
    labelled = step("gold", lambda: list(ApplyGold({}, rules.gazetteer).run(analysed)))
    del analysed
    splits = step("splits", lambda: Splits(rules.proportions).run(labelled))
    tables = step("tables", lambda: build_tables(labelled, splits, rules))
    del labelled, splits
    gc.collect()
    counts["sentence_rows"] = sum(t.num_rows for t in tables["sentences"].values())
    if validate:
        from builder.validate.stage import ValidationFailed, validate_tables

        def check():
            with tempfile.TemporaryDirectory(prefix="stance-steps-gx-") as report:
                try:
                    summary = validate_tables(tables, Path(report), rules)
                    counts["validation"] = "passed" if summary["success"] else "failed"
                except ValidationFailed as exc:
                    counts["validation"] = "failed: " + str(exc)[:400]

        step("validate", check)
    return {"steps": steps, "counts": counts}


def child(func: str, *args) -> dict:
    from benchmarks.engine import CODE

    code = ("import json, sys; sys.path.insert(0, %r); from benchmarks.corpus_steps import %s as f; sys.path.insert(0, %r); "
            "print('RESULT ' + json.dumps(f(*%r)))") % (str(REPO), func, CODE[0], args)
    out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                         env={"CI": "1", "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")})
    lines = [l for l in out.stdout.splitlines() if l.startswith("RESULT ")]
    if out.returncode or not lines:
        raise SystemExit(f"{func}{args} failed (exit {out.returncode})")
    return json.loads(lines[-1][len("RESULT "):])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--no-validate", action="store_true")
    ap.add_argument("--n-process", type=int, default=2, help="spaCy processes for the one-time analysis of the base articles")
    ap.add_argument("--log", type=Path)
    ap.add_argument("--commit", default="HEAD", help="the commit whose builder/ and schemas/ are measured (exported to a temporary folder)")
    args = ap.parse_args()
    log = args.log.open("a", encoding="utf-8") if args.log else None

    def say(msg: str) -> None:
        print(msg, flush=True)
        if log:
            log.write(msg + "\n")
            log.flush()

    say(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} benchmarks/corpus_steps.py {' '.join(map(str, args.sizes))}"
        f"{' --no-validate' if args.no_validate else ''}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    from benchmarks.engine import export_code

    codedir = tempfile.TemporaryDirectory(prefix="stance-steps-code-")
    say(f"code: builder/ and schemas/ of {export_code(args.commit, Path(codedir.name))} ({args.commit})")
    p = child("prepare", args.n_process)
    say(f"base: {p['articles']} real articles, {p['sentences']} sentences (analysed {p['misses']}, from cache {p['hits']}; {p['seconds']:.1f}s)")
    results = {}
    for n in args.sizes:
        say(f"N={n}: running in a fresh process ...")
        r = child("run_size", n, not args.no_validate)
        results[n] = r
        c = r["counts"]
        say(f"N={n}: {c}")
        for name, (sec, rss, peak) in r["steps"].items():
            say(f"N={n}:   {name:16s} {sec:8.2f} s   RSS at end {rss:7.0f} MiB   peak so far {peak:7.0f} MiB")
        gen = r["steps"]["generate"][1] - r["steps"]["load_base"][1]
        say(f"N={n}: records of {n} articles: {gen:.0f} MiB ({gen * 1024 / n:.0f} KiB per article, "
            f"{gen * 2**20 / c['sentences']:.0f} B per sentence); corpus steps after generation "
            f"{sum(v[0] for k, v in r['steps'].items() if k not in ('load_base', 'generate')):.1f} s; peak RSS {max(v[2] for v in r['steps'].values()):.0f} MiB")
    if len(results) > 1:
        lo, hi = min(results), max(results)
        plo, phi = (max(v[2] for v in results[x]["steps"].values()) for x in (lo, hi))
        say(f"peak RSS at N={hi} / N={lo}: {phi:.0f} / {plo:.0f} MiB = {phi / plo:.2f}x (target <= 1.5x); "
            f"time of the corpus steps {hi}/{lo}: "
            + ", ".join(f"{k} {results[hi]['steps'][k][0] / max(results[lo]['steps'][k][0], 1e-3):.1f}x"
                        for k in results[hi]["steps"] if k not in ("load_base",)))


if __name__ == "__main__":
    main()
