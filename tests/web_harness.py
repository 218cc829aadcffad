"""A live server (uvicorn in a thread on a free loopback port) and Debian's Chromium under Playwright.

Without Chromium or Playwright the browser tests skip with the reason; with ``CI=true`` they fail,
since CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("FLASHPOINT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def missing(reason: str) -> None:
    """Skip, or fail under CI where every service the tests need must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def require_browser() -> None:
    if not Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is None:
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium, or run .ci/services.sh)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright package is not installed (pip install playwright; no `playwright install`)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(300):
        if server.started:
            break
        if not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextlib.contextmanager
def browser_page() -> Iterator[Any]:
    """A fresh headless Chromium page (own user-data dir); console errors are collected on it."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="fp-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
        )
        try:
            page = context.new_page()
            page.console_messages_seen = []  # type: ignore[attr-defined]
            page.on("console", lambda m: page.console_messages_seen.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: page.console_messages_seen.append(f"pageerror: {e}"))
            yield page
        finally:
            context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    return path


def open_first_marker(page: Any, tries: int = 12) -> str:
    """Click clusters until a single event marker shows, click it, return its event id."""
    page.wait_for_selector("body[data-ready=true]", timeout=60000)
    for _ in range(tries):
        markers = page.locator("path.fp-marker:visible")
        if markers.count():
            marker = markers.first
            event_id = marker.get_attribute("data-event-id")
            marker.click(force=True)
            return str(event_id)
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(700)
    raise AssertionError("no event marker appeared after expanding clusters")
