"""Concurrent writers on one store lose nothing and duplicate nothing: two `flashpoint code`
processes with overlapping inputs, and a thread storing articles as the API's POST does, all at
once into a fresh database. On SQLite, and on PostgreSQL when FLASHPOINT_TEST_PG_URL is set."""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from flashpoint.store import Store, open_store
from tests.fuzz.store_checks import cli_env, code_cmd, run_code, whole_articles, write_batch
from tests.helpers import TEXT, make_event, make_state
from tests.pg import pg_schema_url

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    """Batch A (articles 0-23) and batch B (12-35) overlap in 12 articles; their events from one
    unkilled sequential run of A then B."""
    folder = tmp_path_factory.mktemp("concurrency")
    a, b = folder / "a.jsonl", folder / "b.jsonl"
    ids_a = write_batch(a, 24, start=0)
    ids_b = write_batch(b, 24, start=12)
    assert len(set(ids_a) & set(ids_b)) == 12
    url = f"sqlite:///{folder / 'reference.db'}"
    for path in (a, b):
        done = run_code(path, url)
        assert done.returncode == 0, done.stderr
    reference = whole_articles(url)
    assert set(reference) == set(ids_a) | set(ids_b)
    return a, b, reference


@contextlib.contextmanager
def backend_url(backend: str, tmp_path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        with pg_schema_url() as url:
            yield url


def api_state(n: int):
    """What the API's POST stores: a coded article with its events (hand-made, no NLP)."""
    import datetime as dt

    article_id = f"api{n:03d}"
    day = dt.date(2019, 1, 1) + dt.timedelta(days=n)
    events = tuple(make_event(article_id, f"FPAPI{n:03d}{e}", event_date=day) for e in range(3))
    return make_state(article_id, f"{TEXT} Posted {n}.", events)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_store_concurrency_two_code_processes_and_an_api_thread(backend, batches, tmp_path):
    batch_a, batch_b, reference = batches
    with backend_url(backend, tmp_path) as url:
        procs = [
            subprocess.Popen(code_cmd(path, url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env())
            for path in (batch_a, batch_b)
        ]
        writes: list[tuple[int, bool]] = []
        errors: list[BaseException] = []

        def api_writer() -> None:
            try:
                store = open_store(url)
                n = 0
                # keep writing while the processes run (and at least 30 times); every 5th write
                # repeats an earlier article, as a client retrying a POST would
                while n < 30 or any(p.poll() is None for p in procs):
                    if n % 5 == 4:
                        result = store.add_state(api_state(n - 2))
                        assert not result.stored and result.events == 0
                    else:
                        writes.append((n, store.add_state(api_state(n)).stored))
                    n += 1
                    time.sleep(0.05)
                store.close()
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=api_writer)
        thread.start()
        outs = [p.communicate() for p in procs]
        thread.join()
        assert errors == [], errors
        for p, (_out, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err
        assert writes and all(stored for _, stored in writes)

        stored = whole_articles(url)
        api_ids = {f"api{n:03d}" for n, _ in writes}
        assert set(stored) == set(reference) | api_ids, "an article was lost or one appeared from nowhere"
        for article_id, events in reference.items():
            assert stored[article_id] == events, f"{article_id}: events differ from a sequential run"
        for n, _ in writes:
            assert stored[f"api{n:03d}"] == {f"FPAPI{n:03d}{e}" for e in range(3)}
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            dup_texts = conn.execute(
                text("SELECT count(*) FROM (SELECT text_sha256 FROM articles GROUP BY text_sha256 HAVING count(*) > 1) d")
            ).scalar_one()
            n_events = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
            declared = conn.execute(text("SELECT sum(n_events) FROM articles")).scalar_one()
        engine.dispose()
        assert dup_texts == 0 and n_events == declared
        Store(url).close()
        print(
            f"{backend}: {len(writes) + 48} concurrent article writes (2 x 24 from the CLI, 12 overlapping; "
            f"{len(writes)} from the thread, plus retries): {len(stored)} articles, {n_events} events, none lost or duplicated"
        )


def test_postgresql_writer_racing_on_a_shared_actor_still_stores_its_article():
    """Two writers both see an actor missing and both insert it: the second keeps its article.

    The race is made deterministic: just before writer A inserts its actor rows, writer B stores
    another article naming the same actor and commits.
    """
    from sqlalchemy import event

    with pg_schema_url() as url:
        a, b = open_store(url), open_store(url)
        try:
            raced = []

            def b_first(conn, cursor, statement, *args):
                if not raced and "INSERT INTO actors" in statement:
                    raced.append(b.add_state(make_state("b1", f"{TEXT} From B.", (make_event("b1", "FPB1"),))).stored)

            event.listen(a.engine, "before_cursor_execute", b_first)
            result = a.add_state(make_state("a1", f"{TEXT} From A.", (make_event("a1", "FPA1"),)))
            assert raced == [True]
            assert result.stored and result.events == 1
            assert set(whole_articles(url)) == {"a1", "b1"}
            assert a.counts()["actors"] == 1
        finally:
            a.close()
            b.close()
