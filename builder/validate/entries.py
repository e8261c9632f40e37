"""What a suite holds: each entry a Great Expectations expectation or a derived check, as pydantic models.

The models are the form of schemas/expectations.yaml (`extra="forbid"`: a
misspelt key is an error, never a silently skipped rule). Each entry knows the
GX object it becomes, so the loader checks an entry by building it once and the
runner builds the same object; Great Expectations itself is passed in, never
imported here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SPLIT = "split"  # column added to every table's frame: the split a row came from
Kind = Literal["invariant", "statistic"]


class Entry(BaseModel):
    """`kind` invariant: a failure fails the build; statistic: reported, fails only with --strict."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Kind = "invariant"
    notes: str | None = None  # shown in the Data Docs; a statistic's "expected" in the summary

    def to_gx(self, gx, meta: dict | None = None):
        """The GX expectation object (building it checks the arguments)."""
        cls, kwargs = self.gx_form()
        notes = {"notes": self.notes} if self.notes else {}
        return getattr(gx.expectations, cls)(**kwargs, **notes, meta=meta)


class Expectation(Entry):
    """{expectation: <GX 1.x class>, <its keyword arguments>}: the GX class checks its own arguments."""

    model_config = ConfigDict(extra="allow")
    expectation: str

    @property
    def name(self) -> str:
        return self.expectation

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    def gx_form(self) -> tuple[str, dict[str, Any]]:
        return self.expectation, self.kwargs


class Check(Entry):
    """{check: <derived check>, <its parameters>}: a check with parameters subclasses this model.

    GX sees its verdict as one column of per-row problem texts that must be null.
    """

    check: str

    @property
    def name(self) -> str:
        """The name messages, the summary and the result column use (one check may run twice, renamed)."""
        return self.check

    @property
    def result_column(self) -> str:
        return f"{self.name}_problems"

    @property
    def params(self) -> dict[str, Any]:
        return self.model_dump(exclude=set(Check.model_fields))

    def gx_form(self) -> tuple[str, dict[str, Any]]:
        return "ExpectColumnValuesToBeNull", {"column": self.result_column}
