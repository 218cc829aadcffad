"""Make the README's and docs' pictures of the map page: the bundled example article coded into a
temporary store, served by the API, opened in Debian's Chromium.

- docs/img/map.png: the map as it opens, with the event of most marked fields shown in the side panel
  (as a click on its marker would show it);
- docs/img/review.png: the review panel on the first event of the queue;
- docs/img/place.png: the place panel of the Yarmouk camp, who held it when and on what evidence.

Each picture is taken once the map has settled: no request in flight, no zoom, pan or cluster
animation running.

    .venv/bin/python scripts/readme_screenshot.py   # needs /usr/bin/chromium and playwright
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web_harness import browser_page, live_server  # noqa: E402

from flashpoint.api.app import create_app  # noqa: E402
from flashpoint.control import place_key  # noqa: E402
from flashpoint.records import Article  # noqa: E402
from flashpoint.session import open as open_session  # noqa: E402

IMG = ROOT / "docs" / "img"
_ANIMATING = ".leaflet-zoom-anim, .leaflet-pan-anim, .leaflet-cluster-anim"


def settle(page: Any) -> None:
    """Wait until the page asks for nothing more and the map has stopped moving."""
    page.wait_for_selector("body[data-ready=true]", timeout=60000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => !document.querySelector({_ANIMATING!r})")
    page.wait_for_timeout(500)  # the last marker transitions (CSS, 250 ms) end
    page.wait_for_function(f"() => !document.querySelector({_ANIMATING!r})")


def shoot(page: Any, name: str) -> None:
    settle(page)
    out = IMG / name
    page.screenshot(path=str(out), full_page=False)
    print(f"wrote {out}")


def pictures(url: str, shown_event: str, yarmouk_event: str) -> None:
    with browser_page() as page:
        page.goto(f"{url}/#event={shown_event}")
        page.wait_for_selector("#detail mark.evidence-sentence", timeout=60000)
        shoot(page, "map.png")
    with browser_page() as page:
        page.goto(f"{url}/#review")
        page.wait_for_selector("#review-article mark.evidence-sentence", timeout=60000)
        shoot(page, "review.png")
    with browser_page() as page:
        page.goto(f"{url}/#event={yarmouk_event}")
        page.wait_for_selector("#detail .place-link", timeout=60000)
        page.locator("#detail .place-link").click()
        page.wait_for_selector("#place-view .control-interval")
        shoot(page, "place.png")


def main() -> int:
    text = (ROOT / "examples" / "hts-2018.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        session = open_session(f"sqlite:///{tmp}/fp.db")
        session.add(Article("example-hts-2018", text, dt.date(2018, 5, 8)))
        store = session.store
        at_yarmouk = [e for e in store.events() if e.location and place_key(e.location) == place_key("Yarmouk Camp")]
        if not at_yarmouk:
            raise SystemExit("the coder placed no event of the example at the Yarmouk camp: no place panel to show")
        shown = max(store.events(), key=lambda e: (e.latitude is not None, len(e.field_evidence)))
        with live_server(create_app(store)) as url:
            pictures(url, shown.event_id, at_yarmouk[0].event_id)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
