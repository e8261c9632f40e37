"""The table contract of schemas/tables.yaml as objects: datasets.Features and pyarrow schemas.

Declared once so the Parquet files, the dataset card, and the expectation
suites cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.rules import config
from builder.errors import ConfigError

SCALARS = {"string", "int32", "bool"}
COLUMN_KEYS = {"name", "type", "nullable", "description", "names", "names_from", "item", "values"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = False
    description: str = ""
    names: tuple[str, ...] = ()  # class_label names
    item: Any = None  # list item: scalar type name, {"type": class_label, ...}, or struct dict
    values: tuple[str, ...] = ()  # allowed values of a string column

    @property
    def item_names(self) -> tuple[str, ...]:
        """Class names of a List of ClassLabel column, else ()."""
        if isinstance(self.item, dict) and self.item.get("type") == "class_label":
            return tuple(self.item["names"])
        return ()

    @property
    def struct_fields(self) -> dict[str, str]:
        if isinstance(self.item, dict) and "type" not in self.item:
            return dict(self.item)
        return {}


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    splits: tuple[str, ...]
    key: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _class_names(spec: dict, where: str, schemas_dir: Path | None) -> tuple[str, ...]:
    if "names" in spec:
        return tuple(spec["names"])
    source = spec.get("names_from")
    if source == "stance_taxonomy":
        from builder.rules.taxonomy import load_taxonomy

        return tuple(label.name for label in load_taxonomy(schemas_dir).labels)
    raise ConfigError(f"{where}: class_label needs 'names' or 'names_from: stance_taxonomy'")


def load_tables(schemas_dir: Path | None = None) -> dict[str, Table]:
    """Every table of the contract, in declaration order."""
    data = config.load("tables", schemas_dir)
    path = config.schema_path("tables", schemas_dir)
    config.check_keys(str(path), data, {"tables"}, {"tables"})
    tables: dict[str, Table] = {}
    for tname, tspec in data["tables"].items():
        where = f"{path}: tables.{tname}"
        config.check_keys(where, tspec, {"description", "splits", "key", "columns"}, {"splits", "key", "columns"})
        cols = []
        for i, cspec in enumerate(tspec["columns"]):
            cwhere = f"{where}.columns[{i}]"
            config.check_keys(cwhere, cspec, COLUMN_KEYS, {"name", "type"})
            ctype = cspec["type"]
            names: tuple[str, ...] = ()
            item = cspec.get("item")
            if ctype == "class_label":
                names = _class_names(cspec, cwhere, schemas_dir)
            elif ctype == "list":
                if isinstance(item, dict) and item.get("type") == "class_label":
                    item = {"type": "class_label", "names": list(_class_names(item, cwhere, schemas_dir))}
                elif isinstance(item, dict):
                    bad = [t for t in item.values() if t not in SCALARS]
                    if bad:
                        raise ConfigError(f"{cwhere}.item: unknown field type {bad[0]!r}")
                elif item not in SCALARS:
                    raise ConfigError(f"{cwhere}.item: unknown item type {item!r}")
            elif ctype not in SCALARS:
                raise ConfigError(f"{cwhere}.type: unknown type {ctype!r}")
            cols.append(
                Column(
                    name=cspec["name"],
                    type=ctype,
                    nullable=bool(cspec.get("nullable", False)),
                    description=cspec.get("description", ""),
                    names=names,
                    item=item,
                    values=tuple(cspec.get("values", ())),
                )
            )
        tables[tname] = Table(tname, tspec.get("description", ""), tuple(tspec["splits"]), tspec["key"], tuple(cols))
    return tables


def _scalar_feature(type_name: str):
    from datasets import Value

    return Value({"string": "string", "int32": "int32", "bool": "bool"}[type_name])


def features(table: Table):
    """datasets.Features of a table: ClassLabel and List survive the Parquet round trip."""
    from datasets import ClassLabel, Features, List

    out = {}
    for c in table.columns:
        if c.type == "class_label":
            out[c.name] = ClassLabel(names=list(c.names))
        elif c.type == "list":
            if c.item_names:
                out[c.name] = List(ClassLabel(names=list(c.item_names)))
            elif c.struct_fields:
                out[c.name] = List({k: _scalar_feature(v) for k, v in c.struct_fields.items()})
            else:
                out[c.name] = List(_scalar_feature(c.item))
        else:
            out[c.name] = _scalar_feature(c.type)
    return Features(out)


def arrow_schema(table: Table):
    """The pyarrow schema that datasets writes for `features(table)`."""
    return features(table).arrow_schema
