"""Scoring whole hand-coded articles: every event an analyst coded in a text against flashpoint's.

The gold file (``docs/article-gold.md``) is JSONL, one article a line: its ``text`` and the
``events`` coded in it, each pointing at its evidence sentence by character offsets. Each article is
coded with the default pipeline and its default output (asserted and attempted events) is matched
one to one with the gold events, best pair first:

1. *sentence*, evidence to evidence: the predicted event's evidence sentence overlaps the gold
   evidence span;
2. *sentence*, otherwise: any sentence of the predicted event (its evidence or another sentence of
   this article in its ``sources``) overlaps the gold evidence or one of its ``also`` spans;
3. *type-time-place*: the same event type, dates at most 7 days apart (the gold date known) and
   coordinates at most 100 km apart (both known).

Within a tier, a pair with the same sub-event type comes before one with only the same event type,
then the higher-confidence predicted event, then file order. Unmatched predicted events are false
positives, unmatched gold events false negatives; precision, recall and F1 are micro-averaged over
all articles (0 where undefined). Field accuracy (:func:`field_verdicts`) is over matched pairs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from flashpoint.errors import InputError
from flashpoint.evaluation.geoparse import haversine_km
from flashpoint.evaluation.golden import same_actor
from flashpoint.pipeline import ArticleState
from flashpoint.records import DEFAULT_MODALITIES, Article, DateBasis, Event, TimePrecision

MATCH_DAYS = 7
MATCH_KM = 100.0
LOCATION_KM = 50.0
FIELDS: tuple[str, ...] = ("sub_event_type", "actor1", "actor2", "location", "date", "date_in_precision",
                           "fatalities")

ARTICLE_KEYS = ("id", "published", "text", "events")
EVENT_KEYS = (
    "evidence",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "latitude",
    "longitude",
    "date",
    "fatalities",
)

Span = tuple[int, int]
ActorAliases = Callable[[str], Iterable[str]]
"""Other names of a predicted actor (its knowledge-base aliases), given its canonical name."""


def no_aliases(_name: str) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True, slots=True)
class GoldEvent:
    evidence: Span
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    date: dt.date | None
    fatalities: int | None
    also: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    published: dt.date | None
    text: str
    events: tuple[GoldEvent, ...]
    where: str = ""  # file:line, for messages

    def article(self) -> Article:
        return Article(self.id, self.text, self.published)


@dataclass(frozen=True, slots=True)
class Match:
    """A gold event (its index in the article) paired with a predicted event."""

    gold: int
    event_id: str
    by: str  # "sentence" or "type-time-place"
    fields: dict[str, bool | None] = field(default_factory=dict)  # None: not scored


@dataclass(frozen=True, slots=True)
class ArticleScore:
    id: str
    gold: int
    predicted: int
    matches: tuple[Match, ...]
    false_positives: tuple[str, ...]  # event ids
    false_negatives: tuple[int, ...]  # gold event indexes

    @property
    def matched(self) -> int:
        return len(self.matches)


@dataclass(frozen=True, slots=True)
class FieldScore:
    name: str
    correct: int
    scored: int
    not_scored: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.scored if self.scored else 0.0


@dataclass(frozen=True, slots=True)
class ArticlesReport:
    articles: tuple[ArticleScore, ...]
    fields: tuple[FieldScore, ...]
    skipped: int = 0

    @property
    def tp(self) -> int:
        return sum(a.matched for a in self.articles)

    @property
    def fp(self) -> int:
        return sum(a.predicted - a.matched for a in self.articles)

    @property
    def fn(self) -> int:
        return sum(a.gold - a.matched for a in self.articles)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "articles": len(self.articles),
            "skipped": self.skipped,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "fields": {
                f.name: {"correct": f.correct, "scored": f.scored, "not_scored": f.not_scored}
                for f in self.fields
            },
        }


# -- reading the gold file ---------------------------------------------------------------------------


def _string(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise InputError(where, f"{key} {value!r} is not a non-empty string")
    return value


def _optional(raw: dict[str, Any], key: str, where: str) -> str | None:
    value = raw[key]
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(where, f"{key} {value!r} is not a non-empty string or null")
    return value


def _day(value: Any, key: str, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(where, f"{key} {value!r} is not a date; use YYYY-MM-DD or null") from None


def _number(value: Any, key: str, where: str, bound: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not -bound <= value <= bound:
        raise InputError(where, f"{key} {value!r} is not a number from {-bound:g} to {bound:g} or null")
    return float(value)


def _span(value: Any, key: str, where: str, length: int) -> Span:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise InputError(where, f"{key} {value!r} is not a [start, end] pair of character offsets")
    start, end = value
    if not 0 <= start < end <= length:
        raise InputError(where, f"{key} {value!r} is not a span of the text (0 <= start < end <= {length})")
    return start, end


def _types(raw: dict[str, Any], where: str) -> tuple[str, str]:
    from flashpoint.events import taxonomy

    kind, sub = raw["event_type"], raw["sub_event_type"]
    try:
        found = taxonomy.get(sub) if isinstance(sub, str) else None
    except KeyError:
        found = None
    if found is None:
        raise InputError(where, f"sub_event_type {sub!r} is not an ACLED sub-event type")
    if not isinstance(kind, str) or kind.strip().lower() != found.event_type.lower():
        raise InputError(where, f"event_type {kind!r} does not fit sub_event_type {found.name!r}: "
                                f"use {found.event_type!r}")
    return found.event_type, found.name


def _fatalities(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(where, f"fatalities {value!r} is not a count (an integer >= 0) or null")
    return value


def parse_event(raw: Any, where: str, text: str) -> GoldEvent:
    """One gold event; :class:`InputError` naming ``where`` and the bad field otherwise."""
    if not isinstance(raw, dict):
        raise InputError(where, f"expected an event object, got {type(raw).__name__}")
    missing = [k for k in EVENT_KEYS if k not in raw]
    if missing:
        raise InputError(where, f"missing field(s) {', '.join(missing)} (use null for unknown)")
    event_type, sub_event_type = _types(raw, where)
    latitude = _number(raw["latitude"], "latitude", where, 90.0)
    longitude = _number(raw["longitude"], "longitude", where, 180.0)
    if (latitude is None) != (longitude is None):
        raise InputError(where, "latitude and longitude must both be given or both be null")
    also = raw.get("also") or []
    if not isinstance(also, list):
        raise InputError(where, f"also {also!r} is not a list of [start, end] spans")
    return GoldEvent(
        evidence=_span(raw["evidence"], "evidence", where, len(text)),
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=_optional(raw, "actor1", where),
        actor2=_optional(raw, "actor2", where),
        location=_optional(raw, "location", where),
        latitude=latitude,
        longitude=longitude,
        date=_day(raw["date"], "date", where),
        fatalities=_fatalities(raw["fatalities"], where),
        also=tuple(_span(s, "also", where, len(text)) for s in also),
    )


def parse_article(line: str, where: str) -> GoldArticle:
    """One gold line; :class:`InputError` naming ``where`` and what is wrong otherwise."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(where, f"malformed JSON ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise InputError(where, f"expected a JSON object, got {type(raw).__name__}")
    missing = [k for k in ARTICLE_KEYS if k not in raw]
    if missing:
        raise InputError(where, f"missing field(s) {', '.join(missing)} (published may be null, never absent)")
    article_id, text = _string(raw, "id", where), _string(raw, "text", where)
    if not isinstance(raw["events"], list):
        raise InputError(where, f"events {raw['events']!r} is not a list (use [] for an article with none)")
    events = tuple(
        parse_event(e, f"{where}: event {n}", text) for n, e in enumerate(raw["events"], start=1)
    )
    return GoldArticle(article_id, _day(raw["published"], "published", where), text, events, where)


