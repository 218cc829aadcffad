"""The API and the store over a real PostgreSQL server (skipped without one, failing in CI)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time

import httpx
import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from flashpoint.api import ApiSettings, create_app
from flashpoint.cli import code as code_cli
from flashpoint.store import open_store
from flashpoint.store.migrations import MIGRATIONS
from tests.api_helpers import TOKEN, FakeCoder, filled_store
from tests.pg import pg_schema_url
from tests.web_harness import free_port


@pytest.fixture
def pg_url():
    with pg_schema_url() as url:
        yield url


@pytest.fixture
def client(pg_url, tmp_path):
    store = filled_store(tmp_path, pg_url)
    settings = ApiSettings(token=TOKEN, reads_per_minute=None, writes_per_minute=None)
    yield TestClient(create_app(store, settings, coder=FakeCoder()), raise_server_exceptions=False)
    store.close()


def test_api_postgres_records_the_same_named_migrations(pg_url):
    open_store(pg_url).close()
    store = open_store(pg_url)
    with store.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("select name from schema_migrations order by name"))]
    store.close()
    assert names == [name for name, _ in MIGRATIONS]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["FP2", "FP1", "FP4"]),
        ("?actor=TAHRIR", ["FP2", "FP1"]),
        ("?type=protests&country=syria", ["FP2"]),
        ("?since=2018-05-01&until=2018-05-31", ["FP1", "FP4"]),
        ("?bbox=36,36,37,37", ["FP4"]),
        ("?modality=all&q=shelled", ["FP1", "FP4", "FP3"]),
        ("?limit=1&offset=1", ["FP1"]),
        ("?q=%27%3B%20DROP%20TABLE%20events%3B%20--", []),
    ],
)
def test_api_postgres_filters(client, query, expected):
    r = client.get(f"/api/events{query}")
    assert r.status_code == 200, r.text
    got = [e["event_id"] for e in r.json()["events"]]
    assert got == expected


def test_api_postgres_detail_exports_and_posting(client):
    assert client.get("/api/events/FP2").json()["context"]["before"].endswith("on Monday. ")
    assert "FP4" in client.get("/api/export/acled.csv").text
    assert len(client.get("/api/export/events.geojson").json()["features"]) == 3
    r = client.post(
        "/api/articles?id=pg-1&published=2018-05-09",
        content="Jets bombed Ariha at night.",
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 200 and r.json()["coded"] == 1
    assert client.get("/api/events?article=pg-1").json()["events"][0]["event_date"] == "2018-05-09"


def test_api_postgres_nul_in_a_filter_is_400_not_a_server_error(client):
    r = client.get("/api/events", params={"actor": "a\x00b"})
    assert r.status_code == 400


def test_api_postgres_export_and_serve_commands_take_a_postgresql_url(pg_url, tmp_path):

    filled_store(tmp_path, pg_url).close()
    app = typer.Typer()
    code_cli.register(app, typer.Typer())
    result = CliRunner().invoke(app, ["export", "--db", pg_url, "--format", "acled-csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["event_id_cnty"] for r in rows] == ["FP2", "FP1", "FP4"]

    port = free_port()
    serve = "import typer; from flashpoint.cli.serve import serve; typer.run(serve)"
    proc = subprocess.Popen(
        [sys.executable, "-c", serve, "--db", pg_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/events?country=Turkey")
                break
            except httpx.TransportError:
                assert proc.poll() is None, "server exited"
                time.sleep(0.1)
        assert [e["event_id"] for e in r.json()["events"]] == ["FP4"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
