"""Helpers for the store integrity and concurrency tests (tests/test_store_*.py): a modest batch, the CLI
as a subprocess, and the checks a database must pass after a crash (integrity_check, whole articles)."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

CLI = [sys.executable, "-c", "from flashpoint.cli.app import main; main()"]

_PLACES = ["Aleppo", "Idlib", "Saraqib", "Homs", "Hama", "Raqqa", "Daraa", "Baghdad", "Mosul", "Kabul", "Mogadishu"]
_ACTORS = ["Government forces", "Hayat Tahrir al-Sham fighters", "Islamic State militants", "Unknown gunmen",
           "Turkish troops", "Kurdish fighters"]
_VERBS = ["shelled", "attacked", "stormed", "bombed", "raided"]


def write_batch(path: Path, n: int, *, start: int = 0, seed: int = 7) -> list[str]:
    """A JSONL batch of ``n`` distinct short conflict reports (ids ``a<start>``...); returns the ids."""
    ids = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            rnd = random.Random(seed * 1_000_003 + i)  # article i has one text in every batch
            parts = []
            for _ in range(rnd.randint(2, 5)):
                parts.append(
                    f"{rnd.choice(_ACTORS)} {rnd.choice(_VERBS)} the town of {rnd.choice(_PLACES)} on Monday, "
                    f"killing {rnd.randint(2, 40)} civilians, activists said."
                )
                parts.append(f"Hundreds of residents protested in {rnd.choice(_PLACES)} against the siege on Friday.")
            ids.append(f"a{i:04d}")
            fh.write(json.dumps({"id": ids[-1], "text": " ".join(parts) + f" Report {i}.", "published": "2018-05-08"}))
            fh.write("\n")
    return ids


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FLASHPOINT_MAX_ARTICLE_CHARS", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def code_cmd(batch: Path, url: str) -> list[str]:
    return [*CLI, "code", "--input", str(batch), "--db", url, "--format", "jsonl"]


def run_code(batch: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(code_cmd(batch, url), capture_output=True, text=True, env=cli_env(), check=False)


def whole_articles(url: str) -> dict[str, set[str]]:
    """Check that every stored article is whole; returns its event ids per article id.

    Whole: n_events equals its events rows, each event has its evidence, an article with events has
    its sentences (numbered 0..k-1), and no row belongs to an article that is not there.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            articles = {str(r[0]): int(r[1]) for r in conn.execute(text("SELECT id, n_events FROM articles"))}
            events: dict[str, set[str]] = {a: set() for a in articles}
            for article_id, event_id in conn.execute(text("SELECT article_id, event_id FROM events")):
                assert article_id in articles, f"event {event_id} of an article that is not stored"
                events[article_id].add(event_id)
            sentences: dict[str, list[int]] = {}
            for article_id, idx in conn.execute(text("SELECT article_id, idx FROM sentences")):
                assert article_id in articles, f"sentence of an article that is not stored: {article_id}"
                sentences.setdefault(article_id, []).append(int(idx))
            with_evidence = {str(r[0]) for r in conn.execute(text("SELECT DISTINCT event_id FROM evidence"))}
            for table in ("actor_mentions",):
                for (article_id,) in conn.execute(text(f"SELECT DISTINCT article_id FROM {table}")):
                    assert article_id in articles, f"{table} row of an article that is not stored"
    finally:
        engine.dispose()
    for article_id, n in articles.items():
        assert len(events[article_id]) == n, f"{article_id}: n_events {n} but {len(events[article_id])} events"
        if n:
            idx = sorted(sentences.get(article_id, []))
            assert idx and idx == list(range(len(idx))), f"{article_id}: sentences {idx}"
        missing = events[article_id] - with_evidence
        assert not missing, f"{article_id}: events without evidence {sorted(missing)[:3]}"
    return events


def sqlite_intact(path: Path) -> None:
    """``PRAGMA integrity_check`` is ok and no foreign key dangles (opened with the stdlib driver)."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
