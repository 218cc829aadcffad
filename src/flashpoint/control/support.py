"""Popular support indicators per actor and period, with the events behind every number.

For an actor and each period (``by`` "month": ``YYYY-MM``; "week": ISO ``YYYY-Www``; "year"):

- ``protests_against``: Protests and Riots events (other than excessive force) whose ``target``, or
  whose actor2, is the actor;
- ``force_against_protesters``: Excessive force against protesters where the actor is the
  perpetrator (ACLED: actor1 the protesters, actor2 the force; either slot is read);
- ``defections``: events involving the actor whose evidence or notes speak of defection;
- ``surrenders``: events involving the actor whose evidence or notes say it surrendered (its name
  before "surrender", or an Agreement/transfer of territory naming the surrender).

Periods run without gaps from the first to the last period with a counted event, so a series can be
read for trends. An event is placed by its ``event_date``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flashpoint.control.claims import actor_forms
from flashpoint.dedup import actor_key
from flashpoint.errors import InputError
from flashpoint.records import Event

PERIODS = ("month", "week", "year")


@dataclass(frozen=True, slots=True)
class SupportPeriod:
    actor: str
    period: str
    protests_against: int
    force_against_protesters: int
    defections: int
    surrenders: int
    event_ids: tuple[str, ...]


def _check(by: str) -> None:
    if by not in PERIODS:
        raise InputError("--by", f"unknown period {by!r}: use one of {', '.join(PERIODS)}")


def period_of(date: dt.date, by: str = "month") -> str:
    _check(by)
    if by == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if by == "year":
        return f"{date.year:04d}"
    year, week, _ = date.isocalendar()
    return f"{year:04d}-W{week:02d}"


def period_bounds(period: str, by: str = "month") -> tuple[dt.date, dt.date]:
    """First and last day of a period label."""
    _check(by)
    if by == "year":
        return dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)
    if by == "week":
        iso_year, iso_week = period.split("-W")
        monday = dt.date.fromisocalendar(int(iso_year), int(iso_week), 1)
        return monday, monday + dt.timedelta(days=6)
    year, month = (int(x) for x in period.split("-"))
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def periods_between(start: dt.date, end: dt.date, by: str = "month") -> Iterator[str]:
    """Every period label from the one holding ``start`` to the one holding ``end``."""
    period = period_of(start, by)
    last = period_of(end, by)
    while True:
        yield period
        if period == last:
            return
        period = period_of(period_bounds(period, by)[1] + dt.timedelta(days=1), by)


_PROTEST_TYPES = {"protests", "riots"}
_FORCE = re.compile(r"excessive force against protest(?:e|o)rs", re.IGNORECASE)
_DEFECT = re.compile(r"\bdefect(?:ed|s|ing|ion|ions|or|ors)?\b", re.IGNORECASE)
_SURRENDER = re.compile(r"\b(?:surrender(?:ed|s|ing)?|laid\s+down\s+(?:its|their)\s+(?:arms|weapons)|"
                        r"gave\s+themselves\s+up|handed\s+themselves\s+(?:in|over))\b", re.IGNORECASE)


def _is(name: str | None, key: str | None) -> bool:
    return bool(name) and actor_key(name) == key


def _involves(e: Event, key: str | None) -> bool:
    return any(_is(n, key) for n in (e.actor1, e.actor2)) or any(
        actor_key(a.strip()) == key for n in (e.assoc_actor_1, e.assoc_actor_2) if n for a in n.split(";"))


def _text(e: Event) -> str:
    return " ".join(t for t in ((e.evidence.text if e.evidence else ""), e.notes) if t)


def _named_before(text: str, actor: str, cue: re.Pattern[str]) -> bool:
    for m in cue.finditer(text):
        window = text[max(0, m.start() - 120) : m.start()]
        if any(re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", window, 0 if f.isupper() else re.IGNORECASE)
               for f in actor_forms(actor)):
            return True
    return False


def classify(e: Event, actor: str) -> set[str]:
    """Which indicators an event counts towards for ``actor``."""
    key = actor_key(actor)
    found: set[str] = set()
    sub = e.sub_event_type
    if _FORCE.search(sub):
        perpetrators = [n for n in (e.actor1, e.actor2) if n and "protest" not in n.casefold()]
        if any(_is(n, key) for n in perpetrators):
            found.add("force_against_protesters")
    elif e.event_type.casefold() in _PROTEST_TYPES and (_is(e.target, key) or _is(e.actor2, key)):
        found.add("protests_against")
    if _involves(e, key):
        text = _text(e)
        if _DEFECT.search(text):
            found.add("defections")
        if _SURRENDER.search(text) and (_named_before(text, actor, _SURRENDER) or e.sub_event_type.casefold() in {
                "agreement", "non-violent transfer of territory", "government regains territory"}):
            found.add("surrenders")
    return found


def support_indicators(events: Iterable[Event], actor: str, by: str = "month") -> list[SupportPeriod]:
    """The support indicators of ``actor`` per period (see the module docstring)."""
    _check(by)
    counted: dict[str, dict[str, list[str]]] = {}
    for e in events:
        kinds = classify(e, actor) if e.event_date is not None else ()
        if kinds and e.event_date is not None:
            bucket = counted.setdefault(period_of(e.event_date, by), {})
            for kind in kinds:
                bucket.setdefault(kind, []).append(e.event_id)
    if not counted:
        return []
    lo = min(period_bounds(p, by)[0] for p in counted)
    hi = max(period_bounds(p, by)[0] for p in counted)
    out = []
    for period in periods_between(lo, hi, by):
        bucket = counted.get(period, {})
        ids = tuple(dict.fromkeys(i for kind in sorted(bucket) for i in bucket[kind]))
        out.append(SupportPeriod(actor, period, len(bucket.get("protests_against", ())),
                                 len(bucket.get("force_against_protesters", ())), len(bucket.get("defections", ())),
                                 len(bucket.get("surrenders", ())), ids))
    return out
