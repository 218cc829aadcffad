"""The HTTP API's request and response shapes (pydantic lives only here, at the edge).

The event shape mirrors :func:`flashpoint.serialize.event_to_dict`, the JSON contract shared with
``--format jsonl`` and the store; ``tests/test_api_events.py`` checks the two stay the same.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flashpoint.records import Modality, ReviewStatus


class ModalityParam(StrEnum):
    """A modality to include, or ``all`` for every modality."""

    ASSERTED = Modality.ASSERTED.value
    ATTEMPTED = Modality.ATTEMPTED.value
    THREATENED = Modality.THREATENED.value
    HYPOTHETICAL = Modality.HYPOTHETICAL.value
    BACKGROUND = Modality.BACKGROUND.value
    ALL = "all"


class Span(BaseModel):
    start: int
    end: int


class EvidenceOut(BaseModel):
    """The sentence behind an event; offsets index the article text exactly as received."""

    text: str
    start: int
    end: int


class SourceOut(EvidenceOut):
    article_id: str


class QuantityOut(BaseModel):
    value: int
    of: str


class EventOut(BaseModel):
    """One coded event in ACLED's terms plus evidence, modality and mappings."""

    event_id: str
    article_id: str
    event_date: dt.date | None = Field(description="null: undated (the text gives no date, the article none)")
    time_precision: int | None = Field(description="1 day, 2 week, 3 month; null when undated")
    date_basis: str
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: str | None
    inter1: int | None
    actor2: str | None
    assoc_actor_2: str | None
    inter2: int | None
    interaction: int | None
    civilian_targeting: str | None
    iso: int | None
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None = Field(description="1 town, 2 near a town or part of a region, 3 region")
    geonameid: int | None
    fatalities: int
    notes: str
    source: str | None
    target: str | None
    quantities: list[QuantityOut]
    modality: Modality
    confidence: float
    plover: dict[str, str | None]
    cameo: str | None
    evidence: EvidenceOut | None
    field_evidence: dict[str, Span]
    sources: list[SourceOut]
    review_status: ReviewStatus = Field(description="unreviewed, confirmed, corrected or rejected")
    machine_values: dict[str, Any] = Field(description="the coder's own value of each field a review corrected")


class EventPage(BaseModel):
    """A page of events; ``next_offset`` is null on the last page."""

    events: list[EventOut]
    limit: int
    offset: int
    next_offset: int | None


class ArticleMeta(BaseModel):
    id: str
    title: str | None
    source: str | None
    url: str | None
    published: dt.date | None


class Context(BaseModel):
    """Article text around the evidence sentence (at most a few hundred characters each side)."""

    before: str
    after: str


class ReviewOut(BaseModel):
    """One review of an event, as stored."""

    event_id: str
    action: str = Field(description="confirm, reject, correct or duplicate")
    fields: dict[str, Any] = Field(description="the corrected fields and their values")
    duplicate_of: str | None
    by: str
    at: str = Field(description="when, ISO 8601 UTC")


class EventDetail(BaseModel):
    event: EventOut
    article: ArticleMeta | None
    context: Context | None
    reviews: list[ReviewOut] = Field(default_factory=list, description="the event's reviews, oldest first")
    article_text: str | None = Field(default=None, description="the article's whole text (with ?text=true)")


class ReviewIn(BaseModel):
    """A review: exactly one of ``confirm``, ``reject``, ``set`` (field -> corrected value) or
    ``duplicate_of`` (the id of the event this one repeats)."""

    model_config = ConfigDict(extra="forbid")

    confirm: bool = False
    reject: bool = False
    set: dict[str, Any] | None = Field(default=None, description="event_type, sub_event_type, actor1, actor2, "
                                       "location, latitude, longitude, event_date or fatalities")
    duplicate_of: str | None = Field(default=None, max_length=64)


class ReviewResult(BaseModel):
    """The review as stored and the event as it stands now."""

    review: ReviewOut
    event: EventOut


class ReviewQueue(BaseModel):
    """Unreviewed events, least confident first, then oldest."""

    events: list[EventOut]


class ArticleIn(BaseModel):
    """One article to code. ``id`` defaults to the text's hash; ``published`` is YYYY-MM-DD."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    published: str | None = None
    id: str | None = Field(default=None, max_length=1000)
    title: str | None = None
    source: str | None = None
    url: str | None = None


class ArticleResult(BaseModel):
    """What happened to one posted article, in input order."""

    id: str
    status: str = Field(description="coded, already_stored or skipped")
    events: list[str] = Field(description="ids of the article's events (every modality)")
    error: str | None = None


class ArticlesResult(BaseModel):
    results: list[ArticleResult]
    coded: int
    already_stored: int
    skipped: int


class ClientConfig(BaseModel):
    """Settings the map page reads at start."""

    tile_url: str | None
    tile_attribution: str | None
    writable: bool
    features: list[str]
    sub_event_types: dict[str, list[str]] = Field(
        default_factory=dict, description="ACLED's sub-event types by event type (the review panel's choices)"
    )


class Problem(BaseModel):
    detail: str


class RelationOut(BaseModel):
    kind: str
    target: str
    start: dt.date | None
    end: dt.date | None
    source: str | None


class DatedNameOut(BaseModel):
    name: str
    start: dt.date | None
    end: dt.date | None


class ActorOut(BaseModel):
    """An actor from the knowledge base: names over time, aliases, lineage and relations."""

    name: str
    kind: str
    inter: int | None = Field(description="ACLED inter code 1..8; null when unknown.")
    country: str | None
    aliases: list[str]
    names: list[DatedNameOut]
    relations: list[RelationOut]
    start: dt.date | None
    end: dt.date | None
    name_on_date: str | None
    successor_on_date: str | None
    matched: str
    descriptions: list[str]
    sources: str


class CitationOut(BaseModel):
    text: str
    article_id: str
    event_id: str | None
    start: int
    end: int


class ControlOut(BaseModel):
    """Who held a place on a date (``holder`` null when the data cannot tell), and on what evidence."""

    place: str
    date: dt.date
    holder: str | None
    since: dt.date | None
    until: dt.date | None
    confidence: float
    evidence: list[CitationOut]
    contested_by: list[str]


class TimelineCitationOut(CitationOut):
    """A sentence behind a control interval, with the article it is from (null when not stored)."""

    article: ArticleMeta | None


class ControlIntervalOut(BaseModel):
    """Who held the place from ``start`` (null: before the first report) to ``end`` (null: still)."""

    holder: str | None = Field(description="null when the data cannot tell")
    start: dt.date | None
    end: dt.date | None
    confidence: float
    evidence: list[TimelineCitationOut]


class ControlTimelineOut(BaseModel):
    """Every control interval of a place, in time order, each with its evidence."""

    place: str
    geonameid: int | None
    intervals: list[ControlIntervalOut]


class HoldingOut(BaseModel):
    period: str
    places: list[str]
    gained: int
    lost: int


class ActorControlOut(BaseModel):
    """An actor's holdings period by period."""

    actor: str = Field(description="The stored actor the asked name resolved to (HTS: Hayat Tahrir al-Sham).")
    by: str
    periods: list[HoldingOut]


class SupportPeriodOut(BaseModel):
    period: str
    protests_against: int
    force_against_protesters: int
    defections: int
    surrenders: int
    event_ids: list[str]


class SupportOut(BaseModel):
    """Popular-support indicators of an actor per period, with the events behind each number."""

    actor: str = Field(description="The stored actor the asked name resolved to (HTS: Hayat Tahrir al-Sham).")
    by: str
    periods: list[SupportPeriodOut]
