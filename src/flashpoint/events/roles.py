"""Who did what to whom: actor roles for an event from the parse and ACLED's conventions.

From the parse: the subject of the trigger's verb is actor1 (the agent of a passive verb), its
object or the object of "against/on/at/with/from" actor2. Without a parse or a match, the nearest
actor before the trigger is actor1 and the first one after it actor2. Then ACLED's conventions:
protests have actor1 "Protesters (<country>)" with the protested-against actor as ``target`` (and the
intervening force as actor2 when force is used); riots "Rioters (<country>)"; violence against
civilians actor2 "Civilians (<country>)"; a transfer of territory has the side that gains as actor1.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from flashpoint.records import Actor, ActorMention, Token

_PROTEST_TYPES = {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
_FORCE_TYPES = {"Protest with intervention", "Excessive force against protesters"}
_RIOT_TYPES = {"Violent demonstration", "Mob violence"}
_CIVILIAN_TYPES = {"Attack", "Abduction/forced disappearance", "Sexual violence"}
_TRANSFER_TYPES = {"Non-violent transfer of territory", "Government regains territory",
                   "Non-state actor overtakes territory"}
_LOSER_VERBS = {"surrender", "withdraw", "lose", "abandon", "retreat", "evacuate", "vacate", "cede", "hand",
                "pull", "flee", "relinquish"}
_PROTESTER_WORDS = re.compile(r"\b(protesters?|demonstrators?|marchers|strikers|activists|students|crowds?)\b",
                              re.IGNORECASE)
_RIOTER_WORDS = re.compile(r"\b(rioters?|mobs?|crowds?|youths|vigilantes?|protesters?|demonstrators?)\b",
                           re.IGNORECASE)
_CIVILIAN_WORDS = re.compile(r"\b(civilians?|villagers|residents|passengers|people|women|children|farmers|"
                             r"worshippers|journalists?|students|family|man|woman|boy|girl)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Roles:
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    target: ActorMention | None = None
    assoc_actor_1: tuple[ActorMention, ...] = ()


def country_name(iso3: str | None) -> str | None:
    if not iso3:
        return None
    from flashpoint.countries import by_iso3

    found = by_iso3(iso3)
    return found.name if found is not None else None


def article_country(mentions: Sequence[ActorMention]) -> str | None:
    """The ISO3 country most of the article's actors belong to (None when none has one)."""
    counts = Counter(m.actor.country for m in mentions if m.actor.country)
    return counts.most_common(1)[0][0] if counts else None


def assign(
    sub_event_type: str,
    sentence_text: str,
    sentence_start: int,
    sentence_index: int,
    tokens: Sequence[Token],
    mentions: Sequence[ActorMention],
    trigger: tuple[int, int],
    country: str | None,
) -> Roles:
    """actor1, actor2 and target of one event."""
    agent, patient = _from_parse(tokens, mentions, trigger)
    if agent is None and patient is None:
        agent, patient = _by_position(mentions, trigger)
    elif patient is None and agent is not None:
        # the parse found who acted but not on whom: the nearest other actor of the sentence
        others = [m for m in mentions if m.actor.name != agent.actor.name]
        patient = min(others, key=lambda m: abs(m.start - trigger[0]), default=None)
    if patient is not None and agent is not None and patient.actor.name == agent.actor.name:
        patient = None
    loser_verb = _governing_lemma(tokens, trigger) in _LOSER_VERBS
    if sub_event_type in _PROTEST_TYPES:
        protesters = _generic(sentence_text, sentence_start, sentence_index, trigger, _PROTESTER_WORDS,
                              "Protesters", "protesters", 6, country)
        others = [m for m in (agent, patient) if m is not None and m.actor.inter != 6]
        if sub_event_type in _FORCE_TYPES:
            force = others[0] if others else None
            target = others[1] if len(others) > 1 else None
            return Roles(protesters, force, target)
        return Roles(protesters, None, others[0] if others else None)
    if sub_event_type in _RIOT_TYPES:
        rioters = agent if agent is not None and agent.actor.inter == 5 else _generic(
            sentence_text, sentence_start, sentence_index, trigger, _RIOTER_WORDS, "Rioters", "rioters", 5, country)
        other = next((m for m in (agent, patient) if m is not None and m is not rioters), None)
        return Roles(rioters, other, None)
    if sub_event_type in _CIVILIAN_TYPES:
        if patient is None or patient.actor.inter != 7:
            civ = _generic(sentence_text, sentence_start, sentence_index, trigger, _CIVILIAN_WORDS,
                           "Civilians", "civilians", 7, country, after_trigger=True)
            if agent is None and patient is not None and patient.actor.inter != 7:
                agent = patient
            patient = civ
        return Roles(agent, patient, None)
    if sub_event_type in _TRANSFER_TYPES and loser_verb:
        return Roles(patient, agent, None)
    return Roles(agent, patient, None)


