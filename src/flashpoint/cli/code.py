"""``flashpoint code``, ``flashpoint export`` and ``flashpoint events``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flashpoint.cli.common import (
    DEFAULT_URL,
    DbOption,
    OutOption,
    fail,
    output,
    parse_day,
    report_skipped,
    stderr,
    store_or_exit,
    write_events,
)
from flashpoint.ingest import Item
from flashpoint.records import DEFAULT_MODALITIES, Article, Event
from flashpoint.store import EventQuery

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, jsonl, acled-csv or geojson.")]
CODE_FORMATS = ("table", "jsonl", "acled-csv", "geojson")


def code(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Text, HTML, JSONL or CSV files; - for stdin.")
    ] = None,
    input_: Annotated[
        str | None,
        typer.Option("--input", "-i", help="A JSONL or CSV batch (.gz too); - reads JSONL from stdin."),
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for inputs that carry none.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title for a single text input.")] = None,
    db: DbOption = DEFAULT_URL,
    fmt: FormatOption = "table",
    out: OutOption = None,
    all_modalities: Annotated[
        bool,
        typer.Option("--all-modalities", help="Also print threatened, hypothetical and background events."),
    ] = False,
    model: Annotated[
        Path | None, typer.Option("--model", help="An event classifier trained with `flashpoint train`.")
    ] = None,
) -> None:
    """Code articles into events, store them, and print the events.

    Example: flashpoint code article.txt --published 2018-05-08 --format jsonl

    Stores into --db (default sqlite:///flashpoint.db; --db none keeps nothing). Exit status: 0 when
    every input was coded, 1 when some input was skipped (each named on stderr), 2 for a usage error.
    """
    if fmt not in CODE_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(CODE_FORMATS)}")
    if not paths and input_ is None:
        raise fail("nothing to code: give PATH arguments or --input FILE (use - for stdin)")
    if model is not None and not model.is_file():
        raise fail(f"--model {model}: no such model file")
    day = parse_day(published, "--published")

    from flashpoint.batch import Coded, code_items
    from flashpoint.coder import Coder

    store = None if db.strip().lower() == "none" else store_or_exit(db)
    coder = Coder(model_path=model)
    modalities = None if all_modalities else DEFAULT_MODALITIES
    skipped = 0
    printed: list[Event] = []
    with _progress(enabled=input_ is not None) as progress:
        task: Any = progress.add_task("coding", total=None, events=0)
        for outcome in code_items(_items(paths or [], input_, day, title), coder, store):
            if not isinstance(outcome, Coded):
                skipped += 1
                report_skipped(outcome.error)
                continue
            chosen = [e for e in outcome.events if modalities is None or e.modality in modalities]
            printed.extend(chosen)
            progress.update(task, advance=1, events=len(printed))
    with output(out) as fh:
        write_events(printed, fmt, fh)
    if store is not None:
        store.close()
    if skipped:
        stderr.print(f"{skipped} input(s) skipped", highlight=False)
        raise typer.Exit(1)


def _items(paths: list[Path], input_: str | None, day: dt.date | None, title: str | None) -> Iterator[Item]:
    from flashpoint.ingest import read_csv, read_jsonl, read_paths

    sources: list[Iterator[Item]] = []
    if paths:
        sources.append(read_paths(paths, published=day, title=title))
    if input_ is not None:
        lower = input_.lower().removesuffix(".gz")
        sources.append(read_csv(input_) if lower.endswith(".csv") else read_jsonl(input_))
    for item in itertools.chain(*sources):
        if isinstance(item, Article) and item.published is None and day is not None:
            item = dataclasses.replace(item, published=day)
        yield item


class _Quiet:
    def add_task(self, *_: object, **__: object) -> int:
        return 0

    def update(self, *_: object, **__: object) -> None:
        return None

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def _progress(enabled: bool) -> Progress | _Quiet:
    if not enabled or not sys.stderr.isatty():
        return _Quiet()
    return Progress(
        TextColumn("[bold]coding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles · {task.fields[events]} events"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="acled-csv, geojson or jsonl.")] = "acled-csv",
    db: DbOption = DEFAULT_URL,
    out: OutOption = None,
    all_modalities: Annotated[bool, typer.Option("--all-modalities", help="Export every modality.")] = False,
) -> None:
    """Export stored events as ACLED CSV (31 columns), GeoJSON or JSONL.

    Example: flashpoint export --format geojson --out events.geojson
    """
    from flashpoint.store.exports import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    store = store_or_exit(db)
    query = EventQuery(modalities=None if all_modalities else DEFAULT_MODALITIES)
    with output(out) as fh:
        n = write_events(store.iter_events(query), fmt, fh)
    store.close()
    if out is not None:
        stderr.print(f"wrote {n} events to {out}", highlight=False)


def events(
    actor: Annotated[str | None, typer.Option(help="Actor name (or part of it) in any actor role.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="ACLED event type, or sub-event type.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date YYYY-MM-DD.")] = None,
    db: DbOption = DEFAULT_URL,
    fmt: FormatOption = "table",
    out: OutOption = None,
    all_modalities: Annotated[bool, typer.Option("--all-modalities", help="Include every modality.")] = False,
) -> None:
    """Query stored events.

    Example: flashpoint events --actor "Hayat Tahrir al-Sham" --since 2018-04-01 --format jsonl
    """
    if fmt not in CODE_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(CODE_FORMATS)}")
    start, end = parse_day(since, "--since"), parse_day(until, "--until")
    store = store_or_exit(db)
    modalities = None if all_modalities else DEFAULT_MODALITIES
    from flashpoint.events import taxonomy

    is_type = type_ is not None and type_.lower() in {t.name.lower() for t in taxonomy.event_types()}
    found = store.events(
        EventQuery(
            actor=actor,
            event_type=type_ if is_type else None,
            sub_event_type=None if is_type else type_,
            since=start,
            until=end,
            modalities=modalities,
        )
    )
    with output(out) as fh:
        write_events(found, fmt, fh)
    store.close()


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("code")(code)
    app.command("export")(export)
    app.command("events")(events)
