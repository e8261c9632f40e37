"""A file's bytes to text: UTF-8 when they are, else the named or the detected legacy encoding.

Kept apart from reading, since every format decodes alike; the encoding and the
detection's confidence go to build_report.json's `inputs`.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from pathlib import Path

from builder.errors import InputError
from builder.rules.encodings import EncodingRules

_NON_ASCII = re.compile("[^\x00-\x7f]")
_LONG = re.compile("[\u0800-\U0010ffff]")  # characters of 3-4 UTF-8 bytes


@dataclass
class Decoded:
    """A file's text and how it was read (build_report.json's `encoding`, `encoding_confidence`)."""

    text: str
    encoding: str  # Python codec name: utf-8, cp1252, ...
    confidence: float | None  # 1.0 for UTF-8, the detection's for a legacy encoding, None when --encoding named it


def check_encoding(name: str | None) -> None:
    """Refuse an unknown --encoding before any file is read."""
    if name:
        try:
            codecs.lookup(name)
        except LookupError:
            raise InputError(f"--encoding: unknown encoding {name!r}") from None


def _utf8_counts(data: bytes) -> tuple[int, int, int]:
    """(valid characters of 2 bytes, valid ones of 3-4 bytes, undecodable bytes) of `data` read as UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    long = len(_LONG.findall(text)) - bad
    return len(_NON_ASCII.findall(text)) - bad - long, long, bad


def _detect(data: bytes, rules: EncodingRules) -> tuple[str, float] | None:
    """(encoding, confidence) of the most plausible `rules.detect` reading, None if none reads as text.

    Each candidate is measured on its own over the whole file: charset-normalizer's ranking across all
    code pages, on its default five 512-byte samples, takes English text with a few curly quotes for
    mac_roman or Shift-JIS, and scores a candidate's coherence only against its own languages."""
    from charset_normalizer import from_bytes

    steps = max(1, math.ceil(len(data) / 512))
    found = []
    for rank, name in enumerate(rules.detect):
        match = from_bytes(data, steps=steps, chunk_size=512, cp_isolation=[name]).best()
        if match is not None:
            found.append((match.chaos, -match.coherence, rank, name, round(match.coherence * (1 - match.chaos), 3)))
    if not found:
        return None
    low = min(f[0] for f in found)
    *_, name, confidence = min((f for f in found if f[0] - low < rules.chaos_tie), key=lambda f: (f[1], f[2]))
    return codecs.lookup(name).name, confidence


def decode(path: Path, data: bytes, encoding: str | None = None, rules: EncodingRules = EncodingRules()) -> Decoded:
    """A file's text: UTF-8 (BOM stripped) when it is valid UTF-8, so --encoding never garbles a UTF-8
    file; otherwise --encoding's codec if given, else the detected legacy encoding, refused when the
    detection is not confident or the file is mostly UTF-8 with damage (read as a legacy code page it
    would turn its UTF-8 characters into mojibake)."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{path}: binary content (NUL byte at offset {nul}), not a text article")
    try:
        return Decoded(data.decode("utf-8").removeprefix("\ufeff"), "utf-8", 1.0)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        not_utf8 = f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}) on line {line}"
    if encoding:
        try:
            return Decoded(data.decode(encoding), codecs.lookup(encoding).name, None)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: {not_utf8}, nor valid {encoding}, the --encoding given (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    # Legacy single-byte text almost never forms a UTF-8 sequence of 3+ bytes, nor as many 2-byte ones as
    # it has undecodable bytes: a file that does is damaged UTF-8, binary, or a mix of encodings, and
    # reading it as a code page would turn its UTF-8 characters into mojibake.
    short, long, bad = _utf8_counts(data)
    if long or short >= bad:
        raise InputError(f"{path}: {not_utf8}, though {short + long} other characters are valid UTF-8 ({bad} undecodable "
                         "byte(s)): damaged, binary or a mix of encodings; re-save it as UTF-8, or name its encoding with --encoding")
    found = _detect(data, rules)
    if found is None:
        raise InputError(f"{path}: {not_utf8}, and none of {', '.join(rules.detect)} reads it as text "
                         "(binary or damaged?); name its encoding with --encoding")
    name, confidence = found
    if confidence < rules.min_confidence:
        raise InputError(f"{path}: {not_utf8}, and its encoding cannot be detected with confidence (best: {name}, "
                         f"confidence {confidence:.2f} < {rules.min_confidence}; detection needs a few sentences of text); "
                         "name it with --encoding")
    try:
        return Decoded(data.decode(name), name, confidence)
    except UnicodeDecodeError as exc:  # charset-normalizer decodes only a part of files over 10 MB
        raise InputError(f"{path}: {not_utf8}, nor valid {name}, the likeliest encoding (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
