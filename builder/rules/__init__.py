"""The rules of schemas/ as one checked object, loaded once per folder and passed to every step.

`load_rules()` reads and checks every rule file up front, so a typo anywhere
fails the build before an article is read, with the file and the key named.
Steps receive the `RuleSet`, never a folder; `fingerprint` (the bytes of every
rule file) is the one key caches and manifests use for "the rules changed".
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.rules.contract import Table
    from builder.rules.encodings import EncodingRules
    from builder.rules.furniture import Rules as FurnitureRules
    from builder.rules.gazetteer import Gazetteer
    from builder.rules.segmentation import SegmentRules
    from builder.rules.sides import SideLexicon
    from builder.rules.speech import SpeechLexicon
    from builder.rules.splits import DedupConfig
    from builder.rules.taxonomy import Taxonomy


@dataclass(frozen=True, eq=False)
class RuleSet:
    directory: Path
    fingerprint: str
    encodings: EncodingRules
    furniture: FurnitureRules
    segmentation: SegmentRules
    honorifics: frozenset[str]
    titles: frozenset[str]
    gazetteer: Gazetteer
    sides: SideLexicon
    speech: SpeechLexicon
    taxonomy: Taxonomy
    tables: dict[str, Table]
    proportions: dict[str, float]
    dedup: DedupConfig

    @property
    def quote_types(self) -> tuple[str, ...]:
        """The quote types of the contract (sentences.quote_type), in ClassLabel order."""
        return self.tables["sentences"].column("quote_type").names

    def path(self, name: str) -> Path:
        """The file a rule came from, for messages."""
        return self.directory / f"{name}.yaml"

    def raw(self, name: str) -> Any:
        """The parsed data of one rule file (read once; callers must not mutate it)."""
        from builder.rules import config

        return config.load(name, self.directory)

    def __reduce__(self):
        # a worker (spaCy's, an executor's) rebuilds the set from its folder instead of receiving
        # compiled patterns; the built-in rules are the worker's own installed ones
        from builder.rules.config import SCHEMAS_DIR

        return (load_rules, () if self.directory == Path(SCHEMAS_DIR).resolve() else (self.directory,))


def rules_fingerprint(directory: Path) -> str:
    """Hash of every rule file's name and bytes."""
    h = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=8)
def _load(directory: str) -> RuleSet:
    from builder.rules import config
    from builder.rules.contract import load_tables
    from builder.rules.encodings import load_encoding_rules
    from builder.rules.furniture import load_rules as load_furniture
    from builder.rules.gazetteer import load_gazetteer
    from builder.rules.names import load_name_words
    from builder.rules.segmentation import load_segment_rules
    from builder.rules.sides import load_side_lexicon
    from builder.rules.speech import load_lexicon
    from builder.rules.splits import load_splits
    from builder.rules.taxonomy import load_taxonomy

    path = Path(directory)
    honorifics, titles = load_name_words(path)
    proportions, dedup = load_splits(path)
    rules = RuleSet(
        directory=path,
        fingerprint=rules_fingerprint(path),
        encodings=load_encoding_rules(path),
        furniture=load_furniture(path),
        segmentation=load_segment_rules(path),
        honorifics=honorifics,
        titles=titles,
        gazetteer=load_gazetteer(path),
        sides=load_side_lexicon(path),
        speech=load_lexicon(path),
        taxonomy=load_taxonomy(path),
        tables=load_tables(path),
        proportions=proportions,
        dedup=dedup,
    )
    config.load("expectations", path)  # read now: a YAML error there fails before the analysis too
    return rules


def load_rules(directory: Path | str | None = None) -> RuleSet:
    """The checked rule set of `directory` (default: the rules shipped with the package)."""
    from builder.rules.config import SCHEMAS_DIR

    return _load(str(Path(directory or SCHEMAS_DIR).resolve()))
