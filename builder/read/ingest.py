"""Reads a folder of articles into cleaned article records, with what was left out and why.

Every failure names the file (and line or byte offset) and the reason, so a
user can fix the corpus; nothing is written here. How each format is read is
builder/read/formats.py's job, how bytes become text builder/read/decode.py's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import InputError
from builder.progress import progress as with_progress
from builder.read.article import Article
from builder.read.decode import check_encoding, decode
from builder.read.formats import READERS, reader_for
from builder.rules import RuleSet, load_rules

DEFAULT_MAX_BYTES = 5_000_000


@dataclass
class ReadResult:
    """The articles of a folder plus what was left out, and why (for build_report.json)."""

    articles: list[Article]
    inputs: list[dict] = field(default_factory=list)  # {file, sha256, bytes, encoding, encoding_confidence}
    skipped: list[dict] = field(default_factory=list)  # {file, reason}
    duplicates: list[dict] = field(default_factory=list)  # {article_id, same_as}


def list_inputs(input_dir: Path) -> list[Path]:
    """The article files of a folder (those a reader is registered for), sorted, so ids and
    rebuilds are deterministic."""
    if not input_dir.exists():
        raise InputError(f"{input_dir}: input folder does not exist")
    if not input_dir.is_dir():
        raise InputError(f"{input_dir}: not a folder")
    files = sorted(p for p in input_dir.iterdir() if p.is_file() and reader_for(p) is not None)
    if not files:
        raise InputError(f"{input_dir}: no {' or '.join(READERS)} article files in the input folder")
    return files


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refusing files over the size limit before reading them."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path}: {size} bytes is over the size limit of {max_bytes} bytes (--max-bytes)")
    return path.read_bytes()


def read_corpus(
    input_dir: Path,
    rules: RuleSet | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    skip_bad: bool = False,
    encoding: str | None = None,
    progress: bool = False,
) -> ReadResult:
    """All articles of a folder. Ids must be unique; an article whose raw text repeats an earlier
    one exactly is kept once and reported. Every file is read, so one run reports every bad file:
    with `skip_bad` they are recorded and left out, otherwise one InputError lists them all.
    `encoding` applies only to files that are not valid UTF-8 (see `decode`)."""
    check_encoding(encoding)
    rules = rules or load_rules()
    result = ReadResult(articles=[])
    bad: list[dict] = []
    seen: dict[str, str] = {}
    by_hash: dict[str, str] = {}
    for path in with_progress(list_inputs(input_dir), progress, "read", "file"):
        try:
            data = read_bytes(path, max_bytes)
            entry = {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "encoding": None, "encoding_confidence": None}
            result.inputs.append(entry)
            decoded = decode(path, data, encoding, rules.encodings)
            entry.update(encoding=decoded.encoding, encoding_confidence=decoded.confidence)
            found = list(reader_for(path).read(path, data, decoded, rules.furniture))
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
                result.duplicates.append({"article_id": article.article_id, "same_as": by_hash[text_hash]})
                continue
            by_hash[text_hash] = article.article_id
            result.articles.append(article)
    if bad and not skip_bad:
        if len(bad) == 1:
            raise InputError(bad[0]["reason"])
        raise InputError(f"{len(bad)} bad input files (fix them, or build the rest with --skip-bad):\n  " + "\n  ".join(b["reason"] for b in bad))
    result.skipped = bad
    if not result.articles:
        raise InputError(f"{input_dir}: no usable article (skipped {len(result.skipped)} bad file(s))")
    return result
