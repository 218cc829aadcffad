"""GET /api/actors/{name}, /api/control, /api/control/timeline and /api/support over hand-made events."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from flashpoint.api import ApiSettings, create_app
from flashpoint.records import Evidence
from tests.api_helpers import filled_store
from tests.helpers import make_event, make_state

CAPTURE = "HTS fighters captured Saraqib from rebel factions on Monday after heavy fighting."


@pytest.fixture
def client(tmp_path):
    store = filled_store(tmp_path)
    capture = make_event(
        "a2",
        "FPC1",
        event_type="Strategic developments",
        sub_event_type="Non-state actor overtakes territory",
        disorder_type="Political violence",
        actor1="Hayat Tahrir al-Sham",
        actor2="National Front for Liberation",
        inter2=2,
        event_date=dt.date(2018, 2, 5),
        evidence=Evidence("a2", CAPTURE, 0, len(CAPTURE)),
        sources=(Evidence("a2", CAPTURE, 0, len(CAPTURE)),),
        field_evidence={},
    )
    store.add(make_state("a2", text=CAPTURE, events=(capture,)))
    yield TestClient(create_app(store, ApiSettings(reads_per_minute=None)))
    store.close()


def test_api_views_actor_by_alias_with_lineage(client):
    body = client.get("/api/actors/HTS").json()
    assert body["name"] == "Hayat Tahrir al-Sham" and body["inter"] == 2 and body["country"] == "SYR"
    assert "HTS" in body["aliases"] and body["matched"] == "HTS"
    assert any(r["target"] == "al-Qaeda" for r in body["relations"])


def test_api_views_actor_without_an_inter_code_has_null(client):
    r = client.get("/api/actors/Recep Tayyip Erdogan")
    assert r.status_code == 200 and r.json()["kind"] == "person" and r.json()["inter"] is None


def test_api_views_actor_former_name_on_a_date(client):
    body = client.get("/api/actors/Jabhat al-Nusra", params={"date": "2015-01-01"}).json()
    assert body["name_on_date"] == "Jabhat al-Nusra"


def test_api_views_unknown_actor_is_404(client):
    r = client.get("/api/actors/Nobody At All")
    assert r.status_code == 404 and "Nobody At All" in r.json()["detail"]


def test_api_views_control_of_a_place_on_a_date_with_evidence(client):
    body = client.get("/api/control", params={"place": "Saraqib", "date": "2018-03-01"}).json()
    assert body["holder"] == "Hayat Tahrir al-Sham"
    assert body["since"] == "2018-02-05"
    assert body["evidence"][0]["text"] == CAPTURE and body["evidence"][0]["event_id"] == "FPC1"
    before = client.get("/api/control", params={"place": "Saraqib", "date": "2018-01-01"}).json()
    assert before["holder"] == "National Front for Liberation"  # the loser held it before
    assert before["until"] == "2018-02-05"


def test_api_views_control_by_actor(client):
    body = client.get("/api/control", params={"actor": "Hayat Tahrir al-Sham"}).json()
    assert body["by"] == "month"
    assert body["periods"][0] == {"period": "2018-02", "places": ["Saraqib"], "gained": 1, "lost": 0}


@pytest.mark.parametrize("asked", ["HTS", "hayat tahrir al sham", "Tahrir"])
def test_api_views_control_by_actor_resolves_names_as_the_cli_does(client, tmp_path, asked):
    """Initials, a loose spelling and a unique part of the name: the API and `flashpoint control`
    resolve them the same way, to the same holdings."""
    import json

    from typer.testing import CliRunner

    from flashpoint.cli.app import app

    body = client.get("/api/control", params={"actor": asked}).json()
    assert body["actor"] == "Hayat Tahrir al-Sham"
    assert body["periods"] == [{"period": "2018-02", "places": ["Saraqib"], "gained": 1, "lost": 0}]
    cli = CliRunner().invoke(app, ["control", "--actor", asked, "--format", "jsonl", "--db",
                                   f"sqlite:///{tmp_path / 'api.db'}"])
    assert cli.exit_code == 0, cli.stderr
    rows = [json.loads(line) for line in cli.stdout.splitlines()]
    assert [r["actor"] for r in rows] == ["Hayat Tahrir al-Sham"]
    assert [{k: r[k] for k in ("period", "places", "gained", "lost")} for r in rows] == body["periods"]


def test_api_views_control_of_an_unknown_actor_names_it_and_lists_nothing(client):
    assert client.get("/api/control", params={"actor": "Nobody"}).json() == {"actor": "Nobody", "by": "month",
                                                                              "periods": []}


def test_api_views_support_resolves_initials(client):
    body = client.get("/api/support", params={"actor": "HTS", "by": "month"}).json()
    assert body["actor"] == "Hayat Tahrir al-Sham" and [p["event_ids"] for p in body["periods"]] == [["FP2"]]


@pytest.mark.parametrize(
    "query", [{}, {"place": "Saraqib", "actor": "HTS"}, {"place": "   "}, {"place": "a\x00"}]
)
def test_api_views_control_needs_place_or_actor(client, query):
    assert client.get("/api/control", params=query).status_code == 400


def test_api_views_control_timeline_lists_a_places_intervals_in_time_order(client):
    body = client.get("/api/control/timeline", params={"place": "Saraqib"}).json()
    assert body["place"] == "Saraqib"
    assert [(i["holder"], i["start"], i["end"]) for i in body["intervals"]] == [
        ("National Front for Liberation", None, "2018-02-05"),  # the loser held it before
        ("Hayat Tahrir al-Sham", "2018-02-05", None),
    ]
    held = body["intervals"][1]["evidence"][0]
    assert held["text"] == CAPTURE and held["event_id"] == "FPC1" and held["article"]["id"] == "a2"


def test_api_views_control_timeline_of_an_unknown_place_is_empty(client):
    body = client.get("/api/control/timeline", params={"place": "Nowhere"}).json()
    assert body == {"place": "Nowhere", "geonameid": None, "intervals": []}


@pytest.mark.parametrize(
    ("query", "status"), [({}, 422), ({"place": "   "}, 400), ({"place": "a\x00"}, 400), ({"place": "x", "geonameid": 0}, 422)]
)
def test_api_views_control_timeline_refuses_a_bad_place(client, query, status):
    assert client.get("/api/control/timeline", params=query).status_code == status


def test_api_views_support_by_month(client):
    body = client.get("/api/support", params={"actor": "Hayat Tahrir al-Sham", "by": "month"}).json()
    assert body["periods"] == [
        {
            "period": "2018-04",
            "protests_against": 1,
            "force_against_protesters": 0,
            "defections": 0,
            "surrenders": 0,
            "event_ids": ["FP2"],
        }
    ]
    assert client.get("/api/support", params={"actor": "x", "by": "decade"}).status_code == 422
    assert client.get("/api/support").status_code == 422


def test_api_views_page_config_lists_the_views(client):
    assert client.get("/api/config").json()["features"] == ["actors", "control", "support"]


@pytest.mark.parametrize("attack", ["' OR '1'='1", "x'); DROP TABLE events; --", "%' OR 1=1 --"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/actors/{a}",
        "/api/control?place={a}",
        "/api/control?actor={a}",
        "/api/control/timeline?place={a}",
        "/api/support?actor={a}",
        "/api/export/acled.csv?actor={a}",
        "/api/export/events.geojson?q={a}",
    ],
)
def test_api_views_resist_injection(client, path, attack):
    from urllib.parse import quote

    r = client.get(path.format(a=quote(attack, safe="")))
    assert r.status_code in (200, 404)
    assert len(client.get("/api/events?modality=all").json()["events"]) == 5
