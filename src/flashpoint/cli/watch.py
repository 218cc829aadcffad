"""``flashpoint watch``: poll an RSS/Atom feed and code its new items once."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from flashpoint.cli.common import DEFAULT_URL, DbOption, fail, stderr, store_or_exit, write_events

WATCH_FORMATS = ("table", "jsonl")


def watch(
    feed: Annotated[str, typer.Argument(help="Feed URL (http, https, file://) or a local RSS/Atom file.")],
    every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 15m, 2h, 1d.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
    db: DbOption = DEFAULT_URL,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl (the events coded).")] = "table",
    timeout: Annotated[float, typer.Option("--timeout", min=1.0, help="Seconds to wait for a page.")] = 20.0,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1024, help="Largest page or feed fetched, in bytes.")
    ] = 5_000_000,
) -> None:
    """Poll an RSS/Atom feed, fetch each new item's page, extract its text, code and store it once.

    Example: flashpoint watch https://example.org/syria.rss --every 15m --db sqlite:///flashpoint.db

    Example: flashpoint watch feed.xml --once --format jsonl

    Items already handled (same guid, link or text, remembered in the store) are skipped; each item
    is logged on stderr with what was done and why. A page that cannot be fetched is coded from the
    feed's own text when that is a full text, else tried again at the next poll. Ctrl-C stops.
    """
    from flashpoint.errors import FlashpointError, StoreError
    from flashpoint.ingest.feeds import HttpFetcher, ItemOutcome, parse_interval, poll

    if fmt not in WATCH_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(WATCH_FORMATS)}")
    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise fail(f"--every: {exc}") from None
    store = store_or_exit(db)
    fetcher = HttpFetcher(timeout=timeout, max_bytes=max_bytes)
    from flashpoint.coder import Coder

    coder = Coder()

    def log(outcome: ItemOutcome) -> None:
        name = outcome.item.link or outcome.item.key
        if outcome.status == "coded":
            extra = f" — {outcome.reason}" if outcome.reason else ""
            stderr.print(f"coded {name}: {len(outcome.events)} event(s){extra}", markup=False, soft_wrap=True)
        else:
            stderr.print(f"{outcome.status} {name}: {outcome.reason}", markup=False, soft_wrap=True)

    try:
        while True:
            try:
                outcomes = poll(feed, store, coder, fetcher=fetcher, on_outcome=log)
            except StoreError as exc:
                raise fail(str(exc), 1) from None
            except FlashpointError as exc:
                if once:
                    raise fail(str(exc), 1) from None
                stderr.print(f"poll failed: {exc}; next try in {every}", markup=False, soft_wrap=True)
            else:
                coded = [o for o in outcomes if o.status == "coded"]
                events = [e for o in coded for e in o.events if str(e.modality) in ("asserted", "attempted")]
                if events:
                    write_events(events, fmt, typer.get_text_stream("stdout"))
                stderr.print(
                    f"poll: {len(outcomes)} item(s), {len(coded)} coded, {len(events)} event(s)",
                    highlight=False,
                )
            if once:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        stderr.print("stopped", highlight=False)
    finally:
        store.close()


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("watch")(watch)
