"""``flashpoint import``: load coded articles or events from elsewhere into the store.

One command with a ``--format`` option: ``parquet-shards`` (what ``code --out-shards`` and Ray runs
write: whole coded articles), and the event formats of :mod:`flashpoint.store.imports`: an analyst's
ACLED CSV export, and flashpoint's own ``jsonl``, ``geojson`` and ``parquet`` exports.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated

import typer

from flashpoint.cli.common import DEFAULT_URL, DbOption, fail, report_skipped, stderr, store_or_exit

EVENT_FORMATS = ("acled-csv", "jsonl", "geojson", "parquet")
IMPORT_FORMATS = ("parquet-shards", *EVENT_FORMATS)


def import_(
    source: Annotated[
        Path, typer.Argument(help="An ACLED CSV, an events file, or a folder of shards (or one shard).")
    ],
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="acled-csv, jsonl, geojson, parquet (events) or parquet-shards."),
    ] = "parquet-shards",
    db: DbOption = DEFAULT_URL,
) -> None:
    """Load events or coded articles into the store; what is already stored is skipped.

    Example: flashpoint import acled-2018.csv --format acled-csv --db sqlite:///flashpoint.db

    Example: flashpoint import shards/ --format parquet-shards

    acled-csv reads an ACLED export (its column names, dates such as 15 April 2018 or 15-04-18, inter
    codes as numbers or names): each row becomes an asserted event under the article
    acled:EVENT_ID_CNTY, so control, support and the map cover it. jsonl, geojson and parquet read
    what `flashpoint export` writes. Running the same import again adds nothing. Exit status 1 when
    some row could not be read (each named on stderr with its line).
    """
    if fmt not in IMPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")
    if not source.exists():
        raise fail(f"{source}: no such file or folder")
    if fmt in EVENT_FORMATS:
        _import_events(source, fmt, db)
        return
    from flashpoint.batch.shards import read_shards
    from flashpoint.batch.writer import write_states
    from flashpoint.errors import InputError
    from flashpoint.pipeline import ArticleState

    store = store_or_exit(db)
    added = present = bad = 0
    it = read_shards(source)
    try:
        while chunk := list(itertools.islice(it, 64)):
            states: list[ArticleState] = []
            for item in chunk:
                if isinstance(item, InputError):
                    bad += 1
                    report_skipped(item)
                else:
                    states.append(item)
            for result in write_states(store, states):
                if isinstance(result, InputError):
                    bad += 1
                    report_skipped(result)
                elif result:
                    added += 1
                else:
                    present += 1
    finally:
        store.close()
    stderr.print(f"imported {added} article(s); {present} already stored", highlight=False)
    if bad:
        stderr.print(f"{bad} row(s) skipped", highlight=False)
        raise typer.Exit(1)


def _import_events(source: Path, fmt: str, db: str) -> None:
    from flashpoint.errors import FlashpointError
    from flashpoint.store.imports import import_events, read_events

    if not source.is_file():
        raise fail(f"{source}: not a file (--format {fmt} reads one file)")
    store = store_or_exit(db)
    try:
        result = import_events(store, read_events(source, fmt), fmt, source=str(source), on_skip=report_skipped)
    except FlashpointError as exc:
        raise fail(str(exc), 1) from None
    finally:
        store.close()
    stderr.print(
        f"imported {result.events} event(s) in {result.articles} article(s); {result.present} already stored",
        highlight=False,
    )
    if result.skipped:
        stderr.print(f"{len(result.skipped)} row(s) skipped", highlight=False)
        raise typer.Exit(1)


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("import")(import_)
