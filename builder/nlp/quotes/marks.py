"""Quotation marks paired into the character spans of the quoted words, paragraph by paragraph."""

from __future__ import annotations

import logging

QUOTE_MARKS = frozenset('"\'“”‘’«»')
OPENING_CONTEXT = set(" \n([{-—–:")

log = logging.getLogger(__name__)


def _marks(para: str, mark: str):
    """(position, character before, character after) of every `mark` in a paragraph."""
    for i, ch in enumerate(para):
        if ch == mark:
            yield i, (para[i - 1] if i else " "), (para[i + 1] if i + 1 < len(para) else " ")


def _single_quote_spans(para: str) -> list[tuple[int, int]]:
    """Single-quoted quotations ('...', the Guardian/BBC style), told apart from apostrophes:
    a mark inside a word (Russia's, don't) never opens or closes, and an unclosed one is
    dropped rather than guessed (a stray '90s is not a quotation)."""
    spans = []
    open_at: int | None = None
    for i, before, after in _marks(para, "'"):
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
        if open_at is None:
            if before in OPENING_CONTEXT and (after.isalnum() or after == '"'):
                open_at = i + 1
        elif not before.isspace() and (after.isspace() or after in ",.;:!?)\"" or i + 1 == len(para)):
            if i > open_at:
                spans.append((open_at, i))
            open_at = None
    return spans


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the content between paired quotation marks, per paragraph.

    Double quotes: a mark after a space or an opening bracket opens, one before
    a space or punctuation closes; a quotation left open is closed at its
    paragraph's end (a multi-paragraph quote reopens in the next paragraph) and
    logged. Single quotes are paired too (see _single_quote_spans), except
    inside a double-quoted quotation.
    """
    spans: list[tuple[int, int]] = []
    para_start = 0
    for para in text.split("\n\n"):
        doubles: list[tuple[int, int]] = []
        open_at: int | None = None
        for i, before, after in _marks(para, '"'):
            opens = before in OPENING_CONTEXT and not after.isspace()
            if open_at is None and (opens or not (after.isspace() or after in ",.;:!?")):
                open_at = i + 1
            elif open_at is not None and opens and before.isspace() and after.isalnum() and para[:i].rstrip()[-1:] in ".?!…":
                # a mark that opens after a finished sentence while a quotation is open: the one
                # before was never closed (a source's slip, or a quotation continued from the
                # paragraph before in a text that lost its paragraph breaks); close it there
                end = len(para[:i].rstrip())
                if end > open_at:
                    log.info("quotation opened at offset %d never closed; closed before the next one opens", para_start + open_at)
                    doubles.append((open_at, end))
                open_at = i + 1
            elif open_at is not None:
                if i > open_at:
                    doubles.append((open_at, i))
                open_at = None
        if open_at is not None and open_at < len(para):
            log.info("quotation opened at offset %d never closed; closed at its paragraph's end", para_start + open_at)
            doubles.append((open_at, len(para.rstrip())))
        singles = [sp for sp in _single_quote_spans(para) if not any(a <= sp[0] and sp[1] <= b for a, b in doubles)]
        spans.extend((para_start + a, para_start + b) for a, b in sorted(doubles + singles))
        para_start += len(para) + 2
    return spans


def inside(idx: int, spans: list[tuple[int, int]]) -> bool:
    """The character offset lies inside one of the spans."""
    return any(a <= idx < b for a, b in spans)
