"""Typed records: the only things that pass between pipeline stages.

Every record is a frozen, slotted dataclass. Offsets (``start``/``end``) are always Python string
indices into ``Article.text`` exactly as received: no stripping, no normalising.

Flow::

    Article --nlp--> Sentence, Token, Mention(NER) --actors--> ActorMention(Actor)
            --events--> EventCandidate --geo--> Place --temporal--> DateSpan --> Event
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Modality(StrEnum):
    """How the text presents an event: only ASSERTED and ATTEMPTED are output by default."""

    ASSERTED = "asserted"
    ATTEMPTED = "attempted"
    THREATENED = "threatened"
    HYPOTHETICAL = "hypothetical"
    BACKGROUND = "background"


DEFAULT_MODALITIES: frozenset[Modality] = frozenset({Modality.ASSERTED, Modality.ATTEMPTED})


class TimePrecision(IntEnum):
    """ACLED's time_precision: 1 the day is known, 2 the week, 3 only the month (or less)."""

    DAY = 1
    WEEK = 2
    MONTH = 3


class GeoPrecision(IntEnum):
    """ACLED's geo_precision: 1 the town, 2 part of a region or near a town, 3 a region."""

    TOWN = 1
    NEAR = 2
    REGION = 3


class ReviewStatus(StrEnum):
    """What a person made of an event (``flashpoint review``): nobody has looked yet; the machine's
    coding stands; some fields were corrected; or it is no event (or a duplicate) and leaves the
    default output."""

    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    REJECTED = "rejected"


class DateBasis(StrEnum):
    """Where an event's date came from (``DateSpan.basis``, ``Event.date_basis``)."""

    EXPLICIT = "explicit"  # "on 23 May"
    RELATIVE = "relative"  # "yesterday", "last week"
    YEAR = "year"  # a year named alone, "in 2014": the whole year
    PUBLICATION = "publication"  # no usable date: the publication date as upper bound
    UNDATED = "undated"  # no date in the text and no publication date: none is invented


class Via(StrEnum):
    """How an actor mention was found (``ActorMention.via``)."""

    ALIAS = "alias"  # a name or alias of the knowledge base
    ACRONYM = "acronym"  # an acronym ("HTS"), or one the text defines
    COREFERENCE = "coreference"  # "its fighters", "the group": an actor named before
    NATIONALITY = "nationality"  # a country word with a sector ("Turkish troops")
    COUNTRY = "country"  # a country's name standing for its state or forces ("Turkey shelled ...")
    ROLE = "role"  # a role word alone ("rebels", "protesters")
    NER = "ner"  # an organisation the entity recogniser found, not in the knowledge base
    WORLD = "world"  # the world actor data (Phoenix, PLOVER, CountryInfo)


class ClaimKind(StrEnum):
    """What a statement or event of control says an actor does with a place."""

    HOLDS = "holds"
    GAINS = "gains"
    LOSES = "loses"


