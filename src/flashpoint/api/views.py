"""Actor, control and support views: thin over :mod:`flashpoint.actors` and :mod:`flashpoint.control`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from flashpoint.api.models import (
    ActorControlOut,
    ActorOut,
    ControlOut,
    ControlTimelineOut,
    Problem,
    SupportOut,
)
from flashpoint.api.routes import _article_meta, _clean
from flashpoint.records import ControlInterval, Via
from flashpoint.store import EventQuery, Store

router = APIRouter()
_problem = {"model": Problem}


class Period(StrEnum):
    MONTH = "month"
    WEEK = "week"
    YEAR = "year"


Name = Annotated[str, Query(min_length=1, max_length=200)]


def _services(request: Request) -> Any:
    return request.app.state.services


# -- actors ------------------------------------------------------------------------------------
@router.get(
    "/api/actors/{name}",
    response_model=ActorOut,
    responses={400: _problem, 404: _problem, 429: _problem},
    tags=["actors"],
)
def get_actor(
    name: str,
    date: Annotated[dt.date | None, Query(description="Resolve names as used on this date.")] = None,
) -> dict[str, Any]:
    """An actor by canonical name, former name or alias: aliases, dated names and lineage."""
    from flashpoint.actors import load_knowledge_base, resolve

    clean = _clean("name", name)
    if clean is None or len(clean) > 300:
        raise HTTPException(404, "give an actor name of 1 to 300 characters")
    kb = load_knowledge_base()
    resolution = resolve(kb, clean, date)
    entry = kb.entry(clean, date) or (kb.entry(resolution.actor.name, date) if resolution else None)
    if entry is None:
        raise HTTPException(404, f"no actor called {clean!r} in the knowledge base")
    if resolution is None or resolution.actor.name != entry.actor.name:
        resolution = kb.resolution(entry.actor, date, clean, Via.ALIAS)
    a = entry.actor
    return {
        "name": a.name,
        "kind": a.kind,
        "inter": a.inter,
        "country": a.country,
        "aliases": list(a.aliases),
        "names": [dataclasses.asdict(n) for n in entry.names],
        "relations": [dataclasses.asdict(r) for r in a.relations],
        "start": entry.start,
        "end": entry.end,
        "name_on_date": resolution.name_on_date,
        "successor_on_date": resolution.successor_on_date,
        "matched": resolution.matched,
        "descriptions": list(entry.descriptions),
        "sources": entry.sources,
    }


# -- control -----------------------------------------------------------------------------------
class _ControlCache:
    """Control intervals derived from the whole store, and the actor names ``?actor=`` is resolved
    among, rebuilt when articles, events or reviews change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, int, int] | None = None
        self._value: Any = None
        self._names: list[str] | None = None

    def get(self, store: Store) -> Any:
        from flashpoint.control.stored import load_control

        counts = store.counts()
        key = (counts["articles"], counts["events"], counts["reviews"])  # a review may reject an event
        with self._lock:
            if self._key != key:
                self._value = load_control(store)
                self._names = None
                self._key = key
            return self._value

    def actor_names(self, store: Store) -> list[str]:
        """Every actor stored events name or that holds an interval (:func:`~flashpoint.control.questions.actor_names`)."""
        from flashpoint.control.questions import actor_names

        loaded = self.get(store)
        with self._lock:
            if self._names is None:
                self._names = actor_names(store.iter_events(EventQuery()), loaded.intervals)
            return self._names


def _control_cache(request: Request) -> _ControlCache:
    services = _services(request)
    cache: _ControlCache = services.__dict__.setdefault("control_cache", _ControlCache())
    return cache


def _control(request: Request) -> Any:
    return _control_cache(request).get(_services(request).store)


