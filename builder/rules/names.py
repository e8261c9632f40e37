"""schemas/names.yaml compiled: honorifics and titles, the words around a name that are not the name."""

from __future__ import annotations

from pathlib import Path

from builder.rules import config

NAME_KEYS = {"honorifics", "titles"}


def load_name_words(schemas_dir: Path | None = None) -> tuple[frozenset[str], frozenset[str]]:
    data = config.load("names", schemas_dir)
    config.check_keys(str(config.schema_path("names", schemas_dir)), data, NAME_KEYS, NAME_KEYS)
    return frozenset(data["honorifics"]), frozenset(data["titles"])
