"""POST /api/events/{id}/review, the review queue, and reviews as the other routes show them.

On SQLite, and on PostgreSQL when FLASHPOINT_TEST_PG_URL is set (tests/pg.py).
"""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from flashpoint.api import ApiSettings, create_app
from tests.api_helpers import TOKEN, filled_store

AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = filled_store(tmp_path)
        yield s
        s.close()
        return
    from tests.pg import pg_schema_url

    with pg_schema_url() as url:
        s = filled_store(tmp_path, url)
        yield s
        s.close()


@pytest.fixture
def client(store):
    settings = ApiSettings(token=TOKEN, token_name="analyst-1", reads_per_minute=None, writes_per_minute=None)
    return TestClient(create_app(store, settings), raise_server_exceptions=False)


def ids(client, query: str = "") -> list[str]:
    r = client.get(f"/api/events{query}")
    assert r.status_code == 200, r.text
    return [e["event_id"] for e in r.json()["events"]]


def test_api_review_correction_is_recorded_by_the_token_name_and_shown(client):
    r = client.post("/api/events/FP1/review", json={"set": {"fatalities": 4, "actor2": "Civilians (Syria)"}},
                    headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["review"]["by"] == "analyst-1" and body["review"]["action"] == "correct"
    assert body["event"]["review_status"] == "corrected"
    assert body["event"]["machine_values"] == {"fatalities": 0, "actor2": None}
    got = client.get("/api/events/FP1").json()
    assert got["event"]["fatalities"] == 4 and got["event"]["review_status"] == "corrected"
    assert [x["by"] for x in got["reviews"]] == ["analyst-1"]
    listed = {e["event_id"]: e for e in client.get("/api/events").json()["events"]}
    assert listed["FP1"]["actor2"] == "Civilians (Syria)" and listed["FP2"]["review_status"] == "unreviewed"
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(client.get("/api/export/acled.csv").text))}
    assert rows["FP1"]["fatalities"] == "4" and rows["FP1"]["actor2"] == "Civilians (Syria)"


def test_api_review_reject_confirm_and_duplicate(client):
    assert client.post("/api/events/FP2/review", json={"reject": True}, headers=AUTH).status_code == 200
    assert ids(client) == ["FP1", "FP4"]
    assert ids(client, "?include_rejected=true") == ["FP2", "FP1", "FP4"]
    assert ids(client, "?review_status=rejected") == ["FP2"]
    assert "FP2" not in client.get("/api/export/events.geojson").text
    assert client.get("/api/events/FP2").json()["event"]["review_status"] == "rejected"
    r = client.post("/api/events/FP4/review", json={"duplicate_of": "FP1"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["review"]["duplicate_of"] == "FP1"
    assert client.post("/api/events/FP1/review", json={"confirm": True}, headers=AUTH).json()["event"][
        "review_status"] == "confirmed"
    assert ids(client) == ["FP1"]


def test_api_review_rejected_events_leave_the_support_view(client):
    def protests() -> int:
        r = client.get("/api/support?actor=Hayat Tahrir al-Sham&by=month")
        assert r.status_code == 200, r.text
        return sum(p["protests_against"] for p in r.json()["periods"])

    assert protests() == 1  # FP2: protesters marched against HTS
    client.post("/api/events/FP2/review", json={"reject": True}, headers=AUTH)
    assert protests() == 0


@pytest.mark.parametrize(
    "headers", [{}, {"authorization": "Bearer wrong-token-000000"}, {"authorization": "Basic abc"}]
)
def test_api_review_without_the_token_is_401(client, headers):
    r = client.post("/api/events/FP1/review", json={"confirm": True}, headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/events/FP1").json()["reviews"] == []


def test_api_review_read_only_server_is_403(store):
    client = TestClient(create_app(store, ApiSettings()))
    assert client.post("/api/events/FP1/review", json={"confirm": True}, headers=AUTH).status_code == 403


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"set": {"colour": "red"}}, "colour"),
        ({"set": {"fatalities": -2}}, "fatalities"),
        ({"set": {"event_date": "yesterday"}}, "event_date"),
        ({"set": {"sub_event_type": "Skirmish"}}, "sub_event_type"),
        ({"set": {}}, "fields"),
        ({"duplicate_of": "FPNONE"}, "duplicate_of"),
        ({"confirm": True, "reject": True}, "exactly one"),
        ({}, "exactly one"),
        ({"approve": True}, "approve"),
        ({"set": ["fatalities", 3]}, "set"),
    ],
)
def test_api_review_bad_body_is_422_naming_it(client, body, named):
    r = client.post("/api/events/FP1/review", json=body, headers=AUTH)
    assert r.status_code == 422, r.text
    assert named in r.json()["detail"]
    assert client.get("/api/events/FP1").json()["reviews"] == []


def test_api_review_body_that_is_not_json_is_422(client):
    r = client.post("/api/events/FP1/review", content=b"confirm", headers={**AUTH, "content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]


def test_api_review_unknown_event_is_404(client):
    r = client.post("/api/events/FPNONE/review", json={"confirm": True}, headers=AUTH)
    assert r.status_code == 404 and "FPNONE" in r.json()["detail"]


def test_api_review_queue_is_least_confident_first(client, store):
    import dataclasses
    import datetime as dt

    from tests.api_helpers import hand_made_events
    from tests.helpers import make_state

    low = dataclasses.replace(hand_made_events()[0], event_id="FPLOW", article_id="a2", confidence=0.1,
                              event_date=dt.date(2017, 1, 1))  # not the same event as FP1
    store.add_state(make_state("a2", "Another text entirely.", (low,)))
    r = client.get("/api/review/queue?limit=2")
    assert r.status_code == 200
    assert r.json()["events"][0]["event_id"] == "FPLOW"
    client.post("/api/events/FPLOW/review", json={"confirm": True}, headers=AUTH)
    assert "FPLOW" not in [e["event_id"] for e in client.get("/api/review/queue").json()["events"]]


def test_api_review_event_detail_can_carry_the_article_text(client, store):
    body = client.get("/api/events/FP1?text=true").json()
    assert body["article_text"] == store.article("a1").text
    assert client.get("/api/events/FP1").json()["article_text"] is None
