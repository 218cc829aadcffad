"""Is a mention a specific occurrence the article reports, or talk about a kind of event?

Long analytical articles name events far more often than they report them: "protest groups tend to
focus on ...", "the 1993 Chemical Weapons Convention", "they bomb schools", "the 2013 sarin attack",
"the rebel movement, which has waged a long insurgency", "any rocket attacks". These readings work
over the dependency parse around a rule's trigger (offsets into the article) and answer with a
:class:`~flashpoint.events.modality.ModalityReading` (background for generic, habitual, dated or
descriptive mentions; hypothetical for questions, conditions and "any"), or ``None`` when the mention
looks like a report. :func:`names_a_thing` tells a trigger word that only modifies the name of a thing
("protest groups", "detention camp", "chemical weapons stockpile"): no event at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from flashpoint.events.modality import ModalityReading
from flashpoint.nlp.parse import is_parsed
from flashpoint.records import Modality, Token

_THING_HEADS = frozenset({
    "camp", "centre", "center", "facility", "convention", "stockpile", "programme", "program", "capability",
    "arsenal", "watchdog", "inspector", "organisation", "organization", "treaty", "expert", "investigator",
    "factory", "plant", "production", "technology", "ban", "law", "policy", "process", "framework", "proposal",
    "mechanism", "roadmap", "stock", "depot", "warehouse", "industry", "manufacturer",
})
"""Nouns that name a thing, not an occurrence: a trigger that only modifies one names no event. Not the
nouns of actors ("a vigilante group", "protest leaders") nor of weapons in use ("mortar systems")."""
_BANNING = frozenset({"prohibition", "ban", "elimination", "removal", "stockpile", "destruction", "convention",
                      "possession", "production", "programme", "program", "arsenal"})
"""Nouns whose "of"-object is a weapon talked about, not used ("the Prohibition of Chemical Weapons")."""
_ASPECTS = frozenset({"rubble", "reputation", "threat", "risk", "fear", "history", "legacy", "memory", "victim",
                      "survivor", "role", "veteran", "expert", "tactic", "doctrine", "culture", "logic", "spectre",
                      "specter", "horror", "trauma", "scar", "use"})
"""Nouns whose bare event-noun complement names a kind of event ("the rubble of airstrikes", "a reputation for
waterboarding", "victims of shelling"), where "three days of shelling" names an occurrence."""
_DURATION = re.compile(r"^(?:(?:decades?|years?|months?|weeks?)-(?:long|old)|long-(?:running|standing|term)|"
                       r"longstanding|protracted|endless|perennial|recurring|repeated|regular|frequent|continual|"
                       r"continuous|ongoing|constant)$")
_AIMS = {"capable": Modality.HYPOTHETICAL, "able": Modality.HYPOTHETICAL, "capacity": Modality.HYPOTHETICAL,
         "ability": Modality.HYPOTHETICAL, "aim": Modality.HYPOTHETICAL, "goal": Modality.HYPOTHETICAL,
         "intent": Modality.HYPOTHETICAL, "intention": Modality.HYPOTHETICAL, "purpose": Modality.HYPOTHETICAL,
         "readiness": Modality.HYPOTHETICAL, "focus": Modality.BACKGROUND, "priority": Modality.BACKGROUND,
         "experience": Modality.BACKGROUND, "history": Modality.BACKGROUND, "role": Modality.BACKGROUND}
"""Words whose gerund complement is an aim, ability or habit ("capable of resuming the battle", "a focus on
attacking Kurdish troops"), not an occurrence."""
_PAST_ADVERBS = frozenset({"previously", "formerly", "originally", "initially"})
_CONDITIONS = frozenset({"if", "unless", "whether", "once"})
_SAYING = frozenset({"say", "tell", "claim", "report", "add", "state", "insist", "argue", "believe", "think",
                     "know", "seem", "appear", "be", "have", "do", "show", "accuse", "deny", "suggest"})


def _duration(tok: Token, children: dict[int, list[Token]]) -> bool:
    """A modifier of length or repetition: "protracted", "decades-long" (parsed "decades - long")."""
    if _DURATION.match(tok.text.lower()):
        return True
    kids = {k.lemma.lower() for k in children.get(tok.i, [])}
    low = tok.text.lower()
    return (low in ("long", "old") and bool(kids & {"decade", "year", "month", "week"})) or (
        low in ("running", "standing") and "long" in kids)


def _dated(verb: Token, children: dict[int, list[Token]]) -> bool:
    """A date or time anywhere under ``verb`` ("on Saturday", "a few weeks later", "last month")."""
    todo = list(children.get(verb.i, []))
    while todo:
        t = todo.pop()
        if t.ent_type in ("DATE", "TIME") or t.dep in ("npadvmod", "tmod") or t.text.lower() in ("later", "ago"):
            return True
        todo.extend(children.get(t.i, []))
    return False


def _index(tokens: Sequence[Token]) -> tuple[dict[int, Token], dict[int, list[Token]]]:
    by_i = {t.i: t for t in tokens}
    children: dict[int, list[Token]] = {}
    for t in tokens:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t)
    return by_i, children