def read_gold(path: Path, limit: int | None = None) -> Iterator[GoldArticle | InputError]:
    """The articles of a gold file, a bad line as an :class:`InputError` naming its line number.

    Blank lines are passed over; ``limit`` stops after that many other lines. An unreadable file
    raises :class:`InputError`.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    seen: set[str] = set()
    read = 0
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        if limit is not None and read >= limit:
            return
        read += 1
        where = f"{path}:{lineno}"
        try:
            gold = parse_article(raw.decode("utf-8"), where)
        except UnicodeDecodeError:
            yield InputError(where, "not UTF-8 text")
            continue
        except InputError as exc:
            yield exc
            continue
        if gold.id in seen:
            yield InputError(where, f"id {gold.id!r} was used by an earlier line; ids must be unique")
            continue
        seen.add(gold.id)
        yield gold


# -- matching ----------------------------------------------------------------------------------------


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def sentence_spans(event: Event) -> tuple[Span, ...]:
    """The predicted event's sentences in its article: its evidence first, then its other sources."""
    spans: list[Span] = []
    if event.evidence is not None:
        spans.append((event.evidence.start, event.evidence.end))
    for source in event.sources:
        span = (source.start, source.end)
        if source.article_id == event.article_id and span not in spans:
            spans.append(span)
    return tuple(spans)


