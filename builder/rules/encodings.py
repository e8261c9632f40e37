"""schemas/ingest.yaml compiled: which encodings a file that is not UTF-8 may be in."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from builder.rules.check import RuleModel, Share, read


def _encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None
    return name


class EncodingsFile(RuleModel):
    detect: list[Annotated[str, AfterValidator(_encoding)]]
    min_confidence: Share
    chaos_tie: Share


class IngestFile(RuleModel):
    encodings: EncodingsFile


@dataclass(frozen=True)
class EncodingRules:
    """How a file that is not UTF-8 is read (schemas/ingest.yaml: encodings)."""

    detect: tuple[str, ...] = ("cp1252", "cp1251", "koi8_r")
    min_confidence: float = 0.3
    chaos_tie: float = 0.005


def load_encoding_rules(schemas_dir: Path | None = None) -> EncodingRules:
    enc = read("ingest", IngestFile, schemas_dir).encodings
    return EncodingRules(tuple(enc.detect), enc.min_confidence, enc.chaos_tie)
