"""Values inside list columns and between columns of a row: labels, sides, evidence, resolution."""

from __future__ import annotations

from builder.validate.entries import Check
from builder.validate.registry import Inputs, check, each_item


class ValueSet(Check):
    value_set: list[str]


@check("entity_labels_known", ("sentences",), ValueSet)
def entity_labels_known(inp: Inputs, table: str, entry: ValueSet):
    """NER labels outside the declared set would silently add classes users do not expect."""
    allowed = set(entry.value_set)
    return each_item("entities", lambda r, e: None if e["label"] in allowed else f"entity {e['text']!r} has label {e['label']!r}")


@check("entity_sides_known", ("sentences",), ValueSet)
def entity_sides_known(inp: Inputs, table: str, entry: ValueSet):
    """Sides are the actor codes of entities.yaml; anything else is a typo or a leak of raw data."""
    allowed = set(entry.value_set)
    return each_item(
        "entities", lambda r, e: None if e["side"] is None or e["side"] in allowed else f"entity {e['text']!r} has side {e['side']!r}"
    )


@check("stance_evidence_labels_given", ("sentences",))
def stance_evidence_labels_given(inp: Inputs, table: str, entry):
    """Evidence explains labels; evidence for a label the row lacks means the two drifted apart."""
    names = inp.contract[table].column("labels").item_names

    def row(r):
        given = {names[i] for i in r["labels"] or [] if isinstance(i, int) and 0 <= i < len(names)}
        for ev in r["stance_evidence"] or []:
            if ev["label"] not in given:
                yield f"evidence label {ev['label']!r} not among the row's labels {sorted(given)}"

    return row


@check("resolution_iff_speaker", ("quotes",))
def resolution_iff_speaker(inp: Inputs, table: str, entry):
    """resolution says how the speaker was found: it exists exactly when a speaker does."""

    def row(r):
        if (r["speaker"] is None) != (r["resolution"] is None):
            yield f"speaker {r['speaker']!r} with resolution {r['resolution']!r}"

    return row
