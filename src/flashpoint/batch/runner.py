"""Stream inputs through the coder and the store, yielding one outcome per input, in input order.

Articles already in the store (same id or same text) are not coded again: their stored events are
returned. A failure inside the pipeline for one article is reported as that article's error; the
rest of the batch goes on.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flashpoint.coder import Coder
from flashpoint.errors import FlashpointError, InputError
from flashpoint.ingest import Item
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, Event
from flashpoint.store import EventQuery, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Coded:
    article: Article
    events: tuple[Event, ...]
    stored: bool  # True when written now; False when already stored or when there is no store
    state: ArticleState | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    error: InputError


Outcome = Coded | Skipped


def code_items(
    items: Iterable[Item],
    coder: Coder,
    store: Store | None = None,
    *,
    batch_size: int = 16,
) -> Iterator[Outcome]:
    """Code every article among ``items`` (errors pass through as :class:`Skipped`)."""
    it = iter(items)
    while chunk := list(itertools.islice(it, batch_size)):
        yield from _code_chunk(chunk, coder, store)


def _code_chunk(chunk: list[Item], coder: Coder, store: Store | None) -> Iterator[Outcome]:
    todo: list[Article] = []
    known: dict[int, Outcome] = {}
    for n, item in enumerate(chunk):
        if isinstance(item, InputError):
            known[n] = Skipped(item)
            continue
        stored_id = store.find_article(item) if store is not None else None
        if stored_id is not None and store is not None:
            events = store.events(EventQuery(article_id=stored_id, modalities=None))
            known[n] = Coded(item, tuple(events), stored=False)
        else:
            todo.append(item)
    coded = iter(_code_articles(todo, coder))
    for n in range(len(chunk)):
        if n in known:
            yield known[n]
            continue
        result = next(coded)
        if isinstance(result, Skipped) or store is None:
            yield result
            continue
        try:
            added = store.add(result.state)  # type: ignore[arg-type]
        except FlashpointError as exc:
            yield Skipped(InputError(result.article.id, f"not stored: {exc}"))
            continue
        yield Coded(result.article, result.events, added.stored, result.state)


def _code_articles(articles: list[Article], coder: Coder) -> list[Outcome]:
    if not articles:
        return []
    try:
        states = list(coder.pipe(articles))
    except Exception:
        log.debug("batch failed; coding its articles one by one", exc_info=True)
        return [_code_one(a, coder) for a in articles]
    return [Coded(s.article, s.events, False, s) for s in states]


def _code_one(article: Article, coder: Coder) -> Outcome:
    try:
        state = coder.code_state(article)
    except Exception as exc:
        log.debug("coding %s failed", article.id, exc_info=True)
        return Skipped(
            InputError(article.id, f"internal error while coding ({exc.__class__.__name__}: {exc})")
        )
    return Coded(article, state.events, False, state)