def _trigger_token(tokens: Sequence[Token], trigger: tuple[int, int]) -> Token | None:
    return next((t for t in tokens if t.start <= trigger[0] < t.end), None)


def _noun_head(tok: Token, by_i: dict[int, Token]) -> Token:
    """The noun a modifier chain ends in: "chemical" -> "weapons" -> "Convention"."""
    t = tok
    for _ in range(5):
        head = by_i.get(t.head)
        if head is None or t.head == t.i or t.dep not in ("compound", "amod", "nmod", "nummod"):
            break
        if head.pos not in ("NOUN", "PROPN"):
            break
        t = head
    return t


def names_a_thing(tokens: Sequence[Token], trigger: tuple[int, int]) -> bool:
    """The trigger word only modifies the name of a thing: "protest groups", "the US detention camp",
    "Syria's chemical weapons capabilities", "the agency that monitors chemical weapons",
    "an agreed international process". Needs a parse; ``False`` without one."""
    if not is_parsed(tokens):
        return False
    by_i, _ = _index(tokens)
    trig = _trigger_token(tokens, trigger)
    if trig is None:
        return False
    head = _noun_head(trig, by_i)
    if head is not trig and head.lemma.lower() in _THING_HEADS:
        return True
    # "... of chemical weapons" under a noun of banning or holding
    if head.dep == "pobj":
        prep = by_i.get(head.head)
        owner = by_i.get(prep.head) if prep is not None and prep.text.lower() == "of" else None
        if owner is not None and owner.i != prep.i and owner.lemma.lower() in _BANNING:  # type: ignore[union-attr]
            return True
    return False


def generic_reading(sentence_text: str, tokens: Sequence[Token], trigger: tuple[int, int],
                    published: dt.date | None = None, *, lead: bool = False) -> ModalityReading | None:
    """Background or hypothetical when the mention is not a specific occurrence; ``None`` otherwise.

    ``lead`` is true for an article's first sentence, where a headline-style present ("Rebels attack
    base") reports an event rather than a habit.
    """
    if sentence_text.rstrip(" \"'”’)").endswith("?"):
        return ModalityReading(Modality.HYPOTHETICAL, False, "question")
    if not is_parsed(tokens):
        return None
    by_i, children = _index(tokens)
    trig = _trigger_token(tokens, trigger)
    if trig is None:
        return None
    noun = _noun_head(trig, by_i)
    nominal = noun.pos in ("NOUN", "PROPN")
    if nominal:
        reading = _noun_phrase(noun, by_i, children, published)
        if reading is not None:
            return reading
    return _clause(trig, noun if nominal else trig, by_i, children, lead)


def _noun_phrase(noun: Token, by_i: dict[int, Token], children: dict[int, list[Token]],
                 published: dt.date | None) -> ModalityReading | None:
    """Readings of the event noun's own phrase: "any", a duration, an old date, a bare kind."""
    kids = children.get(noun.i, [])
    lead = noun
    if noun.dep == "conj":  # "any incursions or rocket attacks": the first conjunct holds the determiner
        first = by_i.get(noun.head)
        if first is not None and first.pos in ("NOUN", "PROPN"):
            lead = first
    for k in children.get(lead.i, []) + kids:
        if k.dep == "det" and k.text.lower() == "any":
            return ModalityReading(Modality.HYPOTHETICAL, False, "any")
        if k.dep in ("amod", "compound", "advmod") and _duration(k, children):
            return ModalityReading(Modality.BACKGROUND, False, k.text)
    if published is not None:
        for k in kids:
            if k.dep in ("nummod", "compound", "amod", "nmod") and re.fullmatch(r"(1[89]|20)\d\d", k.text) \
                    and int(k.text) < published.year:
                return ModalityReading(Modality.BACKGROUND, False, k.text)  # "the 2013 sarin attack"
            if k.dep == "poss" and k.lemma.lower() == "year" and any(
                    g.text.lower() in ("last", "previous") for g in children.get(k.i, [])):
                return ModalityReading(Modality.BACKGROUND, False, "last year's")
    bare = not any(k.dep in ("det", "poss", "nummod", "predet") for k in kids)
    if bare and lead.dep == "pobj":
        prep = by_i.get(lead.head)
        owner = by_i.get(prep.head) if prep is not None else None
        if owner is not None and owner.lemma.lower() in _ASPECTS and \
                prep is not None and prep.text.lower() in ("of", "in", "for", "from"):
            return ModalityReading(Modality.BACKGROUND, False, "kind of event")  # "civilian deaths in airstrikes"
    return None


