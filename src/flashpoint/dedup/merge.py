"""One event per real event: recognising reports of the same event and merging them.

Two events are reports of one event (:func:`same_event`) when they have

- the same ``event_type`` (sub-event types may differ between reports: one says "clash", another
  "attack"; the merged event keeps the first report's);
- compatible actors: the named actors of one (actor1, actor2) are a subset of the other's, compared
  by :func:`actor_key`, and their targets, where both give one, agree;
- compatible actors need at least one named actor in common (unless neither names any);
- nearby places: for two precise places (geo_precision 1 or 2) within :data:`NEAR_KM` of each other
  or in the same admin2; where either is only a region (geo_precision 3) or has no coordinates,
  the same admin1; where either gives only a country (or nothing), the same location name;
  different countries never match;
- overlapping date windows: a DAY date is that day, a WEEK date ±5 days around ``event_date``, a
  MONTH date ±15 days, and a date based on publication the 30 days up to it;
- across articles, reports too vague to tell apart are kept apart: two undated ones published on
  different days, one placed only in a country (unless both give the same day), or two that name no
  actor.

:func:`merge` keeps the first event's ``event_id`` (the event already known: re-coding an article
or adding a second report never changes an id), unions the evidence of both into ``sources``, takes
the more precise date and place, the fuller actor set, and the most conservative fatality count
(ACLED: where reports disagree, the lowest figure; a report that gives no figure does not count).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from flashpoint.records import Event, Evidence, GeoPrecision, Modality, TimePrecision

NEAR_KM = 25.0
"""Two precise places at most this far apart can be the same event's place."""

_HALF_WINDOW = {TimePrecision.DAY: 0, TimePrecision.WEEK: 5, TimePrecision.MONTH: 15}
_PUBLICATION_WINDOW = 30


def actor_key(name: str | None) -> str | None:
    """An actor name compared loosely: case, hyphens, apostrophes and a trailing "(2000-2024)" ignored."""
    if not name:
        return None
    name = re.sub(r"\s*\([^)]*\d{4}[^)]*\)\s*$", "", name)
    name = re.sub(r"[-‐–'’`]", " ", name.casefold())
    return re.sub(r"\s+", " ", name).strip() or None


def date_window(event: Event) -> tuple[dt.date, dt.date] | None:
    """The days an event may have happened on, given its date, precision and basis (None: undated)."""
    if event.event_date is None or event.time_precision is None:
        return None
    if event.date_basis == "publication":
        return event.event_date - dt.timedelta(days=_PUBLICATION_WINDOW), event.event_date
    if event.date_basis == "year":  # a year named alone: the whole year
        return dt.date(event.event_date.year, 1, 1), dt.date(event.event_date.year, 12, 31)
    half = dt.timedelta(days=_HALF_WINDOW[TimePrecision(event.time_precision)])
    return event.event_date - half, event.event_date + half


def _actors(event: Event) -> frozenset[str]:
    return frozenset(k for k in (actor_key(event.actor1), actor_key(event.actor2)) if k)


def actors_compatible(a: Event, b: Event) -> bool:
    """One event's named actors are a subset of the other's (sharing at least one, unless neither
    names any), and their targets do not disagree."""
    aa, bb = _actors(a), _actors(b)
    if not (aa <= bb or bb <= aa) or (bool(aa) != bool(bb)):
        return False
    ta, tb = actor_key(a.target), actor_key(b.target)
    return ta is None or tb is None or ta == tb


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _norm(value: str | None) -> str | None:
    return value.casefold().strip() if value else None


def _precise(event: Event) -> bool:
    return (
        event.latitude is not None
        and event.longitude is not None
        and event.geo_precision is not None
        and event.geo_precision != GeoPrecision.REGION
    )


