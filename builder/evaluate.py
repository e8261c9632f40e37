"""Rules against gold: per-label precision/recall/F1 (micro, macro), speaker and side accuracy,
and every disagreement, so a rule change shows exactly what it broke or fixed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .gold import GoldLine, aligned
from .records import AnalysedArticle


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}


def evaluate(analysed: list[AnalysedArticle], gold: dict[str, list[GoldLine]], label_names: list[str]) -> dict:
    """Compare rule output (before gold is applied) with the gold lines of every article that has them."""
    tp, fp, fn = Counter(), Counter(), Counter()
    n = speaker_ok = side_ok = qtype_ok = 0
    n_spoken = spoken_ok = 0
    disagreements = []
    for _, sent, line in aligned(analysed, gold):
        n += 1
        rule, want = set(sent.labels), set(line.labels)
        for label in label_names:
            tp[label] += label in rule and label in want
            fp[label] += label in rule and label not in want
            fn[label] += label not in rule and label in want
        speaker_ok += sent.speaker == line.speaker
        side_ok += sent.speaker_side == line.speaker_side
        qtype_ok += sent.quote_type == line.quote_type
        if line.speaker is not None:
            n_spoken += 1
            spoken_ok += sent.speaker == line.speaker
        fields = {
            "labels": (sorted(rule), sorted(want)),
            "speaker": (sent.speaker, line.speaker),
            "speaker_side": (sent.speaker_side, line.speaker_side),
            "quote_type": (sent.quote_type, line.quote_type),
        }
        diff = {k: {"rule": r, "gold": g} for k, (r, g) in fields.items() if r != g}
        if diff:
            disagreements.append({"sentence_id": sent.id, "text": sent.text, **diff, "evidence": sent.stance_evidence, "note": line.note})
    per_label = {label: _prf(tp[label], fp[label], fn[label]) for label in label_names}
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    macro_f1 = sum(v["f1"] for v in per_label.values()) / len(per_label) if per_label else 0.0
    return {
        "n_sentences": n,
        "labels": per_label,
        "micro": micro,
        "macro": {
            "precision": round(sum(v["precision"] for v in per_label.values()) / len(per_label), 4),
            "recall": round(sum(v["recall"] for v in per_label.values()) / len(per_label), 4),
            "f1": round(macro_f1, 4),
        },
        "speaker_accuracy": round(speaker_ok / n, 4) if n else None,
        "speaker_accuracy_on_quoted": round(spoken_ok / n_spoken, 4) if n_spoken else None,
        "side_accuracy": round(side_ok / n, 4) if n else None,
        "quote_type_accuracy": round(qtype_ok / n, 4) if n else None,
        "disagreements": disagreements,
    }


def format_report(ev: dict) -> str:
    lines = [f"{'label':<16}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}"]
    for label, v in ev["labels"].items():
        lines.append(f"{label:<16}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>9}")
    m, M = ev["micro"], ev["macro"]
    lines.append(f"{'micro':<16}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{m['support']:>9}")
    lines.append(f"{'macro':<16}{M['precision']:>7.3f}{M['recall']:>7.3f}{M['f1']:>7.3f}")
    lines.append(
        f"speaker accuracy {ev['speaker_accuracy']:.3f} (on {ev['n_sentences']} sentences; "
        f"{ev['speaker_accuracy_on_quoted']:.3f} where gold has a speaker), side accuracy {ev['side_accuracy']:.3f}, "
        f"quote type accuracy {ev['quote_type_accuracy']:.3f}"
    )
    for d in ev["disagreements"]:
        parts = [f"{k}: rule={v['rule']!r} gold={v['gold']!r}" for k, v in d.items() if isinstance(v, dict)]
        lines.append(f"  {d['sentence_id']}: " + "; ".join(parts) + f"  | {d['text'][:90]}")
    return "\n".join(lines)


def agreement(independent_dir: Path, label_names: list[str]) -> dict | None:
    """Inter-annotator agreement of the two independent passes behind the adjudicated gold."""
    files = sorted(independent_dir.glob("*.jsonl")) if independent_dir.is_dir() else []
    if len(files) != 2:
        return None
    a, b = ([json.loads(l) for l in f.read_text(encoding="utf-8").splitlines() if l.strip()] for f in files)
    n = len(a)
    out = {"n": n, "speaker": sum(x["speaker"] == y["speaker"] for x, y in zip(a, b)) / n,
           "side": sum(x["speaker_side"] == y["speaker_side"] for x, y in zip(a, b)) / n,
           "quote_type": sum(x["quote_type"] == y["quote_type"] for x, y in zip(a, b)) / n, "kappa": {}}
    for label in label_names:
        xs = [label in x["labels"] for x in a]
        ys = [label in y["labels"] for y in b]
        po = sum(p == q for p, q in zip(xs, ys)) / n
        pa, pb = sum(xs) / n, sum(ys) / n
        pe = pa * pb + (1 - pa) * (1 - pb)
        out["kappa"][label] = (po - pe) / (1 - pe) if pe < 1 else 1.0
    return out
