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
    """The first schema, as it was: events without ``duplicate_of`` (added by 0002).

    Tables are created before the tables whose foreign keys name them (PostgreSQL checks).
    """
    for table in (schema.articles, schema.sentences):
        table.create(conn, checkfirst=True)
    meta = MetaData()
    events_v1 = Table(
        schema.events.name,
        meta,
        *(c._copy() for c in schema.events.columns if c.name != "duplicate_of"),
    )
    Table(schema.articles.name, meta, *(c._copy() for c in schema.articles.columns))  # events' foreign key
    events_v1.create(conn, checkfirst=True)
    for index in schema.events.indexes:
        if index.name != "ix_events_duplicate_of":
            Index(index.name, *(events_v1.c[c.name] for c in index.columns)).create(conn, checkfirst=True)
    for table in (schema.evidence, schema.actors, schema.actor_mentions, schema.places):
        table.create(conn, checkfirst=True)


def _event_duplicates(conn: Connection) -> None:
    """Reports of one event from several articles: a report merged into a stored event keeps its
    row, marked ``duplicate_of`` the event that now carries its evidence."""
    conn.execute(text("ALTER TABLE events ADD COLUMN duplicate_of VARCHAR(64)"))
    conn.execute(text("CREATE INDEX ix_events_duplicate_of ON events (duplicate_of)"))


def _feed_items(conn: Connection) -> None:
    """Items of watched feeds already coded or skipped, so that ``flashpoint watch`` codes each once."""
    schema.feed_items.create(conn, checkfirst=True)


def _control_statements(conn: Connection) -> None:
    """Statements of control kept when an article is coded, so that a control query need not
    re-read every stored article (articles stored before are read once, by the back-fill step a
    session runs when it opens the store: ``flashpoint.control.stored.backfill_control``)."""
    schema.control_statements.create(conn, checkfirst=True)
    schema.control_read.create(conn, checkfirst=True)


def _reviews(conn: Connection) -> None:
    """Reviews of events by people (``flashpoint review``): every review kept, and what stands now."""
    schema.reviews.create(conn, checkfirst=True)
    schema.review_state.create(conn, checkfirst=True)


def _undated_events(conn: Connection) -> None:
    """Events of a text with no date and no publication date are stored undated (``event_date`` and
    ``time_precision`` NULL), not dated from the clock. PostgreSQL drops the constraints in place;
    SQLite cannot, so the events table is rebuilt with its rows and indexes."""
    if conn.dialect.name != "sqlite":
        conn.execute(text("ALTER TABLE events ALTER COLUMN event_date DROP NOT NULL"))
        conn.execute(text("ALTER TABLE events ALTER COLUMN time_precision DROP NOT NULL"))
        return
    # the new table is built beside the old one and takes its name: the other tables' foreign keys name
    # "events" throughout, and are checked when the transaction commits, against the same rows
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    seen = inspect(conn)
    columns = [c["name"] for c in seen.get_columns("events")]
    # dropping events would cascade to the rows that name an event (evidence): they wait aside
    children = [t for t in seen.get_table_names()
                if any(fk["referred_table"] == "events" for fk in seen.get_foreign_keys(t))]
    for child in children:
        conn.exec_driver_sql(f'CREATE TEMP TABLE "keep_{child}" AS SELECT * FROM "{child}"')
    meta = MetaData()
    Table(schema.articles.name, meta, *(c._copy() for c in schema.articles.columns))  # events' foreign key
    events = Table("events_0006", meta, *(c._copy() for c in schema.events.columns if c.name in columns))
    events.create(conn)
    names = ", ".join(f'"{c}"' for c in columns)
    conn.exec_driver_sql(f"INSERT INTO events_0006 ({names}) SELECT {names} FROM events")
    conn.exec_driver_sql("DROP TABLE events")
    conn.exec_driver_sql("ALTER TABLE events_0006 RENAME TO events")
    for child in children:
        conn.exec_driver_sql(f'INSERT INTO "{child}" SELECT * FROM "keep_{child}"')
        conn.exec_driver_sql(f'DROP TABLE "keep_{child}"')
    for index in schema.events.indexes:
        if all(c.name in columns for c in index.columns):
            conn.exec_driver_sql(
                f'CREATE INDEX "{index.name}" ON events ({", ".join(chr(34) + c.name + chr(34) for c in index.columns)})'
            )


def _unknown_inter_null(conn: Connection) -> None:
    """An actor's unknown inter code is NULL, not 0 (a person, a party, an organisation the text does
    not type). Events keep theirs in ``data``, where an unknown one was null already (an ACLED
    import's 0 is read as null: :func:`flashpoint.serialize.event_from_dict`)."""
    conn.execute(text("UPDATE actors SET inter = NULL WHERE inter = 0"))


MIGRATIONS: tuple[Migration, ...] = (
    ("0001_initial", _initial),
    ("0002_event_duplicates", _event_duplicates),
    ("0003_feed_items", _feed_items),
    ("0004_control_statements", _control_statements),
    ("0005_reviews", _reviews),
    ("0006_undated_events", _undated_events),
    ("0007_unknown_inter_null", _unknown_inter_null),
)


def applied(conn: Connection) -> list[str]:
    """Names of the migrations already applied to this database."""
    if not inspect(conn).has_table(schema.migrations.name):
        return []
    return [r[0] for r in conn.execute(select(schema.migrations.c.name).order_by(schema.migrations.c.name))]


def _lock(conn: Connection) -> None:
    """Make the migration one transaction, run by one process at a time.

    SQLite (pysqlite) runs DDL outside any transaction unless one is open, so a crash between a
    migration's ``ALTER TABLE`` and its record would leave a database that no later open can
    migrate; ``BEGIN IMMEDIATE`` opens the transaction and takes the write lock (others wait, up
    to the busy timeout). PostgreSQL's DDL is transactional already: an advisory lock makes a
    second process wait instead of failing on the tables the first is creating.
    """
    if conn.dialect.name == "sqlite":
        if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727361001)")


def migrate(conn: Connection) -> list[str]:
    """Apply what is missing, all in one transaction; returns the names applied now."""
    if set(applied(conn)) >= {name for name, _ in MIGRATIONS}:
        return []  # up to date: no lock, so a read-only database still opens
    _lock(conn)
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
