"""Control and support over a store: the events, and the statements of control in its articles.

Statements of control ("the town, held by HTS, ...") are read when an article is coded, from the
geoparser's place mentions, and kept in ``control_statements`` (:func:`statement_rows`, written by
the session's store in the article's transaction), so a control query reads rows, not articles:
:func:`load_control` reads the kept statements and the events that bear on control, nothing else.

Articles stored without them (before migration 0004, by a store opened without the session's
writer, or coded without the geoparser) are read by the named step :data:`CONTROL_BACKFILL`
(:func:`backfill_control`), which the session runs when it opens a store: it reads each such article
once and records it in ``control_read``. The store keeps their sentences and actor mentions and the
gazetteer entries of the places they mention, but not the place mentions themselves, so
:func:`stored_states` rebuilds each such article's state with place mentions found as capitalised
phrases whose folded spelling (:func:`~flashpoint.control.place_key`) is that of a stored place or
event location ("Maarat al-Numan" for GeoNames' "Ma‘arrat an Nu‘mān"), which is what
:func:`~flashpoint.control.control_statements` needs.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import SQLAlchemyError

from flashpoint.control.claims import CONTROL_SUB_EVENT_TYPES, ControlClaim, control_statements
from flashpoint.control.intervals import derive_control, place_key
from flashpoint.pipeline import ArticleState
from flashpoint.records import (
    Actor,
    ActorMention,
    ClaimKind,
    ControlInterval,
    DateBasis,
    DateSpan,
    Event,
    Evidence,
    Place,
    PlaceMention,
    Sentence,
    TimePrecision,
    Via,
)
from flashpoint.store import EventQuery, Store, schema

log = logging.getLogger(__name__)

CONTROL_BACKFILL = "control_backfill"
"""The name of the step that reads stored articles whose statements of control were never kept."""


@dataclass(frozen=True, slots=True)
class StoredControl:
    events: tuple[Event, ...]
    statements: tuple[ControlClaim, ...]
    intervals: tuple[ControlInterval, ...]


def _places(store: Store, events: tuple[Event, ...]) -> dict[str, Place]:
    t = schema.places
    places: dict[str, Place] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(select(t)).mappings():
            places.setdefault(
                row["name"],
                Place(
                    row["name"],
                    row["latitude"],
                    row["longitude"],
                    row["geonameid"],
                    row["country_code"],
                    admin1=row["admin1"],
                    admin2=row["admin2"],
                    feature_code=row["feature_code"],
                ),
            )
    for e in events:
        if e.location and e.latitude is not None and e.longitude is not None and e.location not in places:
            places[e.location] = Place(
                e.location,
                e.latitude,
                e.longitude,
                e.geonameid,
                None,
                None,
                e.country,
                e.admin1,
                e.admin2,
                e.admin3,
            )
    return places


_PHRASE = re.compile(r"[A-Z][\w‘’'-]*(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w‘’'-]*)*")


def _place_mentions(
    text: str, sentences: tuple[Sentence, ...], places: dict[str, Place], taken: list[tuple[int, int]]
) -> list[PlaceMention]:
    """Capitalised phrases (and their parts) whose folded spelling is a stored place's."""
    out: list[PlaceMention] = []
    for sentence in sentences:
        for m in _PHRASE.finditer(text, sentence.start, sentence.end):
            words = list(re.finditer(r"\S+", m[0]))
            spans = sorted(
                (
                    (words[i].start(), words[j - 1].end())
                    for i in range(len(words))
                    for j in range(i + 1, len(words) + 1)
                ),
                key=lambda ab: ab[0] - ab[1],
            )
            for a, b in spans:
                start, end = m.start() + a, m.start() + b
                if any(s < end and start < e for s, e in taken):
                    continue
                place = places.get(place_key(text[start:end]))
                if place is not None:
                    out.append(PlaceMention(start, end, text[start:end], sentence.index, place, 0.8))
                    taken.append((start, end))
    return out


def stored_states(
    store: Store, events: tuple[Event, ...] = (), article_ids: Collection[str] | None = None
) -> Iterator[ArticleState]:
    """Each stored article's state (or those of ``article_ids``): sentences, actor mentions, and
    place mentions by stored names."""
    places = {place_key(name): place for name, place in _places(store, events).items() if place_key(name)}
    with store.engine.connect() as conn:
        actors = {
            r["name"]: Actor(
                r["name"], r["kind"] or "", r["inter"], r["country"], known=bool(r["known"])
            )
            for r in conn.execute(select(schema.actors)).mappings()
        }
    for article_id in store.article_ids() if article_ids is None else sorted(article_ids):
        article = store.article(article_id)
        if article is None:
            continue
        with store.engine.connect() as conn:
            srows = (
                conn.execute(
                    select(schema.sentences)
                    .where(schema.sentences.c.article_id == article_id)
                    .order_by(schema.sentences.c.start)
                )
                .mappings()
                .all()
            )
            mrows = (
                conn.execute(
                    select(schema.actor_mentions).where(schema.actor_mentions.c.article_id == article_id)
                )
                .mappings()
                .all()
            )
        sentences = tuple(
            Sentence(r["idx"], r["start"], r["end"], article.text[r["start"] : r["end"]]) for r in srows
        )

        def index_of(pos: int, sentences: tuple[Sentence, ...] = sentences) -> int | None:
            return next((s.index for s in sentences if s.start <= pos < s.end), None)

        actor_mentions = []
        for r in mrows:
            i = index_of(r["start"])
            if i is not None:
                actor = actors.get(r["actor"]) or Actor(r["actor"], "", None, known=bool(r["known"]))
                actor_mentions.append(
                    ActorMention(r["start"], r["end"], r["text"], i, actor, 0.9, Via(r["via"] or Via.ALIAS))
                )
        taken = [(a.start, a.end) for a in actor_mentions]
        place_mentions = _place_mentions(article.text, sentences, places, taken) if places else []
        yield ArticleState(
            article,
            sentences=sentences,
            actor_mentions=tuple(actor_mentions),
            place_mentions=tuple(place_mentions),
        )


