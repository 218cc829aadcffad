"""The map page's place panel (who held a place when, each interval with its evidence) and actor
panel (its events by type and the protests against it, month by month), in Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from flashpoint.api import ApiSettings, create_app
from flashpoint.control import place_key
from flashpoint.records import Evidence
from flashpoint.store import open_store
from tests.api_helpers import coded_seed_db, filled_store
from tests.helpers import make_event, make_state
from tests.web_harness import browser_page, live_server, require_browser, screenshot

SETTINGS = ApiSettings(reads_per_minute=None)
CAPTURE = "HTS fighters captured Saraqib from rebel factions on Monday after heavy fighting."


@pytest.fixture
def browser_ready():
    require_browser()


def _errors(page) -> list[str]:
    return [m for m in page.console_messages_seen if m.startswith(("error", "pageerror"))]


def _open_event(page, base: str, event_id: str) -> None:
    page.goto(f"{base}/#event={event_id}")
    page.wait_for_selector("body[data-ready=true]", timeout=60000)
    page.wait_for_selector("#detail .place-link")


def test_web_panels_place_and_actor_over_hand_made_events(tmp_path, browser_ready):
    store = filled_store(tmp_path)
    capture = make_event(
        "a2", "FPC1", event_type="Strategic developments", sub_event_type="Non-state actor overtakes territory",
        disorder_type="Political violence", actor1="Hayat Tahrir al-Sham", actor2="National Front for Liberation",
        inter2=2, event_date=dt.date(2018, 2, 5), evidence=Evidence("a2", CAPTURE, 0, len(CAPTURE)),
        sources=(Evidence("a2", CAPTURE, 0, len(CAPTURE)),), field_evidence={},
    )
    undated = make_event("a2", "FPC2", event_date=None, time_precision=None, field_evidence={},
                         evidence=Evidence("a2", CAPTURE, 0, len(CAPTURE)), sources=())
    store.add(make_state("a2", text=CAPTURE, events=(capture, undated)))
    with live_server(create_app(store, SETTINGS)) as base, browser_page() as page:
        _open_event(page, base, "FPC1")
        page.locator("#detail .place-link").click()
        page.wait_for_selector("#place-view .control-interval")
        holders = page.locator("#place-view .holder").all_inner_texts()
        assert holders == ["National Front for Liberation", "Hayat Tahrir al-Sham"]  # in time order
        latest = page.locator("#place-view .control-interval").nth(1)
        assert "from 2018-02-05" in latest.locator(".interval-dates").inner_text()
        assert latest.locator(".sentence").first.inner_text() == CAPTURE
        page.locator("#detail .actor-link", has_text="Hayat Tahrir al-Sham").first.click()
        page.wait_for_selector("#actor-view tr.month")
        months = {r.get_attribute("data-month"): r.inner_text() for r in page.locator("#actor-view tr.month").all()}
        assert list(months) == ["2018-02", "2018-03", "2018-04", "2018-05"]  # every month, gaps included
        assert re.search(r"1: Strategic developments 1", months["2018-02"])
        assert re.search(r"1: Explosions/Remote violence 1", months["2018-05"])
        assert months["2018-04"].split()[-1] == "1"  # the protest against it (FP2, its target)
        assert "1 undated event(s)" in page.locator("#actor-view").inner_text()  # in no month
        assert _errors(page) == []
    store.close()


@pytest.mark.slow
def test_web_panels_over_the_coded_seed_article(seed_text, browser_ready):
    from flashpoint.control.stored import load_control

    store = open_store(coded_seed_db(seed_text))
    yarmouk = [iv for iv in load_control(store).intervals if place_key(iv.place) == place_key("Yarmouk Camp")]
    assert yarmouk, "the seed's control intervals name no Yarmouk Camp"
    event = next(e for e in store.events() if e.location and place_key(e.location) == place_key("Yarmouk Camp")
                 and e.actor1 == "Hayat Tahrir al-Sham")
    with live_server(create_app(store, SETTINGS)) as base, browser_page() as page:
        _open_event(page, base, event.event_id)
        page.locator("#detail .place-link").click()
        page.wait_for_selector("#place-view .control-interval")
        assert yarmouk[0].actor in page.locator("#place-view .holder").all_inner_texts()
        sentences = page.locator("#place-view .sentence").all_inner_texts()
        assert yarmouk[0].evidence[0].text in sentences and all(s in seed_text for s in sentences)
        screenshot(page, "web-place-panel.png")
        page.locator("#detail .actor-link", has_text="Hayat Tahrir al-Sham").first.click()
        page.wait_for_selector("#actor-view tr.month")
        counted = [c for c in page.locator("#actor-view tr.month .count").all_inner_texts() if c != "0"]
        assert counted, "no month with counts for Hayat Tahrir al-Sham"
        screenshot(page, "web-actor-panel.png")
        assert _errors(page) == []
    store.close()
