"""Make docs/img/map.png, the README's picture of the map: the bundled example article coded into a
temporary store, served by the API, opened in Debian's Chromium, one event clicked.

    .venv/bin/python scripts/readme_screenshot.py   # needs /usr/bin/chromium and playwright
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web_harness import browser_page, live_server, open_first_marker  # noqa: E402

from flashpoint.api.app import create_app  # noqa: E402
from flashpoint.records import Article  # noqa: E402
from flashpoint.session import open as open_session  # noqa: E402


def main() -> int:
    text = (ROOT / "examples" / "hts-2018.txt").read_text(encoding="utf-8")
    out = ROOT / "docs" / "img" / "map.png"
    with tempfile.TemporaryDirectory() as tmp:
        session = open_session(f"sqlite:///{tmp}/fp.db")
        session.add(Article("example-hts-2018", text, dt.date(2018, 5, 8)))
        store = session.store
        with live_server(create_app(store)) as url, browser_page() as page:
            page.goto(url)
            open_first_marker(page)
            page.wait_for_timeout(800)
            page.screenshot(path=str(out), full_page=False)
        store.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
