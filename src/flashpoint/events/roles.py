"""Who did what to whom: actor roles for an event from the parse and ACLED's conventions.

From the parse: the subject of the trigger's verb is actor1 (the agent of a passive verb; the noun a
relative clause hangs on for "HTS, who tried to capture ..."), its object or the object of
"against/on/at/with/from" actor2. Actors named only inside a modifier clause of another phrase ("the
alliance once linked to al-Qaeda", "a town held by the military council") take no part unless the
trigger sits in that clause. A pronoun subject ("it", "they", "its fighters") is the armed actor last
named before it, in the sentence or the one before. A definite place as object ("seize the town") with
no actor named is held by the other armed actor just named. A person in a role is replaced by the
group he leads (the knowledge base's ``leader_of``). Without a parse or a match, the nearest actor
before the trigger is actor1 and the first one after it actor2. Then ACLED's conventions: protests
have actor1 "Protesters (<country>)" with the protested-against actor as ``target`` (and the
intervening force as actor2 when force is used); riots "Rioters (<country>)"; violence against
civilians actor2 "Civilians (<country>)"; a transfer of territory has the side that gains as actor1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from flashpoint.nlp.parse import ParseTree, is_parsed
from flashpoint.records import Actor, ActorMention, Token, Via

_PROTEST_TYPES = {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
_FORCE_TYPES = {"Protest with intervention", "Excessive force against protesters"}
_RIOT_TYPES = {"Violent demonstration", "Mob violence"}
_CIVILIAN_TYPES = {"Attack", "Abduction/forced disappearance", "Sexual violence"}
_TRANSFER_TYPES = {"Non-violent transfer of territory", "Government regains territory",
                   "Non-state actor overtakes territory"}
_FIGHTING_TYPES = _TRANSFER_TYPES | {"Armed clash", "Other"}
_LOSER_VERBS = {"surrender", "withdraw", "lose", "abandon", "retreat", "evacuate", "vacate", "cede", "hand",
                "pull", "flee", "relinquish"}
_PROTESTER_WORDS = re.compile(r"\b(protesters?|demonstrators?|marchers|strikers|activists|students|crowds?)\b",
                              re.IGNORECASE)
_RIOTER_WORDS = re.compile(r"\b(rioters?|mobs?|crowds?|youths|vigilantes?|protesters?|demonstrators?)\b",
                           re.IGNORECASE)
_CIVILIAN_WORDS = re.compile(r"\b(civilians?|villagers|residents|passengers|people|women|children|farmers|"
                             r"worshippers|journalists?|students|family|man|woman|boy|girl)\b", re.IGNORECASE)
_PRONOUNS = {"it", "they", "its", "their"}
_RELATIVE = {"who", "which", "that", "whom"}
_MODIFIER_CLAUSES = {"acl", "relcl"}
_ARMED_INTER = {1, 2, 3, 4, 8}
_PLACE_NOUNS = {"town", "city", "village", "area", "camp", "base", "district", "neighbourhood", "neighborhood",
                "region", "province", "airport", "airbase", "hill", "positions", "position", "stronghold",
                "enclave", "pocket", "suburb", "outpost", "checkpoint", "crossing", "it"}
_NON_STATE_NOUNS = {"fighter", "militant", "jihadist", "insurgent", "gunman", "militiaman"}
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


def assign(
    sub_event_type: str,
    sentence_text: str,
    sentence_start: int,
    sentence_index: int,
    tokens: Sequence[Token],
    mentions: Sequence[ActorMention],
    trigger: tuple[int, int],
    country: str | None,
    context: Sequence[ActorMention] = (),
    date: dt.date | None = None,
) -> Roles:
    """actor1, actor2 and target of one event.

    ``context`` holds the actor mentions of the previous sentence (antecedents of pronouns and of
    definite places); ``date`` is the date relations such as ``leader_of`` are read on.
    """
    parse = _Parse(tokens) if is_parsed(tokens) else None
    agent = patient = None
    if parse is not None:
        agent, patient = _from_parse(parse, mentions, trigger, context, sentence_index,
                                     sub_event_type in _FIGHTING_TYPES)
    if agent is None and patient is None:
        agent, patient = _by_position(mentions, trigger)
    elif patient is None and agent is not None:
        # the parse found who acted but not on whom: the nearest other actor of the sentence that
        # takes part in the event (not one named inside the agent's phrase or another modifier clause)
        others = [m for m in mentions if m.actor.name != agent.actor.name
                  and not (parse is not None and parse.off_clause(m, trigger, agent))]
        patient = min(others, key=lambda m: abs(m.start - trigger[0]), default=None)
    if patient is not None and agent is not None and patient.actor.name == agent.actor.name:
        patient = None
    agent, patient = _as_group(agent, date), _as_group(patient, date)
    loser_verb = _governing_lemma(tokens, trigger) in _LOSER_VERBS
    if sub_event_type in _PROTEST_TYPES:
        protesters = _generic(sentence_text, sentence_start, sentence_index, trigger, _PROTESTER_WORDS,
                              "Protesters", "protesters", 6, country)
        others = [m for m in (agent, patient) if m is not None and m.actor.inter not in _GENERIC_INTER]
        opposed = _as_group(_protested(parse, mentions), date) if parse is not None else None
        if sub_event_type in _FORCE_TYPES:
            force = next((m for m in others if opposed is None or m.actor.name != opposed.actor.name), None)
            if force is None and opposed is not None:
                force, opposed = opposed, None
            target = opposed or next((m for m in others if force is None or m.actor.name != force.actor.name), None)
            return Roles(protesters, force, target)
        return Roles(protesters, None, opposed or (others[0] if others else None))
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


def _as_group(mention: ActorMention | None, date: dt.date | None) -> ActorMention | None:
    """A person in an event role stands for the group he leads ("chanting against the HTS leader")."""
    if mention is None or mention.actor.kind != "person" or not mention.actor.relations:
        return mention
    from flashpoint.actors import load_knowledge_base

    led = load_knowledge_base().led_by(mention.actor, date)
    if not led:
        return mention
    return dataclasses.replace(mention, actor=led[0], via=Via.COREFERENCE)


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


class _Parse(ParseTree):
    """One sentence's parse, with the walks role assignment needs."""

    def mention_in(self, mentions: Sequence[ActorMention], tok: Token,
                   skip: frozenset[str] | set[str] = frozenset()) -> ActorMention | None:
        """The actor mention in ``tok``'s phrase (the one covering ``tok`` first)."""
        spans = [(t.start, t.end) for t in self.subtree(tok, skip)]
        inside = [m for m in mentions if any(a <= m.start < b for a, b in spans)]
        if not inside:
            return None
        covering = [m for m in inside if m.start <= tok.start < m.end]
        return covering[0] if covering else inside[0]

    def off_clause(self, mention: ActorMention, trigger: tuple[int, int], agent: ActorMention | None) -> bool:
        """The mention is named inside a modifier clause that does not hold the trigger, or inside
        the agent's own phrase ("HTS, the alliance once linked to al-Qaeda, handed over ...")."""
        tok, trig = self.token_at(mention.start), self.token_at(trigger[0])
        if tok is None or trig is None:
            return False
        t: Token | None = tok
        for _ in range(20):
            if t is None:
                break
            if t.dep in _MODIFIER_CLAUSES and self.head(t) is not trig and trig not in self.subtree(t):
                return True
            t = self.head(t)
        if agent is not None:
            a = self.token_at(agent.start)
            while a is not None and a.dep not in ("nsubj", "nsubjpass") and self.head(a) is not None:
                a = self.head(a)
            if a is not None and a.dep in ("nsubj", "nsubjpass") and tok in self.subtree(a) and (
                    trig not in self.subtree(a)):
                return True
        return False


