"""`flashpoint sql`: read-only DuckDB queries over the store's tables, read through Arrow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.store import open_store
from flashpoint.store.arrow import SQL_TABLES, run_sql, tables_named
from tests.helpers import make_event, make_state

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    store = open_store(url)
    protest = make_event("a1", "FP2", event_type="Protests", sub_event_type="Peaceful protest", fatalities=0)
    store.add_state(make_state("a1", events=(make_event("a1", "FP1", fatalities=3), protest)))
    store.close()
    return url


def _sql(db: str, query: str, *extra: str):
    return runner.invoke(app, ["sql", query, "--db", db, *extra])


def test_cli_sql_groups_events(db: str):
    result = _sql(
        db, "SELECT event_type, sum(fatalities) AS dead FROM events GROUP BY 1 ORDER BY 1", "-f", "jsonl"
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == [
        {"event_type": "Explosions/Remote violence", "dead": 3},
        {"event_type": "Protests", "dead": 0},
    ]


def test_cli_sql_nested_fields_are_columns(db: str):
    query = "SELECT event_id, plover.type AS plover_type, evidence.text AS ev, event_date, field_evidence FROM events"
    result = _sql(db, query + " WHERE event_id = 'FP1'", "-f", "jsonl")
    row = json.loads(result.stdout)
    assert row["plover_type"] == "ASSAULT" and row["ev"].startswith("HTS fighters shelled")
    assert row["event_date"] == "2018-05-07"
    assert row["field_evidence"] == {"actor1": {"start": 0, "end": 3}, "location": {"start": 21, "end": 28}}


def test_cli_sql_joins_articles_actors_and_csv(db: str):
    query = "SELECT a.title, count(e.event_id) AS n FROM articles a JOIN events e ON e.article_id = a.id GROUP BY 1"
    result = _sql(db, query, "--format", "csv")
    assert result.stdout.splitlines() == ["title,n", "title,2"]
    actors = _sql(db, "SELECT name, inter FROM actors", "-f", "csv")
    assert actors.stdout.splitlines()[1] == "Hayat Tahrir al-Sham,2"


def test_cli_sql_table_output_counts_rows(db: str):
    result = _sql(db, "SELECT event_id FROM events")
    assert result.exit_code == 0 and "FP1" in result.stdout and "2 row(s)" in result.stdout


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * FROM nope", "nope"),
        ("COPY (SELECT * FROM events) TO 'leak.csv'", "disabled"),
        ("SELECT * FROM read_csv('/etc/hostname')", "disabled"),
        ("ATTACH 'other.duckdb'", "disabled"),
        ("SET enable_external_access = true", "locked"),
        ("   ", "empty query"),
    ],
)
def test_cli_sql_refuses_bad_or_writing_queries(
    db: str, tmp_path: Path, monkeypatch, query: str, message: str
):
    monkeypatch.chdir(tmp_path)
    result = _sql(db, query)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "leak.csv").exists() and not (tmp_path / "other.duckdb").exists()


def test_cli_sql_leaves_the_store_as_it_was(db: str):
    store = open_store(db)
    before = store.counts()
    _sql(db, "CREATE TABLE events2 AS SELECT * FROM events")
    _sql(db, "DELETE FROM events")
    assert open_store(db).counts() == before


def test_cli_sql_loads_only_the_tables_named():
    assert tables_named("select * from events e join places p on true") == ["events", "places"]
    assert set(tables_named(" ".join(SQL_TABLES))) == set(SQL_TABLES)


def test_cli_sql_empty_store_has_typed_empty_tables(tmp_path: Path):
    store = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    assert run_sql(store, "SELECT count(*) AS n FROM events, places").to_pylist() == [{"n": 0}]
