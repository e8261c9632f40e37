"""What a build is asked to do (the `build` command's options), shared by every stage that runs."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    # the analysis on datatrove's executors (builder/engine/): None runs it in this process
    executor: str | None = None  # "local", "ray" or "slurm"
    tasks: int = 1  # shards of the articles, one per task
    workers: int = -1  # tasks at once (-1: all)
    work_dir: Path | None = None  # shards and completion files (default: the cache folder's work/)
    executor_options: dict = field(default_factory=dict)  # more keyword arguments of the datatrove executor
