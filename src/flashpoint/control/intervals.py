"""Control intervals per place and actor, built from control claims, and questions asked of them.

:func:`derive_control` walks each place's claims in date order:

- a *gain* opens an interval for the gainer and closes every other actor's open interval that day;
- a *hold* adds evidence to the actor's open interval, or opens one "attested since" that day; a
  hold by a second actor while the first is open does not close it: both stay, and the overlap is
  reported as a contest (``contested_by``), not hidden;
- a *loss* closes the actor's open interval; with none open, it implies the actor held the place
  before: an interval from the previous change of hands there (or an unknown start, None) to the
  loss.

Dates are each claim's ``event_date`` (the middle of a week or month span; the publication date
for undated statements). An interval's ``end`` is the day control passed: the holder held it on
days ``start <= d < end``.

In the intervals :func:`derive_control` returns, ``event_ids`` runs parallel to ``evidence``: the
event behind each piece of evidence, or "" where it is a statement in the text, not an event.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flashpoint.control.claims import GAINS, HOLDS, LOSES, ControlClaim, claims_from_events
from flashpoint.dedup import actor_key
from flashpoint.records import ControlInterval, Event, Evidence

FAR_DAYS = 180
"""An answer further than this from any dated boundary of its interval gets half the confidence."""

_KIND_ORDER = {LOSES: 0, GAINS: 1, HOLDS: 2}


_ARTICLES = {"al", "el", "an", "ar", "as", "ash", "at", "ad", "az", "the"}
_GENERIC = {"camp", "city", "town", "village", "refugee", "palestinian"}


def place_key(name: str) -> str:
    """A place name folded so that spellings of one name meet: "Maarat al-Numan" and GeoNames'
    "Ma‘arrat an Nu‘mān", "Yarmouk Camp" and "al-Yarmūk" (accents, ayn marks, Arabic articles,
    doubled letters, ou/u, and the words camp/city/town/village are ignored)."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[‘’'`ʿʾ]", "", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _ARTICLES]
    kept = [w for w in words if w not in _GENERIC] or words
    folded = "".join(kept).replace("ou", "u")
    return re.sub(r"(.)\1+", r"\1", folded)


@dataclass(frozen=True, slots=True)
class Citation:
    """One piece of evidence, with the event it came from (None: a statement in the text)."""

    text: str
    article_id: str
    event_id: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ControlAnswer:
    """Who held ``place`` on ``date``: ``holder`` None when the data cannot tell.

    With no holder, ``since``/``until`` bound the time nobody is known to hold it and the evidence
    is that of the last known holder's end (why it is no longer that holder).
    """

    place: str
    date: dt.date
    holder: str | None
    since: dt.date | None
    until: dt.date | None
    confidence: float
    evidence: tuple[Citation, ...]
    contested_by: tuple[str, ...] = ()


@dataclass(slots=True)
class _Open:
    actor: str
    start: dt.date | None
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)

    def add(self, claim: ControlClaim) -> None:
        if claim.evidence is not None and claim.evidence not in self.evidence:
            self.evidence.append(claim.evidence)
            self.event_ids.append(claim.event_id or "")
        self.confidence = max(self.confidence, claim.confidence)

    def close(self, place: str, geonameid: int | None, end: dt.date | None) -> ControlInterval:
        confidence = self.confidence * (0.8 if self.start is None else 1.0)
        return ControlInterval(place, self.actor, self.start, end, round(confidence, 4), tuple(self.evidence),
                               tuple(self.event_ids), geonameid)


def derive_control(events: Iterable[Event], statements: Iterable[ControlClaim] = ()) -> list[ControlInterval]:
    """Control intervals from events that change or assert control and from statements of control.

    Claims whose scope is only part of a place ("areas of Idlib that HTS controls") are left out:
    they do not say who holds the place itself (see :func:`summarise_region` for regions).
    """
    claims = [c for c in (*claims_from_events(events), *statements) if c.scope == "place"]
    ids = {place_key(c.place): c.geonameid for c in claims if c.geonameid is not None}
    by_place: dict[object, list[ControlClaim]] = defaultdict(list)
    for c in claims:
        name = place_key(c.place)
        by_place[c.geonameid or ids.get(name) or name].append(c)
    out: list[ControlInterval] = []
    for place_claims in by_place.values():
        out.extend(_place_intervals(place_claims))
    out.sort(key=lambda iv: (place_key(iv.place), iv.start or dt.date.min, iv.actor or ""))
    return out


def _place_intervals(claims: list[ControlClaim]) -> list[ControlInterval]:
    claims = sorted(claims, key=lambda c: (c.date.event_date, _KIND_ORDER[c.kind]))
    place = claims[0].place
    geonameid = next((c.geonameid for c in claims if c.geonameid is not None), None)
    open_: dict[str, _Open] = {}
    closed: list[tuple[_Open, dt.date]] = []
    last_change: dt.date | None = None
    for c in claims:
        key = actor_key(c.actor) or c.actor
        day = c.date.event_date
        if c.kind == GAINS:
            for other in [k for k in open_ if k != key]:
                interval = open_.pop(other)
                interval.add(c)
                closed.append((interval, day))
            if key not in open_:
                open_[key] = _Open(c.actor, day, c.confidence)
            open_[key].add(c)
            last_change = day
        elif c.kind == HOLDS:
            if key not in open_:
                open_[key] = _Open(c.actor, day, c.confidence)
            open_[key].add(c)
        elif key in open_:
            closed.append((open_.pop(key), day))
            closed[-1][0].add(c)
            last_change = day
        else:
            # a second report of a loss already recorded adds its evidence to that interval
            same = next((iv for iv, end in reversed(closed) if (actor_key(iv.actor) or iv.actor) == key
                         and c.date.start <= end <= c.date.end), None)
            if same is not None:
                same.add(c)
                continue
            interval = _Open(c.actor, last_change, c.confidence)
            interval.add(c)
            closed.append((interval, day))
            last_change = day
    out = [iv.close(place, geonameid, end) for iv, end in closed]
    out.extend(o.close(place, geonameid, None) for o in open_.values())
    return out


