"""Where chunks of work run: in this process, in local worker processes, or on a Ray cluster.

An engine maps a *task* (a picklable callable ``task(chunk) -> results``, one result per item) over
a stream of chunks and yields each chunk's results **in input order**. Each worker receives the
task once and keeps it, so models a task loads on first use are loaded once per worker. At most
``max_pending`` chunks are in flight, so memory stays flat however long the input is.

::

    InlineEngine    the calling process (no pickling; what ``--workers 1`` uses)
    ProcessEngine   N local processes (spawned; a worker whose parent dies exits by itself)
    RayEngine       N Ray actors (``flashpoint.batch.ray_engine``)

:func:`flashpoint.batch.choice.make_engine` picks one for ``--engine local|ray``.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Task = Callable[[list[Any]], list[Any]]
"""A picklable callable coding one chunk: ``task(items) -> results`` (same length, same order)."""


class Engine(Protocol):
    """Maps the task over chunks, yielding each chunk's results in input order."""

    workers: int

    def map(self, chunks: Iterable[list[Any]]) -> Iterator[list[Any]]: ...

    def warm(self) -> None:
        """Start every worker and load its models (benchmarks call this before timing)."""

    def close(self) -> None: ...


class InlineEngine:
    """Runs the task in the calling process."""

    workers = 1

    def __init__(self, task: Task) -> None:
        self.task = task

    def map(self, chunks: Iterable[list[Any]]) -> Iterator[list[Any]]:
        for chunk in chunks:
            yield self.task(chunk)

    def warm(self) -> None:
        _warm(self.task)

    def close(self) -> None:
        return None

    def __enter__(self) -> InlineEngine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


# -- local processes ---------------------------------------------------------------------------
_TASK: Task | None = None


def _watch_parent(parent: int) -> None:
    """Exit when the parent process is gone (killed with -9, its workers must not linger)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(3)


def _init_worker(task: Task, parent: int) -> None:
    global _TASK
    _TASK = task
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()


def _run_chunk(chunk: list[Any]) -> list[Any]:
    if _TASK is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("worker has no task: initializer did not run")
    return _TASK(chunk)


def _warm_worker(_: int) -> int:
    if _TASK is not None:
        _warm(_TASK)
    return os.getpid()


def _warm(task: Task) -> None:
    warm = getattr(task, "warm", None)
    if callable(warm):
        warm()


class ProcessEngine:
    """Runs the task in ``workers`` spawned processes; results come back in input order."""

    def __init__(self, task: Task, workers: int, *, max_pending: int | None = None) -> None:
        import multiprocessing

        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.max_pending = max_pending or 2 * workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(task, os.getpid()),
        )

    def map(self, chunks: Iterable[list[Any]]) -> Iterator[list[Any]]:
        return ordered(chunks, lambda c: self._pool.submit(_run_chunk, c), Future.result, self.max_pending)

    def warm(self) -> None:
        # One warm-up call per worker: each blocks briefly so that every worker takes one.
        futures = [self._pool.submit(_warm_worker, n) for n in range(self.workers * 2)]
        for f in futures:
            f.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessEngine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def ordered(
    chunks: Iterable[T],
    submit: Callable[[T], Any],
    wait: Callable[[Any], R],
    max_pending: int,
) -> Iterator[R]:
    """Submit chunks with at most ``max_pending`` in flight; yield their results in order."""
    pending: deque[Any] = deque()
    it = iter(chunks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < max_pending:
            try:
                chunk = next(it)
            except StopIteration:
                exhausted = True
                break
            pending.append(submit(chunk))
        if not pending:
            return
        yield wait(pending.popleft())
