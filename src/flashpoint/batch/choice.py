"""Which engine runs a batch: ``--engine local|ray`` and a number of workers.

Above both :mod:`flashpoint.batch.engines` (the local engines) and
:mod:`flashpoint.batch.ray_engine`, which builds on them; Ray is imported only when chosen.
"""

from __future__ import annotations

from flashpoint.batch.engines import Engine, InlineEngine, ProcessEngine, Task


def make_engine(task: Task, workers: int = 1, *, engine: str = "local", address: str | None = None) -> Engine:
    """The engine for ``--engine local|ray`` with ``workers`` workers."""
    if engine == "ray":
        from flashpoint.batch.ray_engine import RayEngine

        return RayEngine(task, workers, address=address)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; choose local or ray")
    if workers <= 1:
        return InlineEngine(task)
    return ProcessEngine(task, workers)