def _covers(iv: ControlInterval, date: dt.date) -> bool:
    return (iv.start is None or iv.start <= date) and (iv.end is None or date < iv.end)


def _citations(iv: ControlInterval) -> tuple[Citation, ...]:
    aligned = len(iv.event_ids) == len(iv.evidence)
    return tuple(
        Citation(ev.text, ev.article_id, (iv.event_ids[i] or None) if aligned else None, ev.start, ev.end)
        for i, ev in enumerate(iv.evidence)
    )


def _confidence(iv: ControlInterval, date: dt.date) -> float:
    bounds = [d for d in (iv.start, iv.end) if d is not None]
    if bounds and min(abs((date - d).days) for d in bounds) > FAR_DAYS:
        return round(iv.confidence * 0.5, 4)
    return iv.confidence


def _matches_place(iv: ControlInterval, place: str | int) -> bool:
    if isinstance(place, int):
        return iv.geonameid == place
    return place_key(iv.place) == place_key(place)


def holder_on(intervals: Iterable[ControlInterval], place: str | int, date: dt.date) -> ControlAnswer:
    """Who held ``place`` (a name, or a GeoNames id) on ``date``, on what evidence, and who contests it."""
    here = [iv for iv in intervals if _matches_place(iv, place)]
    name = here[0].place if here else str(place)
    covering = [iv for iv in here if _covers(iv, date)]
    if not covering:
        return _no_holder(name, date, here)
    ranked = sorted(covering, key=lambda iv: (-_confidence(iv, date), -(iv.start or dt.date.min).toordinal()))
    best = ranked[0]
    best_key = actor_key(best.actor)
    contested = tuple(dict.fromkeys(iv.actor for iv in ranked[1:] if iv.actor and actor_key(iv.actor) != best_key))
    return ControlAnswer(name, date, best.actor, best.start, best.end, _confidence(best, date), _citations(best),
                         contested)


def _no_holder(name: str, date: dt.date, here: list[ControlInterval]) -> ControlAnswer:
    ended = [iv for iv in here if iv.end is not None and iv.end <= date]
    later = [iv.start for iv in here if iv.start is not None and iv.start > date]
    until = min(later) if later else None
    if not ended:
        return ControlAnswer(name, date, None, None, until, 0.0, ())
    last = max(ended, key=lambda iv: iv.end or dt.date.min)
    return ControlAnswer(name, date, None, last.end, until, _confidence(last, date), _citations(last))


@dataclass(frozen=True, slots=True)
class RegionSummary:
    """Control of a region (admin1) on a date, summarised from its places."""

    admin1: str
    date: dt.date
    holders: dict[str, int]  # actor -> number of the region's places it held
    unknown: int  # places whose holder the data cannot tell on that date
    places: tuple[ControlAnswer, ...]


def admin1_index(claims: Iterable[ControlClaim], events: Iterable[Event] = ()) -> dict[str, str]:
    """place_key(place) -> admin1, from claims and events that name both."""
    index: dict[str, str] = {}
    for c in claims:
        if c.admin1:
            index.setdefault(place_key(c.place), c.admin1)
    for e in events:
        if e.location and e.admin1:
            index.setdefault(place_key(e.location), e.admin1)
    return index


def summarise_region(intervals: Sequence[ControlInterval], admin1: str, date: dt.date, *,
                     admin1_of: Mapping[str, str]) -> RegionSummary:
    """Who held how many of a region's places on ``date`` (``admin1_of``: see :func:`admin1_index`)."""
    want = place_key(admin1)
    places = sorted({place_key(iv.place): iv.place for iv in intervals
                     if place_key(admin1_of.get(place_key(iv.place), "")) == want}.values())
    answers = tuple(holder_on(intervals, p, date) for p in places)
    holders: dict[str, int] = defaultdict(int)
    for a in answers:
        if a.holder:
            holders[a.holder] += 1
    return RegionSummary(admin1, date, dict(holders), sum(a.holder is None for a in answers), answers)


@dataclass(frozen=True, slots=True)
class HoldingPeriod:
    """Places an actor held in one period, and how many it gained and lost then."""

    actor: str
    period: str
    places: tuple[str, ...]
    gained: int
    lost: int


def control_by_actor(intervals: Iterable[ControlInterval], actor: str, *, by: str = "month") -> list[HoldingPeriod]:
    """An actor's holdings period by period, from its first to its last dated boundary."""
    from flashpoint.control.support import period_bounds, period_of, periods_between

    key = actor_key(actor)
    mine = [iv for iv in intervals if actor_key(iv.actor) == key]
    dates = [d for iv in mine for d in (iv.start, iv.end) if d is not None]
    if not dates:
        return []
    out = []
    for period in periods_between(min(dates), max(dates), by):
        lo, hi = period_bounds(period, by)
        held = sorted({iv.place for iv in mine
                       if (iv.start is None or iv.start <= hi) and (iv.end is None or iv.end > lo)})
        gained = sum(1 for iv in mine if iv.start is not None and period_of(iv.start, by) == period)
        lost = sum(1 for iv in mine if iv.end is not None and period_of(iv.end, by) == period)
        out.append(HoldingPeriod(mine[0].actor or actor, period, tuple(held), gained, lost))
    return out
