"""What a build is asked to do (the `build` command's options), shared by every stage that runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class BuildOptions:
    input_dir: Path
    out_dir: Path
    use_gold: bool = True
    n_process: int = 1
    schemas_dir: Path | None = None
    max_bytes: int = 5_000_000
    progress: bool = False
    skip_bad: bool = False
    encoding: str | None = None  # for files that are not valid UTF-8, instead of detecting it (read.decode)
    cache_dir: Path | None = None  # None: no analysis cache
    strict: bool = False  # corpus-statistics expectations fail the build too
