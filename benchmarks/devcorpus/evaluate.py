"""The rules against the real development corpus's adjudicated gold.

    python -m benchmarks.devcorpus.evaluate [--part dev|dev2|test|all] [--show N] [--json FILE]

Runs the rules (no gold) over the annotated articles of ../shared/dev_corpus/articles.jsonl
(the texts stay there; their SHA-256 must match benchmarks/devcorpus/articles.jsonl), maps each
builder sentence to raw-text offsets and aligns it with the gold sentence it overlaps most, then
prints: stance P/R/F1 per label and micro; speaker figures on the sentences whose gold has a
speaker (name and side right, the in-domain measure of issue 16; name only; side only) and the
error classes (no speaker given, wrong side, wrong person); speaker given where gold has none.
`--show N` prints N examples per error class to the terminal (never into a file).

The `test` part (10 articles) is frozen: read it once, at the end of a round. `dev2` (16 articles
annotated in the third round) was read once with the rules as they stood, then joins development.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from builder.rules import load_rules

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SOURCE = REPO.parent / "shared" / "dev_corpus" / "articles.jsonl"
LABELS = tuple(load_rules().taxonomy.names)  # the taxonomy's labels, in its order
TITLES = re.compile(r"^(the|a|an|mr\.?|mrs\.?|ms\.?|dr\.?|president|sen\.?|senator|rep\.?|gen\.?|secretary)\s+", re.I)


def norm_name(name: str | None) -> str | None:
    if not name:
        return None
    s = name.lower().replace("’", "'").strip()
    while True:
        t = TITLES.sub("", s)
        if t == s:
            return s
        s = t


def _aliases() -> dict[str, str]:
    """Every gazetteer name and alias (lower case) -> its canonical name: the annotators did not
    know the gazetteer's spelling ("Vassily Nebenzia" is an alias of "Vasily Nebenzya")."""
    from builder.rules.gazetteer import load_gazetteer

    out = {}
    for e in load_gazetteer().entities.values():
        for form in (e.name, *e.aliases):
            out.setdefault(form.lower(), e.name.lower())
    return out


ALIASES: dict[str, str] = {}


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """Equal after normalising (gazetteer aliases to their canonical name), or the same last word
    (surname, or a descriptor's head noun) when one name holds the other's words or a short form
    of its first name ("Blinken" / "Antony Blinken", "Chris Murphy" / "Christopher S. Murphy")."""
    if not ALIASES:
        ALIASES.update(_aliases())
    p, g = norm_name(pred), norm_name(gold)
    if p is None or g is None:
        return p == g
    p, g = ALIASES.get(p, p), ALIASES.get(g, g)
    if p == g:
        return True
    pw, gw = p.split(), g.split()
    if pw[-1] != gw[-1]:
        return False
    return set(pw) <= set(gw) or set(gw) <= set(pw) or (len(pw) > 1 and len(gw) > 1 and (gw[0].startswith(pw[0]) or pw[0].startswith(gw[0])))


def load(part: str) -> tuple[list[dict], dict[str, list[dict]]]:
    index = [json.loads(l) for l in (HERE / "articles.jsonl").open(encoding="utf-8")]
    keep = {a["article_id"]: a for a in index if part == "all" or a["part"] == part}
    texts = {}
    for line in SOURCE.open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] in keep:
            sha = hashlib.sha256(row["text"].encode("utf-8")).hexdigest()
            if sha != keep[row["id"]]["text_sha256"]:
                raise SystemExit(f"{SOURCE}: article {row['id']} changed (SHA-256 {sha[:12]}... != gold's)")
            texts[row["id"]] = row
    gold: dict[str, list[dict]] = {}
    for line in (HERE / "gold" / "adjudicated.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        if g["article_id"] in keep:
            gold.setdefault(g["article_id"], []).append(g)
    missing = sorted(set(keep) - set(texts))
    if missing:
        raise SystemExit(f"{SOURCE}: {len(missing)} annotated article(s) missing, e.g. {missing[0]}")
    return [texts[a] for a in sorted(texts)], gold


def raw_offsets(clean: str, raw: str):
    """A function mapping a cleaned-text offset to the raw text (matching blocks of difflib)."""
    blocks = difflib.SequenceMatcher(None, clean, raw, autojunk=False).get_matching_blocks()

    def at(i: int) -> int:
        for b in blocks:
            if b.a <= i < b.a + b.size:
                return b.b + i - b.a
        nxt = [b for b in blocks if b.a > i]
        return nxt[0].b if nxt else len(raw)

    return at


def analyse(rows: list[dict], cache: Path | None):
    from builder.run.build import BuildOptions, analyse_corpus

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        with (src / "dev.jsonl").open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({k: r[k] for k in ("id", "title", "outlet", "published", "url", "text")}) + "\n")
        return analyse_corpus(BuildOptions(input_dir=src, out_dir=Path(tmp) / "out", use_gold=False, cache_dir=cache))


