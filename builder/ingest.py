"""Reads a folder of articles (.txt, .jsonl) into cleaned article records.

Every failure names the file (and line or byte offset) and the reason, so a
user can fix the corpus; nothing is written here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .clean import Rules, clean_text, load_rules, outlet_for, parse_date
from .errors import InputError

SUFFIXES = (".txt", ".jsonl")
DEFAULT_MAX_BYTES = 5_000_000
MAX_CHARS = 1_000_000  # spaCy's nlp.max_length: longer texts would fail inside the parser
JSONL_KEYS = {"text", "title", "url", "published", "outlet", "id"}


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


def decode(path: Path, data: bytes, where: str | None = None, encoding: str = "utf-8") -> str:
    """Strict decoding (UTF-8 unless --encoding says otherwise) with the byte offset of the first defect."""
    where = where or str(path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{where}: binary content (NUL byte at offset {nul}), not a text article")
    try:
        text = data.decode(encoding)
    except LookupError as exc:
        raise InputError(f"--encoding: unknown encoding {encoding!r}") from exc
    except UnicodeDecodeError as exc:
        hint = " (use --encoding to name the file's encoding)" if encoding.lower().replace("-", "") == "utf8" else ""
        raise InputError(f"{where}: not valid {encoding.upper() if encoding.lower() != 'utf-8' else 'UTF-8'} (byte 0x{data[exc.start]:02x} at offset {exc.start}){hint}") from exc
    return text.removeprefix("\ufeff")


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
        outlet=meta.get("outlet") or cleaned.outlet or outlet_for(url, rules),
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


def read_file(path: Path, rules: Rules, data: bytes, encoding: str = "utf-8") -> Iterator[Article]:
    """Articles of one file's bytes: one for .txt, one per line for .jsonl."""
    if path.suffix.lower() == ".txt":
        yield _article(path.stem, decode(path, data, encoding=encoding), hashlib.sha256(data).hexdigest(), str(path), rules)
        return
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(decode(path, line, where, encoding))
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
    inputs: list[dict] = field(default_factory=list)  # {file, sha256, bytes}
    skipped: list[dict] = field(default_factory=list)  # {file, reason}
    duplicates: list[dict] = field(default_factory=list)  # {article_id, same_as}


def read_corpus(
    input_dir: Path,
    schemas_dir: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    skip_bad: bool = False,
    encoding: str = "utf-8",
) -> Corpus:
    """All articles of a folder. Ids must be unique; an article whose raw text repeats an earlier
    one exactly is kept once and reported. With `skip_bad`, a bad file is recorded, not fatal."""
    rules = load_rules(schemas_dir)
    corpus = Corpus(articles=[])
    seen: dict[str, str] = {}
    by_hash: dict[str, str] = {}
    for path in list_inputs(input_dir):
        try:
            data = read_bytes(path, max_bytes)
            corpus.inputs.append({"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
            found = list(read_file(path, rules, data, encoding))
            here: dict[str, str] = {}
            for article in found:
                other = seen.get(article.article_id) or here.get(article.article_id)
                if other:
                    raise InputError(f"{article.source}: duplicate article id {article.article_id!r} (also in {other})")
                here[article.article_id] = article.source
        except InputError as exc:
            if not skip_bad:
                raise
            corpus.skipped.append({"file": path.name, "reason": str(exc)})
            continue
        except OSError as exc:  # vanished or unreadable mid-run
            error = InputError(f"{path}: cannot read ({exc.strerror or exc})")
            if not skip_bad:
                raise error from exc
            corpus.skipped.append({"file": path.name, "reason": str(error)})
            continue
        for article in found:
            seen[article.article_id] = article.source
            text_hash = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
            if text_hash in by_hash:
                corpus.duplicates.append({"article_id": article.article_id, "same_as": by_hash[text_hash]})
                continue
            by_hash[text_hash] = article.article_id
            corpus.articles.append(article)
    if not corpus.articles:
        raise InputError(f"{input_dir}: no usable article (skipped {len(corpus.skipped)} bad file(s))")
    return corpus
