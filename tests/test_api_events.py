"""GET /api/events, /api/events/{id}, the exports, /api/config and /openapi.json over hand-made events."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from flashpoint.api import ApiSettings, create_app
from flashpoint.serialize import event_to_dict
from flashpoint.store.exports import ACLED_COLUMNS
from tests.api_helpers import filled_store, hand_made_events


@pytest.fixture
def store(tmp_path):
    s = filled_store(tmp_path)
    yield s
    s.close()


@pytest.fixture
def client(store):
    return TestClient(create_app(store, ApiSettings(reads_per_minute=None)))


def ids(client, query: str = "") -> list[str]:
    r = client.get(f"/api/events{query}")
    assert r.status_code == 200, r.text
    return [e["event_id"] for e in r.json()["events"]]


def test_api_events_follow_the_json_contract(client):
    body = client.get("/api/events").json()
    expected = {e.event_id: event_to_dict(e) for e in hand_made_events()}
    assert [e["event_id"] for e in body["events"]] == ["FP2", "FP1", "FP4"]
    for got in body["events"]:
        assert got == expected[got["event_id"]]
    assert body["next_offset"] is None and body["offset"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?actor=tahrir", ["FP2", "FP1"]),
        ("?actor=YPG", ["FP4"]),
        ("?type=protests", ["FP2"]),
        ("?type=Battles", ["FP4"]),
        ("?sub_type=Shelling/artillery/missile attack", ["FP1"]),
        ("?sub_type=armed clash", ["FP4"]),
        ("?country=turkey", ["FP4"]),
        ("?country=Syria", ["FP2", "FP1"]),
        ("?admin1=Hatay", ["FP4"]),
        ("?since=2018-05-01", ["FP1", "FP4"]),
        ("?until=2018-04-30", ["FP2"]),
        ("?since=2018-05-01&until=2018-05-10", ["FP1"]),
        ("?bbox=36.7,35.8,36.9,35.9", ["FP1"]),
        ("?bbox=36,36,37,37", ["FP4"]),
        ("?modality=threatened", ["FP3"]),
        ("?modality=asserted&modality=threatened", ["FP2", "FP1", "FP4", "FP3"]),
        ("?modality=all", ["FP2", "FP1", "FP4", "FP3"]),
        ("?q=marched", ["FP2"]),
        ("?q=shelled", ["FP1", "FP4"]),
        ("?article=a1", ["FP2", "FP1", "FP4"]),
        ("?article=zz", []),
        ("?actor=nobody", []),
        ("?type=Protests&country=Turkey", []),
    ],
)
def test_api_events_filters(client, query, expected):
    assert ids(client, query) == expected


def test_api_events_pages(client):
    first = client.get("/api/events?limit=2").json()
    assert [e["event_id"] for e in first["events"]] == ["FP2", "FP1"] and first["next_offset"] == 2
    second = client.get("/api/events?limit=2&offset=2").json()
    assert [e["event_id"] for e in second["events"]] == ["FP4"] and second["next_offset"] is None


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("?limit=0", 422, "limit"),
        ("?limit=100000", 422, "limit"),
        ("?offset=-1", 422, "offset"),
        ("?since=yesterday", 422, "since"),
        ("?modality=rumoured", 422, "modality"),
        ("?bbox=1,2,3", 400, "four numbers"),
        ("?bbox=a,b,c,d", 400, "four numbers"),
        ("?bbox=nan,0,1,1", 400, "four numbers"),
        ("?bbox=10,0,5,1", 400, "west <= east"),
        ("?bbox=0,0,1,100", 400, "north <= 90"),
        ("?q=a%00b", 400, "control characters"),
        ("?actor=" + "x" * 300, 422, "actor"),
    ],
)
def test_api_events_bad_filters_are_clear_4xx(client, query, status, says):
    r = client.get(f"/api/events{query}")
    assert r.status_code == status
    assert says in json.dumps(r.json())


@pytest.mark.parametrize(
    "param", ["actor", "type", "sub_type", "country", "admin1", "q", "article", "bbox", "since", "modality"]
)
@pytest.mark.parametrize(
    "attack",
    ["' OR '1'='1", "x'); DROP TABLE events; --", '" OR 1=1 --', "%' OR 1=1 --", "\\' UNION SELECT 1 --"],
)
def test_api_events_filters_resist_sql_injection(client, store, param, attack):
    r = client.get("/api/events", params={param: attack})
    assert r.status_code in (200, 400, 422)
    if r.status_code == 200:
        assert r.json()["events"] == []
    assert store.counts()["events"] == 4
    assert ids(client, "?modality=all") == ["FP2", "FP1", "FP4", "FP3"]


def test_api_event_detail_has_evidence_context_sources_and_article(client):
    body = client.get("/api/events/FP2").json()
    assert body["event"]["evidence"] == {
        "text": "Protesters marched in Idlib against HTS.",
        "start": 40,
        "end": 80,
    }
    assert body["event"]["sources"][0]["article_id"] == "a1"
    assert body["context"]["before"].endswith("on Monday. ")
    assert body["article"] == {
        "id": "a1",
        "title": "title",
        "source": "Test Wire",
        "url": None,
        "published": "2018-05-08",
    }


def test_api_event_detail_unknown_id_is_404(client):
    r = client.get("/api/events/NOPE")
    assert r.status_code == 404 and "NOPE" in r.json()["detail"]


def test_api_export_acled_csv_is_filtered_acled_columns(client):
    r = client.get("/api/export/acled.csv?country=Syria")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0].keys()) == ACLED_COLUMNS
    assert [row["event_id_cnty"] for row in rows] == ["FP2", "FP1"]
    assert rows[1]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert rows[1]["latitude"] == "35.8624"


def test_api_export_geojson_is_a_feature_collection(client):
    r = client.get("/api/export/events.geojson?modality=all")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    assert [f["id"] for f in fc["features"]] == ["FP2", "FP1", "FP4", "FP3"]
    assert fc["features"][1]["geometry"] == {"type": "Point", "coordinates": [36.8006, 35.8624]}
    assert client.get("/api/export/events.geojson?limit=1").json()["features"][0]["id"] == "FP2"


def test_api_export_empty_result_is_still_valid(client):
    assert client.get("/api/export/events.geojson?actor=nobody").json() == {
        "type": "FeatureCollection",
        "features": [],
    }
    assert client.get("/api/export/acled.csv?actor=nobody").text.strip() == ",".join(ACLED_COLUMNS)


def test_api_config_says_read_only_without_token(store):
    c = TestClient(create_app(store, ApiSettings(tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png")))
    body = c.get("/api/config").json()
    assert body["writable"] is False
    assert body["tile_url"] == "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    assert "https://*.tile.example.org" in c.get("/").headers["content-security-policy"]
    assert TestClient(create_app(store, ApiSettings(token="t" * 12))).get("/api/config").json()["writable"]


def test_api_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/export/acled.csv",
        "/api/export/events.geojson",
        "/api/articles",
        "/api/config",
    ):
        assert path in paths
    assert set(paths["/api/articles"]["post"]["requestBody"]["content"]) == {"application/json", "text/plain"}
