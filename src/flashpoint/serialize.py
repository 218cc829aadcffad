"""The event record as JSON: the output contract of ``--format jsonl``, the store and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flashpoint.records import (
    DateBasis,
    Event,
    Evidence,
    GeoPrecision,
    Modality,
    Quantity,
    ReviewStatus,
    TimePrecision,
)

EVENT_FIELDS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "event_date",
    "time_precision",
    "date_basis",
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
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "geonameid",
    "fatalities",
    "notes",
    "source",
    "target",
    "quantities",
    "modality",
    "confidence",
    "plover",
    "cameo",
    "evidence",
    "field_evidence",
    "sources",
    "review_status",
    "machine_values",
)


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"article_id": e.article_id, "text": e.text, "start": e.start, "end": e.end}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The JSON object of one event, keys in :data:`EVENT_FIELDS` order."""
    out: dict[str, Any] = {}
    for name in EVENT_FIELDS:
        value = getattr(event, name)
        if name == "event_date":
            value = value.isoformat() if value is not None else None
        elif name in ("time_precision", "geo_precision") and value is not None:
            value = int(value)
        elif name in ("date_basis", "modality", "review_status"):
            value = str(value)
        elif name == "quantities":
            value = [{"value": q.value, "of": q.of} for q in value]
        elif name == "evidence":
            value = None if value is None else {"text": value.text, "start": value.start, "end": value.end}
        elif name == "field_evidence":
            value = {k: {"start": s, "end": e} for k, (s, e) in value.items()}
        elif name == "sources":
            value = [_evidence(e) for e in value]
        elif name in ("plover", "machine_values"):
            value = dict(value)
        out[name] = value
    return out


def event_from_dict(d: dict[str, Any]) -> Event:
    """The inverse of :func:`event_to_dict`."""
    ev = d.get("evidence")
    article_id = d["article_id"]
    geo = d.get("geo_precision")
    return Event(
        event_id=d["event_id"],
        article_id=article_id,
        event_date=dt.date.fromisoformat(d["event_date"]) if d.get("event_date") else None,
        time_precision=TimePrecision(int(d["time_precision"])) if d.get("time_precision") is not None else None,
        date_basis=DateBasis(d.get("date_basis") or "explicit"),
        disorder_type=d["disorder_type"],
        event_type=d["event_type"],
        sub_event_type=d["sub_event_type"],
        actor1=d.get("actor1"),
        assoc_actor_1=d.get("assoc_actor_1"),
        inter1=d.get("inter1") or None,  # unknown: null (0 in events imported from ACLED before it was)
        actor2=d.get("actor2"),
        assoc_actor_2=d.get("assoc_actor_2"),
        inter2=d.get("inter2") or None,
        interaction=d.get("interaction"),
        civilian_targeting=d.get("civilian_targeting"),
        iso=d.get("iso"),
        country=d.get("country"),
        admin1=d.get("admin1"),
        admin2=d.get("admin2"),
        admin3=d.get("admin3"),
        location=d.get("location"),
        latitude=d.get("latitude"),
        longitude=d.get("longitude"),
        geo_precision=None if geo is None else GeoPrecision(int(geo)),
        geonameid=d.get("geonameid"),
        fatalities=int(d.get("fatalities") or 0),
        notes=d.get("notes") or "",
        source=d.get("source"),
        target=d.get("target"),
        quantities=tuple(Quantity(int(q["value"]), str(q["of"])) for q in d.get("quantities") or ()),
        modality=Modality(d.get("modality") or "asserted"),
        confidence=float(d.get("confidence") or 0.0),
        plover=dict(d.get("plover") or {}),
        cameo=d.get("cameo"),
        evidence=None if ev is None else Evidence(article_id, ev["text"], int(ev["start"]), int(ev["end"])),
        field_evidence={
            k: (int(v["start"]), int(v["end"])) for k, v in (d.get("field_evidence") or {}).items()
        },
        sources=tuple(
            Evidence(s["article_id"], s["text"], int(s["start"]), int(s["end"]))
            for s in d.get("sources") or ()
        ),
        review_status=ReviewStatus(d.get("review_status") or "unreviewed"),
        machine_values=dict(d.get("machine_values") or {}),
    )
