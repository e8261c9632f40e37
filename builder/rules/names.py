"""schemas/names.yaml compiled: honorifics and titles, the words around a name that are not the name."""

from __future__ import annotations

from pathlib import Path

from builder.rules.check import RuleModel, Words, read


class NamesFile(RuleModel):
    honorifics: Words
    titles: Words


def load_name_words(schemas_dir: Path | None = None) -> tuple[frozenset[str], frozenset[str]]:
    names = read("names", NamesFile, schemas_dir)
    return frozenset(names.honorifics), frozenset(names.titles)