def places_compatible(a: Event, b: Event) -> bool:
    """Nearby or the same admin area (see the module docstring)."""
    ca, cb = _norm(a.country), _norm(b.country)
    if ca and cb and ca != cb:
        return False
    if _precise(a) and _precise(b):
        assert a.latitude is not None and a.longitude is not None
        assert b.latitude is not None and b.longitude is not None
        if haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= NEAR_KM:
            return True
        return bool(a.admin2 and _norm(a.admin1) == _norm(b.admin1) and _norm(a.admin2) == _norm(b.admin2))
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    a1, b1 = _norm(a.admin1), _norm(b.admin1)
    if a1 and b1:
        return a1 == b1
    # a country, or no place at all: only the same named place (a country-wide event is not one
    # of the many events inside that country)
    return _norm(a.location) == _norm(b.location)


def dates_overlap(a: Event, b: Event) -> bool:
    """Both events are dated, on days that may be the same (an undated event matches no other)."""
    wa, wb = date_window(a), date_window(b)
    if wa is None or wb is None:
        return False
    return wa[0] <= wb[1] and wb[0] <= wa[1]


def _coarse_place(e: Event) -> bool:
    return not e.admin1 and not _precise(e)


def _too_vague_apart(a: Event, b: Event) -> bool:
    """Reports from different articles too vague to be taken for one event: both undated (dated by
    publication) and published on different days, or either placed only in a country and not both
    on one known day, or neither naming an actor."""
    if a.article_id == b.article_id:
        return False
    if a.date_basis == "publication" and b.date_basis == "publication" and a.event_date != b.event_date:
        return True
    if (_coarse_place(a) or _coarse_place(b)) and not (
        a.time_precision == b.time_precision == TimePrecision.DAY and a.event_date == b.event_date
    ):
        return True
    return not _actors(a) and not _actors(b)


def same_event(a: Event, b: Event) -> bool:
    """Whether two events are reports of one real event."""
    return (
        not _too_vague_apart(a, b)
        and a.event_type.casefold() == b.event_type.casefold()
        and actors_compatible(a, b)
        and places_compatible(a, b)
        and dates_overlap(a, b)
    )


def _evidence_key(e: Evidence) -> tuple[str, int, int]:
    return (e.article_id, e.start, e.end)


def _sources(*events: Event) -> tuple[Evidence, ...]:
    seen: dict[tuple[str, int, int], Evidence] = {}
    for event in events:
        for ev in (*event.sources, *((event.evidence,) if event.evidence else ())):
            seen.setdefault(_evidence_key(ev), ev)
    return tuple(seen.values())


def _date_rank(e: Event) -> tuple[int, int, int]:
    window = date_window(e)
    if window is None or e.time_precision is None:
        return (9, 1, 10**6)  # undated: any dated report is better
    return (int(e.time_precision), e.date_basis == "publication", (window[1] - window[0]).days)


def _place_rank(e: Event) -> tuple[int, int]:
    if e.latitude is None or e.longitude is None:
        return (9, 0 if e.admin1 else 1)
    return (int(e.geo_precision) if e.geo_precision is not None else 4, 0)


def _has_figure(e: Event) -> bool:
    return "fatalities" in e.field_evidence or e.fatalities > 0


def conservative_fatalities(a: Event, b: Event) -> int:
    """The lowest figure among reports that give one (ACLED's rule); 0 when neither does."""
    figures = [e.fatalities for e in (a, b) if _has_figure(e)]
    return min(figures) if figures else 0


_DATE_FIELDS = ("event_date", "time_precision", "date_basis")
_PLACE_FIELDS = ("iso", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
                 "geo_precision", "geonameid")
_ACTOR_FIELDS = ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
                 "civilian_targeting")