def _generic(text: str, start: int, index: int, trigger: tuple[int, int], words: re.Pattern[str],
             label: str, kind: str, inter: int, country: str | None, after_trigger: bool = False) -> ActorMention:
    name = country_name(country)
    actor = Actor(name=f"{label} ({name})" if name else label, kind=kind, inter=inter, country=country)
    found = list(words.finditer(text))
    rel = trigger[0] - start
    if after_trigger:
        found.sort(key=lambda m: (m.start() < rel, abs(m.start() - rel)))
    else:
        found.sort(key=lambda m: abs(m.start() - rel))
    if found:
        m = found[0]
        return ActorMention(start + m.start(), start + m.end(), m.group(), index, actor, 0.6, "role")
    return ActorMention(trigger[0], trigger[1], text[trigger[0] - start : trigger[1] - start], index, actor, 0.4,
                        "role")


def _by_position(mentions: Sequence[ActorMention], trigger: tuple[int, int]) -> tuple[
        ActorMention | None, ActorMention | None]:
    before = [m for m in mentions if m.end <= trigger[0]]
    after = [m for m in mentions if m.start >= trigger[1]]
    agent = before[-1] if before else None
    patient = next((m for m in after if agent is None or m.actor.name != agent.actor.name), None)
    if agent is None and len(after) > 1:
        agent, patient = after[0], next((m for m in after[1:] if m.actor.name != after[0].actor.name), None)
    return agent, patient


def _trigger_token(tokens: Sequence[Token], trigger: tuple[int, int]) -> Token | None:
    return next((t for t in tokens if t.start <= trigger[0] < t.end), None) or next(
        (t for t in tokens if t.start >= trigger[0]), None)


def _governing_lemma(tokens: Sequence[Token], trigger: tuple[int, int]) -> str | None:
    trig = _trigger_token(tokens, trigger)
    if trig is None or not trig.dep:
        return None
    by_i = {t.i: t for t in tokens}
    t = trig
    for _ in range(3):
        if t.pos in ("VERB",):
            return t.lemma
        if t.head == t.i:
            break
        t = by_i.get(t.head, t)
    return t.lemma


def _from_parse(tokens: Sequence[Token], mentions: Sequence[ActorMention], trigger: tuple[int, int]) -> tuple[
        ActorMention | None, ActorMention | None]:
    trig = _trigger_token(tokens, trigger)
    if trig is None or not trig.dep or not mentions:
        return None, None
    by_i = {t.i: t for t in tokens}
    children: dict[int, list[Token]] = {}
    for t in tokens:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t)
    verb = trig
    for _ in range(3):
        if verb.pos in ("VERB", "AUX") or verb.head == verb.i:
            break
        verb = by_i.get(verb.head, verb)
    # xcomp/conj verbs take their subject from the verb they hang on ("tried to capture")
    subject_verb = verb
    for _ in range(3):
        if any(c.dep in ("nsubj", "nsubjpass") for c in children.get(subject_verb.i, [])):
            break
        if subject_verb.dep in ("xcomp", "conj", "advcl", "ccomp") and subject_verb.head != subject_verb.i:
            subject_verb = by_i.get(subject_verb.head, subject_verb)
        else:
            break

    def span_of(tok: Token) -> tuple[int, int]:
        lo, hi = tok.start, tok.end
        stack = [tok]
        while stack:
            t = stack.pop()
            lo, hi = min(lo, t.start), max(hi, t.end)
            stack.extend(children.get(t.i, []))
        return lo, hi

    def mention_in(span: tuple[int, int], head: Token) -> ActorMention | None:
        inside = [m for m in mentions if m.start >= span[0] and m.end <= span[1]]
        if not inside:
            return None
        covering = [m for m in inside if m.start <= head.start < m.end]
        return covering[0] if covering else inside[0]

    agent = patient = None
    for c in children.get(subject_verb.i, []):
        if c.dep == "nsubj" and agent is None:
            agent = mention_in(span_of(c), c)
        elif c.dep == "nsubjpass" and patient is None:
            patient = mention_in(span_of(c), c)
    for c in children.get(verb.i, []):
        if c.dep == "agent":
            for p in children.get(c.i, []):
                agent = mention_in(span_of(p), p) or agent
        elif c.dep in ("dobj", "attr") and patient is None:
            patient = mention_in(span_of(c), c)
        elif c.dep == "prep" and c.lemma in ("against", "on", "at", "with", "from", "by") and patient is None:
            for p in children.get(c.i, []):
                if c.lemma == "by" and agent is None:
                    agent = mention_in(span_of(p), p)
                elif c.lemma != "by":
                    patient = mention_in(span_of(p), p) or patient
    if trig is not verb and patient is None:
        patient = mention_in(span_of(trig), trig) if trig.dep != "ROOT" else None
        if patient is not None and agent is not None and patient.start == agent.start:
            patient = None
    return agent, patient