class FrozenMap(Mapping[K, V]):
    """A read-only mapping that hashes: what a frozen record holds where it would hold a dict.

    Equal to any mapping with the same items. Its hash is that of its keys, as values may be JSON
    lists.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._items: dict[K, V] = dict(items)

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items))

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"


def text_sha256(text: str) -> str:
    """The identity of an article's text (exactly as received): the store keeps one article per text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One input document. ``id`` is the input's id verbatim, or the file's path."""

    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    """A token with its parse; ``head`` and ``dep`` are empty when the sentence was not parsed."""

    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    sentence: int
    ent_type: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text found by NER or by a rule: a candidate actor, place, date or quantity."""

    start: int
    end: int
    text: str
    label: str  # spaCy-style label: PERSON, ORG, NORP, GPE, LOC, FAC, DATE, CARDINAL, ...
    sentence: int
    source: str = "ner"  # "ner" or the rule layer that found it


@dataclass(frozen=True, slots=True)
class Relation:
    """A dated relation between two actors (``formerly``, ``member_of``, ``leader_of`` ...)."""

    kind: str
    target: str
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor with its ACLED-style canonical name and inter code (1..8; None when unknown)."""

    name: str
    kind: str
    inter: int | None
    country: str | None = None  # ISO 3166 alpha-3
    aliases: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    known: bool = True  # False for actors found in text but absent from the knowledge base


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A mention resolved to an actor (or kept unresolved with ``actor.known`` False)."""

    start: int
    end: int
    text: str
    sentence: int
    actor: Actor
    confidence: float
    via: Via = Via.ALIAS


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``country_code`` is ISO alpha-2 as in GeoNames; ``iso3`` alpha-3."""

    name: str
    latitude: float
    longitude: float
    geonameid: int | None = None
    country_code: str | None = None
    iso3: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    population: int | None = None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A toponym in the text resolved to a place (``place`` None when it could not be resolved)."""

    start: int
    end: int
    text: str
    sentence: int
    place: Place | None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class DateSpan:
    """An event's date as an interval with ACLED precision.

    ``basis`` says where the date came from: ``explicit`` ("on 23 May"), ``relative``
    ("yesterday"), ``year`` (a year named alone, "in 2014": the whole year, precision MONTH being
    ACLED's coarsest), or ``publication`` (no usable date: the publication date as upper bound).
    """

    start: dt.date
    end: dt.date
    precision: TimePrecision
    basis: DateBasis
    text: str | None = None
    span: tuple[int, int] | None = None

    @property
    def event_date(self) -> dt.date:
        """The single date ACLED reports for the span.

        A known day is that day. An undated event (``basis`` "publication") takes the publication
        date, the interval's end (its upper bound). A week or month span (time_precision 2 or 3)
        takes its middle day, as ACLED codes a week or month it cannot narrow down: "the end of
        April" (21-30 April) is 25 April, never the 1st or the 21st.
        """
        if self.basis == DateBasis.PUBLICATION:
            return self.end
        if self.precision == TimePrecision.DAY:
            return self.start
        return self.start + (self.end - self.start) // 2


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence that supports an event: offsets into the article text exactly as received."""

    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quantity:
    value: int
    of: str


@dataclass(frozen=True, slots=True)
class EventCandidate:
    """An event found in one sentence before places and dates are attached."""

    sentence: int
    event_type: str
    sub_event_type: str
    modality: Modality
    confidence: float
    trigger: tuple[int, int]
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    assoc_actor_1: tuple[ActorMention, ...] = ()
    assoc_actor_2: tuple[ActorMention, ...] = ()
    target: ActorMention | None = None
    fatalities: int | None = None
    fatalities_span: tuple[int, int] | None = None
    quantities: tuple[Quantity, ...] = ()
    location: PlaceMention | None = None
    geo_precision: GeoPrecision | None = None
    date: DateSpan | None = None
    also: tuple[int, ...] = ()  # other sentences of the article reporting this event (merged mentions)


@dataclass(frozen=True, slots=True)
class Event:
    """A coded event in ACLED's terms plus flashpoint's evidence, modality and mappings."""

    event_id: str
    article_id: str
    event_date: dt.date | None  # None: undated (date_basis UNDATED)
    time_precision: TimePrecision | None
    date_basis: DateBasis
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
    geo_precision: GeoPrecision | None
    geonameid: int | None
    fatalities: int
    notes: str
    source: str | None
    target: str | None
    quantities: tuple[Quantity, ...]
    modality: Modality
    confidence: float
    plover: Mapping[str, str | None] = field(default_factory=FrozenMap)
    cameo: str | None = None
    evidence: Evidence | None = None
    field_evidence: Mapping[str, tuple[int, int]] = field(default_factory=FrozenMap)
    sources: tuple[Evidence, ...] = ()
    # Set by the store from the event's reviews: the fields above then hold the reviewed values
    # and ``machine_values`` the coder's own value of each corrected field.
    review_status: ReviewStatus = ReviewStatus.UNREVIEWED
    machine_values: Mapping[str, object] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        # the mappings are frozen, so an event cannot change and hashes (a dict given is copied)
        for name in ("plover", "field_evidence", "machine_values"):
            value = getattr(self, name)
            if not isinstance(value, FrozenMap):
                object.__setattr__(self, name, FrozenMap(value))


@dataclass(frozen=True, slots=True)
class ControlInterval:
    """Who held a place over an interval, with the evidence behind it."""

    place: str
    actor: str | None
    start: dt.date | None
    end: dt.date | None
    confidence: float
    evidence: tuple[Evidence, ...]
    event_ids: tuple[str, ...] = ()
    geonameid: int | None = None
