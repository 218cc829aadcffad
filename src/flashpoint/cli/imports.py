"""``flashpoint import``: load coded articles from elsewhere into the store.

One command with a ``--format`` option; ``parquet-shards`` (what ``code --out-shards`` and Ray runs
write) is the first format. Other formats join here as further choices of the same option.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated

import typer

from flashpoint.cli.common import DEFAULT_URL, DbOption, fail, report_skipped, stderr, store_or_exit

IMPORT_FORMATS = ("parquet-shards",)


def import_(
    source: Annotated[Path, typer.Argument(help="A folder of shards (or one .parquet shard).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet-shards.")] = "parquet-shards",
    db: DbOption = DEFAULT_URL,
) -> None:
    """Load coded articles and their events into the store; articles already stored are skipped.

    Example: flashpoint import shards/ --format parquet-shards --db sqlite:///flashpoint.db

    Each article is written whole (with its events) or not at all; running the same import again
    adds nothing. Exit status 1 when some row could not be read (each named on stderr).
    """
    if fmt not in IMPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")
    if not source.exists():
        raise fail(f"{source}: no such file or folder")
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


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("import")(import_)
