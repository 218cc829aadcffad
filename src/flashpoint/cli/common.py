"""Pieces every command module shares: options, output writing, the event table, errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flashpoint.errors import FlashpointError, InputError
from flashpoint.records import Event
from flashpoint.session import session_store
from flashpoint.store import DEFAULT_URL, Store

DbOption = Annotated[
    str,
    typer.Option("--db", help="Database URL: sqlite:///FILE.db or postgresql://USER@HOST/DB."),
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")]

stderr = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as an error on stderr (as written: brackets in it are no markup); return the Exit
    to raise."""
    stderr.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def report_skipped(error: InputError) -> None:
    stderr.print(f"skipped: {error}", markup=False, highlight=False, soft_wrap=True)


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


def store_or_exit(url: str) -> Store:
    """The session's store at ``url`` (what a command codes keeps its statements of control), or exit 2."""
    try:
        return session_store(url)
    except FlashpointError as exc:
        raise fail(str(exc)) from None


@contextlib.contextmanager
def output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a file written whole: a failure leaves no half-written file behind."""
    if path is None:
        yield sys.stdout
        return
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            yield fh
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise fail(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def event_table(events: Iterable[Event], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False)
    for col in (
        "date",
        "prec",
        "type / sub-event type",
        "actor1",
        "actor2 / target",
        "location",
        "fat.",
        "modality",
    ):
        table.add_column(col, overflow="fold")
    for e in events:
        other = e.actor2 or (f"→ {e.target}" if e.target else "")
        place = e.location or ""
        if e.admin1 and e.admin1 != e.location:
            place += f" ({e.admin1})"
        table.add_row(
            e.event_date.isoformat() if e.event_date else "undated",
            str(int(e.time_precision)) if e.time_precision is not None else "",
            f"{e.event_type} / {e.sub_event_type}",
            e.actor1 or "",
            other,
            place,
            str(e.fatalities),
            str(e.modality),
        )
    return table


def write_events(events: Iterable[Event], fmt: str, out: TextIO) -> int:
    """Write events as ``table`` or any export format; returns how many were written."""
    if fmt == "table":
        rows = list(events)
        Console(file=out, width=None if out.isatty() else 200).print(event_table(rows))
        return len(rows)
    from flashpoint.store.exports import EXPORT_FORMATS, export

    if fmt not in EXPORT_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose table, {', '.join(EXPORT_FORMATS)}")
    return export(events, fmt, out)


__all__ = [
    "DEFAULT_URL",
    "DbOption",
    "OutOption",
    "event_table",
    "fail",
    "output",
    "parse_day",
    "report_skipped",
    "store_or_exit",
    "write_events",
]
