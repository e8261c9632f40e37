"""Each table's whole suite: the column contract's checks (from tables.yaml), then the declared ones.

The contract's checks are generated, never listed in expectations.yaml, so the
contract and its checks cannot drift apart: columns match the ordered list,
Arrow types match, non-nullable columns are not null, class-label ids are in
range (inside lists too), string columns with `values` stay in their set, split
names are known.
"""

from __future__ import annotations

from builder.rules import contract as schema
from builder.validate.checks_contract import ClassIds
from builder.validate.entries import SPLIT, Check, Entry, Expectation

CONTRACT = "tables.yaml: "  # notes prefix: where a generated entry comes from (shown in the Data Docs)


def _contract_entries(table: schema.Table) -> list[Entry]:
    entries: list[Entry] = [
        Check(check="arrow_types_match", notes=CONTRACT + "Arrow types as declared"),
        Expectation(expectation="ExpectColumnValuesToBeInSet", column=SPLIT, value_set=list(table.splits), notes=CONTRACT + "declared splits"),
    ]
    for c in table.columns:
        if not c.nullable:
            entries.append(Expectation(expectation="ExpectColumnValuesToNotBeNull", column=c.name, notes=CONTRACT + "not nullable"))
        if c.type == "class_label":
            bounds = {"min_value": 0, "max_value": len(c.names) - 1}
            entries.append(Expectation(expectation="ExpectColumnValuesToBeBetween", column=c.name, **bounds, notes=CONTRACT + "class ids"))
        if c.item_names:
            entries.append(ClassIds(check="class_ids_in_range", column=c.name, notes=CONTRACT + f"{c.name} class ids valid"))
        if c.values:
            entries.append(Expectation(expectation="ExpectColumnValuesToBeInSet", column=c.name, value_set=list(c.values), notes=CONTRACT + "values"))
    return entries


def table_suite(table: schema.Table, declared: list[Entry]) -> list[Entry]:
    """Column list first (it names every derived check's result column), contract, declared entries."""
    entries = _contract_entries(table) + declared
    columns = table.column_names + [SPLIT] + [e.result_column for e in entries if isinstance(e, Check)]
    return [Expectation(expectation="ExpectTableColumnsToMatchOrderedList", column_list=columns, notes=CONTRACT + "columns")] + entries
