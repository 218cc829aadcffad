"""kill -9 during coding, export and migration leaves a database that opens, passes
``PRAGMA integrity_check`` and holds only whole articles; an export leaves no half file under its name.

The kill points are random (seeded by ``FLASHPOINT_KILL_SEED``, printed on failure) and spread over
the batch: each round codes the batch into a fresh database, resumed after every kill until a run
finishes, with kill times drawn over the time an unkilled run takes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flashpoint.store import open_store
from tests.fuzz.store_checks import (
    CLI,
    cli_env,
    code_cmd,
    run_code,
    sqlite_intact,
    whole_articles,
    write_batch,
)

pytestmark = pytest.mark.slow

KILL_POINTS = int(os.environ.get("FLASHPOINT_KILL_POINTS", "20"))
SEED = int(os.environ.get("FLASHPOINT_KILL_SEED", str(random.SystemRandom().randrange(10**6))))


def _kill_after(cmd: list[str], delay: float, **kw: object) -> int | None:
    """Run ``cmd``; kill -9 it after ``delay`` seconds. Returns its exit status, None when killed."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env(), **kw)  # type: ignore[call-overload]
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return None


def _stored(db: Path) -> int:
    import sqlite3

    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=30)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def _kill_after_commit(cmd: list[str], db: Path, delay: float) -> int | None:
    """Run ``cmd``; once it has committed articles beyond those stored now, kill -9 it ``delay``
    seconds later (during the next chunk, or its commit). Returns its exit status, None when killed."""
    before = _stored(db)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env())
    while proc.poll() is None:
        if _stored(db) > before:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return None if proc.returncode == -signal.SIGKILL else proc.returncode
        time.sleep(0.05)
    return proc.returncode


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A modest batch (32 articles, two chunks) and its events from one unkilled run."""
    folder = tmp_path_factory.mktemp("kill")
    path = folder / "batch.jsonl"
    ids = write_batch(path, 32)
    url = f"sqlite:///{folder / 'reference.db'}"
    started = time.monotonic()
    done = run_code(path, url)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    reference = whole_articles(url)
    assert set(reference) == set(ids) and sum(len(v) for v in reference.values()) > len(ids)
    return path, ids, reference, took


def test_store_integrity_kill_during_coding_leaves_whole_articles(batch, tmp_path):
    path, ids, reference, took = batch
    rnd = random.Random(SEED)
    killed = rounds = 0
    log: list[str] = []
    while killed < KILL_POINTS:
        rounds += 1
        db = tmp_path / f"round{rounds}.db"
        url = f"sqlite:///{db}"
        # every other kill at a random time, the others at a random moment after the run's first
        # commit; each run resumes the last (stored articles skipped): the kills move through the batch
        for turn in range(10**6):
            if turn % 2 == 0:  # at a random time
                delay = took * rnd.uniform(0.2, 0.8)
                status = _kill_after(code_cmd(path, url), delay)
            else:  # at a random moment after the run's first commit
                delay = rnd.uniform(0.0, took / 4)
                status = _kill_after_commit(code_cmd(path, url), db, delay)
            if status is not None:  # finished before the kill: the batch is whole, next round
                assert status == 0
                break
            killed += 1
            if not db.exists():
                log.append(f"{delay:.1f}s: killed before the database was created")
                continue
            sqlite_intact(db)
            stored = whole_articles(url)
            for article_id, events in stored.items():
                assert events == reference[article_id], (
                    f"seed {SEED}: {article_id} after a kill at {delay:.1f}s has {sorted(events)}, "
                    f"an unkilled run {sorted(reference[article_id])}"
                )
            open_store(url).close()  # opens (and migrates) after the kill
            log.append(f"{'+' if turn % 2 else ''}{delay:.1f}s: {len(stored)}/{len(ids)} articles stored")
            if killed >= KILL_POINTS:
                break
        # finish the round: nothing lost, nothing duplicated
        done = run_code(path, url)
        assert done.returncode == 0, done.stderr
        assert whole_articles(url) == reference, f"seed {SEED}"
        printed = [json.loads(line)["event_id"] for line in done.stdout.splitlines()]
        assert len(printed) == len(set(printed))
    print(f"kill -9 during coding: {killed} kill points in {rounds} rounds (seed {SEED}): " + "; ".join(log))


def _export_cmd(url: str, out: Path, fmt: str) -> list[str]:
    return [*CLI, "export", "--db", url, "--format", fmt, "--out", str(out), "--all-modalities"]


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    """A store with 20,000 events (hand-made, no NLP), so that an export takes long enough to kill."""
    import datetime as dt

    from flashpoint.store import Store
    from tests.helpers import TEXT, make_event, make_state

    folder = tmp_path_factory.mktemp("export")
    url = f"sqlite:///{folder / 'big.db'}"
    store = Store(url, merge_reports=False)
    states = []
    for a in range(200):
        article_id = f"big{a}"
        day = dt.date(2018, 1, 1) + dt.timedelta(days=a)
        events = tuple(make_event(article_id, f"FP{a:04d}{e:03d}", event_date=day, fatalities=e) for e in range(100))
        states.append(make_state(article_id, f"{TEXT} Copy {a}.", events))
    store.add_states(states)
    assert store.counts()["events"] == 20_000
    store.close()
    return folder, url


@pytest.mark.parametrize("fmt", ["jsonl", "geojson"])
def test_store_integrity_kill_during_export_leaves_no_half_file(big_db, fmt):
    folder, url = big_db
    rnd = random.Random(SEED)
    out = folder / f"events.{fmt}"
    out.write_text("OLD\n", encoding="utf-8")
    # the first command on this store reads its articles once for their statements of control (the
    # session's back-fill); the kill points are taken within the time of an export alone
    assert _kill_after(_export_cmd(url, out, fmt), 600) == 0
    started = time.monotonic()
    assert _kill_after(_export_cmd(url, out, fmt), 600) == 0
    took = time.monotonic() - started
    whole = out.read_bytes()
    assert whole != b"OLD\n"
    kills = 0
    for k in range(5):
        out.write_text("OLD\n", encoding="utf-8")
        status = _kill_after(_export_cmd(url, out, fmt), took * (k + rnd.random()) / 5)
        kills += status is None
        after = out.read_bytes()
        assert after in (b"OLD\n", whole), f"seed {SEED}: half-written {out.name} ({len(after)} bytes)"
    sqlite_intact(Path(url.removeprefix("sqlite:///")))
    assert kills >= 3, f"only {kills} of 5 exports were killed before they finished"
    if fmt == "geojson":
        assert len(json.loads(whole)["features"]) == 20_000
    else:
        assert len(whole.decode().splitlines()) == 20_000 + (fmt == "acled-csv")  # + the header


_MIGRATE_MANY = """
import sys
from flashpoint.store import open_store
print("ready", flush=True)
for n in range(10**6):
    open_store(f"sqlite:///{sys.argv[1]}/m{n}.db").close()
"""


def test_store_integrity_kill_during_migration_leaves_a_store_that_opens(tmp_path):
    """A process that keeps opening (creating and migrating) fresh stores is killed at random: each
    database it left opens afterwards, passes integrity_check and is fully migrated once opened."""
    from sqlalchemy import create_engine, inspect

    from flashpoint.store.migrations import MIGRATIONS, applied
    from flashpoint.store.schema import metadata

    rnd = random.Random(SEED)
    kills = 0
    for k in range(5):
        folder = tmp_path / f"k{k}"
        folder.mkdir()
        proc = subprocess.Popen([sys.executable, "-c", _MIGRATE_MANY, str(folder)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.2 + rnd.random() * 1.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        made = sorted(folder.glob("m*.db"), key=lambda p: int(p.stem[1:]))
        assert len(made) >= 2
        for db in made:
            if db.stat().st_size:
                sqlite_intact(db)
            url = f"sqlite:///{db}"
            open_store(url).close()
            engine = create_engine(url)
            with engine.connect() as conn:
                assert applied(conn) == sorted(name for name, _ in MIGRATIONS)
                assert set(metadata.tables) <= set(inspect(conn).get_table_names())
            engine.dispose()
    assert kills == 5
