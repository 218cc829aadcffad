"""The geo pipeline stage: place mentions for the article, and each event candidate's location.

An event happens where its sentence says it happens, not at every place the sentence names:
"5,000 militants ... will be evacuated to Idlib" happens where the militants are (Yarmouk Camp);
Idlib is a destination. The choice, per event candidate:

1. the place mentions of the event's sentence, minus demonyms and destinations/origins ("to Idlib",
   "from Turkey"); those after "in/at/near/of/outside" first, then the nearest to the trigger, a
   town before a region before a country;
2. when the sentence names none, the nearest earlier sentences (two back), then the article's most
   named town or region.

``geo_precision``: 1 a town; 2 near a town ("south of Idlib city", "Homs countryside") or a part of a
region; 3 a region or country.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from flashpoint.geo.gazetteer import Gazetteer
from flashpoint.geo.geoparser import Geoparser
from flashpoint.geo.resolve import Resolved
from flashpoint.pipeline import ArticleState
from flashpoint.records import EventCandidate, GeoPrecision, PlaceMention

_DESTINATION = re.compile(r"\b(?:to|towards|toward|into|for|from|via)[ \t]+(?:the[ \t]+)?$", re.I)
_IN = re.compile(r"\b(?:in|at|near|outside|inside|of|on|around|across|throughout|within)[ \t]+(?:the[ \t]+)?$",
                 re.I)


def precision(r: Resolved) -> GeoPrecision:
    place = r.mention.place
    if place is None:
        return GeoPrecision.REGION
    if place.feature_class in ("P", "S") and place.feature_code not in ("ADM1", "ADM2"):
        return GeoPrecision.NEAR if r.relative else GeoPrecision.TOWN
    if place.feature_code == "ADM2":
        return GeoPrecision.NEAR
    return GeoPrecision.REGION


def _kind_rank(r: Resolved) -> int:
    p = r.mention.place
    if p is None:
        return 9
    code = p.feature_code or ""
    if p.feature_class in ("P", "S"):
        return 0
    if code == "ADM2" or p.feature_class in ("T", "H", "L"):
        return 1
    if code == "ADM1":
        return 2
    return 3


class GeoStage:
    """Adds ``place_mentions`` and each candidate's ``location`` and ``geo_precision``."""

    name: ClassVar[str] = "geo"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "tokens", "mentions", "candidates"})
    provides: ClassVar[frozenset[str]] = frozenset({"place_mentions"})

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.geoparser = Geoparser(gazetteer)

    def __call__(self, state: ArticleState) -> ArticleState:
        text = state.article.text
        found, resolved = self.geoparser.resolve_detected(text, state.sentences, state.mentions)
        places = tuple(r.mention for r in resolved if r.mention.place is not None)
        usable = [r for d, r in zip(found, resolved, strict=True)
                  if r.mention.place is not None and d.source != "demonym"]
        candidates = tuple(self._locate(c, usable, text) for c in state.candidates)
        return state.with_(self.name, place_mentions=places, candidates=candidates)

    def _locate(self, cand: EventCandidate, usable: Sequence[Resolved], text: str) -> EventCandidate:
        pick = self._in_sentence(cand, usable, text)
        if pick is None:
            for back in (1, 2):
                pick = self._in_sentence(dataclasses.replace(cand, sentence=cand.sentence - back), usable, text,
                                         trigger=None)
                if pick is not None:
                    break
        if pick is None:
            pick = self._article_focus(usable)
        if pick is None:
            return cand
        return dataclasses.replace(cand, location=pick.mention, geo_precision=precision(pick))

    @staticmethod
    def _in_sentence(cand: EventCandidate, usable: Sequence[Resolved], text: str,
                     trigger: tuple[int, int] | bool | None = True) -> Resolved | None:
        here = [r for r in usable if r.mention.sentence == cand.sentence]
        if not here:
            return None
        anchor = cand.trigger[0] if trigger is True else None

        def key(r: Resolved) -> tuple[int, int, int, int]:
            before = text[max(0, r.mention.start - 25) : r.mention.start]
            dest = 1 if _DESTINATION.search(before) else 0
            loc = 0 if _IN.search(before) else 1
            dist = abs(r.mention.start - anchor) if anchor is not None else 0
            return (dest, _kind_rank(r) if loc else _kind_rank(r) - 1, loc, dist)

        return min(here, key=key)

    @staticmethod
    def _article_focus(usable: Sequence[Resolved]) -> Resolved | None:
        if not usable:
            return None
        counts = Counter((r.mention.place.name if r.mention.place else "") for r in usable)
        return min(usable, key=lambda r: (_kind_rank(r), -counts[r.mention.place.name if r.mention.place else ""],
                                          r.mention.start))


def located(mentions: Sequence[PlaceMention]) -> tuple[PlaceMention, ...]:
    """Only the mentions resolved to a place."""
    return tuple(m for m in mentions if m.place is not None)
