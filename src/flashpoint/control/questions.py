"""Control and support questions over a store, as a user asks them: names resolved, one call each.

A user names an actor loosely ("HTS", "hayat tahrir al sham") and a place by any spelling, its
gazetteer id, or part of its name; :func:`resolve_actor` and :func:`resolve_place` find what the
store knows it as. The CLI and the HTTP API call these, so both answer the same question the same
way::

    answer = control_of_place(store, "Yarmouk", dt.date(2018, 4, 15))
    name, periods = actor_holdings(store, "HTS", by="month")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flashpoint.control.claims import actor_forms
from flashpoint.control.intervals import (
    ControlAnswer,
    HoldingPeriod,
    RegionSummary,
    admin1_index,
    control_by_actor,
    holder_on,
    place_key,
    summarise_region,
)
from flashpoint.control.stored import load_control
from flashpoint.control.support import SupportPeriod, support_indicators
from flashpoint.dedup import actor_key
from flashpoint.errors import FlashpointError
from flashpoint.records import ControlInterval, Event
from flashpoint.store import EventQuery, Store


def resolve_actor(name: str, known: Iterable[str]) -> str:
    """The stored actor a user means: the same name loosely, its initials ("HTS"), or a unique part;
    else ``name`` itself."""
    names = sorted(set(known))
    key = actor_key(name)
    for n in names:
        if actor_key(n) == key:
            return n
    folded = name.casefold()
    by_form = [n for n in names
               if name in actor_forms(n) or folded in (f.casefold() for f in actor_forms(n) if not f.isupper())]
    if len(by_form) == 1:
        return by_form[0]
    part = [n for n in names if key and key in (actor_key(n) or "")]
    if len(part) == 1:
        return part[0]
    return name


def resolve_place(name: str, intervals: Iterable[ControlInterval]) -> str | int:
    """The place a user means: a name (spellings folded), else the gazetteer's id for it, else a
    unique partial name; else ``name`` itself."""
    intervals = list(intervals)
    key = place_key(name)
    if any(place_key(iv.place) == key for iv in intervals):
        return name
    ids = {iv.geonameid for iv in intervals if iv.geonameid is not None}
    if ids:
        try:
            from flashpoint.geo.gazetteer import load_gazetteer

            found = [p.geonameid for p in load_gazetteer().lookup(name) if p.geonameid in ids]
        except (ImportError, FlashpointError, OSError):
            found = []
        if found and found[0] is not None:
            return found[0]
    part = {iv.place for iv in intervals if key and key in place_key(iv.place)}
    return part.pop() if len(part) == 1 else name


def actor_names(events: Iterable[Event], intervals: Iterable[ControlInterval] = ()) -> list[str]:
    """Every actor named by ``events`` (actor1, actor2, target) or holding an interval, sorted."""
    names = {n for e in events for n in (e.actor1, e.actor2, e.target) if n}
    names |= {iv.actor for iv in intervals if iv.actor}
    return sorted(names)


def place_control(intervals: Sequence[ControlInterval], place: str | int, day: dt.date) -> ControlAnswer:
    """Who held ``place`` on ``day``, on what evidence: a GeoNames id (a number, or a string of digits),
    or a name resolved with :func:`resolve_place`."""
    if isinstance(place, str) and place.isdigit():
        place = int(place)
    return holder_on(intervals, place if isinstance(place, int) else resolve_place(place, intervals), day)


def control_of_place(store: Store, place: str | int, day: dt.date) -> ControlAnswer:
    """Who held ``place`` (see :func:`place_control`) on ``day``, on what evidence."""
    return place_control(load_control(store).intervals, place, day)


def control_of_region(store: Store, admin1: str, day: dt.date) -> RegionSummary:
    """Who held how many of the places of the region ``admin1`` on ``day``."""
    loaded = load_control(store)
    events = store.iter_events(EventQuery())  # the region of every place events name
    return summarise_region(loaded.intervals, admin1, day, admin1_of=admin1_index(loaded.statements, events))


def holdings(
    intervals: Sequence[ControlInterval], actor: str, known: Iterable[str], *, by: str = "month"
) -> tuple[str, list[HoldingPeriod]]:
    """The actor a user means among the ``known`` names (:func:`resolve_actor`; :func:`actor_names`
    gives them) and the places it held per period."""
    name = resolve_actor(actor, known)
    return name, control_by_actor(intervals, name, by=by)


def actor_holdings(store: Store, actor: str, *, by: str = "month") -> tuple[str, list[HoldingPeriod]]:
    """The actor a user means (:func:`resolve_actor`) and the places it held per period."""
    intervals = load_control(store).intervals
    return holdings(intervals, actor, actor_names(store.iter_events(EventQuery()), intervals), by=by)


def support_of(events: Sequence[Event], actor: str, *, by: str = "month") -> tuple[str, list[SupportPeriod]]:
    """The actor a user means among those ``events`` name, and its popular-support indicators per period."""
    name = resolve_actor(actor, actor_names(events))
    return name, support_indicators(events, name, by=by)


def actor_support(store: Store, actor: str, *, by: str = "month") -> tuple[str, list[SupportPeriod]]:
    """The actor a user means and its popular-support indicators per period."""
    return support_of(store.events(), actor, by=by)


@dataclass(frozen=True, slots=True)
class ActorTimeline:
    """What an actor's timeline chart draws: its resolved name, the events and the intervals."""

    actor: str
    events: Sequence[Event]
    intervals: Sequence[ControlInterval]


def actor_timeline(store: Store, actor: str) -> ActorTimeline:
    """The stored events and control intervals a timeline of ``actor`` (resolved) is drawn from."""
    intervals = load_control(store).intervals
    events = store.events()
    return ActorTimeline(resolve_actor(actor, actor_names(events, intervals)), events, intervals)
