"""Migrations from every earlier schema version, crashes inside a migration, and concurrent first opens.

Each test runs over every prefix of MIGRATIONS, so a new migration is tested from every earlier
state without touching this file. On SQLite, and on PostgreSQL when FLASHPOINT_TEST_PG_URL is set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect

import flashpoint.store.migrations as migrations
from flashpoint.records import DateBasis
from flashpoint.store import open_store
from flashpoint.store.migrations import MIGRATIONS, applied
from flashpoint.store.schema import metadata
from tests.helpers import TEXT, make_event, make_state
from tests.pg import pg_schema_url

HEAD = [name for name, _ in MIGRATIONS]
PREFIXES = range(len(MIGRATIONS))  # 0: an empty database; k: the first k migrations applied


@contextlib.contextmanager
def backend_url(backend: str, tmp_path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        with pg_schema_url() as url:
            yield url


@contextlib.contextmanager
def only_migrations(monkeypatch, steps) -> Iterator[None]:
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", tuple(steps))
        yield


def at_head(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            assert applied(conn) == HEAD
            tables = set(inspect(conn).get_table_names())
            assert set(metadata.tables) <= tables
            for table in metadata.sorted_tables:
                have = {c["name"] for c in inspect(conn).get_columns(table.name)}
                assert {c.name for c in table.columns} <= have, table.name
    finally:
        engine.dispose()


BACKENDS = ["sqlite", "postgresql"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_store_migrations_from_every_earlier_version_keep_the_data(backend, prefix, tmp_path, monkeypatch):
    with backend_url(backend, tmp_path) as url:
        with only_migrations(monkeypatch, MIGRATIONS[:prefix]):
            old = open_store(url)
            if prefix:  # a store at an earlier version with an article in it, written by that version's tables
                state = make_state("old1", TEXT, (make_event("old1", "FPOLD1"),))
                _insert_at_version(old, state)
            old.close()
        store = open_store(url)
        at_head(url)
        if prefix:
            assert store.article_ids() == ["old1"]
            assert [e.event_id for e in store.events(modalities=None)] == ["FPOLD1"]
            old_event = store.event("FPOLD1")
            assert old_event is not None and old_event.evidence is not None  # rebuilding events kept its rows
        store.add_state(make_state("new1", TEXT + " New.", (make_event("new1", "FPNEW1", event_date=dt.date(2019, 5, 1)),)))
        undated = make_event("new2", "FPNEW2", event_date=None, time_precision=None, date_basis=DateBasis.UNDATED)
        store.add_state(make_state("new2", TEXT + " Undated.", (undated,)))
        got = store.event("FPNEW2")
        assert got is not None and (got.event_date, got.time_precision, got.date_basis) == (None, None, "undated")
        assert store.counts()["articles"] == (3 if prefix else 2)
        store.close()
        open_store(url).close()  # opening again applies nothing and fails on nothing


def _insert_at_version(store, state) -> None:
    """Write an article as the code of that version did: each row limited to the columns its table
    has at this version (reflected from the database)."""
    import datetime as dt

    from sqlalchemy import MetaData, Table

    from flashpoint.records import text_sha256
    from flashpoint.store.repository import _event_row

    a = state.article
    rows = {
        "articles": [
            dict(id=a.id, text_sha256=text_sha256(a.text), title=a.title, source=a.source, url=a.url,
                 published=a.published, language=a.language, text=a.text,
                 coded_at=dt.datetime.now(dt.UTC).isoformat(), n_events=len(state.events))
        ],
        "sentences": [dict(article_id=a.id, idx=x.index, start=x.start, end=x.end) for x in state.sentences],
        "events": [_event_row(e) for e in state.events],
        "evidence": [
            dict(event_id=e.event_id, article_id=a.id, start=e.evidence.start, end=e.evidence.end, text=e.evidence.text)
            for e in state.events
        ],
    }
    with store.engine.begin() as conn:
        meta = MetaData()
        for name, values in rows.items():
            table = Table(name, meta, autoload_with=conn)
            cols = set(table.c.keys())
            conn.execute(table.insert(), [{k: v for k, v in r.items() if k in cols} for r in values])


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_migrations_0007_unknown_inter_becomes_null(backend, tmp_path, monkeypatch):
    """Actors stored with 0 for an unknown inter code read back with None; known codes are kept."""
    from sqlalchemy import select

    from flashpoint.control.stored import stored_states
    from flashpoint.store import schema

    before = [step for step in MIGRATIONS if step[0] < "0007"]
    with backend_url(backend, tmp_path) as url:
        with only_migrations(monkeypatch, before):
            old = open_store(url)
            _insert_at_version(old, make_state("old1", TEXT, (make_event("old1", "FPOLD1"),)))
            with old.engine.begin() as conn:  # "HTS" (inter 2) and "Protesters" read as an untyped party (0)
                conn.execute(schema.actors.insert(), [
                    {"name": "Idlib Civic Party", "kind": "political party", "inter": 0, "country": "SYR", "known": 1},
                    {"name": "Hayat Tahrir al-Sham", "kind": "rebel group", "inter": 2, "country": "SYR", "known": 1}])
                conn.execute(schema.actor_mentions.insert(), [
                    {"article_id": "old1", "start": 0, "end": 3, "text": "HTS", "actor": "Hayat Tahrir al-Sham",
                     "known": 1, "via": "alias"},
                    {"article_id": "old1", "start": 40, "end": 50, "text": "Protesters", "actor": "Idlib Civic Party",
                     "known": 1, "via": "alias"}])
            old.close()
        store = open_store(url)
        with store.engine.connect() as conn:
            rows = dict(conn.execute(select(schema.actors.c.name, schema.actors.c.inter)).all())
        assert rows == {"Idlib Civic Party": None, "Hayat Tahrir al-Sham": 2}
        (state,) = stored_states(store)
        assert [(m.text, m.actor.inter) for m in state.actor_mentions] == [("HTS", 2), ("Protesters", None)]
        store.close()


class Crash(RuntimeError):
    pass


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_store_migrations_crash_inside_a_migration_leaves_a_store_that_opens(backend, prefix, tmp_path, monkeypatch):
    """The process dies after migration ``prefix + 1`` changed the schema but before it was recorded:
    the next open applies it whole (the change was rolled back with the crash)."""
    with backend_url(backend, tmp_path) as url:
        with only_migrations(monkeypatch, MIGRATIONS[:prefix]):
            open_store(url).close()
        name, step = MIGRATIONS[prefix]

        def crash_after(conn):
            step(conn)
            raise Crash(f"died inside {name}")

        with only_migrations(monkeypatch, [*MIGRATIONS[:prefix], (name, crash_after)]), pytest.raises(Crash):
            open_store(url)
        open_store(url).close()
        at_head(url)


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_migrations_concurrent_first_opens_all_succeed(backend, tmp_path):
    """Eight writers open one fresh database at once (two `flashpoint code` runs and the API do)."""
    with backend_url(backend, tmp_path) as url:
        errors: list[BaseException] = []
        barrier = threading.Barrier(8)

        def open_it():
            barrier.wait()
            try:
                open_store(url).close()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        at_head(url)
