"""Named schema migrations, recorded in ``schema_migrations`` as they are applied.

A migration is applied once, in order, inside a transaction; the list only ever grows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection, inspect, select

from flashpoint.store import schema

Migration = tuple[str, Callable[[Connection], None]]


def _initial(conn: Connection) -> None:
    for table in (
        schema.articles,
        schema.sentences,
        schema.events,
        schema.evidence,
        schema.actors,
        schema.actor_mentions,
        schema.places,
    ):
        table.create(conn, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (("0001_initial", _initial),)


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
