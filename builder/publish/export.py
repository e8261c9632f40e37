"""Writes the dataset folder atomically: Parquet through `datasets`, the card, the reports.

Everything is written into a temporary sibling of the output folder and swapped
in by rename only after validation passed, so a failed or interrupted build
leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path

import pyarrow as pa

from builder.publish.manifest import manifest_files
from builder.rules import RuleSet
from builder.rules import contract as schema

TMP_PREFIX = ".stance-builder-tmp-"
OLD_PREFIX = ".stance-builder-old-"


def parquet_path(root: Path, table: str, split_name: str) -> Path:
    return root / "data" / table / f"{split_name}-00000-of-00001.parquet"


def write_parquet(root: Path, tables: dict[str, dict[str, pa.Table]], rules: RuleSet) -> None:
    """One Parquet file per config and split, with the datasets Features in its metadata."""
    import datasets
    from datasets.table import InMemoryTable

    datasets.disable_progress_bars()

    specs = rules.tables
    for name, splits in tables.items():
        info = datasets.DatasetInfo(features=schema.features(specs[name]))
        for split_name, table in splits.items():
            path = parquet_path(root, name, split_name)
            path.parent.mkdir(parents=True, exist_ok=True)
            datasets.Dataset(InMemoryTable(table), info=info).to_parquet(str(path))


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(out_dir: Path) -> None:
    """Tidy what an interrupted earlier build of this very folder left beside it: its staging
    folder is removed, and its previous output, moved aside just before a swap that never
    happened, is put back when the output folder is missing (else removed). Only exact names
    of this folder ("<prefix><name>-<pid>", not "<name>-v2-<pid>") of builds no longer running."""
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    if not parent.is_dir():
        return
    for prefix in (TMP_PREFIX, OLD_PREFIX):
        for stale in parent.glob(f"{prefix}{out_dir.name}-*"):
            pid = stale.name[len(prefix) + len(out_dir.name) + 1 :]
            if not pid.isdigit() or (int(pid) != os.getpid() and _pid_alive(int(pid))):
                continue
            if prefix == OLD_PREFIX and not out_dir.exists():
                os.replace(stale, out_dir)  # the swap was interrupted between its two renames
            else:
                shutil.rmtree(stale, ignore_errors=True)


# What builds and `validate DIR` write under validation/ (Great Expectations results, Data Docs,
# the validation digest and summary), and files a command writes into a built folder: they are
# the tool's even where an older manifest does not list them.
OWN_FILES = re.compile(r"validation/(\w+\.json|tables\.sha256|data_docs/.+)|DATASHEET\.md|explorer/index\.html")


def foreign_files(out_dir: Path) -> list[str]:
    """Files (and empty folders) in `out_dir` that no earlier build of this tool wrote; empty for
    an empty folder. A user's notes under validation/ are theirs too."""
    entries = sorted(out_dir.rglob("*"))
    present = [p.relative_to(out_dir).as_posix() for p in entries if p.is_file() or p.is_symlink()]
    if not entries:
        return []
    known = manifest_files(out_dir)
    if known is None:
        return present or [p.relative_to(out_dir).as_posix() + "/" for p in entries]
    foreign = [p for p in present if p not in known and not OWN_FILES.fullmatch(p)]
    # a folder that holds no file of the tool's (an empty folder the user made) is theirs
    owned = {str(Path(p).parent) for p in present if p not in foreign}
    owned |= {str(parent) for p in list(owned) for parent in Path(p).parents}
    foreign += [p.relative_to(out_dir).as_posix() + "/" for p in entries if p.is_dir() and p.relative_to(out_dir).as_posix() not in owned]
    return sorted(foreign)


def check_target(out_dir: Path, input_dir: Path) -> None:
    """Refuse an --out the build could harm, before anything is read or written: the input folder,
    a folder inside it or around it, a file, or a folder holding files this tool did not write."""
    from builder.errors import InputError

    out, inp = out_dir.resolve(), input_dir.resolve()
    if out == inp:
        raise InputError(f"{out_dir}: --out is the input folder; choose a new folder for the dataset")
    if out.is_relative_to(inp):
        raise InputError(f"{out_dir}: --out is inside the input folder {input_dir}; choose a folder outside it")
    if inp.is_relative_to(out):
        raise InputError(f"{out_dir}: --out contains the input folder {input_dir}; choose a new folder for the dataset")
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(f"{out_dir}: exists and is not a folder; --out must be a new folder or an earlier output of stance-builder")
    foreign = foreign_files(out)
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise InputError(
            f"{out_dir}: not an earlier output of stance-builder (it holds {foreign[0]!r}{more}, which no build wrote); "
            "a build replaces its --out folder whole, so choose a new or empty folder"
        )


@contextlib.contextmanager
def output_lock(out_dir: Path):
    """One build at a time per output folder: a second one fails at once with a clear error.
    The lock file is removed again when the build ends (checked by inode, so a build that
    opened the file just before it was removed cannot run beside a newer one)."""
    import fcntl

    from builder.errors import InputError

    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir.parent / f".{out_dir.name}.stance-builder.lock"
    while True:
        handle = open(lock_path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise InputError(f"{out_dir}: another build is writing this folder (lock {lock_path} held by pid {holder})") from exc
        try:
            same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # the file was removed by the build that held it: lock the new one
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        clean_stale(out_dir)  # safe now: no other build of this folder is running
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock_path)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


FAILED_MARKER = ".stance-builder-validation-failed"


def failed_reports_dir(out_dir: Path) -> Path:
    """Where a failed validation leaves its reports: `OUT.validation-failed`, unless a folder of
    that name exists that this tool did not make (then a numbered sibling)."""
    out_dir = out_dir.resolve()
    for n in range(1000):
        path = out_dir.parent / (f"{out_dir.name}.validation-failed" + (f"-{n}" if n else ""))
        if not path.exists() or (path / FAILED_MARKER).is_file():
            return path
    raise OSError(f"{out_dir.parent}: no free name for the validation reports")


def keep_failed_reports(reports: Path, out_dir: Path) -> Path:
    """Move a failed validation's reports out of the staging folder for the user to read."""
    target = failed_reports_dir(out_dir)
    if target.exists():
        shutil.rmtree(target)  # ours: an earlier failed build's reports
    (reports / FAILED_MARKER).write_text("reports of a failed stance-builder validation\n", encoding="utf-8")
    shutil.move(str(reports), str(target))
    return target


def clear_failed_reports(out_dir: Path) -> None:
    """After a passing build, an earlier failed build's reports (ours only) are out of date."""
    target = failed_reports_dir(out_dir)
    if (target / FAILED_MARKER).is_file():
        shutil.rmtree(target, ignore_errors=True)


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
    except BaseException:  # also Ctrl-C between the two renames
        if old.exists() and not out_dir.exists():
            os.replace(old, out_dir)  # put the previous output back
        raise
    shutil.rmtree(old, ignore_errors=True)