def merge(a: Event, b: Event) -> Event:
    """One event from two reports of it; ``a`` is the earlier (already known) one and keeps its id."""
    changes: dict[str, object] = {}
    field_evidence = dict(a.field_evidence)
    if _date_rank(b) < _date_rank(a):
        changes.update({f: getattr(b, f) for f in _DATE_FIELDS})
        field_evidence.pop("date", None)
    if _place_rank(b) < _place_rank(a):
        changes.update({f: getattr(b, f) for f in _PLACE_FIELDS})
        field_evidence.pop("location", None)
    if len(_actors(b)) > len(_actors(a)):
        changes.update({f: getattr(b, f) for f in _ACTOR_FIELDS})
        field_evidence.pop("actor1", None)
        field_evidence.pop("actor2", None)
    if a.target is None and b.target is not None:
        changes["target"] = b.target
    fatalities = conservative_fatalities(a, b)
    if fatalities != a.fatalities:
        changes["fatalities"] = fatalities
        field_evidence.pop("fatalities", None)
    if b.modality == Modality.ASSERTED and a.modality != Modality.ASSERTED:
        changes["modality"] = b.modality
    quantities = tuple(dict.fromkeys((*a.quantities, *b.quantities)))
    return dataclasses.replace(
        a,
        **changes,  # type: ignore[arg-type]
        quantities=quantities,
        confidence=max(a.confidence, b.confidence),
        evidence=a.evidence or b.evidence,
        sources=_sources(a, b),
        field_evidence=field_evidence,
    )


def _aggregation_key(e: Event) -> tuple[object, ...] | None:
    """ACLED's aggregation: same event type, actors, place and day (day-precise events only)."""
    if e.time_precision != TimePrecision.DAY or e.date_basis == "publication":
        return None
    place: object = e.geonameid if e.geonameid is not None else (_norm(e.location), _norm(e.admin1))
    return (e.event_type.casefold(), _actors(e), actor_key(e.target), place, e.event_date)


def deduplicate(events: Iterable[Event], *, acled_aggregation: bool = False) -> list[Event]:
    """Merge reports of one event, in input order (each merged event keeps its first report's id).

    With ``acled_aggregation`` events with the same type, actors, place and day are also combined
    (ACLED's rule) even where :func:`same_event` would keep them apart (different sub-event types).
    Fatalities of a combined group follow :func:`merge` (the lowest figure): flashpoint cannot tell
    a second report of one event from a second event on the same day.
    """
    merged: list[Event] = []
    by_type: dict[str, list[int]] = {}
    by_key: dict[tuple[object, ...], int] = {}
    for event in events:
        index = None
        if acled_aggregation:
            key = _aggregation_key(event)
            if key is not None:
                index = by_key.get(key)
        if index is None:
            for i in by_type.get(event.event_type.casefold(), ()):
                if same_event(merged[i], event):
                    index = i
                    break
        if index is None:
            merged.append(event)
            index = len(merged) - 1
            by_type.setdefault(event.event_type.casefold(), []).append(index)
        else:
            merged[index] = merge(merged[index], event)
        if acled_aggregation:
            key = _aggregation_key(merged[index])
            if key is not None:
                by_key.setdefault(key, index)
    return merged


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What storing new events means for the stored ones: which stored events to update (merged
    with a new report, same ``event_id``) and which new events to insert."""

    updated: tuple[Event, ...]
    added: tuple[Event, ...]


def reconcile(stored: Iterable[Event], new: Iterable[Event]) -> Reconciled:
    """Fold newly coded events into stored ones: a new report of a stored event updates it (its id
    stays, the new evidence joins ``sources``); the rest are added, merged among themselves first.

    The store passes the stored events that could match (same event types, dates within
    :func:`candidate_window`); re-coding an article that is already stored updates nothing.
    """
    current = {e.event_id: e for e in stored}
    changed: dict[str, Event] = {}
    added: list[Event] = []
    for event in deduplicate(new):
        match = next((e for e in current.values() if same_event(e, event)), None)
        if match is None:
            added.append(event)
            continue
        merged = merge(match, event)
        current[match.event_id] = merged
        if merged != match:
            changed[match.event_id] = merged
    return Reconciled(tuple(changed.values()), tuple(added))


def candidate_window(event: Event) -> tuple[dt.date, dt.date] | None:
    """The event dates a stored report of ``event`` can have (for the store's pre-selection); None for
    an undated event, which no stored report can be matched to."""
    window = date_window(event)
    if window is None:
        return None
    lo, hi = window
    return lo - dt.timedelta(days=_PUBLICATION_WINDOW), hi + dt.timedelta(days=_PUBLICATION_WINDOW)
