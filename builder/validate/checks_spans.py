"""Offsets and the text they cover: the core promise that every span is exactly the text it names."""

from __future__ import annotations

from typing import Any, Callable

from builder.validate.registry import Inputs, check, each_item

BOTH = ("sentences", "quotes")


def _clip(text: Any, n: int = 40) -> str:
    """Short repr for messages: long sentences would drown the report."""
    s = repr(text)
    return s if len(s) <= n else s[: n - 4] + "...'"


def _diff(what: str, text: str, where: str, got: str) -> str:
    """Where two strings part: long sentences differ in one place, show that place."""
    i = next((i for i, (a, b) in enumerate(zip(text, got)) if a != b), min(len(text), len(got)))
    lo = max(0, i - 10)
    return f"{what} != {where} from char {i}: {_clip(text[lo:lo + 30])} vs {_clip(got[lo:lo + 30])}"


def _article_texts(inp: Inputs) -> dict[str, str]:
    """article_id -> cleaned text: the reference every offset points into."""
    return {r["article_id"]: r["text"] for r in inp.rows.get("articles", [])}


def _span_problem(what: str, text: str, start, end, expected: str) -> str | None:
    """Offsets relative to `text` must be inside it and cover exactly `expected`."""
    if not (0 <= start < end <= len(text)):
        return f"{what} {expected!r} at [{start}:{end}] outside the sentence (length {len(text)})"
    got = text[start:end]
    return None if got == expected else f"{what} {expected!r} != text[{start}:{end}] {got!r}"


def _against_article(inp: Inputs, problem: Callable[[dict, str], str | None]):
    """Row check `problem(row, article text)`; a row whose article is missing fails as such."""
    texts = _article_texts(inp)

    def row(r):
        text = texts.get(r["article_id"])
        p = f"article {r['article_id']!r} not in articles" if text is None else problem(r, text)
        return [p] if p else []

    return row


def _within(r: dict, text: str) -> str | None:
    if r["start"] == r["end"]:
        return f"empty span at {r['start']}"
    return None if 0 <= r["start"] < r["end"] <= len(text) else f"[{r['start']}:{r['end']}] outside article of length {len(text)}"


def _matches(r: dict, text: str) -> str | None:
    got = text[r["start"] : r["end"]]
    return None if got == r["text"] else _diff("text", r["text"], f"articles.text[{r['start']}:{r['end']}]", got)


@check("offsets_within_article", BOTH)
def offsets_within_article(inp: Inputs, table: str, entry):
    """An offset past the article end means the text and the offsets came from different versions."""
    return _against_article(inp, _within)


@check("text_matches_article", BOTH)
def text_matches_article(inp: Inputs, table: str, entry):
    """The core promise of the dataset: every span is exactly articles.text[start:end]."""
    return _against_article(inp, _matches)


@check("entity_offsets_valid", ("sentences",))
def entity_offsets_valid(inp: Inputs, table: str, entry):
    """Entity offsets are sentence-relative; a wrong base (article offsets) shows up here."""
    return each_item("entities", lambda r, e: _span_problem("entity", r["text"], e["start"], e["end"], e["text"]))


@check("stance_evidence_offsets_valid", ("sentences",))
def stance_evidence_offsets_valid(inp: Inputs, table: str, entry):
    """The cue must be quotable from the sentence at its offsets, or the evidence proves nothing."""
    return each_item("stance_evidence", lambda r, ev: _span_problem("cue", r["text"], ev["start"], ev["end"], ev["cue"]))


@check("mention_needs_speaker", ("quotes",))
def mention_needs_speaker(inp: Inputs, table: str, entry):
    """speaker_start/speaker_end point at the mention that names the speaker: none without one."""
    texts = _article_texts(inp)

    def row(r):
        if r["speaker_start"] is None:
            if r["speaker_end"] is not None:
                yield "speaker_end without speaker_start"
            return
        if r["speaker"] is None:
            yield "a speaker mention but no speaker"
            return
        n = len(texts.get(r["article_id"], ""))
        if not 0 <= r["speaker_start"] < (r["speaker_end"] or -1) <= n:
            yield f"mention [{r['speaker_start']}:{r['speaker_end']}] outside article of length {n}"

    return row