def _pronoun_antecedent(parse: _Parse, subject: Token, mentions: Sequence[ActorMention],
                        context: Sequence[ActorMention], index: int) -> ActorMention | None:
    """"it", "they", "its fighters", "5,000 fighters": the armed actor named just before.

    The last one named earlier in the sentence, else the one the previous sentence names most
    (the last of those on a tie). Bare fighters and militants stand for a non-state group only.
    """
    pron = subject if subject.text.lower() in _PRONOUNS else next(
        (c for c in parse.kids(subject) if c.dep == "poss" and c.text.lower() in _PRONOUNS), None)
    inter = _ARMED_INTER
    if pron is None:
        if subject.lemma not in _NON_STATE_NOUNS or any(
                c.dep in ("poss", "amod", "compound") for c in parse.kids(subject)):
            return None
        pron, inter = subject, {2, 3}
    earlier = [m for m in mentions if m.end <= pron.start and m.actor.inter in inter]
    if earlier:
        actor = earlier[-1].actor
    else:
        armed = [m for m in context if m.actor.inter in inter]
        if not armed:
            return None
        counts = Counter(m.actor.name for m in armed)
        actor = max(reversed(armed), key=lambda m: counts[m.actor.name]).actor
    end = max(pron.end, subject.end)
    words = [t.text for t in parse.tokens if pron.start <= t.start < end]
    return ActorMention(pron.start, end, " ".join(words), index, actor, 0.6, Via.COREFERENCE)