def load_control(store: Store) -> StoredControl:
    """The control intervals of a store, from rows only: the kept statements of control and the
    asserted/attempted events of the sub-event types that change or assert control."""
    events = tuple(store.iter_events(EventQuery(sub_event_types=CONTROL_SUB_EVENT_TYPES)))
    with store.engine.connect() as conn:
        t = schema.control_statements
        found = [
            (str(article_id), int(idx), claim_from_dict(json.loads(data)))
            for article_id, idx, data in conn.execute(select(t.c.article_id, t.c.idx, t.c.data))
        ]
    found.sort(key=lambda x: (x[0], x[1]))
    statements = tuple(c for _, _, c in found)
    return StoredControl(events, statements, tuple(derive_control(events, statements)))


def statement_rows(state: ArticleState) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The ``control_statements`` rows of a coded article, and its ``control_read`` row."""
    claims = control_statements(state)
    article_id = state.article.id
    rows = [
        {
            "article_id": article_id,
            "idx": i,
            "place": place_key(c.place),
            "data": json.dumps(claim_to_dict(c)),
        }
        for i, c in enumerate(claims)
    ]
    return rows, {"article_id": article_id, "statements": len(rows)}


def write_statements(conn: Connection, state: ArticleState) -> None:
    """Store an article's statements of control (in the caller's transaction)."""
    rows, read = statement_rows(state)
    if rows:
        conn.execute(schema.control_statements.insert(), rows)
    conn.execute(schema.control_read.insert(), [read])


def write_coded_statements(conn: Connection, state: ArticleState) -> None:
    """A :class:`~flashpoint.store.Store` writer: the statements of control of an article the
    geoparser has read, kept in the transaction that stores it (an article coded without the
    geoparser is read by the first control query instead)."""
    if "geo" in state.done:
        write_statements(conn, state)


def unread_articles(store: Store) -> list[str]:
    """Ids of stored articles whose statements of control were never kept (one query)."""
    a, r = schema.articles, schema.control_read
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(a.c.id).where(~a.c.id.in_(select(r.c.article_id))).order_by(a.c.id)
        ).scalars()
        return [str(x) for x in rows]


def backfill_control(store: Store) -> int:
    """:data:`CONTROL_BACKFILL`: read every stored article not yet read for statements of control,
    and keep its statements, each article in its own transaction; the number read now.

    Each article read is recorded in ``control_read``, so it is read once: when every article has
    been read this costs one query. On a read-only database nothing is kept (logged); control
    queries then go without those articles' statements.
    """
    unread = unread_articles(store)
    if not unread:
        return 0
    events = tuple(store.iter_events(EventQuery()))
    n = 0
    try:
        for state in stored_states(store, events, unread):
            with store.engine.begin() as conn:
                t = schema.control_read
                if conn.execute(select(t.c.article_id).where(t.c.article_id == state.article.id)).first() is None:
                    write_statements(conn, state)
                    n += 1
    except SQLAlchemyError as exc:
        log.warning("%s: cannot keep statements of control (%s); %d article(s) read", CONTROL_BACKFILL, exc, n)
    return n


def claim_to_dict(c: ControlClaim) -> dict[str, Any]:
    ev = c.evidence
    return {
        "place": c.place,
        "actor": c.actor,
        "kind": str(c.kind),
        "date": {
            "start": c.date.start.isoformat(),
            "end": c.date.end.isoformat(),
            "precision": int(c.date.precision),
            "basis": str(c.date.basis),
            "text": c.date.text,
            "span": list(c.date.span) if c.date.span else None,
        },
        "confidence": c.confidence,
        "evidence": None
        if ev is None
        else {"article_id": ev.article_id, "text": ev.text, "start": ev.start, "end": ev.end},
        "event_id": c.event_id,
        "geonameid": c.geonameid,
        "admin1": c.admin1,
        "scope": c.scope,
        "source": c.source,
    }


def claim_from_dict(d: dict[str, Any]) -> ControlClaim:
    """The inverse of :func:`claim_to_dict`."""
    date, ev = d["date"], d.get("evidence")
    span = date.get("span")
    return ControlClaim(
        place=d["place"],
        actor=d["actor"],
        kind=ClaimKind(d["kind"]),
        date=DateSpan(
            dt.date.fromisoformat(date["start"]),
            dt.date.fromisoformat(date["end"]),
            TimePrecision(int(date["precision"])),
            DateBasis(date["basis"]),
            date.get("text"),
            None if span is None else (int(span[0]), int(span[1])),
        ),
        confidence=float(d["confidence"]),
        evidence=None
        if ev is None
        else Evidence(ev["article_id"], ev["text"], int(ev["start"]), int(ev["end"])),
        event_id=d.get("event_id"),
        geonameid=d.get("geonameid"),
        admin1=d.get("admin1"),
        scope=d.get("scope") or "place",
        source=d.get("source") or "statement",
    )
