"""The coder: the default pipeline from article text to :class:`~flashpoint.records.Event` records.

::

    nlp -> actors -> events -> geo -> temporal -> finalize

:class:`FinalizeStage` turns each :class:`~flashpoint.records.EventCandidate` into an ACLED-style
event: stable id, date with precision, inter and interaction codes, country and admin names,
notes, PLOVER/CAMEO mappings, and the evidence span behind each field. :func:`place_stages` runs
the same stages up to geo, then :class:`PlaceStage`: the place mentions ``flashpoint places`` prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from flashpoint.countries import by_iso2, by_iso3, by_name
from flashpoint.errors import FlashpointError
from flashpoint.events import taxonomy
from flashpoint.events.notes import note_of
from flashpoint.pipeline import ArticleState, Pipeline, Stage
from flashpoint.records import (
    Actor,
    Article,
    DateBasis,
    DateSpan,
    Event,
    EventCandidate,
    Evidence,
    Place,
    TimePrecision,
    text_sha256,
)

if TYPE_CHECKING:
    from flashpoint.events import EventStage
    from flashpoint.geo.geoparser import Geoparser


def event_id(article_text_sha: str, candidate: EventCandidate, ordinal: int) -> str:
    """A stable id: the same text coded by the same coder gives the same ids."""
    key = (
        f"{article_text_sha}:{candidate.sentence}:{candidate.trigger[0]}:{candidate.sub_event_type}:{ordinal}"
    )
    return "FP" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:14].upper()


def _date(candidate: EventCandidate, article: Article) -> DateSpan | None:
    """The candidate's date, else the publication date as its upper bound; None when the text gives no
    date and the article has no publication date (no date is taken from the clock)."""
    if candidate.date is not None:
        return candidate.date
    if article.published is None:
        return None
    from flashpoint.temporal import publication_span

    return publication_span(article.published)


def _country(place: Place | None, candidate: EventCandidate) -> tuple[str | None, int | None]:
    country = None
    if place is not None:
        country = (
            (by_iso3(place.iso3) if place.iso3 else None)
            or (by_iso2(place.country_code) if place.country_code else None)
            or (by_name(place.country) if place.country else None)
        )
    if country is None:
        for mention in (candidate.actor1, candidate.actor2):
            if mention is not None and mention.actor.country:
                country = by_iso3(mention.actor.country)
                if country is not None:
                    break
    if country is None:
        return (place.country if place else None), None
    return country.name, country.numeric


def _inter(mention_inter: int | None, actor_country: str | None, event_iso3: str | None) -> int | None:
    """ACLED codes state forces acting outside their own country as external forces (8)."""
    if mention_inter is None:
        return None
    if mention_inter == 1 and actor_country and event_iso3 and actor_country != event_iso3:
        return 8
    return mention_inter


class FinalizeStage:
    """EventCandidate -> Event: ids, dates, codes, notes, mappings and field evidence."""

    name: ClassVar[str] = "finalize"
    requires: ClassVar[frozenset[str]] = frozenset(
        {"sentences", "candidates", "candidates.location", "candidates.geo_precision", "candidates.date"})
    provides: ClassVar[frozenset[str]] = frozenset({"events"})

    def __call__(self, state: ArticleState) -> ArticleState:
        article = state.article
        sha = text_sha256(article.text)
        events = []
        seen: dict[str, int] = {}
        for candidate in state.candidates:
            base = f"{candidate.sentence}:{candidate.trigger[0]}:{candidate.sub_event_type}"
            ordinal = seen.get(base, 0)
            seen[base] = ordinal + 1
            events.append(self._event(state, candidate, event_id(sha, candidate, ordinal)))
        return state.with_(self.name, events=tuple(events))

    def _event(self, state: ArticleState, c: EventCandidate, eid: str) -> Event:
        article = state.article
        sentence = state.sentences[c.sentence]
        sub = taxonomy.get(c.sub_event_type)
        place = c.location.place if c.location is not None else None
        country, iso = _country(place, c)
        country_rec = by_name(country) if country else None
        event_iso3 = country_rec.iso3 if country_rec else None
        date = _date(c, article)
        a1 = _of_event_country(c.actor1.actor if c.actor1 else None, event_iso3)
        a2 = _of_event_country(c.actor2.actor if c.actor2 else None, event_iso3)
        inter1 = _inter(a1.inter, a1.country, event_iso3) if a1 else None
        inter2 = _inter(a2.inter, a2.country, event_iso3) if a2 else None
        fatalities = c.fatalities or 0
        target_actor = _of_event_country(c.target.actor if c.target else None, event_iso3)
        target = target_actor.name if target_actor else None
        location = place.name if place else None
        admin1 = place.admin1 if place else None
        evidence = Evidence(article.id, sentence.text, sentence.start, sentence.end)
        event = Event(
            event_id=eid,
            article_id=article.id,
            event_date=date.event_date if date else None,
            time_precision=TimePrecision(date.precision) if date else None,
            date_basis=DateBasis(date.basis) if date else DateBasis.UNDATED,
            disorder_type=sub.disorder_type,
            event_type=sub.event_type,
            sub_event_type=sub.name,
            actor1=a1.name if a1 else None,
            assoc_actor_1="; ".join(m.actor.name for m in c.assoc_actor_1) or None,
            inter1=inter1,
            actor2=a2.name if a2 else None,
            assoc_actor_2="; ".join(m.actor.name for m in c.assoc_actor_2) or None,
            inter2=inter2,
            interaction=taxonomy.interaction_code(inter1, inter2),
            civilian_targeting="Civilian targeting" if inter2 == 7 else None,
            iso=iso,
            country=country,
            admin1=admin1,
            admin2=place.admin2 if place else None,
            admin3=place.admin3 if place else None,
            location=location,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            geo_precision=c.geo_precision,
            geonameid=place.geonameid if place else None,
            fatalities=fatalities,
            notes="",
            source=article.source,
            target=target,
            quantities=c.quantities,
            modality=c.modality,
            confidence=round(float(c.confidence), 4),
            plover={"type": sub.plover_type, "mode": sub.plover_mode},
            cameo=sub.cameo,
            evidence=evidence,
            field_evidence=_field_evidence(c, date),
            sources=(
                evidence,
                *(Evidence(article.id, s.text, s.start, s.end) for s in (state.sentences[i] for i in c.also)),
            ),
        )
        return dataclasses.replace(event, notes=note_of(event))  # the note is written from the event's fields


def _of_event_country(actor: Actor | None, iso3: str | None) -> Actor | None:
    """ACLED names a generic actor (protesters, rioters, civilians, an unidentified armed group) by the
    country the event happens in: civilians killed by Russian warplanes in Syria are Civilians (Syria)."""
    if actor is None or iso3 is None or actor.country == iso3:
        return actor
    from flashpoint.actors.kb import GENERIC_KINDS

    kind = next((k for k, (_, _, name) in GENERIC_KINDS.items() if name == actor.kind), None)
    if kind is None:
        return actor
    from flashpoint.actors import load_knowledge_base

    try:
        return load_knowledge_base().generic(kind, iso3)
    except FlashpointError:  # a country without that generic actor in the knowledge base
        return actor


def _field_evidence(c: EventCandidate, date: DateSpan | None) -> dict[str, tuple[int, int]]:
    """The article span behind each field the text gave: actors, place, date, fatalities."""
    out: dict[str, tuple[int, int]] = {}
    for key, mention in (("actor1", c.actor1), ("actor2", c.actor2), ("target", c.target), ("location", c.location)):
        if mention is not None:
            out[key] = (mention.start, mention.end)
    if date is not None and date.span is not None:
        out["date"] = date.span
    if c.fatalities_span is not None:
        out["fatalities"] = c.fatalities_span
    return out


class PlaceStage:
    """Every place mention of the article, found and resolved as the geo stage finds them: after the
    actor stage, so that an actor's name is no place here either ("moved into the Taliban": the group,
    not a Turkish village of that name). It locates no event, and keeps the mentions no place was
    found for (``place`` None). What ``flashpoint places`` prints."""

    name: ClassVar[str] = "places"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "mentions", "actor_mentions"})
    provides: ClassVar[frozenset[str]] = frozenset({"place_mentions"})

    def __init__(self, geoparser: Geoparser | None = None) -> None:
        if geoparser is None:
            from flashpoint.geo.geoparser import Geoparser

            geoparser = Geoparser()
        self.geoparser = geoparser

    def __call__(self, state: ArticleState) -> ArticleState:
        _, resolved = self.geoparser.resolve_detected(
            state.article.text, state.sentences, state.mentions, state.actor_mentions)
        return state.with_(self.name, place_mentions=tuple(r.mention for r in resolved))


def _reading_stages(events: EventStage) -> list[Stage]:
    """The stages before events: NLP, with entities wherever an event may be told (actors and places
    around it) and a parse only where ``events`` will code one; then actors."""
    from flashpoint.actors import ActorStage
    from flashpoint.events import may_hold_event
    from flashpoint.events.prefilter import EventParse
    from flashpoint.nlp import NlpStage
    from flashpoint.nlp.model import SpacyModel

    nlp = NlpStage(SpacyModel(ner_everywhere=False), parse_filter=EventParse(events), ner_filter=may_hold_event)
    return [nlp, ActorStage()]


def default_stages(*, model_path: Path | None = None) -> list[Stage]:
    """The stages of the default pipeline, each with its shipped data."""
    from flashpoint.events import EventStage
    from flashpoint.geo.stage import GeoStage
    from flashpoint.temporal import TemporalStage

    events = EventStage(model_path=model_path)
    return [*_reading_stages(events), events, GeoStage(), TemporalStage(), FinalizeStage()]


def place_stages(*, model_path: Path | None = None) -> list[Stage]:
    """The default pipeline's stages up to geo (the same NLP and actor stages, the sentence model
    choosing what is parsed), then :class:`PlaceStage`."""
    from flashpoint.events import EventStage

    return [*_reading_stages(EventStage(model_path=model_path)), PlaceStage()]


class Coder:
    """Codes articles into events with the default pipeline (or the stages you give it).

    >>> coder = Coder()  # doctest: +SKIP
    >>> events = coder.code("Rebels shelled Aleppo on Monday.", published="2018-05-08")  # doctest: +SKIP
    """

    def __init__(self, stages: list[Stage] | None = None, *, model_path: Path | None = None) -> None:
        self._stages = stages
        self._model_path = model_path
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        """The stages this coder runs, built (and their models loaded) on first use."""
        if self._pipeline is None:
            self._pipeline = Pipeline(self._stages or default_stages(model_path=self._model_path))
        return self._pipeline

    def code(
        self,
        text: str | Article,
        *,
        published: str | dt.date | None = None,
        article_id: str = "text",
        title: str | None = None,
    ) -> list[Event]:
        """Code one text (or Article) and return its events, every modality included."""
        article = text if isinstance(text, Article) else _article(text, published, article_id, title)
        return list(self.code_state(article).events)

    def code_state(self, article: Article) -> ArticleState:
        """Code one article and return its whole state (sentences, mentions, events).

        Raises :class:`~flashpoint.errors.InputError` for a text over the size limit or with invalid
        Unicode (see :func:`flashpoint.ingest.check_article`).
        """
        from flashpoint.ingest import check_article

        check_article(article)
        return self.pipeline(ArticleState(article))

    def pipe(self, articles: Iterable[Article]) -> Iterator[ArticleState]:
        """Code many articles; batch-capable stages see them together."""
        return self.pipeline.pipe(ArticleState(a) for a in articles)


def _article(text: str, published: str | dt.date | None, article_id: str, title: str | None) -> Article:
    from flashpoint.ingest import parse_published

    return Article(article_id, text, parse_published(published, article_id), title)
