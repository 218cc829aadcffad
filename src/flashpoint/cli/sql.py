"""``flashpoint sql``: ad-hoc, read-only SQL over the store through DuckDB."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
from typing import Annotated, Any, TextIO

import typer

from flashpoint.cli.common import DEFAULT_URL, DbOption, OutOption, fail, output, store_or_exit

SQL_FORMATS = ("table", "jsonl", "csv")


def _plain(value: Any) -> Any:
    """A DuckDB/Arrow value as JSON: dates as ISO text, maps as objects, decimals as numbers."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        if value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            return {str(k): _plain(v) for k, v in value}
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, dict | list):
        return json.dumps(plain, ensure_ascii=False)
    return str(plain)


def write_rows(columns: list[str], rows: list[list[Any]], fmt: str, out: TextIO) -> None:
    """Print query results as a rich table, JSON lines or CSV."""
    if fmt == "jsonl":
        for row in rows:
            out.write(
                json.dumps({k: _plain(v) for k, v in zip(columns, row, strict=True)}, ensure_ascii=False)
                + "\n"
            )
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(v) for v in row))
        Console(file=out, width=None if out.isatty() else 200).print(table)
        out.write(f"{len(rows)} row(s)\n")


def sql(
    query: Annotated[str, typer.Argument(help="A SELECT query over events, articles, actors, places ...")],
    db: DbOption = DEFAULT_URL,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")] = "table",
    out: OutOption = None,
) -> None:
    """Run a read-only SQL query (DuckDB) over the store.

    Example: flashpoint sql "SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC"

    Example: flashpoint sql "SELECT event_date, actor1, plover.type, evidence.text FROM events" -f jsonl

    Tables: events (every field of the event record as a column; nested fields as structs such as
    plover.type, evidence.text, or lists such as quantities and sources; every modality, with
    duplicate_of set on reports merged into another event), articles, actors, places, evidence,
    sentences, actor_mentions, feed_items, control_statements (statements of control as JSON in
    data). The store is read through Arrow; nothing is written and
    DuckDB may not touch files.
    """
    if fmt not in SQL_FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(SQL_FORMATS)}")
    from flashpoint.errors import FlashpointError
    from flashpoint.store.arrow import run_sql

    store = store_or_exit(db)
    try:
        table = run_sql(store, query)
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    with output(out) as fh:
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        write_rows(table.column_names, [list(r) for r in zip(*columns, strict=True)], fmt, fh)


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("sql")(sql)
