"""Hand-built records for tests that exercise storage and exports without the NLP pipeline."""

from __future__ import annotations

import datetime as dt

from flashpoint.pipeline import ArticleState
from flashpoint.records import (
    Actor,
    ActorMention,
    Article,
    DateBasis,
    Event,
    Evidence,
    GeoPrecision,
    Modality,
    Quantity,
    Sentence,
    TimePrecision,
)

TEXT = "HTS fighters shelled Saraqib on Monday. Protesters marched in Idlib against HTS."


def make_event(article_id: str = "a1", event_id: str = "FP1", **changes: object) -> Event:
    base = dict(
        event_id=event_id,
        article_id=article_id,
        event_date=dt.date(2018, 5, 7),
        time_precision=TimePrecision.DAY,
        date_basis=DateBasis.RELATIVE,
        disorder_type="Political violence",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Hayat Tahrir al-Sham",
        assoc_actor_1=None,
        inter1=2,
        actor2=None,
        assoc_actor_2=None,
        inter2=None,
        interaction=20,
        civilian_targeting=None,
        iso=760,
        country="Syria",
        admin1="Idlib",
        admin2="Idlib",
        admin3=None,
        location="Saraqib",
        latitude=35.8624,
        longitude=36.8006,
        geo_precision=GeoPrecision.TOWN,
        geonameid=164816,
        fatalities=0,
        notes="On 7 May 2018, Hayat Tahrir al-Sham shelled Saraqib (Idlib).",
        source="Test Wire",
        target=None,
        quantities=(Quantity(3, "killed"),),
        modality=Modality.ASSERTED,
        confidence=0.9,
        plover={"type": "ASSAULT", "mode": "aerial"},
        cameo="195",
        evidence=Evidence(article_id, TEXT[:39], 0, 39),
        field_evidence={"actor1": (0, 3), "location": (21, 28)},
        sources=(Evidence(article_id, TEXT[:39], 0, 39),),
    )
    base.update(changes)
    return Event(**base)  # type: ignore[arg-type]


def make_state(
    article_id: str = "a1", text: str = TEXT, events: tuple[Event, ...] | None = None
) -> ArticleState:
    hts = Actor("Hayat Tahrir al-Sham", "rebel group", 2, "SYR")
    return ArticleState(
        article=Article(article_id, text, dt.date(2018, 5, 8), "title", "Test Wire", None, "en"),
        sentences=(Sentence(0, 0, 39, text[:39]), Sentence(1, 40, len(text), text[40:])),
        actor_mentions=(ActorMention(0, 3, "HTS", 0, hts, 1.0),),
        events=events if events is not None else (make_event(article_id),),
        done=frozenset({"nlp", "actors", "events", "geo", "temporal", "finalize"}),
    )
