"""``flashpoint code``, ``flashpoint export`` and ``flashpoint events``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

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
from flashpoint.errors import FlashpointError
from flashpoint.records import DEFAULT_MODALITIES, Event
from flashpoint.store import EventQuery

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, jsonl, acled-csv or geojson.")]
CODE_FORMATS = ("table", "jsonl", "acled-csv", "geojson")


PathsArgument = Annotated[list[Path] | None, typer.Argument(help="Text, HTML, JSONL or CSV files; - for stdin.")]
InputOption = Annotated[
    str | None, typer.Option("--input", "-i", help="A JSONL or CSV batch (.gz too); - reads JSONL from stdin.")]
PublishedOption = Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD for inputs that carry none.")]
TitleOption = Annotated[str | None, typer.Option(help="Title for a single text input.")]
ModalitiesOption = Annotated[
    bool, typer.Option("--all-modalities", help="Also print threatened, hypothetical and background events.")]
ModelOption = Annotated[Path | None, typer.Option("--model", help="A sentence model trained with `flashpoint train`.")]
WorkersOption = Annotated[int, typer.Option(
    "--workers", "-w", min=1, help="Worker processes (or Ray actors); each loads the models once.")]
EngineOption = Annotated[str, typer.Option("--engine", help="local (this machine) or ray (a Ray cluster).")]
AddressOption = Annotated[
    str | None, typer.Option("--address", help="Ray cluster address for --engine ray (auto: the running one).")]
ShardsOption = Annotated[
    Path | None, typer.Option("--out-shards", help="Write coded articles as Parquet shards here instead of --db.")]
FastPathOption = Annotated[bool, typer.Option(
    "--fast-path/--no-fast-path", help="Set aside articles with no event trigger word before NLP.")]


def code(
    paths: PathsArgument = None,
    input_: InputOption = None,
    published: PublishedOption = None,
    title: TitleOption = None,
    db: DbOption = DEFAULT_URL,
    fmt: FormatOption = "table",
    out: OutOption = None,
    all_modalities: ModalitiesOption = False,
    model: ModelOption = None,
    workers: WorkersOption = 1,
    engine: EngineOption = "local",
    address: AddressOption = None,
    out_shards: ShardsOption = None,
    fast_path: FastPathOption = True,
) -> None:
    """Code articles into events, store them, and print the events.

    Example: flashpoint code article.txt --published 2018-05-08 --format jsonl

    Example: flashpoint code --input day.jsonl.gz --workers 2 --format jsonl --out events.jsonl

    Stores into --db (default sqlite:///flashpoint.db; --db none keeps nothing). A killed batch resumes
    when the same command runs again: stored articles are skipped. --engine ray [--address auto] codes
    on a Ray cluster; --out-shards DIR writes Parquet shards that `flashpoint import` loads. Exit
    status: 0 when every input was coded, 1 when some input was skipped (each named on stderr), 2 for a
    usage error.
    """
    _check_options(fmt, bool(paths) or input_ is not None, model, engine, address)
    day = parse_day(published, "--published")
    from flashpoint.batch import CodeJob, CodeOptions
    from flashpoint.ingest import count_inputs, read_inputs

    options = CodeOptions(model, workers, engine, address, fast_path, None if all_modalities else DEFAULT_MODALITIES)
    total = count_inputs(input_) if input_ is not None and sys.stderr.isatty() else None
    with _progress(enabled=input_ is not None, total=total) as progress:
        task: Any = progress.add_task("coding", total=total, events=0)
        try:
            job = CodeJob(read_inputs(paths or [], input_, published=day, title=title),
                          db=None if db.strip().lower() == "none" else db, out_shards=out_shards, options=options,
                          on_skip=report_skipped,
                          on_article=lambda tally: progress.update(task, advance=1, events=tally.found))
            with job, output(out) as fh:
                if fmt == "table":
                    _write_table(job.events(), fh)
                else:
                    write_events(job.events(), fmt, fh)
        except FlashpointError as exc:
            raise fail(str(exc)) from None
    if job.tally.skipped:
        stderr.print(f"{job.tally.skipped} input(s) skipped", highlight=False)
        raise typer.Exit(1)


def _check_options(fmt: str, given: bool, model: Path | None, engine: str, address: str | None) -> None:
    """Usage errors of `code`, each naming the option (exit 2)."""
    if fmt not in CODE_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(CODE_FORMATS)}")
    if not given:
        raise fail("nothing to code: give PATH arguments or --input FILE (use - for stdin)")
    if model is not None and not model.is_file():
        raise fail(f"--model {model}: no such model file")
    if engine not in ("local", "ray"):
        raise fail(f"unknown engine {engine!r}; choose local or ray")
    if address is not None and engine != "ray":
        raise fail("--address needs --engine ray")


TABLE_ROWS = 200
"""The table shows at most this many events; beyond that it summarises (use --format jsonl)."""


def _write_table(events: Iterator[Event], fh: Any) -> None:
    shown: list[Event] = []
    by_type: dict[str, int] = {}
    for e in events:
        if len(shown) < TABLE_ROWS:
            shown.append(e)
        by_type[e.sub_event_type] = by_type.get(e.sub_event_type, 0) + 1
    n = sum(by_type.values())
    write_events(shown, "table", fh)
    if n > TABLE_ROWS:
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(by_type.items(), key=lambda kv: -kv[1]))
        fh.write(f"... {n - TABLE_ROWS} more events not shown ({n} in all: {summary}); use --format jsonl\n")


class _Quiet:
    def add_task(self, *_: object, **__: object) -> int:
        return 0

    def update(self, *_: object, **__: object) -> None:
        return None

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *_: object) -> None:
        return None


class _RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} articles/s")


def _progress(enabled: bool, total: int | None = None) -> Progress | _Quiet:
    if not enabled or not sys.stderr.isatty():
        return _Quiet()
    return Progress(
        TextColumn("[bold]coding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles · {task.fields[events]} events ·"),
        _RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    )


def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="acled-csv, geojson, jsonl, parquet or plover-jsonl.")
    ] = "acled-csv",
    db: DbOption = DEFAULT_URL,
    out: OutOption = None,
    all_modalities: Annotated[bool, typer.Option("--all-modalities", help="Export every modality.")] = False,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Export events a review rejected too.")
    ] = False,
) -> None:
    """Export stored events as ACLED CSV (31 columns), GeoJSON, JSONL, Parquet or PLOVER JSONL.

    Example: flashpoint export --format geojson --out events.geojson

    Example: flashpoint export --format parquet --out events.parquet

    Parquet needs --out (or stdout redirected to a file); plover-jsonl writes PLOVER/POLECAT-style
    records (docs/output-fields.md gives the mapping).
    """
    from flashpoint.store.exports import BINARY_FORMATS, EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt in BINARY_FORMATS and out is None and sys.stdout.isatty():
        raise fail(f"{fmt} is binary: give --out FILE")
    store = store_or_exit(db)
    query = EventQuery(
        modalities=None if all_modalities else DEFAULT_MODALITIES, include_rejected=include_rejected
    )
    try:
        with output(out) as fh:
            n = write_events(store.iter_events(query), fmt, fh)
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    finally:
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
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Include events a review rejected.")
    ] = False,
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
            include_rejected=include_rejected,
        )
    )
    with output(out) as fh:
        write_events(found, fmt, fh)
    store.close()


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("code")(code)
    app.command("export")(export)
    app.command("events")(events)
