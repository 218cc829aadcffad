"""Exports of events: ACLED CSV (ACLED's 31 columns in ACLED's order), GeoJSON, JSONL, Parquet and
PLOVER/POLECAT-style JSONL.

Parquet is binary: :func:`export` writes it to the binary buffer under a text stream opened on a
file (what ``flashpoint export --out FILE`` gives it) and refuses a terminal. ``plover-jsonl`` is
one PLOVER record per line (see :func:`plover_record` and docs/output-fields.md for the mapping).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from flashpoint.errors import InputError
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
EXPORT_FORMATS = ("acled-csv", "geojson", "jsonl", "parquet", "plover-jsonl")
BINARY_FORMATS = frozenset({"parquet"})
"""Formats that need a file (``--out``), not a terminal."""


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
        "event_date": event.event_date.isoformat() if event.event_date else "",  # undated: left empty
        "year": event.event_date.year if event.event_date else "",
        "time_precision": int(event.time_precision) if event.time_precision is not None else "",
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
    """Each event as one line of JSON (the event record)."""
    for e in events:
        yield json.dumps(event_to_dict(e), ensure_ascii=False)


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    """Write the event records as JSON lines; returns how many."""
    n = 0
    for line in jsonl_lines(events):
        out.write(line + "\n")
        n += 1
    return n


_PRECISION_WORDS = {1: "day", 2: "week", 3: "month"}
_GEO_WORDS = {1: "town", 2: "near", 3: "region"}


def plover_record(event: Event) -> dict[str, Any]:
    """One event as a PLOVER/POLECAT-style record.

    ``event_type``/``mode`` come from the event's ``plover`` mapping; ``actor`` is ACLED's actor1,
    ``recipient`` actor2 (or, without one, the ``target``), each with its ACLED inter code as the
    ``sector``; ``location`` is a list of one place (PLOVER allows several); ``context`` keeps
    ACLED's type, sub-event type and disorder type; ``story_ids`` are the articles that reported it.
    """
    from flashpoint.events.taxonomy import inter_codes

    names = inter_codes()

    def party(name: str | None, inter: int | None, assoc: str | None) -> dict[str, Any] | None:
        if not name:
            return None
        return {
            "name": name,
            "sector": names.get(inter) if inter else None,
            "inter": inter,
            "associated": [a.strip() for a in (assoc or "").split(";") if a.strip()],
        }

    if event.actor2:
        recipient = party(event.actor2, event.inter2, event.assoc_actor_2)
    else:
        recipient = party(event.target, None, None)
    location = []
    if event.location or event.country:
        location.append(
            {
                "name": event.location,
                "country": event.country,
                "iso": event.iso,
                "admin1": event.admin1,
                "admin2": event.admin2,
                "admin3": event.admin3,
                "lat": event.latitude,
                "lon": event.longitude,
                "geonameid": event.geonameid,
                "precision": None if event.geo_precision is None else _GEO_WORDS[int(event.geo_precision)],
            }
        )
    stories = list(dict.fromkeys([event.article_id, *(s.article_id for s in event.sources)]))
    ev = event.evidence
    return {
        "id": event.event_id,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "date_precision": _PRECISION_WORDS[int(event.time_precision)] if event.time_precision is not None else None,
        "event_type": event.plover.get("type"),
        "mode": event.plover.get("mode"),
        "context": {
            "acled_event_type": event.event_type,
            "acled_sub_event_type": event.sub_event_type,
            "disorder_type": event.disorder_type,
            "cameo": event.cameo,
        },
        "actor": party(event.actor1, event.inter1, event.assoc_actor_1),
        "recipient": recipient,
        "location": location,
        "fatalities": event.fatalities,
        "modality": str(event.modality),
        "confidence": event.confidence,
        "summary": event.notes,
        "evidence": None if ev is None else {"text": ev.text, "start": ev.start, "end": ev.end},
        "story_id": event.article_id,
        "story_ids": stories,
        "source": event.source,
    }


def write_plover_jsonl(events: Iterable[Event], out: TextIO) -> int:
    """Write one PLOVER record (:func:`plover_record`) per line; returns the number of records."""
    n = 0
    for e in events:
        out.write(json.dumps(plover_record(e), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(events: Iterable[Event], out: TextIO | BinaryIO) -> int:
    """Write events as Parquet (one typed column per field, see :func:`~flashpoint.store.arrow.event_schema`).

    ``out`` is a binary file, or a text stream opened on a file (its binary buffer is used); a
    terminal is refused. Returns the number of rows.
    """
    import pyarrow.parquet as pq

    from flashpoint.store.arrow import events_to_arrow

    if out.isatty():
        raise InputError("parquet", "Parquet is binary and cannot go to a terminal; give --out FILE.parquet")
    binary: Any = getattr(out, "buffer", out)
    if binary is not out:
        out.flush()
    table = events_to_arrow(events)
    pq.write_table(table, binary, compression="zstd")
    binary.flush()
    return table.num_rows


def export(events: Iterable[Event], fmt: str, out: TextIO) -> int:
    """Write ``events`` to ``out`` in ``fmt`` (one of :data:`EXPORT_FORMATS`); returns how many."""
    writers = {
        "acled-csv": write_acled_csv,
        "geojson": write_geojson,
        "jsonl": write_jsonl,
        "parquet": write_parquet,
        "plover-jsonl": write_plover_jsonl,
    }
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    return writers[fmt](events, out)


def export_string(events: Iterable[Event], fmt: str) -> str:
    """``events`` in a text format, as a string."""
    if fmt in BINARY_FORMATS:
        raise ValueError(f"{fmt} is a binary format; use export_file")
    buf = io.StringIO()
    export(events, fmt, buf)
    return buf.getvalue()


def export_file(events: Iterable[Event], fmt: str, path: str | Path) -> int:
    """Write ``events`` to the file ``path`` in ``fmt``; returns how many."""
    if fmt in BINARY_FORMATS:
        with open(path, "wb") as fh:
            return write_parquet(events, fh)
    with open(path, "w", encoding="utf-8", newline="") as text:
        return export(events, fmt, text)
