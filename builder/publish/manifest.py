"""What a build's results were made from, and what it wrote: two digests and the manifest.

The validation digest covers the tables with the build's fingerprint and the
validator; the export digest adds the figures and the writing libraries. An
earlier build's validation result, or its files, are reused only when its
digest is equal (and, for files, when they are still exactly as written); the
manifest in build_report.json lists every written file with its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib.metadata import version
from pathlib import Path

REPORT = "build_report.json"
DIGEST_FILE = "tables.sha256"  # beside a validation's results: the digest they hold for
SUMMARY_FILE = "summary.json"


def validation_digest(tables: dict, fingerprint: str, strict: bool = False) -> str:
    """Hash of the tables' contents, the build's fingerprint (rules, model, code) and the validator's
    version: equal digests mean an earlier validation result applies unchanged."""
    import pyarrow as pa

    h = hashlib.sha256(fingerprint.encode())
    h.update(version("great-expectations").encode())
    h.update(b"strict" if strict else b"lenient")
    for name, splits in tables.items():
        for split_name, table in splits.items():
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            h.update(f"{name}/{split_name}".encode())
            h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


def export_digest(tables_digest: str, figs: dict, evaluation: dict | None) -> str:
    """Everything the written files depend on: the tables with the build's fingerprint (their
    validation digest), the figures and evaluation, and the libraries that write Parquet, HTML
    and the chart."""
    h = hashlib.sha256(tables_digest.encode())
    h.update(json.dumps([figs, evaluation], sort_keys=True, default=str).encode())
    h.update("|".join(version(lib) for lib in ("datasets", "pyarrow", "spacy", "matplotlib")).encode())
    return h.hexdigest()


def reuse_validation(previous: Path, target: Path, digest: str) -> dict | None:
    """The summary of the validation in `previous`, copied to `target`, when it was made for
    `digest` (the same tables against the same suites); None when it must run again."""
    if not ((previous / DIGEST_FILE).exists() and (previous / DIGEST_FILE).read_text() == digest and (previous / SUMMARY_FILE).exists()):
        return None
    shutil.copytree(previous, target)
    return json.loads((target / SUMMARY_FILE).read_text(encoding="utf-8"))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest(root: Path, digest: str) -> dict:
    """The written files (validation reports aside) with their SHA-256, and the digest of what
    they were made from: an auditor can check the folder, and the next build can reuse it."""
    every = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != REPORT)
    files = [p for p in every if not p.startswith("validation/")]
    return {"inputs_digest": digest, "sha256": {p: _sha256(root / p) for p in files}, "written": every}


def previous_manifest(out_dir: Path) -> dict | None:
    """The `files` manifest of the build_report.json an earlier build left in `out_dir`, if any."""
    try:
        files = json.loads((out_dir / REPORT).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return files if isinstance(files, dict) else None


def manifest_files(out_dir: Path) -> set[str] | None:
    """The files an earlier build says it wrote into `out_dir`, or None when it has no manifest."""
    files = previous_manifest(out_dir)
    if files is None:
        return None
    written = files.get("written") or list(files.get("sha256") or {})
    return {str(p) for p in written} | {REPORT}


def reuse_files(out_dir: Path, tmp: Path, digest: str) -> bool:
    """Copy the previous build's files into `tmp` when they were made from the same inputs
    (`digest`) and are still exactly as written (a file edited or removed by hand means no reuse)."""
    previous = previous_manifest(out_dir)
    hashes = previous.get("sha256") if previous else None
    if not isinstance(hashes, dict) or not hashes or previous.get("inputs_digest") != digest:
        return False
    sources = {rel: out_dir / rel for rel in hashes}
    if not all(p.is_file() and _sha256(p) == hashes[rel] for rel, p in sources.items()):
        return False
    for rel, src in sources.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, tmp / rel)
    return True
