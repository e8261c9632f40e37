"""The one signature of a pipeline step, after datatrove's `PipelineStep.run(data, rank, world_size)`.

A step takes the stream or collection it needs and returns (or yields) what it
makes, never editing its input; builder/run/pipeline.py passes the results on.
`rank` of `world_size` names the shard a task runs: a step that reads its own
share of the input (the analysis) takes `shard(data, rank, world_size)`; the
others process what they are given, so an executor can hand each task its part.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from itertools import islice
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


class Step(ABC):
    @abstractmethod
    def run(self, data, rank: int = 0, world_size: int = 1):
        """What the step makes from `data`: new records (yielded) or a mapping (returned)."""


def shard(items: Iterable[T], rank: int, world_size: int) -> Iterator[T]:
    """Every `world_size`-th item from the `rank`-th: one task's part, the same on every run."""
    return islice(items, rank, None, world_size)
