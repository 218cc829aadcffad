"""kill -9 a batch at random moments, run it again: every article stored exactly once, whole."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.batch_fakes import article_lines
from tests.conftest import ROOT, shared_file

DRIVER = """
import sys
from flashpoint.batch import code_items
from flashpoint.ingest import read_jsonl
from flashpoint.store import open_store
from tests.batch_fakes import fake_coder
store = open_store(sys.argv[2])
for _ in code_items(read_jsonl(sys.argv[1]), fake_coder(), store, batch_size=4, workers=int(sys.argv[3])):
    pass
print("done")
"""


def _write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _kill_after(cmd: list[str], delay: float) -> int | None:
    """Start ``cmd`` in its own process group, SIGKILL the group after ``delay`` s; its exit code."""
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        proc.wait(delay)
        return proc.returncode  # finished before the kill
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


def _check_db(db: Path, expected_ids: set[str]) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in con.execute("SELECT id FROM articles")]
        assert sorted(ids) == sorted(expected_ids), "every article exactly once"
        # no half-written article: each has as many stored events as it says, and its sentences
        half = con.execute(
            "SELECT a.id FROM articles a LEFT JOIN events e ON e.article_id = a.id "
            "GROUP BY a.id HAVING COUNT(e.event_id) != a.n_events"
        ).fetchall()
        assert half == []
        orphans = con.execute(
            "SELECT COUNT(*) FROM events e LEFT JOIN articles a ON a.id = e.article_id WHERE a.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        return {"articles": len(ids), "events": con.execute("SELECT COUNT(*) FROM events").fetchone()[0]}
    finally:
        con.close()


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_resume_after_kill_9_at_random_points_stores_each_article_once(tmp_path, workers):
    records = article_lines(400)
    src = tmp_path / "batch.jsonl"
    _write_jsonl(src, records)
    # one clean run elsewhere: how long a whole batch takes, and the events it must end with
    ref = tmp_path / "ref.db"
    started = time.perf_counter()
    cmd = [sys.executable, "-c", DRIVER, str(src), f"sqlite:///{ref}", str(workers)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    whole = time.perf_counter() - started
    expected = _check_db(ref, {r["id"] for r in records})

    db = tmp_path / "fp.db"
    cmd = [sys.executable, "-c", DRIVER, str(src), f"sqlite:///{db}", str(workers)]
    rng = random.Random(8 + workers)
    progress = []
    for _ in range(10):
        _kill_after(cmd, rng.uniform(0.2, whole))
        progress.append(_stored(db))
        if db.exists():
            _check_db_partial(db)
    final = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    assert _check_db(db, {r["id"] for r in records}) == expected
    assert any(0 < n < len(records) for n in progress), f"no kill landed mid-batch: {progress}"


def _check_db_partial(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        half = con.execute(
            "SELECT a.id FROM articles a LEFT JOIN events e ON e.article_id = a.id "
            "GROUP BY a.id HAVING COUNT(e.event_id) != a.n_events"
        ).fetchall()
        assert half == []
    finally:
        con.close()


def test_batch_resume_flashpoint_code_killed_and_rerun(tmp_path):
    """The real command and coder: killed three times, then run to the end with the same command."""
    lines = shared_file("eval/guardian-syria-dev.jsonl").read_text(encoding="utf-8").splitlines()[:10]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ids = {json.loads(x)["id"] for x in lines}
    db = tmp_path / "fp.db"
    out = tmp_path / "events.jsonl"
    exe = str(Path(sys.executable).with_name("flashpoint"))
    cmd = [
        exe,
        "code",
        "--input",
        str(src),
        "--db",
        f"sqlite:///{db}",
        "--format",
        "jsonl",
        "--all-modalities",
        "--out",
        str(out),
    ]
    rng = random.Random(9)
    for delay in sorted(rng.uniform(4, 25) for _ in range(3)):
        if _kill_after(cmd, delay) is not None:
            break
        if db.exists():
            _check_db_partial(db)
    final = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    counts = _check_db(db, ids)
    printed = [json.loads(x)["event_id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(printed) == len(set(printed)) == counts["events"]
