"""The map page: its files are there and safe, and in a real browser it shows events and evidence."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from flashpoint.api import ApiSettings, create_app, static_dir
from tests.api_helpers import coded_seed_db, filled_store, hand_made_events, with_text
from tests.helpers import make_state
from tests.web_harness import browser_page, live_server, open_first_marker, require_browser, screenshot

STATIC = static_dir()


def test_web_page_vendored_files_are_present():
    for rel in (
        "index.html",
        "app.js",
        "panels.js",
        "style.css",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/markercluster/leaflet.markercluster.js",
        "vendor/outlines/countries-110m.geojson",
        "vendor/VERSIONS.txt",
    ):
        assert (STATIC / rel).is_file(), rel
    assert "Leaflet 1.9.4" in (STATIC / "vendor/leaflet/leaflet.js").read_text()[:200]


def test_web_page_outlines_are_natural_earth_countries():
    fc = json.loads((STATIC / "vendor/outlines/countries-110m.geojson").read_text())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 150
    names = {f["properties"].get("name") for f in fc["features"]}
    assert {"Syria", "Iraq", "Turkey"} <= names
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in fc["features"] if f["geometry"])


def test_web_page_loads_nothing_from_other_hosts():
    html = (STATIC / "index.html").read_text()
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert ref.startswith(("/static/", "/api/", "data:")), ref


def test_web_page_every_script_is_loaded_and_local():
    html = (STATIC / "index.html").read_text()
    scripts = re.findall(r'<script src="/static/([^"]+)"', html)
    assert [s for s in scripts if not s.startswith("vendor/")] == ["panels.js", "app.js"]  # panels first
    assert all((STATIC / s).is_file() for s in scripts)


@pytest.mark.parametrize("name", ["app.js", "panels.js"])
def test_web_page_script_never_writes_html(name):
    js = (STATIC / name).read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink
    assert "bindPopup(" not in js  # Leaflet popups and tooltips take HTML strings...
    tooltips = re.findall(r"bindTooltip\((\w+)\(", js)
    assert tooltips == (["el"] if name == "app.js" else [])  # ...so they get a text-only element


# -- in the browser -----------------------------------------------------------------------------
@pytest.fixture
def browser_ready():
    require_browser()


def test_web_page_shows_markers_and_the_evidence_of_a_clicked_event(tmp_path, browser_ready):
    store = filled_store(tmp_path)
    with live_server(create_app(store, ApiSettings())) as base, browser_page() as page:
        page.goto(base + "/")
        event_id = open_first_marker(page)
        page.wait_for_selector("#detail mark.evidence-sentence")
        expected = {e.event_id: e for e in hand_made_events()}[event_id]
        assert page.locator("#detail mark.evidence-sentence").inner_text() == expected.evidence.text
        assert page.locator("#detail h2").inner_text() == expected.sub_event_type
        assert "3 events in the time window" in page.locator("#status").inner_text()
        page.locator("#detail .actor-link").first.click()
        page.wait_for_selector("#actor-view table")
        assert page.locator("#actor-view h2").inner_text() == expected.actor1
        assert "Events by month" in page.locator("#actor-view").inner_text()
        screenshot(page, "web-hand-made-events.png")
        # the time slider narrows what is on the map
        page.locator("#t-from").fill(page.locator("#t-to").get_attribute("max"))
        assert "1 events in the time window" in page.locator("#status").inner_text()
        problems = [m for m in page.console_messages_seen if m.startswith(("error", "pageerror"))]
        assert problems == []
    store.close()


def test_web_page_does_not_run_script_in_article_text(tmp_path, browser_ready):
    store = filled_store(tmp_path)
    payloads = (
        '<script>window.__xss = "script"</script>',
        '<img src=x onerror="window.__xss = 1">',
        '"><svg onload="window.__xss = 2">',
    )
    text = "Rebels shelled Saraqib. " + " ".join(payloads)
    event = dataclasses.replace(
        with_text(hand_made_events()[0], text),
        event_id="FPXSS",
        article_id="xss",
        sub_event_type=payloads[0],
        actor1=payloads[1],
        location=payloads[2],
        notes=payloads[0],
        latitude=33.51,
        longitude=36.29,
    )
    state = dataclasses.replace(make_state("xss", text=text, events=(event,)), actor_mentions=())
    store.add(state)
    with live_server(create_app(store, ApiSettings())) as base, browser_page() as page:
        page.goto(base + "/#event=FPXSS")
        page.wait_for_selector("body[data-ready=true]", timeout=60000)
        page.wait_for_selector("#detail mark.evidence-sentence")
        marker = page.locator('path.fp-marker[data-event-id="FPXSS"]')
        marker.hover()
        page.wait_for_selector(".leaflet-tooltip")
        assert page.locator(".leaflet-tooltip").inner_text().endswith(payloads[2])
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss") is None
        assert page.locator("#detail mark.evidence-sentence").inner_text() == text
        assert page.locator("#detail h2").inner_text() == payloads[0]
        assert page.locator("main script, main img, main svg:not(.leaflet-zoom-animated)").count() == 0
        screenshot(page, "web-xss.png")
    store.close()


@pytest.mark.slow
def test_web_page_over_the_coded_seed_article(seed_text, browser_ready):
    from flashpoint.store import open_store

    store = open_store(coded_seed_db(seed_text))
    placed = [e for e in store.events() if e.latitude is not None]
    assert placed, "the coder placed none of the seed article's events"
    with live_server(create_app(store, ApiSettings())) as base, browser_page() as page:
        page.goto(base + "/")
        event_id = open_first_marker(page)
        page.wait_for_selector("#detail mark.evidence-sentence")
        event = store.event(event_id)
        shown = page.locator("#detail mark.evidence-sentence").inner_text()
        assert shown == event.evidence.text and shown in seed_text
        assert page.locator("#detail h2").inner_text() == event.sub_event_type
        screenshot(page, "web-seed-article.png")
        problems = [m for m in page.console_messages_seen if m.startswith(("error", "pageerror"))]
        assert problems == []
    store.close()