def _held_place(parse: _Parse, verb: Token, mentions: Sequence[ActorMention], context: Sequence[ActorMention],
                agent: ActorMention, trigger: tuple[int, int]) -> ActorMention | None:
    """"seize the town" with no actor named: the other armed actor just named holds it."""
    objects = [c for c in parse.kids(verb) if c.dep == "dobj"]
    definite = [o for o in objects if o.text.lower() == "it" or (
        o.lemma in _PLACE_NOUNS and any(c.dep == "det" and c.text.lower() == "the" for c in parse.kids(o)))]
    if not definite:
        return None
    here = [m for m in mentions if m.end <= trigger[0]]
    for pool in (here, list(context)):
        armed = [m for m in pool if m.actor.inter in _ARMED_INTER and m.actor.name != agent.actor.name
                 and m.actor.known]
        if armed:
            return armed[-1]
    return None


def _protested(parse: _Parse, mentions: Sequence[ActorMention]) -> ActorMention | None:
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


def _from_parse(parse: _Parse, mentions: Sequence[ActorMention], trigger: tuple[int, int],
                context: Sequence[ActorMention], index: int, fighting: bool) -> tuple[
        ActorMention | None, ActorMention | None]:
    trig = _trigger_token(parse.tokens, trigger)
    if trig is None:
        return None, None
    by_i = parse.by_i
    verb = trig
    for _ in range(3):
        if verb.pos in ("VERB", "AUX") or verb.head == verb.i:
            break
        verb = by_i.get(verb.head, verb)
    # xcomp/conj verbs take their subject from the verb they hang on ("tried to capture")
    # and an xcomp verb's subject is the object of the verb it complements ("prompted the militants to fire")
    agent = patient = None
    core = _MODIFIER_CLAUSES
    subject_verb = verb
    for _ in range(3):
        if any(c.dep in ("nsubj", "nsubjpass") for c in parse.kids(subject_verb)):
            break
        if subject_verb.dep in ("xcomp", "conj", "advcl", "ccomp") and subject_verb.head != subject_verb.i:
            controller = subject_verb.dep == "xcomp"
            subject_verb = by_i.get(subject_verb.head, subject_verb)
            obj = next((c for c in parse.kids(subject_verb) if c.dep == "dobj"), None) if controller else None
            if obj is not None:
                agent = parse.mention_in(mentions, obj, core)
                if agent is not None:
                    break
        else:
            break
    controlled = agent is not None
    for c in parse.kids(subject_verb):
        if c.dep == "nsubj" and agent is None:
            agent = parse.mention_in(mentions, c, core)
            if agent is None and c.text.lower() in _RELATIVE and subject_verb.dep == "relcl":
                noun = parse.head(subject_verb)  # "HTS, who have tried to capture the town"
                agent = parse.mention_in(mentions, noun, core | {"appos"}) if noun is not None else None
            if agent is None:
                agent = _pronoun_antecedent(parse, c, mentions, context, index)
        elif c.dep == "nsubjpass" and patient is None and not controlled:
            patient = parse.mention_in(mentions, c, core)
    for c in parse.kids(verb):
        if c.dep == "agent":
            for p in parse.kids(c):
                agent = parse.mention_in(mentions, p, core) or agent
        elif c.dep in ("dobj", "attr") and patient is None:
            patient = parse.mention_in(mentions, c, core)
        elif c.dep == "prep" and c.lemma in ("against", "on", "at", "with", "from", "by") and patient is None:
            for p in parse.kids(c):
                if c.lemma == "by" and agent is None:
                    agent = parse.mention_in(mentions, p, core)
                elif c.lemma != "by":
                    patient = parse.mention_in(mentions, p, core) or patient
    if trig is not verb and patient is None:
        # the trigger noun's own phrase, with the clause it heads ("an agreement negotiated with ...")
        patient = parse.mention_in(mentions, trig) if trig.dep != "ROOT" else None
        if patient is not None and agent is not None and patient.start == agent.start:
            patient = None
    if fighting and agent is not None and patient is None:
        patient = _held_place(parse, verb, mentions, context, agent, trigger)
    return agent, patient
