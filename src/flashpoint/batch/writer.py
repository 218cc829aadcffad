"""The store side of a batch: which articles are already stored, and writing coded chunks.

Both are one round trip per chunk, which is what makes a restarted batch cheap: it re-reads its
input and skips every stored article with one query per chunk. A chunk is written in one
transaction that holds only whole articles (each article with its sentences, mentions and events);
a kill at any moment leaves either the whole chunk or none of it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from sqlalchemy import literal_column, or_, select

from flashpoint.errors import FlashpointError, InputError
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, Event
from flashpoint.serialize import event_from_dict
from flashpoint.store import Store, schema, text_sha256

log = logging.getLogger(__name__)


def stored_ids(store: Store, articles: Sequence[Article]) -> list[str | None]:
    """For each article, the id it is stored under (same id or same text), or None; one query."""
    if not articles:
        return []
    a = schema.articles
    ids = {x.id for x in articles}
    shas = {text_sha256(x.text) for x in articles}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(a.c.id, a.c.text_sha256).where(or_(a.c.id.in_(ids), a.c.text_sha256.in_(shas)))
        ).all()
    by_id = {str(r[0]): str(r[0]) for r in rows}
    by_sha = {str(r[1]): str(r[0]) for r in rows}
    return [by_id.get(x.id) or by_sha.get(text_sha256(x.text)) for x in articles]


def stored_events(store: Store, article_ids: Sequence[str]) -> dict[str, list[Event]]:
    """The stored events of these articles (every modality); one query.

    On SQLite they come in the order they were coded (insertion order), as a fresh run gives them;
    elsewhere in event id order.
    """
    if not article_ids:
        return {}
    e = schema.events
    order = literal_column("events.rowid") if store.engine.dialect.name == "sqlite" else e.c.event_id
    found: dict[str, list[Event]] = {x: [] for x in article_ids}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(e.c.article_id, e.c.data).where(e.c.article_id.in_(set(article_ids))).order_by(order)
        )
        for article_id, data in rows:
            found[str(article_id)].append(event_from_dict(json.loads(data)))
    return found


def write_states(store: Store, states: Sequence[ArticleState]) -> list[bool | InputError]:
    """Store coded articles in one transaction; per article True (written), False (already stored).

    When the transaction fails (another writer stored one of these articles meanwhile, or one
    article cannot be stored), it is rolled back whole and each article is written on its own, so
    one bad article costs only itself: its entry is then the :class:`InputError` naming it.
    """
    if not states:
        return []
    try:
        return list(store.add_states(states))
    except FlashpointError:
        log.debug("chunk write failed; writing its articles one by one", exc_info=True)
    return [_write_one(store, s) for s in states]


def _write_one(store: Store, state: ArticleState) -> bool | InputError:
    try:
        return store.add_state(state).stored
    except FlashpointError as exc:
        return InputError(state.article.id, f"not stored: {exc}")
