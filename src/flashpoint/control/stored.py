"""Control and support over a store: the events, and statements of control re-read from articles.

The store keeps articles, their sentences and actor mentions, and the gazetteer entries of the
places they mention, but not the place mentions themselves: :func:`stored_states` rebuilds each
article's state with place mentions found as capitalised phrases whose folded spelling
(:func:`~flashpoint.control.place_key`) is that of a stored place or event location ("Maarat
al-Numan" for GeoNames' "Ma‘arrat an Nu‘mān"), which is what
:func:`~flashpoint.control.control_statements` needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from flashpoint.control.claims import ControlClaim, control_statements
from flashpoint.control.intervals import derive_control, place_key
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


_PHRASE = re.compile(r"[A-Z][\w‘’'-]*(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w‘’'-]*)*")


def _place_mentions(text: str, sentences: tuple[Sentence, ...], places: dict[str, Place],
                    taken: list[tuple[int, int]]) -> list[PlaceMention]:
    """Capitalised phrases (and their parts) whose folded spelling is a stored place's."""
    out: list[PlaceMention] = []
    for sentence in sentences:
        for m in _PHRASE.finditer(text, sentence.start, sentence.end):
            words = list(re.finditer(r"\S+", m[0]))
            spans = sorted(((words[i].start(), words[j - 1].end()) for i in range(len(words))
                            for j in range(i + 1, len(words) + 1)), key=lambda ab: ab[0] - ab[1])
            for a, b in spans:
                start, end = m.start() + a, m.start() + b
                if any(s < end and start < e for s, e in taken):
                    continue
                place = places.get(place_key(text[start:end]))
                if place is not None:
                    out.append(PlaceMention(start, end, text[start:end], sentence.index, place, 0.8))
                    taken.append((start, end))
    return out


def stored_states(store: Store, events: tuple[Event, ...] = ()) -> Iterator[ArticleState]:
    """Each stored article's state: sentences, actor mentions, and place mentions by stored names."""
    places = {place_key(name): place for name, place in _places(store, events).items() if place_key(name)}
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
        taken = [(a.start, a.end) for a in actor_mentions]
        place_mentions = _place_mentions(article.text, sentences, places, taken) if places else []
        yield ArticleState(article, sentences=sentences, actor_mentions=tuple(actor_mentions),
                           place_mentions=tuple(place_mentions))


def load_control(store: Store) -> StoredControl:
    """Every stored asserted/attempted event, the statements of control in stored articles, and the
    control intervals derived from both."""
    events = tuple(store.iter_events(EventQuery()))
    statements = tuple(c for state in stored_states(store, events) for c in control_statements(state))
    return StoredControl(events, statements, tuple(derive_control(events, statements)))