@router.get(
    "/api/control",
    response_model=ControlOut | ActorControlOut,
    responses={400: _problem, 429: _problem},
    tags=["control"],
)
def control(
    request: Request,
    place: Annotated[str | None, Query(max_length=200, description="A place name or GeoNames id.")] = None,
    date: Annotated[dt.date | None, Query(description="The day asked about; default today.")] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="List this actor's holdings instead.")
    ] = None,
    by: Period = Period.MONTH,
) -> dict[str, Any]:
    """Who held ``place`` on ``date`` (with evidence), or, with ``actor``, its holdings per period.
    Names are resolved as the CLI resolves them: ``actor=HTS`` is Hayat Tahrir al-Sham."""
    from flashpoint.control.questions import holdings, place_control

    place_, actor_ = _clean("place", place), _clean("actor", actor)
    if (place_ is None) == (actor_ is None):
        raise HTTPException(400, "give either place (with an optional date) or actor")
    intervals = _control(request).intervals
    if actor_ is not None:
        known = _control_cache(request).actor_names(_services(request).store)
        name, periods = holdings(intervals, actor_, known, by=by.value)
        return {
            "actor": name,
            "by": by.value,
            "periods": [
                {"period": p.period, "places": list(p.places), "gained": p.gained, "lost": p.lost}
                for p in periods
            ],
        }
    assert place_ is not None
    answer = place_control(intervals, place_, date or dt.date.today())
    out = dataclasses.asdict(answer)
    out["contested_by"] = list(answer.contested_by)
    return out


def _timeline_evidence(iv: ControlInterval, store: Store, articles: dict[str, Any]) -> list[dict[str, Any]]:
    ids = iv.event_ids if len(iv.event_ids) == len(iv.evidence) else ("",) * len(iv.evidence)
    out = []
    for ev, event_id in zip(iv.evidence, ids, strict=True):
        if ev.article_id not in articles:
            article = store.article(ev.article_id)
            articles[ev.article_id] = None if article is None else _article_meta(article)
        out.append({"text": ev.text, "article_id": ev.article_id, "event_id": event_id or None,
                    "start": ev.start, "end": ev.end, "article": articles[ev.article_id]})
    return out


@router.get(
    "/api/control/timeline",
    response_model=ControlTimelineOut,
    responses={400: _problem, 429: _problem},
    tags=["control"],
)
def control_timeline(
    request: Request,
    place: Annotated[str, Query(min_length=1, max_length=200, description="The place's name.")],
    geonameid: Annotated[
        int | None, Query(ge=1, description="The place's GeoNames id: tells apart places of one name.")
    ] = None,
) -> dict[str, Any]:
    """Every control interval of ``place``, oldest first: who held it from when to when, and the
    sentences (with their articles) that say so. Spellings of one name meet ("Yarmouk Camp",
    "al-Yarmūk"); an interval with another GeoNames id than ``geonameid`` is left out."""
    from flashpoint.control import place_key

    name = _clean("place", place)
    if name is None:
        raise HTTPException(400, "place: give a name")
    key = place_key(name)
    here = [
        iv for iv in _control(request).intervals
        if (geonameid is not None and iv.geonameid == geonameid)
        or (place_key(iv.place) == key and (geonameid is None or iv.geonameid is None))
    ]
    here.sort(key=lambda iv: (iv.start or dt.date.min, iv.end or dt.date.max, iv.actor or ""))
    store = _services(request).store
    articles: dict[str, Any] = {}
    return {
        "place": here[0].place if here else name,
        "geonameid": next((iv.geonameid for iv in here if iv.geonameid is not None), geonameid),
        "intervals": [
            {"holder": iv.actor, "start": iv.start, "end": iv.end, "confidence": iv.confidence,
             "evidence": _timeline_evidence(iv, store, articles)}
            for iv in here
        ],
    }


@router.get(
    "/api/support", response_model=SupportOut, responses={400: _problem, 429: _problem}, tags=["control"]
)
def support(request: Request, actor: Name, by: Period = Period.MONTH) -> dict[str, Any]:
    """Popular-support indicators of ``actor`` per period: protests against it, force it used
    against protesters, defections and surrenders, each with its events. The name is resolved as
    the CLI resolves it (``HTS``: Hayat Tahrir al-Sham)."""
    from flashpoint.control.questions import support_of

    asked = _clean("actor", actor)
    if asked is None:
        raise HTTPException(400, "actor: give a name")
    name, periods = support_of(_services(request).store.events(), asked, by=by.value)
    return {
        "actor": name,
        "by": by.value,
        "periods": [{**dataclasses.asdict(p), "event_ids": list(p.event_ids)} for p in periods],
    }
