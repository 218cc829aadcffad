"""The Ray engine: the same tasks as the local engines, run by Ray actors that keep their models.

Each actor receives the task once (a coder whose models load on the actor's first chunk) and codes
chunks sent to it; results come back in input order to the driver, which alone writes the store or
the Parquet shards. With no ``address`` a local Ray instance with one CPU per worker is started (and
shut down afterwards); ``address="auto"`` joins the running cluster. flashpoint must be installed on
every node (``pip install 'flashpoint[scale]'``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from flashpoint.batch.engines import Task, ordered
from flashpoint.errors import FlashpointError, PipelineError


class _TaskActor:
    def __init__(self, task: Task) -> None:
        self.task = task

    def run(self, chunk: list[Any]) -> list[Any]:
        return self.task(chunk)

    def warm(self) -> bool:
        warm = getattr(self.task, "warm", None)
        if callable(warm):
            warm()
        return True


def _ray() -> Any:
    try:
        import ray
    except ModuleNotFoundError as exc:
        raise FlashpointError("--engine ray needs Ray: pip install 'flashpoint[scale]' (ray>=2.60)") from exc
    return ray


class RayEngine:
    """``workers`` Ray actors, each holding one copy of the task."""

    def __init__(
        self, task: Task, workers: int, *, address: str | None = None, max_pending: int | None = None
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        ray = _ray()
        self._ray = ray
        self._owns = False
        if not ray.is_initialized():
            try:
                if address is None:
                    ray.init(
                        num_cpus=workers,
                        include_dashboard=False,
                        log_to_driver=False,
                        configure_logging=False,
                    )
                else:
                    ray.init(address=address, log_to_driver=False, configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise FlashpointError(
                    f"cannot start or reach Ray at {address or 'a local instance'}: {exc}"
                ) from exc
            self._owns = True
        self.workers = workers
        self.max_pending = max_pending or 2 * workers
        actor_class = ray.remote(num_cpus=1)(_TaskActor)
        self._actors = [actor_class.remote(task) for _ in range(workers)]

    def map(self, chunks: Iterable[list[Any]]) -> Iterator[list[Any]]:
        turn = itertools.cycle(self._actors)
        return ordered(chunks, lambda c: next(turn).run.remote(c), self._get, self.max_pending)

    def _get(self, ref: Any) -> list[Any]:
        try:
            result: list[Any] = self._ray.get(ref)
        except self._ray.exceptions.RayError as exc:
            raise PipelineError(f"a Ray worker failed: {exc.__class__.__name__}: {exc}") from exc
        return result

    def warm(self) -> None:
        self._ray.get([a.warm.remote() for a in self._actors])

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._owns:
            self._ray.shutdown()
            self._owns = False

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
