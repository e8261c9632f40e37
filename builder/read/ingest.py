"""Reads a folder of articles (.txt, .jsonl) into cleaned article records.

Every failure names the file (and line or byte offset) and the reason, so a
user can fix the corpus; nothing is written here.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from builder.read.clean import clean_text, outlet_for, parse_date
from builder.rules.encodings import EncodingRules
from builder.rules.furniture import Rules
from builder.errors import InputError
from builder.rules import RuleSet, load_rules

SUFFIXES = (".txt", ".jsonl")
DEFAULT_MAX_BYTES = 5_000_000
MAX_CHARS = 1_000_000  # spaCy's nlp.max_length: longer texts would fail inside the parser
JSONL_KEYS = {"text", "title", "url", "published", "outlet", "id"}


_NON_ASCII = re.compile("[^\x00-\x7f]")
_LONG = re.compile("[\u0800-\U0010ffff]")  # characters of 3-4 UTF-8 bytes


@dataclass
class Article:
    """An article as the rest of the pipeline sees it: cleaned body plus provenance."""

    article_id: str
    text: str
    raw_sha256: str
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    removed: list[str] = field(default_factory=list)
    removed_kinds: list[str] = field(default_factory=list)


def list_inputs(input_dir: Path) -> list[Path]:
    """The article files of a folder, sorted, so ids and rebuilds are deterministic."""
    if not input_dir.exists():
        raise InputError(f"{input_dir}: input folder does not exist")
    if not input_dir.is_dir():
        raise InputError(f"{input_dir}: not a folder")
    files = sorted(p for p in input_dir.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise InputError(f"{input_dir}: no .txt or .jsonl article files in the input folder")
    return files


@dataclass
class Decoded:
    """A file's text and how it was read (build_report.json's `encoding`, `encoding_confidence`)."""

    text: str
    encoding: str  # Python codec name: utf-8, cp1252, ...
    confidence: float | None  # 1.0 for UTF-8, the detection's for a legacy encoding, None when --encoding named it


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


def _article(article_id: str, raw: str, sha: str, where: str, rules: Rules, meta: dict | None = None) -> Article:
    if not raw.strip():
        raise InputError(f"{where}: empty article (no text)")
    if len(raw) > MAX_CHARS:
        raise InputError(f"{where}: {len(raw)} characters is over the {MAX_CHARS} an article may have (spaCy's limit); split it")
    meta = meta or {}
    cleaned = clean_text(raw, rules, detect_title=not meta.get("title"))
    if not cleaned.text.strip():
        raise InputError(f"{where}: no article text left after removing page furniture")
    url = meta.get("url") or cleaned.url
    published = cleaned.published
    if meta.get("published"):
        published = parse_date(str(meta["published"]))
        if published is None:
            raise InputError(f"{where}: 'published' is not a date: {meta['published']!r}")
    return Article(
        article_id=article_id,
        text=cleaned.text,
        raw_sha256=sha,
        source=where,
        title=meta.get("title") or cleaned.title,
        # a URL names the outlet more surely than a dateline tag ("(AP)" in another outlet's copy)
        outlet=meta.get("outlet") or outlet_for(url, rules) or cleaned.outlet,
        url=url,
        published=published,
        removed=cleaned.removed,
        removed_kinds=cleaned.removed_kinds,
    )


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refusing files over the size limit before reading them."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path}: {size} bytes is over the size limit of {max_bytes} bytes (--max-bytes)")
    return path.read_bytes()


def read_file(path: Path, rules: Rules, data: bytes, decoded: Decoded) -> Iterator[Article]:
    """Articles of one file: one for .txt, one per line for .jsonl (each line hashed as its own bytes)."""
    if path.suffix.lower() == ".txt":
        yield _article(path.stem, decoded.text, hashlib.sha256(data).hexdigest(), str(path), rules)
        return
    codec = decoded.encoding
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line.decode(codec).removeprefix("\ufeff"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InputError(f"{where}: a JSONL article needs a string field 'text'")
        unknown = sorted(set(obj) - JSONL_KEYS)
        if unknown:
            raise InputError(f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(JSONL_KEYS))})")
        wrong = [k for k in JSONL_KEYS if obj.get(k) is not None and not isinstance(obj[k], str)]
        if wrong:
            raise InputError(f"{where}: field {sorted(wrong)[0]!r} must be a string or null")
        if obj.get("url") and not rules.url.match(obj["url"]):
            raise InputError(f"{where}: 'url' is not an http(s) URL: {obj['url']!r}")
        article_id = str(obj.get("id") or f"{path.stem}-{lineno:05d}")
        yield _article(article_id, obj["text"], hashlib.sha256(line).hexdigest(), where, rules, obj)


@dataclass
class Corpus:
    """The articles of a folder plus what was left out, and why (for build_report.json)."""

    articles: list[Article]
    inputs: list[dict] = field(default_factory=list)  # {file, sha256, bytes, encoding, encoding_confidence}
    skipped: list[dict] = field(default_factory=list)  # {file, reason}
    duplicates: list[dict] = field(default_factory=list)  # {article_id, same_as}


def _reading(paths: list[Path], enabled: bool) -> Iterable[Path]:
    """The files, behind a per-file progress bar on stderr when enabled (a terminal, not CI)."""
    if not enabled:
        return paths
    from tqdm.auto import tqdm

    return tqdm(paths, desc="read", unit="file", leave=False)


def read_corpus(
    input_dir: Path,
    rules: RuleSet | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    skip_bad: bool = False,
    encoding: str | None = None,
    progress: bool = False,
) -> Corpus:
    """All articles of a folder. Ids must be unique; an article whose raw text repeats an earlier
    one exactly is kept once and reported. Every file is read, so one run reports every bad file:
    with `skip_bad` they are recorded and left out, otherwise one InputError lists them all.
    `encoding` applies only to files that are not valid UTF-8 (see `decode`)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"--encoding: unknown encoding {encoding!r}") from None
    rules = rules or load_rules()
    encodings = rules.encodings
    rules = rules.furniture
    corpus = Corpus(articles=[])
    bad: list[dict] = []
    seen: dict[str, str] = {}
    by_hash: dict[str, str] = {}
    for path in _reading(list_inputs(input_dir), progress):
        try:
            data = read_bytes(path, max_bytes)
            entry = {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "encoding": None, "encoding_confidence": None}
            corpus.inputs.append(entry)
            decoded = decode(path, data, encoding, encodings)
            entry.update(encoding=decoded.encoding, encoding_confidence=decoded.confidence)
            found = list(read_file(path, rules, data, decoded))
            here: dict[str, str] = {}
            for article in found:
                other = seen.get(article.article_id) or here.get(article.article_id)
                if other:
                    raise InputError(f"{article.source}: duplicate article id {article.article_id!r} (also in {other})")
                here[article.article_id] = article.source
        except InputError as exc:
            bad.append({"file": path.name, "reason": str(exc)})
            continue
        except OSError as exc:  # vanished or unreadable mid-run
            bad.append({"file": path.name, "reason": f"{path}: cannot read ({exc.strerror or exc})"})
            continue
        for article in found:
            seen[article.article_id] = article.source
            text_hash = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
            if text_hash in by_hash:
                corpus.duplicates.append({"article_id": article.article_id, "same_as": by_hash[text_hash]})
                continue
            by_hash[text_hash] = article.article_id
            corpus.articles.append(article)
    if bad and not skip_bad:
        if len(bad) == 1:
            raise InputError(bad[0]["reason"])
        raise InputError(f"{len(bad)} bad input files (fix them, or build the rest with --skip-bad):\n  " + "\n  ".join(b["reason"] for b in bad))
    corpus.skipped = bad
    if not corpus.articles:
        raise InputError(f"{input_dir}: no usable article (skipped {len(corpus.skipped)} bad file(s))")
    return corpus
