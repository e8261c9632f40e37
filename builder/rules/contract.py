"""The table contract of schemas/tables.yaml as objects: datasets.Features and pyarrow schemas.

Declared once so the Parquet files, the dataset card, and the expectation
suites cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import Discriminator, Tag, model_validator

from builder.rules.check import RuleModel, Word, Words, read

Scalar = Literal["string", "int32", "bool"]


class ClassNames(RuleModel):
    """The names of a class_label: inline, or the stance labels' in their order."""

    names: Words | None = None
    names_from: Literal["stance_taxonomy"] | None = None

    def _need_names(self) -> None:
        if self.names is None and self.names_from is None:
            raise ValueError("a class_label needs 'names' or 'names_from: stance_taxonomy'")


class ClassLabelItem(ClassNames):
    type: Literal["class_label"]

    @model_validator(mode="after")
    def _named(self) -> ClassLabelItem:
        self._need_names()
        return self


def _item_kind(item: Any) -> str:
    if isinstance(item, dict):
        return "class_label" if item.get("type") == "class_label" else "struct"
    return "scalar"


# a list's item: a scalar type, a class_label, or a struct {field: scalar type}
Item = Annotated[
    Union[
        Annotated[Scalar, Tag("scalar")],
        Annotated[ClassLabelItem, Tag("class_label")],
        Annotated[dict[Word, Scalar], Tag("struct")],
    ],
    Discriminator(_item_kind),
]


class ColumnFile(ClassNames):
    key_field: ClassVar[str] = "name"

    name: Word
    type: Literal[Scalar, "class_label", "list"]
    nullable: bool = False
    description: str = ""
    item: Item | None = None
    values: Words | None = None  # the allowed values of a string column

    @model_validator(mode="after")
    def _complete(self) -> ColumnFile:
        if self.type == "class_label":
            self._need_names()
        if self.type == "list" and self.item is None:
            raise ValueError("a list column needs 'item'")
        return self


class TableFile(RuleModel):
    description: str = ""
    splits: Words
    key: Word
    columns: list[ColumnFile]


class TablesFile(RuleModel):
    tables: dict[Word, TableFile]


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


def _class_names(spec: ClassNames, schemas_dir: Path | None) -> tuple[str, ...]:
    if spec.names is not None:
        return tuple(spec.names)
    from builder.rules.taxonomy import load_taxonomy

    return tuple(load_taxonomy(schemas_dir).names)


def _item(item: Any, schemas_dir: Path | None) -> Any:
    """A list column's item as Column.item holds it: a type name, a class_label with its names, or a struct."""
    if isinstance(item, ClassLabelItem):
        return {"type": "class_label", "names": list(_class_names(item, schemas_dir))}
    return dict(item) if isinstance(item, dict) else item


def load_tables(schemas_dir: Path | None = None) -> dict[str, Table]:
    """Every table of the contract, in declaration order."""
    data = read("tables", TablesFile, schemas_dir)
    return {
        name: Table(
            name,
            spec.description,
            tuple(spec.splits),
            spec.key,
            tuple(
                Column(
                    name=c.name,
                    type=c.type,
                    nullable=c.nullable,
                    description=c.description,
                    names=_class_names(c, schemas_dir) if c.type == "class_label" else (),
                    item=_item(c.item, schemas_dir),
                    values=tuple(c.values or ()),
                )
                for c in spec.columns
            ),
        )
        for name, spec in data.tables.items()
    }


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
