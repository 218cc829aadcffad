"""Reviews in the store: each one kept in ``reviews``, the event's folded state in ``review_state``,
both written in one transaction; the machine's ``events`` rows are never changed.

Reads lay the state over the machine's coding (:func:`event_from_row`) and filter on the reviewed
values (:func:`effective`). Reviews are keyed by event id alone: ids derive from the article's text,
so an article stored again gets the same ids and its reviews apply again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, case, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Join

from flashpoint.errors import ReviewError, UnknownEventError
from flashpoint.records import Event, ReviewStatus
from flashpoint.review import Review, ReviewAction, ReviewState, fold, reviewed
from flashpoint.serialize import event_from_dict
from flashpoint.store import schema

_events = schema.events
_state = schema.review_state
_history = schema.reviews

STATE_COLUMNS = (
    _state.c.status,
    _state.c.corrections,
    _state.c.duplicate_of,
    _state.c.reviewer,
    _state.c.reviewed_at,
)
"""The columns :func:`event_from_row` reads after ``events.data``."""


def joined() -> Join:
    """``events`` with each event's review state, if any."""
    return _events.outerjoin(_state, _state.c.event_id == _events.c.event_id)


def effective(name: str) -> ColumnElement[Any]:
    """The reviewed value of an ``events`` column: the correction when there is one, else the
    machine's (a correction may be null: actor2 removed)."""
    if name not in _state.c:
        return _events.c[name]
    return case((_state.c.corrections.like(f'%"{name}":%'), _state.c[name]), else_=_events.c[name])


def not_rejected() -> ColumnElement[bool]:
    return (_state.c.status.is_(None)) | (_state.c.status != str(ReviewStatus.REJECTED))


def status_in(statuses: Sequence[ReviewStatus]) -> ColumnElement[bool]:
    """Events whose review status is one of ``statuses``."""
    named = [str(s) for s in statuses if s is not ReviewStatus.UNREVIEWED]
    test: ColumnElement[bool] = _state.c.status.in_(named)
    if ReviewStatus.UNREVIEWED in statuses:
        test = test | _state.c.status.is_(None)
    return test


def _state_of(status: str | None, corrections: str | None, duplicate_of: str | None, by: str | None,
              at: str | None) -> ReviewState | None:
    if status is None:
        return None
    return ReviewState(ReviewStatus(status), json.loads(corrections or "{}"), duplicate_of, by or "", at or "")


def event_from_row(data: str, *state: Any) -> Event:
    """An event as reviewed, from ``events.data`` and the :data:`STATE_COLUMNS` of its row."""
    return reviewed(event_from_dict(json.loads(data)), _state_of(*state))


def canonical_id(conn: Connection, event_id: str, *, lock: bool = False) -> str:
    """The id of the event ``event_id`` leads to (a report merged into another event leads to that
    event); UnknownEventError when none is stored."""
    stmt = select(_events.c.event_id, _events.c.duplicate_of).where(_events.c.event_id == event_id)
    row = conn.execute(stmt).first()
    if row is None:
        raise UnknownEventError(event_id)
    target = str(row[1] or row[0])
    if lock and conn.dialect.name == "postgresql":
        conn.execute(select(_events.c.event_id).where(_events.c.event_id == target).with_for_update())
    return target


def _machine(conn: Connection, event_id: str) -> Event:
    data = conn.execute(select(_events.c.data).where(_events.c.event_id == event_id)).scalar_one()
    return event_from_dict(json.loads(data))


def history(conn: Connection, event_id: str) -> list[Review]:
    """The reviews of ``event_id``, oldest first."""
    h = _history
    rows = conn.execute(
        select(h.c.event_id, h.c.action, h.c.fields, h.c.duplicate_of, h.c.reviewer, h.c.reviewed_at)
        .where(h.c.event_id == event_id)
        .order_by(h.c.id)
    )
    return [Review(str(r[0]), ReviewAction(r[1]), json.loads(r[2]), r[3], str(r[4]), str(r[5])) for r in rows]


def _write_lock(conn: Connection) -> None:
    """On SQLite, take the write lock before reading what the review folds in (another writer then
    waits); PostgreSQL locks the event's row instead (:func:`canonical_id`)."""
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def write_review(conn: Connection, review: Review) -> tuple[Review, Event]:
    """Store ``review`` and the event's new state (the caller's transaction holds both); returns
    the review as stored (under the event's canonical id) and the event as reviewed now."""
    _write_lock(conn)
    event_id = canonical_id(conn, review.event_id, lock=True)
    duplicate_of = review.duplicate_of
    if duplicate_of is not None:
        try:
            duplicate_of = canonical_id(conn, duplicate_of)
        except UnknownEventError:
            raise ReviewError("duplicate_of", f"no event with id {duplicate_of!r} in the store") from None
        if duplicate_of == event_id:
            raise ReviewError("duplicate_of", f"{review.duplicate_of!r} is the event itself ({event_id!r})")
    review = dataclasses.replace(review, event_id=event_id, duplicate_of=duplicate_of)
    machine = _machine(conn, event_id)
    state = fold(machine, [*history(conn, event_id), review])  # a bad correction raises before any write
    assert state is not None
    conn.execute(
        _history.insert().values(
            event_id=event_id,
            action=str(review.action),
            fields=json.dumps(review.fields, ensure_ascii=False, sort_keys=True),
            duplicate_of=review.duplicate_of,
            reviewer=review.by,
            reviewed_at=review.at,
        )
    )
    write_state(conn, event_id, state)
    return review, reviewed(machine, state)


def write_state(conn: Connection, event_id: str, state: ReviewState) -> None:
    """Replace the stored state of ``event_id``."""
    conn.execute(_state.delete().where(_state.c.event_id == event_id))
    values: dict[str, Any] = {
        "event_id": event_id,
        "status": str(state.status),
        "corrections": json.dumps(state.corrections, ensure_ascii=False, sort_keys=True),
        "duplicate_of": state.duplicate_of,
        "reviewer": state.by,
        "reviewed_at": state.at,
    }
    for name, value in state.corrections.items():
        if name == "event_date":
            value = dt.date.fromisoformat(str(value))
        values[name] = value
    if "sub_event_type" in state.corrections:
        from flashpoint.events import taxonomy

        values["event_type"] = taxonomy.get(str(state.corrections["sub_event_type"])).event_type
        if '"event_type":' not in values["corrections"]:
            corrections = {**state.corrections, "event_type": values["event_type"]}
            values["corrections"] = json.dumps(corrections, ensure_ascii=False, sort_keys=True)
    conn.execute(_state.insert().values(**values))


def queue(modalities: Sequence[str] | None, limit: int) -> Select[Any]:
    """Unreviewed events (merged reports left out), least confident first, then oldest."""
    stmt = (
        select(_events.c.data, *STATE_COLUMNS)
        .select_from(joined())
        .where(_state.c.status.is_(None), _events.c.duplicate_of.is_(None))
        .order_by(_events.c.confidence, _events.c.event_date, _events.c.event_id)
        .limit(limit)
    )
    if modalities is not None:
        stmt = stmt.where(_events.c.modality.in_(sorted(modalities)))
    return stmt
