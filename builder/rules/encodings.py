"""schemas/ingest.yaml compiled: which encodings a file that is not UTF-8 may be in."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from builder.errors import InputError

@dataclass(frozen=True)
class EncodingRules:
    """How a file that is not UTF-8 is read (schemas/ingest.yaml: encodings)."""

    detect: tuple[str, ...] = ("cp1252", "cp1251", "koi8_r")
    min_confidence: float = 0.3
    chaos_tie: float = 0.005


def load_encoding_rules(schemas_dir: Path | None = None) -> EncodingRules:
    from builder.rules import config

    data = config.load("ingest", schemas_dir)
    where = f"{config.schema_path('ingest', schemas_dir)}: encodings"
    config.check_keys(str(config.schema_path("ingest", schemas_dir)), data, {"encodings"}, {"encodings"})
    enc = data["encodings"]
    config.check_keys(where, enc, {"detect", "min_confidence", "chaos_tie"}, {"detect", "min_confidence", "chaos_tie"})
    for name in enc["detect"]:
        try:
            codecs.lookup(name)
        except LookupError:
            raise InputError(f"{where}.detect: unknown encoding {name!r}") from None
    return EncodingRules(tuple(enc["detect"]), float(enc["min_confidence"]), float(enc["chaos_tie"]))

