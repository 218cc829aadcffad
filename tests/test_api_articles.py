"""POST /api/articles: text or JSON in, coded and stored events out; bad input is a clear 4xx."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from flashpoint.api import ApiSettings, create_app
from tests.api_helpers import SEED_ID, TOKEN, FakeCoder, coded_seed_db, filled_store

AUTH = {"authorization": f"Bearer {TOKEN}"}
ARTICLE = "Government forces shelled Saraqib on Monday. Residents said the market was hit."


@pytest.fixture
def store(tmp_path):
    s = filled_store(tmp_path)
    yield s
    s.close()


@pytest.fixture
def coder():
    return FakeCoder()


@pytest.fixture
def client(store, coder):
    settings = ApiSettings(token=TOKEN, reads_per_minute=None, writes_per_minute=None, max_articles=5)
    return TestClient(create_app(store, settings, coder=coder), raise_server_exceptions=False)


def test_api_articles_text_is_coded_stored_and_served(client, store):
    r = client.post(
        "/api/articles?published=2018-05-08&title=Shelling&id=wire-1",
        content=ARTICLE,
        headers={**AUTH, "content-type": "text/plain; charset=utf-8"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["coded"] == 1 and body["skipped"] == 0
    (result,) = body["results"]
    assert result["id"] == "wire-1" and result["status"] == "coded" and len(result["events"]) == 1
    stored = store.article("wire-1")
    assert stored.title == "Shelling" and str(stored.published) == "2018-05-08"
    detail = client.get(f"/api/events/{result['events'][0]}").json()
    assert detail["event"]["evidence"]["text"] == "Government forces shelled Saraqib on Monday."
    assert detail["article"]["title"] == "Shelling"


def test_api_articles_json_object_and_list(client, store):
    one = {
        "text": ARTICLE,
        "published": "2018-05-08",
        "id": "j1",
        "source": "Wire",
        "url": "https://x.test/1",
    }
    r = client.post("/api/articles", json=one, headers=AUTH)
    assert r.status_code == 200 and r.json()["results"][0]["id"] == "j1"
    assert store.article("j1").url == "https://x.test/1"
    batch = [
        {"text": "Jets bombed Khan Shaykhun at dawn. Schools closed.", "published": "2018-04-04"},
        {"text": ARTICLE, "id": "j1-again"},
        {"text": "   ", "id": "blank"},
        {
            "text": "Les forces gouvernementales ont bombardé la ville hier soir selon les habitants du quartier."
        },
    ]
    r = client.post("/api/articles", json=batch, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [x["status"] for x in body["results"]] == ["coded", "already_stored", "skipped", "skipped"]
    assert body["results"][0]["id"].startswith("api:")
    assert "empty 'text'" in body["results"][2]["error"]
    assert "not English" in body["results"][3]["error"]
    assert (body["coded"], body["already_stored"], body["skipped"]) == (1, 1, 2)


def test_api_articles_posting_twice_codes_once(client, store, coder):
    for _ in range(2):
        r = client.post("/api/articles?id=twice", content=ARTICLE, headers=AUTH)
        assert r.status_code == 200
    assert r.json()["results"][0]["status"] == "already_stored"
    assert coder.seen == ["twice"]
    assert len(r.json()["results"][0]["events"]) == 1


@pytest.mark.parametrize(
    ("body", "ctype", "status", "says"),
    [
        (b"", "text/plain", 400, "empty body"),
        (b"   \n", "text/plain", 400, "empty body"),
        (b"\xff\xfe\x00bad", "text/plain", 400, "NUL"),
        (b"\xc3\x28 not utf-8 text here at all", "text/plain", 400, "not UTF-8"),
        (b"{not json", "application/json", 400, "not valid UTF-8 JSON"),
        (b"42", "application/json", 400, "article object"),
        (b'{"title": "no text"}', "application/json", 400, "text"),
        (b'{"text": "x", "evil": 1}', "application/json", 400, "evil"),
        (b'{"text": 5}', "application/json", 400, "text"),
        (b"[]", "application/json", 400, "empty list"),
        (json.dumps([{"text": "a b c"}] * 6).encode(), "application/json", 413, "at most 5"),
        (
            b'{"text": "Rebels shelled Saraqib.", "published": "next Tuesday-ish"}',
            "application/json",
            400,
            "date",
        ),
        (b'{"text": "Rebels shelled \\ud800 Saraqib."}', "application/json", 400, "surrogate"),
        (b"[" * 100000 + b"]" * 100000, "application/json", 400, "nested too deeply"),
        (b"<xml/>", "application/xml", 415, "text/plain or application/json"),
    ],
)
def test_api_articles_bad_input_is_a_clear_4xx(client, store, body, ctype, status, says):
    r = client.post("/api/articles", content=body, headers={**AUTH, "content-type": ctype})
    assert r.status_code == status, r.text
    assert says in r.json()["detail"]
    assert store.counts()["articles"] == 1


def test_api_articles_bad_published_query_is_400(client):
    r = client.post("/api/articles?published=someday", content=ARTICLE, headers=AUTH)
    assert r.status_code == 400 and "someday" in r.json()["detail"]


def test_api_articles_bad_input_in_the_coder_is_reported_per_article(store):
    from flashpoint.errors import InputError

    class Picky(FakeCoder):
        def code_state(self, article):
            if "boom" in article.text:
                raise InputError(article.id, "the coder cannot take this text")
            return super().code_state(article)

    settings = ApiSettings(token=TOKEN, reads_per_minute=None, writes_per_minute=None)
    c = TestClient(create_app(store, settings, coder=Picky()), raise_server_exceptions=False)
    r = c.post(
        "/api/articles", json=[{"text": "Rebels shelled the town: boom."}, {"text": ARTICLE}], headers=AUTH
    )
    assert r.status_code == 200
    first, second = r.json()["results"]
    assert first["status"] == "skipped" and "cannot take this text" in first["error"]
    assert second["status"] == "coded"


def test_api_articles_coder_crash_is_a_server_error_not_a_skipped_article(store):
    class Broken(FakeCoder):
        def code_state(self, article):
            if "boom" in article.text:
                raise RuntimeError("stage exploded")
            return super().code_state(article)

    settings = ApiSettings(token=TOKEN, reads_per_minute=None, writes_per_minute=None)
    c = TestClient(create_app(store, settings, coder=Broken()), raise_server_exceptions=False)
    r = c.post(
        "/api/articles", json=[{"text": "Rebels shelled the town: boom."}, {"text": ARTICLE}], headers=AUTH
    )
    assert r.status_code == 500 and "stage exploded" not in r.text


@pytest.mark.slow
def test_api_articles_codes_the_seed_article_with_the_real_coder(seed_text):
    from flashpoint.store import open_store

    store = open_store(coded_seed_db(seed_text))
    c = TestClient(create_app(store, ApiSettings(reads_per_minute=None)))
    events = c.get(f"/api/events?article={SEED_ID}&modality=all").json()["events"]
    assert len(events) >= 3
    assert {e["country"] for e in events} & {"Syria"}
    for e in events:
        ev = e["evidence"]
        assert seed_text[ev["start"] : ev["end"]] == ev["text"]
    detail = c.get(f"/api/events/{events[0]['event_id']}").json()
    assert detail["article"]["title"] == "HTS loses ground and support in Syria"
    store.close()
