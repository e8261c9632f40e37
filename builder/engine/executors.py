"""datatrove's executors for the analysis pipeline, and the check that every task completed.

The three report a failed task differently: the local executor raises, Ray
returns as if all went well, Slurm returns once the job array is submitted. So
the build asks the completion files (`logging_dir/completions/`) itself and
fails with the ranks that lack one and the folder of their logs.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from builder.errors import BuilderError

EXECUTORS = ("local", "ray", "slurm")


class TasksIncomplete(BuilderError):
    """Some tasks of the analysis did not complete; a rerun redoes only those."""


def run_tasks(executor: str, pipeline: list, tasks: int, logs: Path, workers: int = -1, options: dict | None = None) -> None:
    """Runs the ranks of `pipeline` that have no completion file yet; raises TasksIncomplete
    naming the ranks that still lack one."""
    options = dict(options or {})
    kwargs = dict(tasks=tasks, workers=workers, logging_dir=str(logs), **options)
    cause = None
    if executor == "local":
        from datatrove.executor import LocalPipelineExecutor

        ex = LocalPipelineExecutor(pipeline, **kwargs)
        try:
            ex.run()
        except Exception as exc:  # a task's error ends the local pool; its traceback is in the task's log
            cause = f"{type(exc).__name__}: {exc}"
    elif executor == "ray":
        from datatrove.executor import RayPipelineExecutor

        with ray_cluster():
            ex = RayPipelineExecutor(pipeline, **kwargs)
            ex.run()
    elif executor == "slurm":
        from datatrove.executor import SlurmPipelineExecutor

        ex = SlurmPipelineExecutor(pipeline, **kwargs)
        ex.run()
        missing = ex.get_incomplete_ranks()
        if missing:
            raise TasksIncomplete(f"submitted {len(missing)} of {tasks} analysis task(s) to Slurm (job logs in {logs}/slurm_logs); "
                                  "run the same command again once the jobs have finished (squeue): completed tasks are "
                                  "skipped and the corpus steps run")
        return
    else:
        raise BuilderError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    missing = ex.get_incomplete_ranks()
    if missing:
        raise TasksIncomplete(f"{executor} executor: {len(missing)} of {tasks} analysis task(s) did not complete, rank(s) "
                              f"{', '.join(map(str, missing))}; their logs: {', '.join(f'{logs}/logs/task_{r:05d}.log' for r in missing)}"
                              + (f" ({cause})" if cause else "") + "; run the same command again to redo only these")


@contextlib.contextmanager
def ray_cluster():
    """The Ray cluster the tasks run on: the caller's when it called ray.init, the one RAY_ADDRESS
    names, else a local one (no dashboard) started and stopped here."""
    import ray

    if ray.is_initialized():
        yield
        return
    ray.init(**({} if os.environ.get("RAY_ADDRESS") else {"include_dashboard": False}))
    try:
        yield
    finally:
        ray.shutdown()
