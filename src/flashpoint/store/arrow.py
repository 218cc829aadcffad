"""The store as Arrow tables: Parquet export/import of events and ``flashpoint sql`` through DuckDB.

Events become one typed column per field of the event record (:data:`EVENT_SCHEMA`): dates as
``date32``, nested fields as Arrow structs and lists (``plover.type``, ``evidence.text``,
``quantities``, ``sources``), ``field_evidence`` as a map from field name to ``{start, end}``. The
same schema serves Parquet files and the ``events`` table of :func:`run_sql`, so a query that works
on one works on the other.

DuckDB cannot download its extensions here, so :func:`run_sql` reads the store through SQLAlchemy,
hands DuckDB Arrow tables, and locks DuckDB away from the file system: queries are read-only.
pyarrow and duckdb load only when these functions run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from flashpoint.errors import InputError
from flashpoint.records import Event
from flashpoint.serialize import EVENT_FIELDS, event_from_dict, event_to_dict

if TYPE_CHECKING:
    import pyarrow as pa

    from flashpoint.store.repository import Store

SQL_TABLES: tuple[str, ...] = (
    "events",
    "articles",
    "actors",
    "places",
    "evidence",
    "sentences",
    "actor_mentions",
    "feed_items",
    "control_statements",
    "reviews",
)
"""Tables :func:`run_sql` offers; ``events`` has every field of the event record as a column, the
reviewed values with ``review_status`` and ``machine_values`` (rejected events included)."""


def event_schema() -> pa.Schema:
    """The Arrow schema of events: one column per field of the event record, in its order."""
    import pyarrow as pa

    span = pa.struct([("start", pa.int64()), ("end", pa.int64())])
    types: dict[str, pa.DataType] = {
        "event_date": pa.date32(),
        "time_precision": pa.int8(),
        "inter1": pa.int16(),
        "inter2": pa.int16(),
        "interaction": pa.int16(),
        "iso": pa.int32(),
        "latitude": pa.float64(),
        "longitude": pa.float64(),
        "geo_precision": pa.int8(),
        "geonameid": pa.int64(),
        "fatalities": pa.int32(),
        "confidence": pa.float64(),
        "quantities": pa.list_(pa.struct([("value", pa.int64()), ("of", pa.string())])),
        "plover": pa.struct([("type", pa.string()), ("mode", pa.string())]),
        "evidence": pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())]),
        "field_evidence": pa.map_(pa.string(), span),
        "machine_values": pa.struct(
            [
                ("event_type", pa.string()),
                ("sub_event_type", pa.string()),
                ("actor1", pa.string()),
                ("actor2", pa.string()),
                ("location", pa.string()),
                ("latitude", pa.float64()),
                ("longitude", pa.float64()),
                ("event_date", pa.string()),
                ("fatalities", pa.int32()),
            ]
        ),
        "sources": pa.list_(
            pa.struct(
                [
                    ("article_id", pa.string()),
                    ("text", pa.string()),
                    ("start", pa.int64()),
                    ("end", pa.int64()),
                ]
            )
        ),
    }
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name in EVENT_FIELDS])


def _row(event: Event) -> dict[str, Any]:
    row = event_to_dict(event)
    row["event_date"] = event.event_date
    row["plover"] = {"type": event.plover.get("type"), "mode": event.plover.get("mode")}
    row["field_evidence"] = list(row["field_evidence"].items())
    row["machine_values"] = row["machine_values"] or None  # null: nothing corrected
    return row


def events_to_arrow(events: Iterable[Event], extra: dict[str, list[Any]] | None = None) -> pa.Table:
    """Events as an Arrow table with :func:`event_schema` (plus ``extra`` string columns, if any)."""
    import pyarrow as pa

    schema = event_schema()
    table = pa.Table.from_pylist([_row(e) for e in events], schema=schema)
    for name, values in (extra or {}).items():
        table = table.append_column(pa.field(name, pa.string()), pa.array(values, type=pa.string()))
    return table


def _from_row(row: dict[str, Any]) -> Event:
    row = dict(row)
    row["event_date"] = row["event_date"].isoformat() if row["event_date"] is not None else None
    plover = row.get("plover") or {}
    row["plover"] = {k: v for k, v in plover.items() if v is not None or k in ("type", "mode")}
    if not any(plover.values()):
        row["plover"] = {}
    row["field_evidence"] = dict(row.get("field_evidence") or [])
    row["machine_values"] = {k: v for k, v in (row.get("machine_values") or {}).items() if v is not None}
    return event_from_dict(row)


def events_from_arrow(table: pa.Table, where: str = "table") -> Iterator[Event | InputError]:
    """Events back from an Arrow table written by :func:`events_to_arrow` (a bad row: InputError)."""
    missing = [
        c
        for c in ("event_id", "article_id", "event_date", "event_type", "sub_event_type")
        if c not in table.column_names
    ]
    if missing:
        yield InputError(where, f"not a flashpoint events table: no column {', '.join(missing)}")
        return
    for n, row in enumerate(table.to_pylist(), start=1):
        try:
            yield _from_row(row)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            yield InputError(f"{where}: row {n}", f"not an event record ({exc.__class__.__name__}: {exc})")


def _events_table(store: Store) -> pa.Table:
    """Every stored event as reviewed (every modality, merged reports and rejected events too), with
    ``duplicate_of``."""
    from flashpoint.store import reviews, schema

    t = schema.events
    events: list[Event] = []
    duplicates: list[str | None] = []
    stmt = select(t.c.duplicate_of, t.c.data, *reviews.STATE_COLUMNS).select_from(reviews.joined())
    with store.engine.connect() as conn:
        for dup, *row in conn.execute(stmt.order_by(t.c.event_date, t.c.event_id)):
            events.append(reviews.event_from_row(*row))
            duplicates.append(dup)
    return events_to_arrow(events, {"duplicate_of": duplicates})


def _plain_table(store: Store, name: str) -> pa.Table:
    import pyarrow as pa

    from flashpoint.store import schema

    table = schema.metadata.tables[name]
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(table)).mappings()]
    if rows:
        return pa.Table.from_pylist(rows)
    return pa.table({c.name: pa.array([], type=_arrow_type(c.type)) for c in table.columns})


def _arrow_type(sql_type: Any) -> pa.DataType:
    import pyarrow as pa

    name = type(sql_type).__name__.lower()
    if "integer" in name:
        return pa.int64()
    if "float" in name:
        return pa.float64()
    if name == "date":
        return pa.date32()
    return pa.string()


def store_tables(store: Store, names: Iterable[str] = SQL_TABLES) -> dict[str, pa.Table]:
    """The named tables of the store as Arrow tables (``events`` flattened from the record)."""
    out: dict[str, pa.Table] = {}
    for name in names:
        if name not in SQL_TABLES:
            raise InputError("sql", f"no table {name!r}; the tables are {', '.join(SQL_TABLES)}")
        out[name] = _events_table(store) if name == "events" else _plain_table(store, name)
    return out


def tables_named(query: str) -> list[str]:
    """The store tables a query mentions (only those are loaded)."""
    words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", query)}
    return [t for t in SQL_TABLES if t in words]


def run_sql(store: Store, query: str) -> pa.Table:
    """Run a read-only DuckDB query over the store's tables; the result as an Arrow table.

    >>> run_sql(open_store(), "SELECT event_type, count(*) AS n FROM events GROUP BY 1")  # doctest: +SKIP
    """
    import duckdb

    if not query.strip():
        raise InputError("sql", "empty query; e.g. SELECT event_type, count(*) FROM events GROUP BY 1")
    con = duckdb.connect(":memory:")
    try:
        for name, table in store_tables(store, tables_named(query)).items():
            con.register(name, table)
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        try:
            relation = con.sql(query)
            if relation is None:
                raise InputError("sql", "the statement returns no rows; give a SELECT query")
            return relation.to_arrow_table()
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0]
            hint = "" if tables_named(query) else f" (the tables are {', '.join(SQL_TABLES)})"
            raise InputError("sql", f"{message}{hint}") from None
    finally:
        con.close()