def _near(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None, km: float) -> bool:
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return False
    return haversine_km(lat1, lon1, lat2, lon2) <= km


def match_tier(gold: GoldEvent, event: Event) -> int | None:
    """0 evidence overlaps evidence, 1 another sentence overlap, 2 type-time-place, None no match."""
    spans = sentence_spans(event)
    if event.evidence is not None and _overlaps(spans[0], gold.evidence):
        return 0
    if any(_overlaps(s, g) for s in spans for g in (gold.evidence, *gold.also)):
        return 1
    if (
        event.event_type == gold.event_type
        and gold.date is not None
        and event.event_date is not None
        and abs((event.event_date - gold.date).days) <= MATCH_DAYS
        and _near(gold.latitude, gold.longitude, event.latitude, event.longitude, MATCH_KM)
    ):
        return 2
    return None


def _agreement(gold: GoldEvent, event: Event) -> int:
    if event.sub_event_type == gold.sub_event_type:
        return 2
    return 1 if event.event_type == gold.event_type else 0


def match_events(gold: Sequence[GoldEvent], events: Sequence[Event]) -> list[tuple[int, int, str]]:
    """One-to-one (gold index, event index, how) pairs, best first; see the module docstring."""
    ranked = []
    for gi, g in enumerate(gold):
        for ei, e in enumerate(events):
            tier = match_tier(g, e)
            if tier is not None:
                ranked.append((tier, -_agreement(g, e), -e.confidence, gi, ei))
    ranked.sort()
    used_gold: set[int] = set()
    used_events: set[int] = set()
    pairs = []
    for tier, _, _, gi, ei in ranked:
        if gi in used_gold or ei in used_events:
            continue
        used_gold.add(gi)
        used_events.add(ei)
        pairs.append((gi, ei, "type-time-place" if tier == 2 else "sentence"))
    return sorted(pairs)


# -- fields ------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


_ARTICLE = re.compile(r"^(?:the|a|an) ")


