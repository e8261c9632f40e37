"""Peak memory and time of the near-duplicate step over a synthetic stream of N articles, against
the algorithm it replaced (kept below, as it was at 681c49d: every sentence in memory, an in-memory
datasketch MinHashLSH, a dict of groups), each size and algorithm in a fresh process.

  python benchmarks/dedup_memory.py [--new 2000 20000 200000] [--old 2000 20000] [--log FILE]

The stream is made on the fly and never held: ~35 sentences an article of words drawn from a
Zipfian vocabulary of made-up words. A quarter of the sentences are wire copy: sentence w of the
wire is a function of w alone, and an article reprints one of the last 4,000 (as it was, with its
case or punctuation changed, a word replaced, a word dropped, or an attribution added); 3% are a
short stock sentence ("No comment.") or a credit line, repeated thousands of times; the rest are
new. For each run: seconds and peak RSS (ru_maxrss) of the process after the imports, after
NearDuplicates, and after MarkDuplicates consumed the same stream again (the new algorithm only);
ratios are against the smallest size of the same algorithm measured in the same run. Where both
algorithms ran at one size, their partitions of the sentences are compared (group ids differ by
design).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

VOCAB = 20_000
WINDOW = 4_000
STOCK = ["No comment.", "Yes.", "We will see.", "Thank you.", "It is too early to say.", "Stay tuned!"]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vocabulary():
    rng = random.Random(0)
    letters = "etaoinshrdlcumwfgypbvk"
    words = sorted({"".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(VOCAB * 2)})[:VOCAB]
    rng.shuffle(words)
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank**1.05
        cum.append(total)
    return words, cum


def articles(n: int):
    """The synthetic stream of n articles (AnalysedArticle records), the same on every call."""
    from builder.read.article import Article
    from builder.records.model import AnalysedArticle, Sentence

    words, cum = _vocabulary()
    credits = [f"Reporting by {w.title()} {v.title()}; editing by {x.title()}." for w, v, x in zip(words[:40], words[40:80], words[80:120])]

    def sentence(rng: random.Random) -> list[str]:
        return rng.choices(words, cum_weights=cum, k=rng.randint(5, 32))

    def wire(w: int) -> list[str]:
        return sentence(random.Random(w * 7919 + 17))

    rng = random.Random(42)
    for i in range(n):
        aid = f"syn{i:07d}"
        sents = []
        for k in range(rng.randint(25, 45)):
            r = rng.random()
            if r < 0.25:
                top = i * 3
                ws = wire(rng.randint(max(0, top - WINDOW), top))
                v = rng.random()
                if v < 0.15:
                    text = " ".join(ws).upper() + "!"
                elif v < 0.35:
                    ws[rng.randrange(len(ws))] = rng.choice(words)
                    text = " ".join(ws).capitalize() + "."
                elif v < 0.45 and len(ws) > 2:
                    del ws[rng.randrange(len(ws))]
                    text = " ".join(ws).capitalize() + "."
                elif v < 0.5:
                    text = " ".join(ws).capitalize() + ", officials said."
                else:
                    text = " ".join(ws).capitalize() + "."
            elif r < 0.28:
                text = rng.choice(STOCK) if rng.random() < 0.5 else rng.choice(credits)
            else:
                text = " ".join(sentence(rng)).capitalize() + "."
            sents.append(Sentence(id=f"{aid}-s{k:03d}", article_id=aid, index=k, text=text, start=0, end=len(text)))
        yield AnalysedArticle(Article(aid, "", "0" * 64, f"{aid}.txt"), sents, [], Counter())


# --- the algorithm replaced (builder/steps/dedup.py at 681c49d, without its cache) ---


def old_group_ids(texts: list[str], cfg) -> list[str]:
    from datasketch import MinHash, MinHashLSH

    from builder.steps.dedup import jaccard, normalise, shingles

    norms = [normalise(t) for t in texts]
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first: dict[str, int] = {}
    for i, norm in enumerate(norms):
        if norm in first:
            union(first[norm], i)
        else:
            first[norm] = i
    unique = list(first.values())
    sets = [shingles(norms[i], cfg.shingle_words) for i in unique]
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    for i, sh in enumerate(sets):
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        m.update_batch([s.encode("utf-8") for s in sh])
        for j in lsh.query(m):
            if jaccard(sh, sets[j]) >= cfg.threshold:
                union(unique[j], unique[i])
        lsh.insert(i, m)
    members: dict[int, list[str]] = {}
    for i, norm in enumerate(norms):
        members.setdefault(find(i), []).append(norm)
    key = {root: "g" + hashlib.sha1(min(ms).encode("utf-8")).hexdigest()[:12] for root, ms in members.items()}
    return [key[find(i)] for i in range(len(texts))]


def child(algorithm: str, n: int, labels: str) -> dict:
    import numpy as np

    from builder.rules import load_rules
    from builder.steps.dedup import MarkDuplicates, NearDuplicates

    cfg = load_rules().dedup
    out = {"algorithm": algorithm, "articles": n, "peak_imports": peak_mib()}
    t = time.perf_counter()
    if algorithm == "new":
        groups = NearDuplicates(cfg).run(articles(n))
        out.update(seconds=time.perf_counter() - t, peak=peak_mib(), sentences=len(groups))
        t = time.perf_counter()
        marked = 0
        for a in MarkDuplicates(groups).run(articles(n)):
            marked += len(a.sentences)
        out.update(mark_seconds=time.perf_counter() - t, mark_peak=peak_mib())
        codes = groups.codes()
        out["groups"] = int(len(np.unique(codes)))
        inverse = np.unique(codes, return_inverse=True)[1]
    else:
        sentences = [s for a in articles(n) for s in a.sentences]
        groups = dict(zip((s.id for s in sentences), old_group_ids([s.text for s in sentences], cfg)))
        out.update(seconds=time.perf_counter() - t, peak=peak_mib(), sentences=len(groups))
        ids = [groups[s.id] for s in sentences]
        out["groups"] = len(set(ids))
        inverse = np.unique(np.array(ids), return_inverse=True)[1]
    np.save(labels, inverse.astype(np.int64))
    return out


def same_partition(a, b) -> bool:
    import numpy as np

    pairs = np.unique(np.stack([a, b]), axis=1).shape[1]
    return len(a) == len(b) and pairs == len(np.unique(a)) == len(np.unique(b))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--new", nargs="*", type=int, default=[2000, 20000])
    ap.add_argument("--old", nargs="*", type=int, default=[2000, 20000])
    ap.add_argument("--log", type=Path)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        algorithm, n, labels = args.child
        print("RESULT " + json.dumps(child(algorithm, int(n), labels)), flush=True)
        return
    log = args.log.open("a", encoding="utf-8") if args.log else None

    def say(msg: str) -> None:
        print(msg, flush=True)
        if log:
            log.write(msg + "\n")
            log.flush()

    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    say(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} benchmarks/dedup_memory.py --new {' '.join(map(str, args.new))} "
        f"--old {' '.join(map(str, args.old))} (code {commit}); {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory(prefix="stance-dedup-bench-") as tmp:
        for algorithm, sizes in (("new", args.new), ("old", args.old)):
            for n in sizes:
                labels = str(Path(tmp) / f"{algorithm}-{n}.npy")
                proc = subprocess.run([sys.executable, __file__, "--child", algorithm, str(n), labels],
                                      stdout=subprocess.PIPE, text=True)
                lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
                if proc.returncode or not lines:
                    say(f"{algorithm} N={n}: failed (exit {proc.returncode})")
                    continue
                r = results[algorithm, n] = json.loads(lines[-1][len("RESULT "):])
                mark = (f"; MarkDuplicates {r['mark_seconds']:.1f} s, peak {r['mark_peak']:.0f} MiB"
                        if "mark_seconds" in r else "")
                say(f"{algorithm} N={n:>7,}: {r['sentences']:>10,} sentences, {r['groups']:>10,} groups; "
                    f"NearDuplicates {r['seconds']:7.1f} s, peak RSS {r['peak']:7.0f} MiB "
                    f"(after imports {r['peak_imports']:.0f}){mark}")
        for algorithm in ("new", "old"):
            sizes = sorted(n for a, n in results if a == algorithm)
            for n in sizes[1:]:
                lo, hi = results[algorithm, sizes[0]], results[algorithm, n]
                say(f"{algorithm}: N={n:,} / N={sizes[0]:,}: peak RSS {hi['peak'] / lo['peak']:.2f}x, "
                    f"time {hi['seconds'] / lo['seconds']:.1f}x")
        for n in sorted(n for a, n in results if a == "new" and ("old", n) in results):
            new, old = results["new", n], results["old", n]
            import numpy as np

            same = same_partition(np.load(Path(tmp) / f"new-{n}.npy"), np.load(Path(tmp) / f"old-{n}.npy"))
            say(f"N={n:,}: new / old: peak RSS {new['peak']:.0f} / {old['peak']:.0f} MiB = {new['peak'] / old['peak']:.2f}x, "
                f"time {new['seconds']:.1f} / {old['seconds']:.1f} s = {new['seconds'] / old['seconds']:.2f}x; "
                f"partitions {'identical' if same else 'DIFFER'}")


if __name__ == "__main__":
    main()
