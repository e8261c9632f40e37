"""Review round trip with Label Studio: tasks out (one per sentence, predictions as
pre-annotations), corrections back into a gold folder.

The labelling interface is written beside the tasks (label_config.xml), so the
names used here (stance, quote_type, speaker, speaker_side, entities) match it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from builder.errors import InputError
from builder.rules import RuleSet
from builder.steps.gold import check_annotation

MODEL_VERSION = "stance-builder-rules"


def label_config(rules: RuleSet) -> str:
    label_names, sides, ner_labels = rules.taxonomy.names, list(rules.gazetteer.sides), list(rules.gazetteer.labels)
    """The Label Studio labelling interface for the exported tasks."""
    choice = lambda values: "".join(f'<Choice value="{v}"/>' for v in values)  # noqa: E731
    labels = "".join(f'<Label value="{v}"/>' for v in ner_labels)
    return (
        "<View>\n"
        '  <Labels name="entities" toName="text">' + labels + "</Labels>\n"
        '  <Text name="text" value="$text"/>\n'
        '  <Header value="Stance"/><Choices name="stance" toName="text" choice="multiple">' + choice(label_names) + "</Choices>\n"
        '  <Header value="Quote type"/><Choices name="quote_type" toName="text" choice="single">' + choice(rules.quote_types) + "</Choices>\n"
        '  <Header value="Speaker"/><TextArea name="speaker" toName="text" maxSubmissions="1"/>\n'
        '  <Header value="Speaker side"/><Choices name="speaker_side" toName="text" choice="single">' + choice(sides) + "</Choices>\n"
        "</View>\n"
    )


def _result(from_name: str, kind: str, value: dict, rid: str) -> dict:
    return {"id": rid, "from_name": from_name, "to_name": "text", "type": kind, "value": value}


def export_tasks(out_dir: Path, target: Path, rules: RuleSet) -> int:
    """Write Label Studio tasks (JSON import format) for every sentence of a built folder."""
    rows = [r for f in sorted((out_dir / "data" / "sentences").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    if not rows:
        raise InputError(f"{out_dir}: no sentences table; build the dataset first")
    tasks = []
    for r in sorted(rows, key=lambda r: (r["article_id"], r["index"])):
        results = [
            _result("entities", "labels", {"start": e["start"], "end": e["end"], "text": e["text"], "labels": [e["label"]]}, f"e{i}")
            for i, e in enumerate(r["entities"])
        ]
        results.append(_result("stance", "choices", {"choices": [rules.taxonomy.names[l] for l in r["labels"]]}, "stance"))
        results.append(_result("quote_type", "choices", {"choices": [rules.quote_types[r["quote_type"]]]}, "quote_type"))
        if r["speaker"]:
            results.append(_result("speaker", "textarea", {"text": [r["speaker"]]}, "speaker"))
        if r["speaker_side"]:
            results.append(_result("speaker_side", "choices", {"choices": [r["speaker_side"]]}, "speaker_side"))
        tasks.append(
            {
                "data": {"text": r["text"], "sentence_id": r["id"], "article_id": r["article_id"], "index": r["index"]},
                "predictions": [{"model_version": MODEL_VERSION, "result": results}],
            }
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(tasks, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (target.parent / "label_config.xml").write_text(label_config(rules), encoding="utf-8")
    return len(tasks)


def _reviewed(task: dict, where: str) -> dict | None:
    """The latest non-cancelled annotation of a task as gold fields, or None if not reviewed."""
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not annotations:
        return None
    result = annotations[-1].get("result") or []
    fields = {"labels": [], "quote_type": "none", "speaker": None, "speaker_side": None}
    for item in result:
        name, value = item.get("from_name"), item.get("value") or {}
        if name == "stance":
            fields["labels"] = list(value.get("choices") or [])
        elif name == "quote_type":
            fields["quote_type"] = (value.get("choices") or ["none"])[0]
        elif name == "speaker":
            text = " ".join(value.get("text") or []).strip()
            fields["speaker"] = text or None
        elif name == "speaker_side":
            fields["speaker_side"] = (value.get("choices") or [None])[0]
    return fields


def import_review(export_file: Path, gold_dir: Path, rules: RuleSet) -> dict[str, int]:
    """Write reviewed sentences into gold files; returns {article_id: sentences written}.

    An article that has gold is corrected line by line; an article without gold
    gets a gold file only when every one of its sentences was reviewed (gold
    must cover every sentence, and unreviewed rule output is not gold)."""
    try:
        tasks = json.loads(export_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{export_file}: not a Label Studio JSON export ({exc})") from exc
    if not isinstance(tasks, list):
        raise InputError(f"{export_file}: a Label Studio JSON export is a list of tasks")
    by_article: dict[str, dict[int, dict]] = {}
    totals: dict[str, int] = {}
    for n, task in enumerate(tasks):
        data = task.get("data") or {}
        where = f"{export_file}: task {task.get('id', n)}"
        if not {"article_id", "index", "text"} <= set(data):
            raise InputError(f"{where}: not a stance-builder task (needs data.article_id, data.index, data.text)")
        totals[data["article_id"]] = totals.get(data["article_id"], 0) + 1
        fields = _reviewed(task, where)
        if fields is None:
            continue
        check_annotation(where, fields, rules)
        by_article.setdefault(data["article_id"], {})[int(data["index"])] = {"article_id": data["article_id"], "text": data["text"], **fields}
    written: dict[str, int] = {}
    gold_dir.mkdir(parents=True, exist_ok=True)
    for article_id, reviewed in sorted(by_article.items()):
        path = gold_dir / f"{article_id}.jsonl"
        if path.exists():
            lines = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        elif len(reviewed) == totals[article_id]:
            lines = [None] * totals[article_id]
        else:
            raise InputError(
                f"{export_file}: article {article_id!r}: {len(reviewed)} of {totals[article_id]} sentences reviewed; "
                "a new gold file needs every sentence"
            )
        for index, fields in reviewed.items():
            if index >= len(lines):
                raise InputError(f"{path}: has no line for sentence {index} of {article_id}")
            old = lines[index]
            if old is not None and old["text"] != fields["text"]:
                raise InputError(f"{path}:{index + 1}: gold text differs from the reviewed sentence; rebuild before reviewing")
            lines[index] = {
                "article_id": fields["article_id"],
                "text": fields["text"],
                "speaker": fields["speaker"],
                "speaker_side": fields["speaker_side"],
                "quote_type": fields["quote_type"],
                "labels": fields["labels"],
                "note": (old or {}).get("note") or "reviewed in Label Studio",
            }
        tmp = path.with_suffix(".jsonl.tmp")
        tmp.write_text("".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines), encoding="utf-8")
        tmp.replace(path)
        written[article_id] = len(reviewed)
    return written
