"""Stream inputs through the coder and the store, yielding one outcome per input, in input order.

::

    items ─► chunks ─► stored already? (one query) ─► engine: relevance filter → coder ─► store (one
                                                      (inline, N processes, Ray)          transaction)

Articles already in the store (same id or same text) are not coded again: their stored events are
returned. That is also how a killed batch resumes: run the same command again and every article
stored before the kill is skipped, one query per chunk. Bad input (an
:class:`~flashpoint.errors.InputError`: unreadable, too long, invalid Unicode ...) is reported as that
input's error and the rest of the batch goes on; any other exception is a bug and propagates, never
reported as a skipped input. Nothing is kept per
article once its outcome is yielded, so memory stays flat however long the input is.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flashpoint.batch.choice import make_engine
from flashpoint.batch.engines import Engine
from flashpoint.batch.relevance import RelevanceFilter, may_report_event
from flashpoint.batch.work import Coded, CodeTask, Outcome, Skipped
from flashpoint.batch.writer import stored_events, stored_ids, write_states
from flashpoint.coder import Coder
from flashpoint.errors import InputError
from flashpoint.ingest import Item
from flashpoint.records import Article
from flashpoint.store import Store

__all__ = ["Coded", "Outcome", "Skipped", "code_items"]


@dataclass(slots=True)
class _Plan:
    """One chunk: outcomes known before coding (errors, stored articles) and what is to be coded."""

    size: int
    known: dict[int, Outcome] = field(default_factory=dict)
    todo: list[Article] = field(default_factory=list)


def code_items(
    items: Iterable[Item],
    coder: Coder,
    store: Store | None = None,
    *,
    batch_size: int = 16,
    workers: int = 1,
    engine: str | Engine = "local",
    address: str | None = None,
    relevance: RelevanceFilter | None = may_report_event,
) -> Iterator[Outcome]:
    """Code every article among ``items`` (errors pass through as :class:`Skipped`).

    ``workers`` processes (``engine="local"``) or Ray actors (``engine="ray"``, at ``address``) code
    chunks of ``batch_size`` articles in parallel, each with its own copy of ``coder`` (give an
    unused coder: its models load in each worker). This process alone writes to ``store``.
    ``relevance`` sets articles aside before any NLP (None codes everything).
    """
    if isinstance(engine, str):
        runner = make_engine(CodeTask(coder, relevance), workers, engine=engine, address=address)
    else:
        runner = engine
    try:
        yield from _run(items, runner, store, batch_size)
    finally:
        runner.close()


def _run(items: Iterable[Item], engine: Engine, store: Store | None, batch_size: int) -> Iterator[Outcome]:
    plans: deque[_Plan] = deque()

    def todo() -> Iterator[list[Article]]:
        it = iter(items)
        while chunk := list(itertools.islice(it, batch_size)):
            plan = _plan(chunk, store)
            plans.append(plan)
            yield plan.todo

    for coded in engine.map(todo()):
        plan = plans.popleft()
        yield from _finish(plan, coded, store)


def _plan(chunk: list[Item], store: Store | None) -> _Plan:
    plan = _Plan(len(chunk))
    articles = [(n, x) for n, x in enumerate(chunk) if isinstance(x, Article)]
    for n, item in enumerate(chunk):
        if isinstance(item, InputError):
            plan.known[n] = Skipped(item)
    if store is None:
        plan.todo = [a for _, a in articles]
        return plan
    found = stored_ids(store, [a for _, a in articles])
    events = stored_events(store, sorted({x for x in found if x is not None}))
    for (n, article), stored_id in zip(articles, found, strict=True):
        if stored_id is None:
            plan.todo.append(article)
        else:
            plan.known[n] = Coded(article, tuple(events.get(stored_id, ())), stored=False)
    return plan


def _finish(plan: _Plan, coded: list[Outcome], store: Store | None) -> Iterator[Outcome]:
    if store is not None:
        coded = _store(coded, store)
    it = iter(coded)
    for n in range(plan.size):
        yield plan.known[n] if n in plan.known else next(it)


def _store(coded: list[Outcome], store: Store) -> list[Outcome]:
    to_write = [o for o in coded if isinstance(o, Coded) and o.state is not None]
    written = iter(write_states(store, [o.state for o in to_write if o.state is not None]))
    out: list[Outcome] = []
    for o in coded:
        if not isinstance(o, Coded) or o.state is None:
            out.append(o)
            continue
        result = next(written)
        if isinstance(result, InputError):
            out.append(Skipped(result))
        else:
            out.append(Coded(o.article, o.events, result, o.state))
    return out
