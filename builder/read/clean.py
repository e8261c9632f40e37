"""Strips page furniture and repairs text defects (rules from schemas/furniture.yaml).

Works line by line so every removed line is kept verbatim in `removed`; then cuts
the notices and the dateline that sit inside the first or last paragraph (feeds
that keep no line breaks), also kept verbatim. Repairs change spacing, quote
characters and stray punctuation only, never a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlparse

from builder.rules.furniture import Datelines, Rules

WORD = re.compile(r"[^\W\d_]+|\d+")  # a dateline's first word, for `not_places`
SENTENCE_END = re.compile(r"[.!?:;,\"')\]…]$")
# Missing space after sentence punctuation: "January 10.The", "said.Foreign".
GLUED = re.compile(r"(?<=[a-z0-9%)\]][.!?])(?=[A-Z][a-z])")
# A double quote glued between two sentences ('borders."The', 'Ukraine."The'): whether it
# closes the first or opens the second follows from the quote count before it in the paragraph.
GLUED_QUOTE = re.compile(r'(?<=[a-z0-9%)\]][.!?])"(?=[A-Z])')
# a line that ends its sentence (a removed line without this may go on in the next line)
FINAL = re.compile(r"[.!?…][\"')\]]*$")
# The same join with a curly quote, whose direction is known before quotes are made straight:
# 'borders.”The' closes the first sentence, 'said.“We' opens the second.
GLUED_CURLY = re.compile(r"(?<=[a-z0-9%)\]][.!?]”)(?=[A-Z])|(?<=[a-z0-9%)\]][.!?])(?=“[A-Z])")
SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +(?=[,;:](?:\s|$))")
MULTI_SPACE = re.compile(r"[ \t]{2,}")
DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")
WEEKDAY = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,? ")
CLOCK = re.compile(r",? \d{1,2}[.:]\d{2}( ?[AP]M)?( [A-Z]{2,4})?$")


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
    dateline: str | None = None  # "WASHINGTON (Reuters) -", cut from the first story paragraph


def repair_line(line: str, rules: Rules) -> str:
    """Fix spacing, quote characters and scraper joins in one line without changing any word."""
    line = GLUED_CURLY.sub(" ", line).translate(rules.char_map)
    for regex, replace in rules.joins:
        line = regex.sub(replace, line)
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
    originals: list[str] = []  # each paragraph's line as read, for cuts kept verbatim
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    wrapped_kind = None  # kind of a removed line whose sentence goes on in the next, hard-wrapped line
    for i, original in enumerate(lines):
        line = repair_line(original, rules)
        if not line:
            wrapped_kind = None
            continue
        if wrapped_kind and line[:1].islower():
            # "Editor's note: ... regularly" / "incites political violence ...": the rest of a removed line
            out.removed.append(original.strip())
            out.removed_kinds.append(wrapped_kind)
            wrapped_kind = None if FINAL.search(line) else wrapped_kind
            continue
        wrapped_kind = None
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
            wrapped_kind = None if FINAL.search(line) else kind
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
            originals.append(original)
    if not paragraphs and out.title is not None:
        paragraphs, out.title = [out.title], None  # a lone line is the article, not its headline
        originals = [title_raw]
        out.meta_lines.remove(title_raw)
    tag = _cut_inside_paragraphs(paragraphs, originals, rules, out)
    out.text = "\n\n".join(_unwrap(paragraphs))
    out.outlet = outlet_for(out.url, rules) or (rules.datelines.outlets.get(tag) if tag and rules.datelines else None)
    return out


def _translated(line: str, rules: Rules) -> tuple[str, list[int]]:
    """The line with the character repairs applied, and for each of its characters the index in `line`."""
    chars: list[str] = []
    where: list[int] = []
    for i, c in enumerate(line):
        r = rules.char_map.get(ord(c), c)
        for x in r or "":
            chars.append(x)
            where.append(i)
    return "".join(chars), where


def _cut_inside_paragraphs(paragraphs: list[str], originals: list[str], rules: Rules, out: Cleaned) -> str | None:
    """Cut the leading notices and the dateline at the start of the story and the trailing notices
    of the last paragraph, each kept verbatim in `removed`; returns the dateline's outlet tag.

    Matching runs on the line with only its characters repaired (curly quotes and no-break spaces
    as the rules expect them); the cut is mapped back to the line as read, and the rest repaired."""
    if not paragraphs:
        return None
    tag = _cut_start(paragraphs, originals, rules, out)
    last = len(paragraphs) - 1
    for _ in range(8):  # a correction, an update notice and a credit may follow each other
        text, where = _translated(originals[last], rules)
        found = _first_match(rules, "trailing", text)
        if not found:
            break
        kind, m = found
        a = where[m.start("notice")]
        out.removed.append(originals[last][a:].strip())
        out.removed_kinds.append(kind)
        originals[last] = originals[last][:a]
        paragraphs[last] = repair_line(originals[last], rules)
    return tag


def _first_match(rules: Rules, place: str, text: str) -> tuple[str, re.Match] | None:
    for notice in rules.notices:
        if notice.where == place:
            m = notice.regex.search(text)
            if m and m.group("notice").strip():  # a pattern that can match nothing cuts nothing
                return notice.kind, m
    return None


def _cut_start(paragraphs: list[str], originals: list[str], rules: Rules, out: Cleaned) -> str | None:
    """Leading notices, then the dateline, in the first paragraph, or in one of the next ones while
    every paragraph before it is a short headline-like line (a headline and standfirst kept in the body)."""
    limit = rules.datelines.max_lines_before if rules.datelines else 0
    for k in range(min(limit + 1, len(paragraphs))):
        while True:
            text, where = _translated(originals[k], rules)
            found = _first_match(rules, "leading", text)
            if not found:
                break
            _cut_head(paragraphs, originals, k, where[found[1].end() - 1] + 1, found[0], rules, out)
        if rules.datelines:
            text, where = _translated(originals[k], rules)
            m = _dateline(text, rules.datelines, len(paragraphs[k]) > rules.title_max_chars)
            if m:
                out.dateline = _cut_head(paragraphs, originals, k, where[m.end() - 1] + 1, "dateline", rules, out)
                return m.groupdict().get("tag")
        if len(paragraphs[k]) > rules.title_max_chars:
            break  # the story has started: a dateline comes at its start or not at all
    return None


def _cut_head(paragraphs: list[str], originals: list[str], k: int, end: int, kind: str, rules: Rules, out: Cleaned) -> str:
    cut = originals[k][:end].strip()
    out.removed.append(cut)
    out.removed_kinds.append(kind)
    originals[k] = originals[k][end:]
    paragraphs[k] = repair_line(originals[k], rules)
    return cut


def _dateline(text: str, rules: Datelines, long_paragraph: bool) -> re.Match | None:
    """The first dateline pattern that matches the paragraph's start and is not vetoed."""
    for pattern in rules.patterns:
        if pattern.long_paragraph_only and not long_paragraph:
            continue
        m = pattern.regex.match(text)
        if not m or m.end() == 0:
            continue
        if WORD.search(text[: m.end()]).group() in rules.not_places:
            continue
        if pattern.unless and pattern.unless.search(text[m.end() :]):
            continue
        return m
    return None
