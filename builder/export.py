"""Writes the dataset folder atomically: Parquet through `datasets`, the card, the reports.

Everything is written into a temporary sibling of the output folder and swapped
in by rename only after validation passed, so a failed or interrupted build
leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pyarrow as pa

from . import schema

TMP_PREFIX = ".stance-builder-tmp-"
OLD_PREFIX = ".stance-builder-old-"


def parquet_path(root: Path, table: str, split_name: str) -> Path:
    return root / "data" / table / f"{split_name}-00000-of-00001.parquet"


def write_parquet(root: Path, tables: dict[str, dict[str, pa.Table]], schemas_dir: Path | None = None) -> None:
    """One Parquet file per config and split, with the datasets Features in its metadata."""
    import datasets
    from datasets.table import InMemoryTable

    datasets.disable_progress_bars()

    specs = schema.load_tables(schemas_dir)
    for name, splits in tables.items():
        info = datasets.DatasetInfo(features=schema.features(specs[name]))
        for split_name, table in splits.items():
            path = parquet_path(root, name, split_name)
            path.parent.mkdir(parents=True, exist_ok=True)
            datasets.Dataset(InMemoryTable(table), info=info).to_parquet(str(path))


REPORT = "build_report.json"


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest(root: Path, digest: str) -> dict:
    """The written files (validation reports aside) with their SHA-256, and the digest of what
    they were made from: an auditor can check the folder, and the next build can reuse it."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != REPORT and "validation" not in p.relative_to(root).parts)
    return {"inputs_digest": digest, "sha256": {p.relative_to(root).as_posix(): _sha256(p) for p in files}}


def reuse_files(out_dir: Path, tmp: Path, digest: str) -> bool:
    """Copy the previous build's files into `tmp` when they were made from the same inputs
    (`digest`) and are still exactly as written (a file edited or removed by hand means no reuse)."""
    try:
        previous = json.loads((out_dir / REPORT).read_text(encoding="utf-8"))["files"]
        hashes = previous["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if previous.get("inputs_digest") != digest or not hashes:
        return False
    sources = {rel: out_dir / rel for rel in hashes}
    if not all(p.is_file() and _sha256(p) == hashes[rel] for rel, p in sources.items()):
        return False
    for rel, src in sources.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, tmp / rel)
    return True


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def clean_stale(out_dir: Path) -> None:
    """Remove temporary folders an interrupted earlier build left beside the output."""
    parent = out_dir.resolve().parent
    if not parent.is_dir():
        return
    for prefix in (TMP_PREFIX, OLD_PREFIX):
        for stale in parent.glob(f"{prefix}{out_dir.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def output_lock(out_dir: Path):
    """One build at a time per output folder: a second one fails at once with a clear error."""
    import fcntl

    from .errors import InputError

    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            raise InputError(f"{out_dir}: another build is writing this folder (lock {lock_path} held by pid {handle.read().strip() or '?'})") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            clean_stale(out_dir)  # safe now: no other build of this folder is running
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def staging(out_dir: Path):
    """A fresh temporary folder beside `out_dir`; removed again unless `swap_in` consumed it."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f"{TMP_PREFIX}{out_dir.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def swap_in(tmp: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `tmp` with renames (atomic per rename on one file system)."""
    out_dir = out_dir.resolve()
    old = out_dir.parent / f"{OLD_PREFIX}{out_dir.name}-{os.getpid()}"
    if out_dir.exists():
        os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except OSError:
        if old.exists():
            os.replace(old, out_dir)  # put the previous output back
        raise
    shutil.rmtree(old, ignore_errors=True)
