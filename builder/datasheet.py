"""DATASHEET.md (Gebru et al., Datasheets for Datasets) from a template plus measured figures.

Every number comes from the built folder (figures.json, evaluation.json, both
computed from the tables at build time) or from the gold files; none is typed.
"""

from __future__ import annotations

import json
from pathlib import Path
from string import Template

from .card import TEMPLATES
from .errors import InputError

def _table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def render(out_dir: Path) -> str:
    try:
        figs = json.loads((out_dir / "figures.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{out_dir}: no figures.json; build the dataset first") from exc
    ev_path = out_dir / "evaluation.json"
    ev = json.loads(ev_path.read_text(encoding="utf-8")) if ev_path.exists() else None
    labels = list(figs["label_counts"])
    splits = list(figs["split_sizes"])
    split_rows = [[s, figs["split_sizes"][s], *[figs["labels_per_split"][s][l] for l in labels]] for s in splits]
    split_rows.append(["all", figs["n_sentences"], *[figs["label_counts"][l] for l in labels]])
    article_rows = [[aid, v["outlet"] or "unknown", v["sentences"], v["removed"]] for aid, v in figs["per_article"].items()]
    if ev:
        eval_rows = [[l, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}", v["support"]] for l, v in ev["labels"].items()]
        eval_rows.append(["micro", f"{ev['micro']['precision']:.3f}", f"{ev['micro']['recall']:.3f}", f"{ev['micro']['f1']:.3f}", ev["micro"]["support"]])
        eval_rows.append(["macro", f"{ev['macro']['precision']:.3f}", f"{ev['macro']['recall']:.3f}", f"{ev['macro']['f1']:.3f}", ""])
        evaluation = _table(["label", "precision", "recall", "F1", "support"], eval_rows) + (
            f"\n\nSpeaker accuracy (exact canonical name, all {ev['n_sentences']} gold sentences, narrator = null): "
            f"{ev['speaker_accuracy']:.3f}; on sentences whose gold has a speaker: {ev['speaker_accuracy_on_quoted']:.3f}; "
            f"speaker side accuracy: {ev['side_accuracy']:.3f}; quote type accuracy: {ev['quote_type_accuracy']:.3f}. "
            f"Sentences where rules and gold disagree: {len(ev['disagreements'])} (listed in `output/evaluation.json`)."
        )
    else:
        evaluation = "No gold annotations were present in this build, so no rules-versus-gold figures exist."
    agree = figs.get("annotator_agreement")
    if agree:
        agreement_text = (
            f"Two annotators labelled all {agree['n']} seed sentences independently before adjudication. "
            f"Exact speaker agreement {agree['speaker']:.3f}, side {agree['side']:.3f}, quote type {agree['quote_type']:.3f}; "
            "Cohen's kappa per label: " + ", ".join(f"`{l}` {k:.3f}" for l, k in agree["kappa"].items()) + ". "
            "Both followed the same written conventions for naming governments and unnamed sources, which raises agreement "
            "on speaker strings; the labels are the more telling figure."
        )
    else:
        agreement_text = "The independent annotation passes are not present, so agreement cannot be reported."
    values = {
        **{k: v for k, v in figs.items() if not isinstance(v, dict)},
        "split_table": _table(["split", "sentences", *[f"`{l}`" for l in labels]], split_rows),
        "article_table": _table(["article", "outlet", "sentences", "furniture lines removed"], article_rows),
        "outlet_summary": ", ".join(f"{k}: {v}" for k, v in figs["per_outlet"].items()),
        "side_summary": ", ".join(f"{k}: {v}" for k, v in sorted(figs["speakers_by_side"].items())),
        "resolution_summary": ", ".join(f"{k}: {v}" for k, v in sorted(figs["quote_resolution"].items())),
        "quote_type_summary": ", ".join(f"{k}: {v}" for k, v in sorted(figs["quote_types"].items())),
        "label_source_summary": ", ".join(f"{k}: {v}" for k, v in sorted(figs["label_sources"].items())),
        "evaluation": evaluation,
        "agreement": agreement_text,
    }
    return Template((TEMPLATES / "datasheet.md").read_text(encoding="utf-8")).substitute(values)


def write_datasheet(out_dir: Path, to: Path) -> None:
    to.write_text(render(out_dir), encoding="utf-8")