def align(corpus, rows: list[dict], gold: dict[str, list[dict]]) -> list[tuple[dict, object]]:
    """(gold sentence, builder sentence overlapping it most) for every gold sentence."""
    raw = {r["id"]: r["text"] for r in rows}
    pairs = []
    for a in corpus.analysed:
        aid = a.article.article_id
        at = raw_offsets(a.article.text, raw[aid])
        spans = [(at(s.start), at(s.end - 1) + 1, s) for s in a.sentences]
        for g in gold.get(aid, []):
            best = max(spans, key=lambda sp: min(sp[1], g["end"]) - max(sp[0], g["start"]), default=None)
            if best is None or min(best[1], g["end"]) <= max(best[0], g["start"]):
                pairs.append((g, None))
            else:
                pairs.append((g, best[2]))
    return pairs


def score(pairs) -> dict:
    counts = {l: Counter() for l in LABELS}
    sp = Counter()
    examples: dict[str, list] = {}

    def note(kind, g, s, extra=""):
        examples.setdefault(kind, []).append((g, s, extra))

    for g, s in pairs:
        pred = set(s.labels) if s is not None else set()
        for l in LABELS:
            if l in g["labels"] and l in pred:
                counts[l]["tp"] += 1
            elif l in g["labels"]:
                counts[l]["fn"] += 1
                note(f"missed {l}", g, s)
            elif l in pred:
                counts[l]["fp"] += 1
                note(f"false {l}", g, s)
        ps, pside = (s.speaker, s.speaker_side) if s is not None else (None, None)
        if g["speaker"]:
            sp["gold_speaker"] += 1
            name_ok = same_speaker(ps, g["speaker"])
            side_ok = pside == g["speaker_side"]
            sp["name"] += name_ok
            sp["side"] += side_ok
            sp["name_and_side"] += name_ok and side_ok
            if ps is None:
                sp["err: no speaker"] += 1
                note("speaker: none given", g, s)
            elif not name_ok:
                sp["err: wrong person"] += 1
                note("speaker: wrong person", g, s, f"pred {ps!r} [{pside}]")
            elif not side_ok:
                sp["err: wrong or missing side"] += 1
                note("speaker: wrong side", g, s, f"pred {ps!r} [{pside}]")
        else:
            sp["gold_narrator"] += 1
            if ps is not None:
                sp["speaker where gold has none"] += 1
                note("speaker: where gold has none", g, s, f"pred {ps!r} [{pside}]")
    per = {}
    for l, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        per[l] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": c["tp"] + c["fn"], **c}
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    per["micro"] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
    n = sp["gold_speaker"] or 1
    speakers = {k: v for k, v in sp.items()}
    speakers.update(name_and_side_accuracy=sp["name_and_side"] / n, name_accuracy=sp["name"] / n, side_accuracy=sp["side"] / n)
    return {"stance": per, "speakers": speakers, "n_sentences": len(pairs), "unaligned": sum(1 for _, s in pairs if s is None), "_examples": examples}


def show(result: dict, n: int) -> None:
    print(f"sentences {result['n_sentences']} (unaligned {result['unaligned']})")
    print(f"{'label':15s} {'P':>6s} {'R':>6s} {'F1':>6s} {'supp':>5s} {'fp':>4s} {'fn':>4s}")
    for l, v in result["stance"].items():
        print(f"{l:15s} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['support']:5d} {v.get('fp', 0):4d} {v.get('fn', 0):4d}")
    s = result["speakers"]
    print(f"speakers: {s['gold_speaker']} gold sentences with a speaker: name and side right {s['name_and_side_accuracy']:.3f}, "
          f"name {s['name_accuracy']:.3f}, side {s['side_accuracy']:.3f}")
    print("  errors: " + ", ".join(f"{k[5:]} {v}" for k, v in s.items() if k.startswith("err: ")))
    print(f"  narrator sentences {s.get('gold_narrator', 0)}, given a speaker: {s.get('speaker where gold has none', 0)}")
    if n:
        for kind, items in sorted(result["_examples"].items()):
            print(f"\n== {kind} ({len(items)})")
            for g, sent, extra in items[:n]:
                text = sent.text if sent is not None else "(no sentence)"
                print(f"  - {text[:220]}\n      gold: {g['speaker']!r} [{g['speaker_side']}] {g['labels']} {extra}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["dev", "dev2", "test", "all"], default="dev")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "stance-builder-devcorpus")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not SOURCE.is_file():
        print(f"evaluate: {SOURCE} not found (the shared corpus sits beside the repository)", file=sys.stderr)
        return 2
    rows, gold = load(args.part)
    result = score(align(analyse(rows, args.cache), rows, gold))
    print(f"real development corpus, part {args.part}: {len(rows)} articles")
    show(result, args.show)
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in result.items() if not k.startswith("_")}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
