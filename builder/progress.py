"""The progress bar of long runs: on stderr, only when the caller says a person is watching
(a terminal, not CI); tqdm is imported only then."""

from __future__ import annotations

from typing import Iterable


def progress(items: Iterable, enabled: bool, desc: str, unit: str, total: int | None = None) -> Iterable:
    """`items`, behind a bar named `desc` counting `unit`s when enabled."""
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=desc, unit=unit, leave=False)
