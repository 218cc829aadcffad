"""The map page's review panel (keyboard review of the coded seed, kept across a reload) and the
map's defects fixed: no bands across the antimeridian, neutral clusters, placement precision drawn."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import sqlite3

import pytest

from flashpoint.api import ApiSettings, create_app, static_dir
from flashpoint.records import GeoPrecision
from flashpoint.store import open_store
from tests.api_helpers import TOKEN, coded_seed_db, hand_made_events
from tests.helpers import make_state
from tests.web_harness import browser_page, live_server, require_browser, screenshot

STATIC = static_dir()
SETTINGS = ApiSettings(token=TOKEN, token_name="analyst", reads_per_minute=None, writes_per_minute=None)


def test_web_review_outlines_never_jump_across_the_antimeridian():
    fc = json.loads((STATIC / "vendor/outlines/countries-110m.geojson").read_text())
    jumping = []
    for f in fc["features"]:
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for ring in (r for p in polygons for r in p):
            jumps = sum(1 for a, b in itertools.pairwise(ring) if abs(b[0] - a[0]) > 180)
            if jumps % 2 == 0 and jumps:  # an odd count goes round a pole (Antarctica)
                jumping.append(f["properties"]["name"])
    assert jumping == []
    names = {f["properties"]["name"]: f for f in fc["features"]}
    fiji = [x for p in names["Fiji"]["geometry"]["coordinates"] for r in p for x, _ in r]
    assert max(fiji) - min(fiji) < 10  # drawn where it is, not across the map


def test_web_review_script_keeps_the_cluster_colours_off_the_legend():
    js = (STATIC / "app.js").read_text()
    legend = set(re.findall(r'"(#[0-9a-f]{6})"', js.split("const OTHER_COLOUR")[0]))
    css = (STATIC / "style.css").read_text()
    cluster_rules = "".join(re.findall(r"\.fp-cluster[^{]*\{([^}]*)\}", css))
    assert "rgba(" in cluster_rules and not any(c in cluster_rules for c in legend)


@pytest.fixture
def browser_ready():
    require_browser()


def _rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])  # type: ignore[return-value]


def test_web_review_clusters_are_neutral_and_precision_is_drawn(tmp_path, browser_ready):
    base_events = hand_made_events()
    placed = (
        dataclasses.replace(base_events[0], event_id="FPTOWN", location="Amman", latitude=31.95, longitude=35.93,
                            event_date=dt.date(2017, 1, 1)),
        dataclasses.replace(base_events[0], event_id="FPPROV", location="Deir ez-Zor", admin1="Deir ez-Zor",
                            latitude=35.33, longitude=40.14, geo_precision=GeoPrecision.REGION,
                            event_date=dt.date(2017, 3, 1)),
        dataclasses.replace(base_events[3], event_id="FPCTRY", location="Iraq", country="Iraq", admin1=None,
                            latitude=33.2, longitude=43.7, geo_precision=GeoPrecision.REGION,
                            event_date=dt.date(2017, 2, 1)),
    )
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    store.add_state(make_state("a1", events=base_events + placed))  # one article: no report merged
    with live_server(create_app(store, SETTINGS)) as base, browser_page() as page:
        page.goto(base + "/")
        page.wait_for_selector("body[data-ready=true]", timeout=60000)
        clusters = page.locator(".marker-cluster div")
        assert clusters.count() >= 1
        legend = {_rgb(c) for c in page.eval_on_selector_all(
            "#legend .swatch[style]", "els => els.map(e => getComputedStyle(e).backgroundColor)")}
        for i in range(clusters.count()):
            bg = _rgb(clusters.nth(i).evaluate("e => getComputedStyle(e).backgroundColor"))
            assert bg not in legend and max(bg) - min(bg) < 20  # grey
        kinds = {}
        for event_id in ("FPTOWN", "FPPROV", "FPCTRY"):
            path = page.locator(f'path.fp-marker[data-event-id="{event_id}"]')
            path.wait_for(state="attached")
            kinds[event_id] = (re.search(r"fp-prec-(\w+)", path.get_attribute("class")).group(1),
                               float(path.get_attribute("stroke-width")), path.get_attribute("stroke-dasharray"))
        assert kinds["FPTOWN"] == ("town", 1.0, None)
        assert kinds["FPPROV"][0] == "region" and kinds["FPPROV"][1] > 10  # a larger halo
        assert kinds["FPCTRY"][0] == "country" and kinds["FPCTRY"][2]  # a dashed hollow ring
        screenshot(page, "web-precision.png")
        problems = [m for m in page.console_messages_seen if m.startswith(("error", "pageerror"))]
        assert problems == []
    store.close()


def _copy(url: str, tmp_path) -> str:
    """A private copy of a SQLite database (the coded seed is shared by the session's tests)."""
    target = tmp_path / "seed-copy.db"
    src, dst = sqlite3.connect(url.removeprefix("sqlite:///")), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{target}"


@pytest.mark.slow
def test_web_review_seed_event_reviewed_by_keyboard_survives_a_reload(seed_text, tmp_path, browser_ready):
    store = open_store(_copy(coded_seed_db(seed_text), tmp_path))
    first = store.review_queue()[0]
    with live_server(create_app(store, SETTINGS)) as base, browser_page() as page:
        page.goto(base + "/#review")
        page.wait_for_selector("body[data-ready=true]", timeout=60000)
        page.wait_for_selector("#review-article mark.evidence-sentence")
        assert page.evaluate("location.hash") == f"#review={first.event_id}"  # least confident first
        assert page.locator("#review-article mark.evidence-sentence").first.inner_text() == first.evidence.text
        assert page.locator("#review-status").inner_text() == "unreviewed"
        page.fill("#review-token", TOKEN)
        corrected = str(first.fatalities + 7)
        page.fill("#r-fatalities", corrected)
        page.keyboard.press("Escape")  # out of the field: the keys are shortcuts again
        page.keyboard.press("c")
        page.wait_for_selector('#review-status[data-status="corrected"]')
        page.reload()
        page.wait_for_selector("body[data-ready=true]", timeout=60000)
        page.wait_for_selector('#review-status[data-status="corrected"]')
        assert page.locator("#r-fatalities").input_value() == corrected
        assert re.search(rf"fatalities\s+{corrected}\b", page.locator("#detail").inner_text())
        assert re.search(r"review\s+corrected", page.locator("#detail").inner_text())
        screenshot(page, "web-review.png")
        page.keyboard.press("n")
        page.wait_for_selector('#review-pos:has-text("queue")')  # the queue, read again
        assert page.locator("#review-status").inner_text() == "unreviewed"
        second = page.evaluate("location.hash").removeprefix("#review=")
        assert second != first.event_id
        page.keyboard.press("x")
        page.wait_for_selector('#review-status[data-status="rejected"]')
        problems = [m for m in page.console_messages_seen if m.startswith(("error", "pageerror"))]
        assert problems == []
    reviewed = store.event(first.event_id)
    assert reviewed.fatalities == int(corrected) and reviewed.machine_values == {"fatalities": first.fatalities}
    assert [r.by for r in store.reviews(first.event_id)] == ["analyst"]
    assert second not in [e.event_id for e in store.events()]  # rejected: out of the default output
    store.close()
