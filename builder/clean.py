"""Strips page furniture and repairs text defects (rules from schemas/furniture.yaml).

Works line by line so every removed line is kept verbatim in `removed`; repairs
change spacing and quote characters only, never a word.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

from . import config

RULE_KEYS = {"kind", "action", "pattern", "case_sensitive"}
ACTIONS = {"drop", "drop_rest"}
SENTENCE_END = re.compile(r"[.!?:;,\"')\]…]$")
# Missing space after sentence punctuation: "January 10.The", "said.Foreign".
GLUED = re.compile(r"(?<=[a-z0-9%)\]][.!?])(?=[A-Z][a-z])")
# A double quote glued between two sentences ('borders."The', 'Ukraine."The'): whether it
# closes the first or opens the second follows from the quote count before it in the paragraph.
GLUED_QUOTE = re.compile(r'(?<=[a-z0-9%)\]][.!?])"(?=[A-Z])')
SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +(?=[,;:](?:\s|$))")
MULTI_SPACE = re.compile(r"[ \t]{2,}")
DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")
WEEKDAY = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,? ")
CLOCK = re.compile(r",? \d{1,2}[.:]\d{2}( ?[AP]M)?( [A-Z]{2,4})?$")


@dataclass(frozen=True)
class Rule:
    kind: str
    action: str
    regex: re.Pattern


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    url: re.Pattern
    date: re.Pattern
    published_stamp: re.Pattern
    title_max_chars: int
    outlets: dict[str, str]
    char_map: dict[int, str | None]


@dataclass
class Cleaned:
    """One article after cleaning: body text, metadata read from lines, furniture kept aside."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    removed: list[str] = field(default_factory=list)
    removed_kinds: list[str] = field(default_factory=list)
    meta_lines: list[str] = field(default_factory=list)  # raw title/date/URL lines, read into the fields above


@functools.lru_cache(maxsize=4)
def load_rules(schemas_dir: Path | None = None) -> Rules:
    """Compile schemas/furniture.yaml once; unknown keys and bad patterns name the file and key."""
    data = config.load("furniture", schemas_dir)
    path = config.schema_path("furniture", schemas_dir)
    config.check_keys(str(path), data, {"rules", "metadata", "outlets", "repair"}, {"rules", "metadata", "repair"})
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
    config.check_keys(f"{path}: repair", repair, {"spaces", "remove", "quotes"})
    char_map: dict[int, str | None] = {ord(c): " " for c in repair.get("spaces", [])}
    char_map.update({ord(c): None for c in repair.get("remove", [])})
    char_map.update({ord(c): v for c, v in (repair.get("quotes") or {}).items()})
    return Rules(
        tuple(rules),
        _compile(meta["url"], f"{path}: metadata.url", True),
        _compile(meta["date"], f"{path}: metadata.date", True),
        _compile(meta.get("published_stamp", "(?!)"), f"{path}: metadata.published_stamp", True),
        int(meta["title_max_chars"]),
        dict(data.get("outlets") or {}),
        char_map,
    )


def _compile(pattern: str, where: str, ignore_case: bool) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise config.ConfigError(f"{where}: bad regular expression: {exc}") from exc


def repair_line(line: str, rules: Rules) -> str:
    """Fix spacing and quote characters in one line without changing any word."""
    line = line.translate(rules.char_map)
    line = GLUED.sub(" ", line)
    line = GLUED_QUOTE.sub(lambda m: ' "' if line.count('"', 0, m.start()) % 2 == 0 else '" ', line)
    line = SPACE_BEFORE_PUNCT.sub("", line)
    return MULTI_SPACE.sub(" ", line).strip()


def parse_date(value: str) -> str | None:
    """An ISO date from a date line or a JSONL `published` value; None when it is no date."""
    value = CLOCK.sub("", WEEKDAY.sub("", value.strip())).replace(".", "")
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def outlet_for(url: str | None, rules: Rules) -> str | None:
    """The outlet whose host the URL is on (suffix match), from schemas/furniture.yaml."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    for domain, name in rules.outlets.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def _furniture_kind(line: str, rules: Rules) -> tuple[str, str] | None:
    for rule in rules.rules:
        if rule.regex.match(line):
            return rule.kind, rule.action
    return None


def _unwrap(paragraphs: list[str]) -> list[str]:
    """Join hard-wrapped lines: a line without closing punctuation followed by one starting in lower case."""
    out: list[str] = []
    for line in paragraphs:
        if out and not SENTENCE_END.search(out[-1]) and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def clean_text(raw: str, rules: Rules, detect_title: bool = True) -> Cleaned:
    """Split raw text into metadata, body paragraphs (joined by blank lines) and removed furniture."""
    out = Cleaned(text="")
    paragraphs: list[str] = []
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, original in enumerate(lines):
        line = repair_line(original, rules)
        if not line:
            continue
        found = _furniture_kind(line, rules)
        if found:
            kind, action = found
            stamp = rules.published_stamp.match(line)
            if stamp and out.published is None:
                out.published = parse_date(stamp.group("date"))
            rest = [original] if action == "drop" else [x for x in lines[i:] if x.strip()]
            out.removed.extend(x.strip() for x in rest)
            out.removed_kinds.extend([kind] * len(rest))
            if action == "drop_rest":
                break
            continue
        if rules.url.match(line) and out.url is None:
            out.url = line
            out.meta_lines.append(original.strip())
        elif rules.date.match(line) and out.published is None and parse_date(line):
            out.published = parse_date(line)
            out.meta_lines.append(original.strip())
        elif (
            detect_title
            and out.title is None
            and not paragraphs
            and len(line) <= rules.title_max_chars
            and not SENTENCE_END.search(line)
        ):
            out.title = line
            title_raw = original.strip()
            out.meta_lines.append(title_raw)
        else:
            paragraphs.append(line)
    if not paragraphs and out.title is not None:
        paragraphs, out.title = [out.title], None  # a lone line is the article, not its headline
        out.meta_lines.remove(title_raw)
    out.text = "\n\n".join(_unwrap(paragraphs))
    out.outlet = outlet_for(out.url, rules)
    return out