def actor_ok(gold: str | None, predicted: str | None, names: Iterable[str] = ()) -> bool:
    """The gold actor is the predicted one (:func:`same_actor`), or its name, without a leading article
    ("the Syrian army"), is contained in the predicted actor's name or one of ``names`` (aliases, the text
    it was matched on); both None agree."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if same_actor(gold, predicted):
        return True
    want = _ARTICLE.sub("", _fold(gold))
    return any(want in _fold(n) for n in (predicted, *names))


def _matched_text(event: Event, key: str, text: str) -> tuple[str, ...]:
    span = event.field_evidence.get(key)
    return (text[span[0] : span[1]],) if span is not None else ()


def location_ok(gold: GoldEvent, event: Event, text: str = "") -> bool:
    """Within 50 km when gold has coordinates; else the gold name is the predicted place's name or
    the text it was found in (case-insensitive); a gold event with no location wants none."""
    if gold.latitude is not None and gold.longitude is not None:
        return _near(gold.latitude, gold.longitude, event.latitude, event.longitude, LOCATION_KM)
    if gold.location is None:
        return event.location is None
    names = [n for n in (event.location, *_matched_text(event, "location", text)) if n]
    return _fold(gold.location) in {_fold(n) for n in names}


def date_in_precision(gold: dt.date, event: Event) -> bool:
    """Whether the gold date lies in what the predicted date stands for, at its ACLED time precision:
    the day itself; the week around the middle day a week span reports (3 days either side); the 30
    days up to a publication date taken as the upper bound; the year of a year named alone; else the
    month."""
    got, precision = event.event_date, event.time_precision
    if got is None or precision is None:
        return False
    if event.date_basis == DateBasis.PUBLICATION:
        return got - dt.timedelta(days=30) <= gold <= got
    if event.date_basis == DateBasis.YEAR:
        return gold.year == got.year
    if precision == TimePrecision.DAY:
        return gold == got
    if precision == TimePrecision.WEEK:
        return abs((gold - got).days) <= 3
    return (gold.year, gold.month) == (got.year, got.month)


def field_verdicts(
    gold: GoldEvent, event: Event, text: str = "", aliases: ActorAliases = no_aliases
) -> dict[str, bool | None]:
    """Per field of :data:`FIELDS`: True correct, False wrong, None not scored (gold date null)."""

    def actor(key: str, predicted: str | None) -> bool:
        names = (*(aliases(predicted) if predicted else ()), *_matched_text(event, key, text))
        return actor_ok(getattr(gold, key), predicted, names)

    return {
        "sub_event_type": event.sub_event_type == gold.sub_event_type,
        "actor1": actor("actor1", event.actor1),
        "actor2": actor("actor2", event.actor2),
        "location": location_ok(gold, event, text),
        "date": None if gold.date is None else event.event_date == gold.date,
        "date_in_precision": None if gold.date is None else date_in_precision(gold.date, event),
        "fatalities": event.fatalities == (gold.fatalities or 0),
    }


# -- scoring -----------------------------------------------------------------------------------------


def score_article(
    gold: GoldArticle, events: Iterable[Event], aliases: ActorAliases = no_aliases
) -> ArticleScore:
    """Match one article's default-output events (asserted, attempted) with its gold events."""
    predicted = [e for e in events if e.modality in DEFAULT_MODALITIES]
    pairs = match_events(gold.events, predicted)
    matches = []
    for gi, ei, by in pairs:
        verdicts = field_verdicts(gold.events[gi], predicted[ei], gold.text, aliases)
        matches.append(Match(gi, predicted[ei].event_id, by, verdicts))
    matched_events = {ei for _, ei, _ in pairs}
    matched_gold = {gi for gi, _, _ in pairs}
    return ArticleScore(
        id=gold.id,
        gold=len(gold.events),
        predicted=len(predicted),
        matches=tuple(matches),
        false_positives=tuple(e.event_id for i, e in enumerate(predicted) if i not in matched_events),
        false_negatives=tuple(i for i in range(len(gold.events)) if i not in matched_gold),
    )


def summarise(articles: Sequence[ArticleScore], skipped: int = 0) -> ArticlesReport:
    """Field accuracy over every matched pair, with the articles' scores."""
    fields = []
    for name in FIELDS:
        verdicts = [m.fields.get(name) for a in articles for m in a.matches]
        fields.append(
            FieldScore(
                name,
                correct=sum(v is True for v in verdicts),
                scored=sum(v is not None for v in verdicts),
                not_scored=sum(v is None for v in verdicts),
            )
        )
    return ArticlesReport(tuple(articles), tuple(fields), skipped)


class ArticleCoder(Protocol):
    """What :func:`evaluate` needs of :class:`flashpoint.coder.Coder`."""

    def pipe(self, articles: Iterable[Article]) -> Iterator[ArticleState]: ...


def kb_aliases(name: str) -> tuple[str, ...]:
    """An actor's aliases and dated names in the shipped knowledge base (none when absent)."""
    from flashpoint.actors import load_knowledge_base

    entry = load_knowledge_base().entry(name)
    if entry is None:
        return ()
    return (*entry.actor.aliases, *(n.name for n in entry.names))


def evaluate(
    path: Path,
    coder: ArticleCoder,
    *,
    limit: int | None = None,
    on_skip: Callable[[InputError], None] = lambda _: None,
    aliases: ActorAliases = kb_aliases,
) -> ArticlesReport:
    """Code every good article of a gold file with ``coder`` and score it.

    Each bad line (and each article the coder refuses, such as one over the size limit) goes to
    ``on_skip`` and is counted in :attr:`ArticlesReport.skipped`; an unreadable file raises
    :class:`InputError`.
    """
    from flashpoint.ingest import check_article

    golds: list[GoldArticle] = []
    skipped = 0
    for item in read_gold(path, limit):
        try:
            if isinstance(item, InputError):
                raise item
            check_article(item.article(), item.where)
        except InputError as exc:
            skipped += 1
            on_skip(exc)
            continue
        golds.append(item)
    states = coder.pipe(g.article() for g in golds)
    scores = [score_article(g, s.events, aliases) for g, s in zip(golds, states, strict=True)]
    return summarise(scores, skipped)
