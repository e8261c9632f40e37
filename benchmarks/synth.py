"""A deterministic synthetic corpus of N articles from the seeds' sentences, with page furniture
and text defects mixed in, for the benchmarks (never for tests of labels)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FURNITURE = ["Connect with us", "Source link", "Share this article", "Updated: January 11, 2022, 9:15 PM",
             "Reuters contributed to this report", "Troops near the border on Sunday. Reuters", "TALKS IN GENEVA"]


def seed_sentences() -> list[str]:
    from builder.nlp.pipeline import load_pipeline
    from builder.read.ingest import read_corpus
    from builder.nlp.segment import content_sents

    nlp = load_pipeline()
    texts = [a.text for a in read_corpus(REPO / "seeds").articles]
    return [s.text for doc in nlp.pipe(texts) for s in content_sents(doc)]


def make_corpus(folder: Path, n: int, sentences: list[str], seed: int = 13) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        k = rng.randint(12, 30)
        body = rng.sample(sentences, min(k, len(sentences)))
        paras, j = [], 0
        while j < len(body):
            step = rng.randint(1, 3)
            para = " ".join(body[j : j + step])
            if rng.random() < 0.2:  # glued sentences
                para = para.replace(". ", ".", 1)
            if rng.random() < 0.1:
                para = para.replace(" ", "\u00a0", 1)
            paras.append(para)
            j += step
        if rng.random() < 0.5:
            paras.insert(rng.randint(0, len(paras)), rng.choice(FURNITURE))
        title = f"Synthetic report {i} on the security talks"
        (folder / f"synth_{i:05d}.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")


if __name__ == "__main__":
    make_corpus(Path(sys.argv[1]), int(sys.argv[2]), seed_sentences())
