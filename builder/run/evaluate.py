"""Rules against gold: per-label precision/recall/F1 (micro, macro), speaker and side accuracy,
and every disagreement, so a rule change shows exactly what it broke or fixed.

Each stance disagreement is also put in a failure class twice over, so the next
developer sees at once where the misses are:
- what the rules can say about it (`rule_class`): a missed label had no cue of
  its label, or its cue found no holder, or was negated, hypothetical, reported
  by the holder's opponent, ... (`stance.OUTCOMES`); a false label names the cue
  that gave it;
- why the gold says so (`gold_class`): the line's optional `class`, else a class
  read from its `note` (NOTE_CLASSES), else "no note".
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from builder.steps.gold import GoldLine, aligned
from builder.records.model import AnalysedArticle
from builder.rules import RuleSet


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}


# Classes of the gold's reasons, read from a gold line's note: the first whose pattern matches.
NOTE_CLASSES: list[tuple[str, str]] = [
    ("hard call", r"borderline|hard call|adjudicated after|debatable"),
    ("continuation of a quotation", r"continu|same answer|same point"),
    ("holder is not the speaker", r"holder is|holder:|label holder|holder [A-Z]|the holder"),
    ("restated demand", r"restat|demand"),
    ("narrated action", r"narrat|background"),
    ("condition or hypothetical", r"\bif\b|condition|hypothetic|in the event"),
    ("negation or limit", r"\bnot\b|\bno\b|rule[sd]? out|limit|without"),
    ("relayed or embedded words", r"relay|embedded|readout|attribut"),
    ("cue named in the note", r"^\s*['\"‘“]"),
]
# When a missed label's cues fail in several ways, the one named is the first of these.
MISS_ORDER = ["label", "no_holder", "reported_by_opponent", "rejected_by_opponent", "other_side_actor", "joint_actor", "negated", "not_refused",
              "hypothetical", "not_a_condition", "ungoverned", "missing_word", "missing_side", "other_target"]


def gold_class(line) -> str:
    """Why the gold says what it says: its optional `class`, else a class read from its note."""
    explicit = getattr(line, "error_class", None) or (line.get("class") if isinstance(line, dict) else None)
    if explicit:
        return explicit
    note = (line.get("note") if isinstance(line, dict) else line.note) or ""
    if not note.strip():
        return "no note"
    for name, pattern in NOTE_CLASSES:
        if re.search(pattern, note, re.I):
            return name
    return "other note"


def rule_class(label: str, missed: bool, trace: list[dict] | None, evidence: list[dict]) -> str:
    """What the rules can say about a label they missed (the fate of its cues) or gave wrongly (its cue)."""
    if not missed:
        cue = next((e["cue"] for e in evidence if e["label"] == label), None)
        ids = sorted({t["cue_id"] for t in trace or () if t["label"] == label and t["outcome"] == "label"})
        return f"cue {ids[0]}" if ids else (f"cue {cue!r}" if cue else "cue (promoted across documents)")
    if trace is None:
        return "not traced"
    outcomes = {t["outcome"] for t in trace if t["label"] == label}
    if not outcomes:
        return "no cue"
    for outcome in MISS_ORDER:
        if outcome in outcomes:
            return "labelled by the trace (speaker changed later)" if outcome == "label" else outcome
    return sorted(outcomes)[0]


def stance_traces(analysed: list[AnalysedArticle], rules: RuleSet) -> dict[str, list[dict]]:
    """Sentence id -> the labeler's account of every cue (stance.StanceLabeler.judge), with the
    sentence's final speaker. Re-parses the given articles (the analysis cache keeps no Docs)."""
    from builder.nlp.pipeline import load_pipeline

    if not analysed:
        return {}
    nlp = _PIPELINES.get(rules.directory) or _PIPELINES.setdefault(rules.directory, load_pipeline(rules))
    labeler = nlp.get_pipe("stance_labels")
    out: dict[str, list[dict]] = {}
    for a, doc in zip(analysed, nlp.pipe(a.article.text for a in analysed)):
        traces = labeler.trace(doc, [(s.speaker_side, s.speaker_id) for s in a.sentences])
        if len(traces) != len(a.sentences):
            continue  # cut differently than the records (should not happen): leave untraced
        for sent, items in zip(a.sentences, traces):
            out[sent.id] = [{k: v for k, v in t.items() if k != "holder"} for t in items]
    return out


