"""One reader per input format, in a registry keyed by file suffix.

Supporting a new format is one `Reader` subclass and one entry in `READERS`:
the folder listing, decoding, duplicate checks and the report need no change.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterator

from builder.errors import InputError
from builder.read.article import Article, make_article
from builder.read.decode import Decoded
from builder.rules.furniture import Rules


class Reader(ABC):
    """The articles of one decoded file."""

    @abstractmethod
    def read(self, path: Path, data: bytes, decoded: Decoded, rules: Rules) -> Iterator[Article]:
        """Articles in file order; an InputError names the file (and line) and the reason."""


class TextReader(Reader):
    """A `.txt` file is one article; its id is the file stem."""

    def read(self, path: Path, data: bytes, decoded: Decoded, rules: Rules) -> Iterator[Article]:
        yield make_article(path.stem, decoded.text, hashlib.sha256(data).hexdigest(), str(path), rules)


class JsonlReader(Reader):
    """A `.jsonl` file holds one article per line: `text` plus optional metadata (each line hashed
    as its own bytes, so an article's hash does not depend on its neighbours)."""

    KEYS = {"text", "title", "url", "published", "outlet", "id"}

    def read(self, path: Path, data: bytes, decoded: Decoded, rules: Rules) -> Iterator[Article]:
        for lineno, line in enumerate(data.split(b"\n"), start=1):
            if line.strip():
                yield self._line(path, lineno, line, decoded.encoding, rules)

    def _line(self, path: Path, lineno: int, line: bytes, codec: str, rules: Rules) -> Article:
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line.decode(codec).removeprefix("\ufeff"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InputError(f"{where}: a JSONL article needs a string field 'text'")
        unknown = sorted(set(obj) - self.KEYS)
        if unknown:
            raise InputError(f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(self.KEYS))})")
        wrong = [k for k in self.KEYS if obj.get(k) is not None and not isinstance(obj[k], str)]
        if wrong:
            raise InputError(f"{where}: field {sorted(wrong)[0]!r} must be a string or null")
        if obj.get("url") and not rules.url.match(obj["url"]):
            raise InputError(f"{where}: 'url' is not an http(s) URL: {obj['url']!r}")
        article_id = str(obj.get("id") or f"{path.stem}-{lineno:05d}")
        return make_article(article_id, obj["text"], hashlib.sha256(line).hexdigest(), where, rules, obj)


READERS: dict[str, Reader] = {".txt": TextReader(), ".jsonl": JsonlReader()}


def reader_for(path: Path) -> Reader | None:
    """The reader of a file by its suffix (any letter case), None for a file of no known format."""
    return READERS.get(path.suffix.lower())
