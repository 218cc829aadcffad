"""Claims of territorial control: typed records read from events and from sentences.

A :class:`ControlClaim` says that an actor ``holds``, ``gains`` or ``loses`` a place on a date, with
the evidence behind it. Claims come from

- asserted events placed at a town or near one (:func:`claims_from_events`; attempted, threatened
  or hypothetical ones change nobody's control, and a region or country changes hands place by
  place): Government regains territory and Non-state actor overtakes
  territory (the gaining side gains, the other loses), Non-violent transfer of territory (the same),
  Agreement whose evidence speaks of surrender, evacuation or withdrawal (the non-state side loses;
  who takes over is not said), Headquarters or base established (the actor holds the place);
- statements in the text (:func:`control_statements`): "the town controlled by X", "held by X",
  "under the control of X", "X-held Y", "X controls Y", "areas that X controls", and losses: "X lost
  its territory in Y", "X was forced to surrender its positions in Y", "X withdrew from Y".

ACLED puts the side that gains a place in actor1 of a transfer event, but coders (and flashpoint's
own extractor) may put the subject of the sentence there: where the evidence names one actor as the
subject of a loss ("HTS was forced to surrender ..."), that actor is the loser whatever its slot.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from flashpoint.dedup import actor_key
from flashpoint.pipeline import ArticleState
from flashpoint.records import (
    ActorMention,
    ClaimKind,
    DateSpan,
    Event,
    Evidence,
    GeoPrecision,
    Modality,
    PlaceMention,
    Sentence,
)
from flashpoint.temporal import find_dates, publication_span, quote_regions, unquoted

HOLDS, GAINS, LOSES = ClaimKind.HOLDS, ClaimKind.GAINS, ClaimKind.LOSES


@dataclass(frozen=True, slots=True)
class ControlClaim:
    """``actor`` holds/gains/loses ``place`` on ``date`` (``scope`` "part": only some areas of it)."""

    place: str
    actor: str
    kind: ClaimKind
    date: DateSpan
    confidence: float
    evidence: Evidence | None = None
    event_id: str | None = None
    geonameid: int | None = None
    admin1: str | None = None
    scope: str = "place"  # place | part
    source: str = "event"  # event | statement


_GAIN_SUBS = {"government regains territory", "non-state actor overtakes territory",
              "non-violent transfer of territory"}
CONTROL_SUB_EVENT_TYPES = frozenset({*_GAIN_SUBS, "agreement", "headquarters or base established"})
"""The sub-event types (casefolded) :func:`claims_from_events` reads; other events claim nothing."""
_LOSS_CUE = re.compile(
    r"\b(?:surrender(?:s|ed|ing)?|withdr(?:ew|awn|aw|awing|aws)|lost|los(?:e|es|ing)|abandon(?:ed|s)?|"
    r"hand(?:ed|s)?\s+over|evacuat(?:e|ed|ion|ing)|retreat(?:ed|s)?|pull(?:ed|s)?\s+out|ced(?:ed|es)|"
    r"expelled|driven\s+out|forced\s+out|ousted|fled)\b",
    re.IGNORECASE,
)
_DEAL_CUE = re.compile(r"\b(?:surrender|evacuat|withdraw|withdrew|hand(?:ed)?[\s-]+over|handover|leave)\w*",
                       re.IGNORECASE)


def actor_forms(name: str) -> tuple[str, ...]:
    """Ways a canonical actor name appears in text: itself without "(2000-)", and its initials."""
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    words = [w for w in re.split(r"[\s-]+", bare) if w[:1].isupper()]
    forms = [bare]
    if len(words) >= 2:
        forms.append("".join(w[0] for w in words))
    return tuple(forms)


def _position(text: str, name: str) -> int | None:
    found = []
    for form in actor_forms(name):
        flags = 0 if form.isupper() else re.IGNORECASE
        m = re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text, flags)
        if m:
            found.append(m.start())
    return min(found) if found else None


def loser_in_text(text: str, names: Iterable[str | None]) -> str | None:
    """The actor named as the subject of a loss in ``text`` (its name before a loss verb), if any."""
    best: tuple[int, str] | None = None
    for name in names:
        if not name:
            continue
        pos = _position(text, name)
        if pos is None:
            continue
        cue = _LOSS_CUE.search(text, pos)
        if cue is None or cue.start() - pos > 100 or "." in text[pos : cue.start()]:
            continue
        if best is None or cue.start() - pos < best[0]:
            best = (cue.start() - pos, name)
    return best[1] if best else None


def _event_span(e: Event) -> DateSpan:
    from flashpoint.dedup import date_window

    window = date_window(e)
    assert window is not None and e.time_precision is not None  # claims_from_events takes dated events
    return DateSpan(window[0], window[1], e.time_precision, e.date_basis)


def _claim(e: Event, actor: str, kind: ClaimKind, confidence: float) -> ControlClaim:
    assert e.location is not None
    return ControlClaim(
        place=e.location, actor=actor, kind=kind, date=_event_span(e), confidence=round(confidence, 4),
        evidence=e.evidence, event_id=e.event_id, geonameid=e.geonameid, admin1=e.admin1,
    )


def claims_from_events(events: Iterable[Event]) -> list[ControlClaim]:
    """Control claims from events that change or assert control (see the module docstring)."""
    out: list[ControlClaim] = []
    for e in events:
        if not e.location or e.modality != Modality.ASSERTED:
            continue  # an attempted capture or a threatened one changes nobody's control
        if e.event_date is None:
            continue  # undated: it says nothing of when control changed
        if e.geo_precision not in {GeoPrecision.TOWN, GeoPrecision.NEAR} or not e.admin1:
            continue  # a region or a country changes hands place by place, not in one event
        sub = e.sub_event_type.casefold()
        text = e.evidence.text if e.evidence else e.notes
        if sub in _GAIN_SUBS:
            gainer, loser = _sides(e, sub, text)
            if gainer:
                out.append(_claim(e, gainer, GAINS, e.confidence))
            if loser:
                out.append(_claim(e, loser, LOSES, e.confidence))
        elif sub == "agreement" and _DEAL_CUE.search(text or ""):
            loser = loser_in_text(text, (e.actor1, e.actor2))
            if loser is None and e.inter1 in {2, 3, 4} and e.inter2 in {1, 8}:
                loser = e.actor1
            elif loser is None and e.inter2 in {2, 3, 4} and e.inter1 in {1, 8}:
                loser = e.actor2
            if loser:
                out.append(_claim(e, loser, LOSES, 0.6 * e.confidence))
        elif sub == "headquarters or base established" and e.actor1:
            out.append(_claim(e, e.actor1, HOLDS, 0.6 * e.confidence))
    return out


def _sides(e: Event, sub: str, text: str) -> tuple[str | None, str | None]:
    """(gainer, loser) of a territorial event."""
    loser = loser_in_text(text, (e.actor1, e.actor2))
    if loser is not None:
        return (e.actor2 if loser == e.actor1 else e.actor1), loser
    if sub == "government regains territory" and e.inter2 == 1 and e.inter1 != 1:
        return e.actor2, e.actor1
    return e.actor1, e.actor2


# ----------------------------------------------------------------------------------------------
# statements of control in text

_HOLD_BY = re.compile(
    r"\b(?:controlled|held|run|occupied|governed|ruled|dominated)\s+by\b"
    r"|\bunder\s+(?:the\s+)?(?:full\s+|effective\s+)?(?:control|rule|grip|sway|command)\s+of\b"
    r"|\bin\s+the\s+hands\s+of\b",
    re.IGNORECASE,
)
_HOLD_VERB = re.compile(r"(?<!the\s)(?<!of\s)(?<!in\s)\b(?:controls|control|holds|hold|runs)\b(?!\s+by)",
                        re.IGNORECASE)
_HELD_ADJ = re.compile(r"-(?:held|controlled|run|dominated)\b", re.IGNORECASE)
_LOSS = re.compile(
    r"\b(?:lost|lose|loses|losing)\s+(?:control\s+of|(?:its|their|the)\s+(?:territory|positions?|grip|hold|"
    r"foothold|stronghold)s?\s+(?:in|on|over|of))"
    r"|\bsurrender(?:ed|s)?\s+(?:its|their)\s+positions\s+in"
    r"|\b(?:withdr[ae]w|withdrawn|retreated|pulled\s+out)\s+from"
    r"|\b(?:driven|forced|pushed|expelled|ousted)\s+(?:out\s+)?(?:of|from)",
    re.IGNORECASE,
)
_PAST_OR_NOT = re.compile(r"\b(?:formerly|previously|once|used\s+to|not|never|no\s+longer|n't|tried|attempt\w*|"
                          r"failed|sought|could|would|might|may|will|after|if|unless|until|before|when)\b"
                          r"[^.,;]{0,30}$", re.IGNORECASE)
_RELATIONAL = re.compile(r"\b(?:(?:north|south|east|west)(?:ern)?(?:-?(?:east|west)(?:ern)?)?\s+of|near|outside|"
                         r"from|to|toward|towards|beyond|around|(?:town|city|village|camp|area|district|region)s?"
                         r"\s+in)\s+(?:the\s+)?$", re.IGNORECASE)
_PART = re.compile(r"\b(?:areas?|parts?|towns|villages|territor(?:y|ies)|neighbourhoods?|neighborhoods?|districts|"
                   r"swathes?|pockets?|some|most|much|half|suburbs|outskirts|countryside)\b", re.IGNORECASE)


def _in(sentence: Sentence, start: int) -> bool:
    return sentence.start <= start < sentence.end


def control_statements(state: ArticleState) -> list[ControlClaim]:
    """Statements of control (holds) and of its loss (loses) in an article's sentences.

    Dates: the sentence's own date if it gives one, else the publication span (a statement in the
    present tense describes the situation when the article was written). Statements preceded by
    "formerly", "no longer", "tried to" and the like are skipped. Articles without a publication
    date yield claims only from sentences that carry their own date.
    """
    text = state.article.text
    published = state.article.published
    quotes = quote_regions(text)
    out: list[ControlClaim] = []
    for sentence in state.sentences:
        actors = sorted((a for a in state.actor_mentions if _in(sentence, a.start)), key=lambda a: a.start)
        places = sorted((p for p in state.place_mentions if _in(sentence, p.start)), key=lambda p: p.start)
        if not actors or not places:
            continue
        if published is None:
            continue
        found = list(_statements(text, sentence, actors, places))
        if not found:
            continue  # most sentences state no control: find their dates only when one does
        date = _sentence_date(sentence, published, quotes)
        if date is None:
            continue
        evidence = Evidence(state.article.id, sentence.text, sentence.start, sentence.end)
        for kind, actor, place, scope, conf in found:
            name = place.place.name if place.place else place.text
            out.append(ControlClaim(
                place=name, actor=actor.actor.name, kind=kind, date=date,
                confidence=round(conf * actor.confidence * (place.confidence or 0.8), 4), evidence=evidence,
                geonameid=place.place.geonameid if place.place else None,
                admin1=place.place.admin1 if place.place else None, scope=scope, source="statement",
            ))
    return _unique(out)


def _sentence_date(sentence: Sentence, published: dt.date | None,
                   quotes: tuple[tuple[int, int], ...]) -> DateSpan | None:
    if published is None:
        return None
    usable = [m.date for m in unquoted(find_dates(sentence.text, published, offset=sentence.start), quotes)
              if m.date is not None]
    return usable[0] if usable else publication_span(published)


def _skip(text: str, sentence: Sentence, cue_start: int) -> bool:
    return bool(_PAST_OR_NOT.search(text[sentence.start : cue_start]))


_Found = tuple[ClaimKind, ActorMention, PlaceMention, str, float]
_M = TypeVar("_M", ActorMention, PlaceMention)


_PLACE_NOUN = re.compile(
    r"\b(?:towns?|city|cities|villages?|camps?|areas?|districts?|provinces?|governorates?|regions?|"
    r"neighbou?rhoods?|suburbs?|territor(?:y|ies)|strongholds?|enclaves?|pockets?|bases?|airports?|"
    r"airbases?|border\s+crossings?|crossings?|countryside|parts?|zones?|quarters?)[\s,“”\"']*$",
    re.IGNORECASE,
)
_HOLD_GAP = re.compile(r"\s*(?:,[^,]{0,40},\s*)?(?:still\s+|now\s+|also\s+|largely\s+|effectively\s+|"
                       r"firmly\s+|already\s+)?")
_COPULA = re.compile(r"\b(?:is|are|remains?)\s+(?:now\s+|still\s+|largely\s+|firmly\s+)?$", re.IGNORECASE)
_ENDED = re.compile(r"^[^.;]{0,40}\buntil\b", re.IGNORECASE)
_COUNTRY_CODES = ("PCL", "CONT", "RGN", "OCN", "AREA")


def _placeable(place: PlaceMention) -> bool:
    """A place control can be claimed of: resolved, and not a country, continent or vague region."""
    if place.place is None:
        return False
    code = place.place.feature_code or ""
    return not code.startswith(_COUNTRY_CODES)


def _holder(actor: ActorMention) -> bool:
    """An actor that can hold territory: not protesters (6) or civilians (7)."""
    return actor.actor.inter not in {6, 7}


def _statements(text: str, sentence: Sentence, actors: list[ActorMention],
                places: list[PlaceMention]) -> Iterator[_Found]:
    body = text[sentence.start : sentence.end]
    base = sentence.start
    actors = [a for a in actors if _holder(a)]
    places = [p for p in places if _placeable(p)]
    for m in _HOLD_BY.finditer(body):
        cue_s, cue_e = base + m.start(), base + m.end()
        if _skip(text, sentence, cue_s) or _ENDED.match(text, cue_e, sentence.end):
            continue
        before = text[sentence.start : cue_s]
        # what is held must be a place: a place name or a place noun right before the cue
        if not (_PLACE_NOUN.search(before) or _COPULA.search(before) or any(0 <= cue_s - p.end <= 3 for p in places)):
            continue
        actor = _first_after(actors, cue_e, 70)
        place = _head_place_before(text, places, cue_s)
        if actor and place:
            around = text[max(sentence.start, place.start - 25) : place.start] + text[place.end : cue_s]
            scope = "part" if _PART.search(around) else "place"
            yield HOLDS, actor, place, scope, 0.9
    for m in _HOLD_VERB.finditer(body):
        cue_s, cue_e = base + m.start(), base + m.end()
        actor = _last_before(actors, cue_s, 60)
        if actor is None or _skip(text, sentence, cue_s) or _ENDED.match(text, cue_e, sentence.end):
            continue
        if not _HOLD_GAP.fullmatch(text, actor.end, cue_s):
            continue  # the verb's subject is not this actor ("the YPG militia that controls it")
        if re.search(r"\bunder\s+(?:the\s+)?$", text[sentence.start : actor.start], re.IGNORECASE):
            continue  # "under Isis control": a noun phrase, read by _HOLD_BY's forms
        place = _first_after(places, cue_e, 30)
        if place is None:
            continue
        before = text[max(sentence.start, actor.start - 40) : actor.start]
        between = text[cue_e : place.start]
        scope = "part" if _PART.search(before) or _PART.search(between) else "place"
        yield HOLDS, actor, place, scope, 0.8
    for m in _HELD_ADJ.finditer(body):
        cue_s, cue_e = base + m.start(), base + m.end()
        actor = next((a for a in actors if a.end == cue_s), None)
        place = _first_after(places, cue_e, 25)
        if actor and place:
            yield HOLDS, actor, place, "place", 0.8
    for m in _LOSS.finditer(body):
        cue_s, cue_e = base + m.start(), base + m.end()
        actor = _last_before(actors, cue_s, 80)
        place = _first_after(places, cue_e, 30)
        if actor and place and not _skip(text, sentence, cue_s):
            yield LOSES, actor, place, "place", 0.8


def _first_after(mentions: Sequence[_M], pos: int, within: int) -> _M | None:
    after = [m for m in mentions if pos <= m.start <= pos + within]
    known = [m for m in after if getattr(getattr(m, "actor", None), "known", True)]
    chosen = known or after
    return chosen[0] if chosen else None


def _last_before(mentions: Sequence[_M], pos: int, within: int) -> _M | None:
    before = [m for m in mentions if m.end <= pos and pos - m.end <= within]
    return before[-1] if before else None


def _head_place_before(text: str, places: list[PlaceMention], pos: int) -> PlaceMention | None:
    """The place a "controlled by" phrase describes: the nearest before it, skipping places that
    only locate it ("a town south of Idlib city controlled by ...": the town, not Idlib)."""
    for place in reversed([p for p in places if p.end <= pos and pos - p.end <= 80]):
        if re.search(r"[.;]", text[place.end : pos]) or text[place.end : pos].count(",") > 1:
            return None
        if _RELATIONAL.search(text[max(0, place.start - 30) : place.start]):
            continue
        return place
    return None


def _unique(claims: list[ControlClaim]) -> list[ControlClaim]:
    seen: dict[tuple[object, ...], ControlClaim] = {}
    for c in claims:
        key = (c.place.casefold(), actor_key(c.actor), c.kind, c.evidence.start if c.evidence else None)
        if key not in seen or seen[key].confidence < c.confidence:
            seen[key] = c
    return list(seen.values())
