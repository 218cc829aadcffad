"""The API's guards: token, read-only default, body and rate limits, CORS, headers, no stack traces."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from flashpoint.api import ApiSettings, create_app
from flashpoint.api.security import SlidingWindow, bearer_token, tile_origin, token_matches
from tests.api_helpers import TOKEN, FakeCoder, filled_store


@pytest.fixture
def store(tmp_path):
    s = filled_store(tmp_path)
    yield s
    s.close()


def client_for(store, **settings) -> TestClient:
    settings.setdefault("reads_per_minute", None)
    settings.setdefault("writes_per_minute", None)
    app = create_app(store, ApiSettings(**settings), coder=FakeCoder())
    return TestClient(app, raise_server_exceptions=False)


def test_api_security_post_without_token_is_401(store):
    c = client_for(store, token=TOKEN)
    r = c.post("/api/articles", content="Rebels shelled Saraqib.", headers={"content-type": "text/plain"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "bearer token" in r.json()["detail"]


@pytest.mark.parametrize(
    "header", ["Bearer wrong-token-0000000000", f"Basic {TOKEN}", "Bearer", f"bearer {TOKEN}x", ""]
)
def test_api_security_wrong_credentials_are_401(store, header):
    c = client_for(store, token=TOKEN)
    r = c.post("/api/articles", content="Rebels shelled Saraqib.", headers={"authorization": header})
    assert r.status_code == 401
    assert store.counts()["articles"] == 1


def test_api_security_server_without_token_is_read_only(store):
    c = client_for(store)
    r = c.post(
        "/api/articles", content="Rebels shelled Saraqib.", headers={"authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert store.counts()["articles"] == 1


def test_api_security_token_comparison():
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN[:-1], TOKEN)
    assert not token_matches(None, TOKEN)
    assert not token_matches("\udcff", TOKEN)  # odd input is refused, not an error
    assert bearer_token(f"Bearer  {TOKEN} ") == TOKEN
    assert bearer_token("Token x") is None


def test_api_security_declared_body_over_limit_is_413(store):
    c = client_for(store, token=TOKEN, max_body_bytes=1000)
    r = c.post("/api/articles", content="x" * 1001, headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and "1001 bytes" in r.json()["detail"]


def test_api_security_streamed_body_over_limit_is_413(store):
    c = client_for(store, token=TOKEN, max_body_bytes=1000)

    def chunks():
        for _ in range(5):
            yield b"y" * 400

    r = c.post("/api/articles", content=chunks(), headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and "limit of 1000 bytes" in r.json()["detail"]


def test_api_security_read_rate_limit_is_429_with_retry_after(store):
    c = client_for(store, reads_per_minute=3)
    assert [c.get("/api/events").status_code for _ in range(3)] == [200, 200, 200]
    r = c.get("/api/events")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert "at most 3 per 60 s" in r.json()["detail"]


def test_api_security_write_rate_limit_is_separate(store):
    c = client_for(store, token=TOKEN, writes_per_minute=1, reads_per_minute=100)
    auth = {"authorization": f"Bearer {TOKEN}"}
    assert c.post("/api/articles", content="Rebels shelled Saraqib.", headers=auth).status_code == 200
    assert c.post("/api/articles", content="Rebels shelled Binnish.", headers=auth).status_code == 429
    assert c.get("/api/events").status_code == 200


def test_api_security_sliding_window_forgets_old_hits():
    now = [0.0]
    w = SlidingWindow(2, window=60, clock=lambda: now[0])
    assert w.hit("a") is None and w.hit("a") is None
    assert w.hit("a") == pytest.approx(60)
    assert w.hit("b") is None  # per client
    now[0] = 61
    assert w.hit("a") is None


def test_api_security_cors_is_off_by_default(store):
    r = client_for(store).get("/api/events", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client_for(store).options(
        "/api/articles",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in pre.headers


def test_api_security_cors_when_configured(store):
    c = client_for(store, cors_origins=("https://team.example",))
    r = c.get("/api/events", headers={"origin": "https://team.example"})
    assert r.headers["access-control-allow-origin"] == "https://team.example"
    r = c.get("/api/events", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize("path", ["/", "/api/events", "/static/app.js", "/api/events/NOPE", "/openapi.json"])
def test_api_security_headers_everywhere(store, path):
    r = client_for(store).get(path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_api_security_internal_error_has_no_stack_trace(store, monkeypatch):
    def boom(_event_id):
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(store, "event", boom)
    r = client_for(store).get("/api/events/FP1")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal server error; see the server log"}
    assert "secret" not in r.text and "Traceback" not in r.text


def test_api_security_database_error_is_503_without_details(store):
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE evidence")
        conn.exec_driver_sql("DROP TABLE events")
    r = client_for(store).get("/api/events")
    assert r.status_code == 503
    assert "events" not in r.json()["detail"] and "SELECT" not in r.text and "Traceback" not in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/static/../api/app.py",
        "/static/%2e%2e/%2e%2e/store/repository.py",
        "/static/..%2f..%2fpyproject.toml",
        "/static//etc/passwd",
        "/api/events/..%2f..%2fetc%2fpasswd",
    ],
)
def test_api_security_no_path_to_the_file_system(store, path):
    r = client_for(store).get(path)
    assert r.status_code == 404
    assert "root:" not in r.text and "import" not in r.text


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://tiles.example.com:8443/{z}/{x}/{y}.png", "https://tiles.example.com:8443"),
        ("javascript:alert(1)", None),
        (None, None),
    ],
)
def test_api_security_tile_origin(url, origin):
    assert tile_origin(url) == origin
