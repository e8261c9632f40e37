"""The measurement behind the near-duplicate threshold (schemas/splits.yaml): every cross-article
pair of seed sentences by exact Jaccard similarity of word shingles, the pairs merged and the
closest pairs kept apart.

  python benchmarks/dedup_pairs.py [--top 40]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    from builder.run.build import BuildOptions, analyse_corpus
    from builder.rules import load_rules
    from builder.steps.dedup import jaccard, normalise, shingles

    cfg = load_rules().dedup
    corpus = analyse_corpus(BuildOptions(input_dir=REPO / "seeds", out_dir=REPO / "output", use_gold=False))
    sents = [s for a in corpus.analysed for s in a.sentences]
    sh = [shingles(normalise(s.text), cfg.shingle_words) for s in sents]
    pairs = sorted(
        ((jaccard(sh[i], sh[j]), i, j) for i, j in itertools.combinations(range(len(sents)), 2) if sents[i].article_id != sents[j].article_id),
        reverse=True,
    )
    merged = [p for p in pairs if p[0] >= cfg.threshold]
    print(f"threshold {cfg.threshold} on word {cfg.shingle_words}-grams: {len(merged)} cross-article pairs merged")
    for score, i, j in pairs[: args.top]:
        mark = "merged " if score >= cfg.threshold else "apart  "
        print(f"{mark}{score:.3f}  {sents[i].id} ~ {sents[j].id}  | {sents[i].text[:60]} | {sents[j].text[:60]}")
    groups: dict[str, set[str]] = {}
    for s in sents:
        groups.setdefault(s.duplicate_group, set()).add(s.id)
    spanning = {g: ids for g, ids in groups.items() if len({i.rsplit('-s', 1)[0] for i in ids}) > 1}
    print(f"\n{len(spanning)} duplicate groups span more than one article:")
    for g, ids in sorted(spanning.items(), key=lambda kv: sorted(kv[1])):
        first = next(s for s in sents if s.id == sorted(ids)[0])
        print(f"  {g}: {', '.join(sorted(ids))}  | {first.text[:70]}")


if __name__ == "__main__":
    main()
