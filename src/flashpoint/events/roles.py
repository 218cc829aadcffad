"""ACLED's conventions for an event's roles, once actor1 and actor2 are chosen (by the argument model,
:mod:`flashpoint.events.arguments`): protests have actor1 "Protesters (<country>)", with the actor the
protest is against as ``target`` and the intervening force as actor2 when force is used; riots
"Rioters (<country>)"; violence against civilians actor2 "Civilians (<country>)"; a person in a role
stands for the group he leads (the knowledge base's ``leader_of``); a transfer of territory has the
side that gains as actor1.

The hand rules that chose actor1 and actor2 from the parse before the argument model (5-fold CV on the
corpus: 0.555 / 0.413, against the model's 0.657 / 0.489) are retired.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from flashpoint.actors.normalise import fold
from flashpoint.actors.roles import load_roles
from flashpoint.events import taxonomy
from flashpoint.nlp.parse import ParseTree, is_parsed
from flashpoint.records import Actor, ActorMention, Token, Via

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
_GENERIC_INTER = {6, 7}  # protesters, civilians: never the protested-against or the intervening force


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


def _as_group(mention: ActorMention | None, date: dt.date | None) -> ActorMention | None:
    """A person in an event role stands for the group he leads ("chanting against the HTS leader")."""
    if mention is None or mention.actor.kind != "person" or not mention.actor.relations:
        return mention
    from flashpoint.actors import load_knowledge_base

    led = load_knowledge_base().led_by(mention.actor, date)
    if not led:
        return mention
    return dataclasses.replace(mention, actor=led[0], via=Via.COREFERENCE)


def _as_forces(mention: ActorMention | None, date: dt.date | None) -> ActorMention | None:
    """A state's government fighting, shelling or attacking is its military: "the regime dropped barrel
    bombs" is Military Forces of Syria. ACLED names no "Government of" actor in battles, remote violence or
    violence against civilians (none of 4,384 state actors there in the 26.8k ACLED notes of
    ``../shared/train``; 89 of 551 in strategic developments)."""
    country = mention.actor.country if mention is not None else None
    if mention is None or country is None or mention.actor.kind.removeprefix("external ") != "state government":
        return mention
    from flashpoint.actors import load_knowledge_base

    forces = load_knowledge_base().institution("military", country, date)
    return dataclasses.replace(mention, actor=forces) if forces is not None else mention


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
        return ActorMention(start + m.start(), start + m.end(), m.group(), index, actor, 0.6, Via.ROLE)
    return ActorMention(trigger[0], trigger[1], text[trigger[0] - start : trigger[1] - start], index, actor, 0.4,
                        Via.ROLE)


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


def _protested(parse: ParseTree, mentions: Sequence[ActorMention]) -> ActorMention | None:
    """The actor a protest is against ("demonstrations against HTS", "chanting against the leader")."""
    for tok in parse.tokens:
        if tok.lemma == "against" and tok.dep == "prep":
            for p in parse.kids(tok):
                if p.dep != "pobj":
                    continue
                found = [m for m in mentions if m.actor.inter not in _GENERIC_INTER
                         and any(t.start <= m.start < t.end for t in parse.subtree(p))]
                if found:
                    covering = [m for m in found if m.start <= p.start < m.end]
                    people = [m for m in found if m.actor.kind == "person"]
                    return (covering or people or found)[0]
    return None


def conventions(sub_event_type: str, sentence_text: str, sentence_start: int, sentence_index: int,
                tokens: Sequence[Token], mentions: Sequence[ActorMention], trigger: tuple[int, int],
                country: str | None, agent: ActorMention | None, patient: ActorMention | None,
                date: dt.date | None = None) -> Roles:
    """ACLED's definitional conventions over a chosen agent and patient: protesters, rioters, civilians,
    leaders standing for their groups, the gaining side of a transfer, the user of a weapon."""
    if patient is not None and agent is not None and patient.actor.name == agent.actor.name:
        patient = None
    event_type = taxonomy.event_type_of(sub_event_type)
    if agent is None and patient is not None and event_type == "Explosions/Remote violence" and (
            _named_by_weapon(patient)):
        agent, patient = patient, None  # "Saudi missiles were fired at ...": the tool's user fires it
    agent, patient = _as_group(agent, date), _as_group(patient, date)
    if taxonomy.incident(event_type) == "violence":
        agent, patient = _as_forces(agent, date), _as_forces(patient, date)
    where = (sentence_text, sentence_start, sentence_index, trigger)
    if sub_event_type in _PROTEST_TYPES:
        parse = ParseTree(tokens) if is_parsed(tokens) else None
        opposed = _as_group(_protested(parse, mentions), date) if parse is not None else None
        return _protest(sub_event_type, where, country, agent, patient, opposed)
    if sub_event_type in _RIOT_TYPES:
        rioters = agent if agent is not None and agent.actor.inter == 5 else _generic(
            *where, _RIOTER_WORDS, "Rioters", "rioters", 5, country)
        other = next((m for m in (agent, patient) if m is not None and m is not rioters), None)
        return Roles(rioters, other, None)
    if sub_event_type in _CIVILIAN_TYPES:
        if patient is None or patient.actor.inter != 7:
            civ = _generic(*where, _CIVILIAN_WORDS, "Civilians", "civilians", 7, country,
                                 after_trigger=True)
            if agent is None and patient is not None and patient.actor.inter != 7:
                agent = patient
            patient = civ
        return Roles(agent, patient, None)
    if sub_event_type in _TRANSFER_TYPES and _governing_lemma(tokens, trigger) in _LOSER_VERBS:
        return Roles(patient, agent, None)
    return Roles(agent, patient, None)


def _named_by_weapon(mention: ActorMention) -> bool:
    """The mention names its actor by a weapon ("Saudi missiles", "regime barrel bombs")."""
    words = fold(mention.text).split()
    weapons = load_roles().weapons
    return any(" ".join(words[-n:]) in weapons for n in (1, 2) if len(words) >= n)


def _protest(sub_event_type: str, where: tuple[str, int, int, tuple[int, int]], country: str | None,
             agent: ActorMention | None, patient: ActorMention | None, opposed: ActorMention | None) -> Roles:
    """Protesters as actor1; the force that intervenes as actor2; whom the protest is against as target."""
    protesters = _generic(*where, _PROTESTER_WORDS, "Protesters", "protesters", 6, country)
    others = [m for m in (agent, patient) if m is not None and m.actor.inter not in _GENERIC_INTER]
    if sub_event_type in _FORCE_TYPES:
        force = next((m for m in others if opposed is None or m.actor.name != opposed.actor.name), None)
        if force is None and opposed is not None:
            force, opposed = opposed, None
        target = opposed or next((m for m in others if force is None or m.actor.name != force.actor.name), None)
        return Roles(protesters, force, target)
    return Roles(protesters, None, opposed or (others[0] if others else None))
