"""schemas/furniture.yaml compiled: the page-furniture patterns, metadata lines and text repairs."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from builder.rules import config

RULE_KEYS = {"kind", "action", "pattern", "case_sensitive"}
ACTIONS = {"drop", "drop_rest"}
NOTICE_KEYS = {"kind", "where", "pattern"}
NOTICE_PLACES = {"leading", "trailing"}
DATELINE_KEYS = {"max_lines_before", "outlets", "parts", "not_places", "patterns"}
DATELINE_PATTERN_KEYS = {"pattern", "unless", "long_paragraph_only"}
PART_REF = re.compile(r"\{([a-z_]+)\}")
# a trailing notice starts right after a sentence end (closing quotes and brackets included)
AFTER_SENTENCE = r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s*"


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
    """Compile schemas/furniture.yaml once; unknown keys and bad patterns name the file and key."""
    data = config.load("furniture", schemas_dir)
    path = config.schema_path("furniture", schemas_dir)
    config.check_keys(
        str(path), data, {"rules", "metadata", "outlets", "repair", "paragraph_notices", "datelines"}, {"rules", "metadata", "repair"}
    )
    rules = []
    for i, spec in enumerate(data["rules"]):
        where = f"{path}: rules[{i}]"
        config.check_keys(where, spec, RULE_KEYS, {"kind", "action", "pattern"})
        if spec["action"] not in ACTIONS:
            raise config.ConfigError(f"{where}.action: unknown action {spec['action']!r} (allowed: drop, drop_rest)")
        rules.append(Rule(spec["kind"], spec["action"], _compile(spec["pattern"], where, not spec.get("case_sensitive"))))
    meta = data["metadata"]
    config.check_keys(f"{path}: metadata", meta, {"url", "date", "published_stamp", "title_max_chars"}, {"url", "date", "title_max_chars"})
    repair = data["repair"]
    config.check_keys(f"{path}: repair", repair, {"spaces", "remove", "quotes", "sequences", "joins"})
    char_map: dict[int, str | None] = {ord(c): " " for c in repair.get("spaces", [])}
    char_map.update({ord(c): None for c in repair.get("remove", [])})
    char_map.update({ord(c): v for c, v in (repair.get("quotes") or {}).items()})
    joins = []
    for key in ("sequences", "joins"):  # sequences first: a join may need the quote marks they make
        for i, spec in enumerate(repair.get(key) or []):
            where = f"{path}: repair.{key}[{i}]"
            config.check_keys(where, spec, {"pattern", "replace"}, {"pattern", "replace"})
            joins.append((_compile(spec["pattern"], where, False), spec["replace"]))
    notices = []
    for i, spec in enumerate(data.get("paragraph_notices") or []):
        where = f"{path}: paragraph_notices[{i}]"
        config.check_keys(where, spec, NOTICE_KEYS, NOTICE_KEYS)
        if spec["where"] not in NOTICE_PLACES:
            raise config.ConfigError(f"{where}.where: unknown place {spec['where']!r} (allowed: leading, trailing)")
        wrapped = f"^\\s*(?P<notice>{spec['pattern']})(?=\\s*\\S)" if spec["where"] == "leading" else f"{AFTER_SENTENCE}(?P<notice>{spec['pattern']})\\s*$"
        notices.append(Notice(spec["kind"], spec["where"], _compile(wrapped, where, False)))
    return Rules(
        tuple(rules),
        _compile(meta["url"], f"{path}: metadata.url", True),
        _compile(meta["date"], f"{path}: metadata.date", True),
        _compile(meta.get("published_stamp", "(?!)"), f"{path}: metadata.published_stamp", True),
        int(meta["title_max_chars"]),
        dict(data.get("outlets") or {}),
        char_map,
        tuple(joins),
        tuple(notices),
        _load_datelines(data.get("datelines"), f"{path}: datelines") if data.get("datelines") else None,
    )


def _load_datelines(spec: dict, where: str) -> Datelines:
    """Expand `{part}` references in the dateline patterns and compile them (case-sensitive)."""
    config.check_keys(where, spec, DATELINE_KEYS, {"outlets", "parts", "patterns"})
    parts = dict(spec["parts"])
    outlets = {str(k): str(v) for k, v in spec["outlets"].items()}
    parts["tag"] = "|".join(re.escape(t) for t in sorted(outlets, key=len, reverse=True))

    def expand(pattern: str, at: str) -> str:
        def part(m: re.Match) -> str:
            if m.group(1) not in parts:
                raise config.ConfigError(f"{at}: unknown part {{{m.group(1)}}} (defined: {', '.join(sorted(parts))})")
            return f"(?:{parts[m.group(1)]})"

        return PART_REF.sub(part, pattern)

    patterns = []
    for i, p in enumerate(spec["patterns"]):
        at = f"{where}.patterns[{i}]"
        config.check_keys(at, p, DATELINE_PATTERN_KEYS, {"pattern"})
        patterns.append(
            DatelinePattern(
                _compile(expand(p["pattern"], at), at, False),
                _compile(p["unless"], f"{at}.unless", False) if p.get("unless") else None,
                bool(p.get("long_paragraph_only")),
            )
        )
    return Datelines(tuple(patterns), outlets, frozenset(spec.get("not_places") or []), int(spec.get("max_lines_before", 0)))


def _compile(pattern: str, where: str, ignore_case: bool) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise config.ConfigError(f"{where}: bad regular expression: {exc}") from exc