_PIPELINES: dict = {}


def failure_classes(rows, traces: dict[str, list[dict]] | None, label_names: list[str]) -> tuple[list[dict], dict]:
    """Every missed or false label of (sentence, gold labels, gold line) rows with its rule and
    gold class, and their counts: {"missed": {label: {class: n}}, "false": ..., "gold": ...}."""
    items = []
    counts = {"missed": {}, "false": {}, "gold_missed": {}, "gold_false": {}}
    for sent, want, line in rows:
        rule = set(sent.labels)
        for label in label_names:
            if (label in want) == (label in rule):
                continue
            missed = label in want
            trace = traces.get(sent.id) if traces is not None else None
            item = {"sentence_id": sent.id, "label": label, "kind": "missed" if missed else "false",
                    "rule_class": rule_class(label, missed, trace, sent.stance_evidence), "gold_class": gold_class(line)}
            items.append(item)
            counts[item["kind"]].setdefault(label, Counter())[item["rule_class"]] += 1
            counts["gold_" + item["kind"]].setdefault(label, Counter())[item["gold_class"]] += 1
    return items, {k: {l: dict(c.most_common()) for l, c in v.items()} for k, v in counts.items()}


def evaluate(analysed: list[AnalysedArticle], gold: dict[str, list[GoldLine]], rules: RuleSet, explain: bool = True) -> dict:
    """Compare rule output (before gold is applied) with the gold lines of every article that has them.
    With `explain`, the articles with a stance disagreement are re-parsed to classify each one."""
    label_names = rules.taxonomy.names
    tp, fp, fn = Counter(), Counter(), Counter()
    n = speaker_ok = side_ok = qtype_ok = 0
    n_spoken = spoken_ok = 0
    disagreements = []
    rows = []
    for _, sent, line in aligned(analysed, gold):
        n += 1
        rows.append((sent, set(line.labels), line))
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
    traces = None
    if explain:
        wrong = {sent.article_id for sent, want, _ in rows if set(sent.labels) != want}
        traces = stance_traces([a for a in analysed if a.article.article_id in wrong], rules)
    items, classes = failure_classes(rows, traces, label_names)
    by_sentence: dict[str, list[dict]] = {}
    for item in items:
        by_sentence.setdefault(item["sentence_id"], []).append({k: item[k] for k in ("label", "kind", "rule_class", "gold_class")})
    for d in disagreements:
        if d["sentence_id"] in by_sentence:
            d["stance_classes"] = by_sentence[d["sentence_id"]]
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
        "failure_classes": classes,
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
    lines.extend(format_classes(ev.get("failure_classes") or {}))
    for d in ev["disagreements"]:
        parts = [f"{k}: rule={v['rule']!r} gold={v['gold']!r}" for k, v in d.items() if isinstance(v, dict)]
        why = "".join(f" [{c['kind']} {c['label']}: {c['rule_class']}; gold: {c['gold_class']}]" for c in d.get("stance_classes", ()))
        lines.append(f"  {d['sentence_id']}: " + "; ".join(parts) + why + f"  | {d['text'][:90]}")
    return "\n".join(lines)


def format_classes(classes: dict) -> list[str]:
    """The failure classes as a few lines: per kind and label, the counts by class."""
    titles = {"missed": "missed labels, by what the rules say", "false": "false labels, by the cue that gave them",
              "gold_missed": "missed labels, by the gold's reason", "gold_false": "false labels, by the gold's reason"}
    out = []
    for kind, title in titles.items():
        per_label = classes.get(kind) or {}
        if not per_label:
            continue
        out.append(f"{title}:")
        for label, counts in per_label.items():
            out.append(f"  {label:<16}" + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return out


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
