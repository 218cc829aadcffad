"""Control and support over a store: the events, and statements of control re-read from articles.

The store keeps articles, their sentences and actor mentions, and the gazetteer entries of the
places they mention, but not the place mentions themselves: :func:`stored_states` rebuilds each
article's state with place mentions found by the names of those stored places (and of the events'
locations), which is what :func:`~flashpoint.control.control_statements` needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from flashpoint.control.claims import ControlClaim, control_statements
from flashpoint.control.intervals import derive_control
from flashpoint.pipeline import ArticleState
from flashpoint.records import Actor, ActorMention, ControlInterval, Event, Place, PlaceMention, Sentence
from flashpoint.store import EventQuery, Store, schema


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
            places.setdefault(row["name"], Place(
                row["name"], row["latitude"], row["longitude"], row["geonameid"], row["country_code"],
                admin1=row["admin1"], admin2=row["admin2"], feature_code=row["feature_code"]))
    for e in events:
        if e.location and e.latitude is not None and e.longitude is not None and e.location not in places:
            places[e.location] = Place(e.location, e.latitude, e.longitude, e.geonameid, None, None, e.country,
                                       e.admin1, e.admin2, e.admin3)
    return places


def stored_states(store: Store, events: tuple[Event, ...] = ()) -> Iterator[ArticleState]:
    """Each stored article's state: sentences, actor mentions, and place mentions by stored names."""
    places = _places(store, events)
    names = sorted((n for n in places if len(n) > 2), key=len, reverse=True)
    finder = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])") if names else None
    with store.engine.connect() as conn:
        actors = {
            r["name"]: Actor(r["name"], r["kind"] or "", r["inter"] or 0, r["country"], known=bool(r["known"]))
            for r in conn.execute(select(schema.actors)).mappings()
        }
    for article_id in store.article_ids():
        article = store.article(article_id)
        if article is None:
            continue
        with store.engine.connect() as conn:
            srows = conn.execute(select(schema.sentences).where(schema.sentences.c.article_id == article_id)
                                 .order_by(schema.sentences.c.start)).mappings().all()
            mrows = conn.execute(select(schema.actor_mentions)
                                 .where(schema.actor_mentions.c.article_id == article_id)).mappings().all()
        sentences = tuple(Sentence(r["idx"], r["start"], r["end"], article.text[r["start"] : r["end"]]) for r in srows)

        def index_of(pos: int, sentences: tuple[Sentence, ...] = sentences) -> int | None:
            return next((s.index for s in sentences if s.start <= pos < s.end), None)

        actor_mentions = []
        for r in mrows:
            i = index_of(r["start"])
            if i is not None:
                actor = actors.get(r["actor"]) or Actor(r["actor"], "", 0, known=bool(r["known"]))
                actor_mentions.append(ActorMention(r["start"], r["end"], r["text"], i, actor, 0.9, r["via"] or "alias"))
        place_mentions = []
        if finder is not None:
            for m in finder.finditer(article.text):
                i = index_of(m.start())
                if i is not None:
                    place_mentions.append(PlaceMention(m.start(), m.end(), m[0], i, places[m[0]], 0.8))
        yield ArticleState(article, sentences=sentences, actor_mentions=tuple(actor_mentions),
                           place_mentions=tuple(place_mentions))


def load_control(store: Store) -> StoredControl:
    """Every stored asserted/attempted event, the statements of control in stored articles, and the
    control intervals derived from both."""
    events = tuple(store.iter_events(EventQuery()))
    statements = tuple(c for state in stored_states(store, events) for c in control_statements(state))
    return StoredControl(events, statements, tuple(derive_control(events, statements)))
