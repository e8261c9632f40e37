"""Checks generated from the table contract (tables.yaml) where GX cannot look: Arrow types, ids in lists."""

from __future__ import annotations

from builder.rules import contract as schema
from builder.validate.entries import Check
from builder.validate.registry import Inputs, check, every_row


@check("arrow_types_match")
def arrow_types_match(inp: Inputs, table: str, entry):
    """Each split's Arrow column types are those of the contract (the export relies on them)."""
    want = schema.arrow_schema(inp.contract[table])
    problems = []
    for split, got in inp.schemas[table].items():
        for f in want:
            i = got.get_field_index(f.name)
            if i >= 0 and not got.field(i).type.equals(f.type):
                problems.append(f"split {split!r}: {f.name} is {got.field(i).type}, expected {f.type}")
    return every_row(problems)


class ClassIds(Check):
    column: str

    @property
    def name(self) -> str:
        return f"{self.column}_ids_in_range"


@check("class_ids_in_range", params=ClassIds)
def class_ids_in_range(inp: Inputs, table: str, entry: ClassIds):
    """A List-of-ClassLabel column holds ids of its class names (GX cannot look inside lists)."""
    names = inp.contract[table].column(entry.column).item_names

    def row(r):
        bad = [i for i in r[entry.column] or [] if not (isinstance(i, int) and 0 <= i < len(names))]
        if bad:
            yield f"{entry.column} ids {bad} not in 0..{len(names) - 1}"

    return row