def _clause(trig: Token, word: Token, by_i: dict[int, Token], children: dict[int, list[Token]],
            lead: bool) -> ModalityReading | None:
    """Readings of the clause around the trigger: its tense, adverbs, conditions and attachment."""
    verb = word
    for _ in range(4):
        if verb.pos in ("VERB", "AUX") or verb.head == verb.i:
            break
        verb = by_i.get(verb.head, verb)
    if verb.pos not in ("VERB", "AUX"):
        return None
    if verb.tag == "VBG" and verb.dep in ("nsubj", "nsubjpass", "dobj", "pobj"):  # a gerund: "with fighting raging"
        verb = by_i.get(verb.head, verb)
    kids = children.get(verb.i, [])
    head = by_i.get(verb.head)
    # a condition: "once a terrorist was captured", "provided that nobody fires ..."
    for k in kids:
        if k.dep == "mark" and k.text.lower() in _CONDITIONS:
            return ModalityReading(Modality.HYPOTHETICAL, False, k.text)
        if k.dep == "mark" and k.text.lower() == "as" and head is not None and head.text.lower() == "long":
            return ModalityReading(Modality.HYPOTHETICAL, False, "as long as")
    reporting = children.get(head.i, []) if head is not None and verb.dep in ("ccomp", "xcomp") else []
    for k in kids + reporting:
        if k.dep == "advmod" and k.text.lower() in _PAST_ADVERBS:
            return ModalityReading(Modality.BACKGROUND, False, k.text)  # "had previously claimed he was killed"
        if k.dep == "advmod" and k.text.lower() == "long" and any(a.dep == "aux" and a.lemma == "have" for a in kids):
            return ModalityReading(Modality.BACKGROUND, False, "has long")  # "Ankara has long protested"
        if k.dep == "dobj" and any(g.dep == "amod" and _duration(g, children) for g in children.get(k.i, [])):
            return ModalityReading(Modality.BACKGROUND, False, "duration")  # "fought a decades-long insurgency"
    has_aux = any(k.dep in ("aux", "auxpass") for k in kids)
    # "capable of resuming the battle", "their focus on attacking Kurdish troops"
    if verb.tag == "VBG" and verb.dep == "pcomp" and head is not None:
        owner = by_i.get(head.head)
        if owner is not None and owner.lemma.lower() in _AIMS:
            return ModalityReading(_AIMS[owner.lemma.lower()], False, owner.text)
    # "the SDF, which led the assault on Raqqa": a past relative clause with no date of its own recalls
    # what its noun did before; a dated one ("who was killed on 23 October") is reported
    antecedent = head if head is not None and verb.dep == "relcl" else None
    if antecedent is not None and verb.tag in ("VBD", "VBN") and not _dated(verb, children) and \
            antecedent.ent_type not in ("DATE", "TIME") and any(
            k.tag in ("WDT", "WP", "WP$", "WRB") and (k.dep.startswith("nsubj") or k.text.lower() not in ("that", "when"))
            for k in kids):  # not "informed the Observatory that forces have set up a post", a misparse
        return ModalityReading(Modality.BACKGROUND, False, "past relative clause")
    # "Isis fighters, which were fighting ...": a progressive relative clause describes its noun
    if verb.dep == "relcl" and verb.tag == "VBG":
        return ModalityReading(Modality.BACKGROUND, False, "descriptive clause")
    # "the journalist taken hostage by Isis", "areas retaken by the rebels": a participle naming its noun
    # (not when the sentence has no other verb: "Hundreds of residents protested in X" parsed with the
    # noun "Hundreds" as its root is a report with a misparsed main verb)
    described = by_i.get(verb.head)
    if verb.i == trig.i and verb.dep == "acl" and verb.tag == "VBN" and not has_aux and described is not None \
            and described.dep in ("pobj", "appos", "dobj") and _verb_rooted(by_i):
        return ModalityReading(Modality.BACKGROUND, False, "descriptive participle")
    # "with fighting raging in the north": circumstance, not report
    if verb.tag == "VBG" and verb.dep in ("pcomp", "advcl"):
        prep = by_i.get(verb.head)
        if prep is not None and prep.text.lower() == "with":
            return ModalityReading(Modality.BACKGROUND, False, "with")
    # a habit in the simple present ("they bomb schools", "new recruits learn weaponry"), not a headline's
    # present ("Mob lynches man"): a plural pronoun's verb, or a relative clause's
    if not lead and verb.tag == "VBP" and not has_aux and verb.lemma not in _SAYING and trig.i in (
            verb.i, *(k.i for k in kids)) and (verb.dep == "relcl" or any(
            k.dep == "nsubj" and k.text.lower() in ("they", "we", "you") for k in kids)):
        return ModalityReading(Modality.BACKGROUND, False, "habitual present")
    return None


def _verb_rooted(by_i: dict[int, Token]) -> bool:
    """Whether the sentence's root (a token that is its own head) is a verb."""
    return any(t.head == t.i and t.pos in ("VERB", "AUX") for t in by_i.values())
