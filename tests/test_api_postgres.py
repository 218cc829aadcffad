"""The API and the store over a real PostgreSQL server (skipped without one, failing in CI)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from flashpoint.api import ApiSettings, create_app
from flashpoint.store import open_store
from flashpoint.store.migrations import MIGRATIONS
from tests.api_helpers import TOKEN, FakeCoder, filled_store
from tests.pg import pg_schema_url


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
