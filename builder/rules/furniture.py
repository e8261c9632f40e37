"""schemas/furniture.yaml compiled: the page-furniture patterns, metadata lines and text repairs."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, NonNegativeInt, PositiveInt, ValidationInfo, field_validator

from builder.rules.check import Declares, Regex, RuleModel, Word, Words, compiles, read

PART_REF = re.compile(r"\{([a-z_]+)\}")
# a trailing notice starts right after a sentence end (closing quotes and brackets included)
AFTER_SENTENCE = r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s*"
Char = Annotated[str, Field(min_length=1, max_length=1)]


def _notice_pattern(where: str, pattern: str) -> str:
    """The notice's pattern anchored at its place in the paragraph, the notice as group `notice`."""
    if where == "leading":
        return f"^\\s*(?P<notice>{pattern})(?=\\s*\\S)"
    return f"{AFTER_SENTENCE}(?P<notice>{pattern})\\s*$"


def _expand_parts(pattern: str, info: ValidationInfo) -> str:
    """A dateline pattern with its `{part}` references expanded (`{tag}`: the outlets' tags, longest first)."""
    parts, outlets = info.context.get("parts"), info.context.get("outlets")
    if parts is None or outlets is None:  # their own error is reported
        return pattern
    parts = {**parts, "tag": "|".join(re.escape(t) for t in sorted(outlets, key=len, reverse=True))}

    def part(m: re.Match) -> str:
        if m.group(1) not in parts:
            raise ValueError(f"unknown part {{{m.group(1)}}} (declared: {', '.join(sorted(parts))})")
        return f"(?:{parts[m.group(1)]})"

    return compiles(PART_REF.sub(part, pattern))


class DropRuleFile(RuleModel):
    kind: Word
    action: Literal["drop", "drop_rest"]
    pattern: Regex
    case_sensitive: bool = False


class NoticeFile(RuleModel):
    kind: Word
    where: Literal["leading", "trailing"]
    pattern: Regex

    @field_validator("pattern")
    @classmethod
    def _fits_its_place(cls, pattern: str, info: ValidationInfo) -> str:
        if "where" in info.data:
            compiles(_notice_pattern(info.data["where"], pattern))
        return pattern


class DatelinePatternFile(RuleModel):
    pattern: Annotated[str, AfterValidator(_expand_parts)]  # held expanded
    unless: Regex | None = None
    long_paragraph_only: bool = False


class DatelinesFile(RuleModel):
    max_lines_before: NonNegativeInt = 0
    outlets: Annotated[dict[Word, str], Declares]  # tag -> outlet
    parts: Annotated[dict[Word, Regex], Declares]
    not_places: Words | None = None
    patterns: list[DatelinePatternFile]


class MetadataFile(RuleModel):
    url: Regex
    date: Regex
    published_stamp: Regex = "(?!)"
    title_max_chars: PositiveInt


class ReplacementFile(RuleModel):
    pattern: Regex
    replace: str


class RepairFile(RuleModel):
    spaces: list[Char] = []
    remove: list[Char] = []
    quotes: dict[Char, str] | None = None
    sequences: list[ReplacementFile] | None = None
    joins: list[ReplacementFile] | None = None


class FurnitureFile(RuleModel):
    rules: list[DropRuleFile]
    metadata: MetadataFile
    outlets: dict[Word, str] | None = None  # URL host suffix -> outlet
    repair: RepairFile
    paragraph_notices: list[NoticeFile] | None = None
    datelines: DatelinesFile | None = None


@dataclass(frozen=True)
class Rule:
    kind: str
    action: str
    regex: re.Pattern


@dataclass(frozen=True)
class Notice:
    """A notice inside a paragraph: `regex` matches it at the paragraph's start or end."""

    kind: str
    where: str
    regex: re.Pattern


@dataclass(frozen=True)
class DatelinePattern:
    regex: re.Pattern
    unless: re.Pattern | None
    long_paragraph_only: bool


@dataclass(frozen=True)
class Datelines:
    patterns: tuple[DatelinePattern, ...]
    outlets: dict[str, str]
    not_places: frozenset[str]
    max_lines_before: int


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    url: re.Pattern
    date: re.Pattern
    published_stamp: re.Pattern
    title_max_chars: int
    outlets: dict[str, str]
    char_map: dict[int, str | None]
    joins: tuple[tuple[re.Pattern, str], ...] = ()
    notices: tuple[Notice, ...] = ()
    datelines: Datelines | None = None


@functools.lru_cache(maxsize=4)
def load_rules(schemas_dir: Path | None = None) -> Rules:
    """Compile schemas/furniture.yaml once."""
    data = read("furniture", FurnitureFile, schemas_dir)
    meta, repair = data.metadata, data.repair
    char_map: dict[int, str | None] = {ord(c): " " for c in repair.spaces}
    char_map.update({ord(c): None for c in repair.remove})
    char_map.update({ord(c): v for c, v in (repair.quotes or {}).items()})
    # sequences first: a join may need the quote marks they make
    joins = [(re.compile(j.pattern), j.replace) for j in (*(repair.sequences or ()), *(repair.joins or ()))]
    return Rules(
        tuple(Rule(r.kind, r.action, re.compile(r.pattern, 0 if r.case_sensitive else re.IGNORECASE)) for r in data.rules),
        re.compile(meta.url, re.IGNORECASE),
        re.compile(meta.date, re.IGNORECASE),
        re.compile(meta.published_stamp, re.IGNORECASE),
        meta.title_max_chars,
        dict(data.outlets or {}),
        char_map,
        tuple(joins),
        tuple(Notice(n.kind, n.where, re.compile(_notice_pattern(n.where, n.pattern))) for n in data.paragraph_notices or ()),
        _datelines(data.datelines) if data.datelines else None,
    )


def _datelines(spec: DatelinesFile) -> Datelines:
    """The dateline patterns, case-sensitive."""
    patterns = tuple(
        DatelinePattern(re.compile(p.pattern), re.compile(p.unless) if p.unless else None, p.long_paragraph_only)
        for p in spec.patterns
    )
    return Datelines(patterns, dict(spec.outlets), frozenset(spec.not_places or ()), spec.max_lines_before)
