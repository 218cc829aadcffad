"""Exports of events: ACLED CSV (ACLED's 31 columns in ACLED's order), GeoJSON and JSONL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from flashpoint.records import Event
from flashpoint.serialize import event_to_dict

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
EXPORT_FORMATS = ("acled-csv", "geojson", "jsonl")


def _blank(value: object) -> object:
    return "" if value is None else value


def _region(country: str | None) -> str:
    if not country:
        return ""
    from flashpoint.countries import by_name

    c = by_name(country)
    return c.region if c is not None else ""


def acled_row(event: Event, timestamp: int) -> dict[str, object]:
    """One event as an ACLED CSV row."""
    return {
        "event_id_cnty": event.event_id,
        "event_date": event.event_date.isoformat(),
        "year": event.event_date.year,
        "time_precision": int(event.time_precision),
        "disorder_type": event.disorder_type,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": _blank(event.actor1),
        "assoc_actor_1": _blank(event.assoc_actor_1),
        "inter1": _blank(event.inter1),
        "actor2": _blank(event.actor2),
        "assoc_actor_2": _blank(event.assoc_actor_2),
        "inter2": _blank(event.inter2),
        "interaction": _blank(event.interaction),
        "civilian_targeting": _blank(event.civilian_targeting),
        "iso": _blank(event.iso),
        "region": _region(event.country),
        "country": _blank(event.country),
        "admin1": _blank(event.admin1),
        "admin2": _blank(event.admin2),
        "admin3": _blank(event.admin3),
        "location": _blank(event.location),
        "latitude": "" if event.latitude is None else f"{event.latitude:.4f}",
        "longitude": "" if event.longitude is None else f"{event.longitude:.4f}",
        "geo_precision": "" if event.geo_precision is None else int(event.geo_precision),
        "source": _blank(event.source),
        "source_scale": "",
        "notes": event.notes,
        "fatalities": event.fatalities,
        "tags": "",
        "timestamp": timestamp,
    }


def write_acled_csv(events: Iterable[Event], out: TextIO) -> int:
    """Write ACLED CSV; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    stamp = int(dt.datetime.now(dt.UTC).timestamp())
    n = 0
    for e in events:
        writer.writerow(acled_row(e, stamp))
        n += 1
    return n


def geojson_feature(event: Event) -> dict[str, Any]:
    """One event as an RFC 7946 Feature (null geometry when it has no coordinates)."""
    props = event_to_dict(event)
    geometry = None
    if event.latitude is not None and event.longitude is not None:
        geometry = {"type": "Point", "coordinates": [round(event.longitude, 6), round(event.latitude, 6)]}
    return {"type": "Feature", "id": event.event_id, "geometry": geometry, "properties": props}


def write_geojson(events: Iterable[Event], out: TextIO) -> int:
    """Write a GeoJSON FeatureCollection, streaming features; returns the number of features."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for e in events:
        out.write(("," if n else "") + "\n" + json.dumps(geojson_feature(e), ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def jsonl_lines(events: Iterable[Event]) -> Iterator[str]:
    for e in events:
        yield json.dumps(event_to_dict(e), ensure_ascii=False)


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    n = 0
    for line in jsonl_lines(events):
        out.write(line + "\n")
        n += 1
    return n


def export(events: Iterable[Event], fmt: str, out: TextIO) -> int:
    """Write ``events`` to ``out`` in ``fmt`` (one of :data:`EXPORT_FORMATS`)."""
    writers = {"acled-csv": write_acled_csv, "geojson": write_geojson, "jsonl": write_jsonl}
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    return writers[fmt](events, out)


def export_string(events: Iterable[Event], fmt: str) -> str:
    buf = io.StringIO()
    export(events, fmt, buf)
    return buf.getvalue()
