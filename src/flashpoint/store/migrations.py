"""Named schema migrations, recorded in ``schema_migrations`` as they are applied.

A migration is applied once, in order, inside a transaction; the list only ever grows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection, Index, MetaData, Table, inspect, select, text

from flashpoint.store import schema

Migration = tuple[str, Callable[[Connection], None]]


def _initial(conn: Connection) -> None:
    """The first schema, as it was: events without ``duplicate_of`` (added by 0002)."""
    for table in (
        schema.articles,
        schema.sentences,
        schema.evidence,
        schema.actors,
        schema.actor_mentions,
        schema.places,
    ):
        table.create(conn, checkfirst=True)
    meta = MetaData()
    events_v1 = Table(
        schema.events.name,
        meta,
        *(c._copy() for c in schema.events.columns if c.name != "duplicate_of"),
    )
    events_v1.create(conn, checkfirst=True)
    for index in schema.events.indexes:
        if index.name != "ix_events_duplicate_of":
            Index(index.name, *(events_v1.c[c.name] for c in index.columns)).create(conn, checkfirst=True)


def _event_duplicates(conn: Connection) -> None:
    """Reports of one event from several articles: a report merged into a stored event keeps its
    row, marked ``duplicate_of`` the event that now carries its evidence."""
    conn.execute(text("ALTER TABLE events ADD COLUMN duplicate_of VARCHAR(64)"))
    conn.execute(text("CREATE INDEX ix_events_duplicate_of ON events (duplicate_of)"))


MIGRATIONS: tuple[Migration, ...] = (
    ("0001_initial", _initial),
    ("0002_event_duplicates", _event_duplicates),
)


def applied(conn: Connection) -> list[str]:
    """Names of the migrations already applied to this database."""
    if not inspect(conn).has_table(schema.migrations.name):
        return []
    return [r[0] for r in conn.execute(select(schema.migrations.c.name).order_by(schema.migrations.c.name))]


def migrate(conn: Connection) -> list[str]:
    """Apply what is missing; returns the names applied now."""
    schema.migrations.create(conn, checkfirst=True)
    done = set(applied(conn))
    now: list[str] = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(conn)
        conn.execute(
            schema.migrations.insert().values(name=name, applied_at=dt.datetime.now(dt.UTC).isoformat())
        )
        now.append(name)
    return now
