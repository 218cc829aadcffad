"""Modality of an event mention: asserted, attempted, threatened, hypothetical, background; negation.

Read from the dependency parse around the trigger when the sentence was parsed (the trigger's
governing verb, its auxiliaries, negation and the verb it complements: "tried to capture",
"face an assault", "could use ... for a future assault"), and from the words just before the
trigger otherwise. Examples from the seed article: "tried to infiltrate and capture the town" is
attempted; "face an assault by the Turkish Armed Forces" threatened; "could use ... as an excuse for
a future military assault" hypothetical; "forces are present at nine observation posts" background.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from flashpoint.nlp.parse import is_parsed
from flashpoint.records import Modality, Token

_MODALS = {"could", "may", "might", "would", "should", "will", "shall", "'ll", "can", "must", "wo"}
_ATTEMPT = {"try", "attempt", "seek", "strive", "struggle", "bid", "effort"}
_THREAT = {"threaten", "threat", "vow", "warn", "warning", "face", "pledge", "promise", "risk", "ultimatum"}
_PLAN = {"plan", "plot", "intend", "prepare", "want", "aim", "hope", "expect", "consider", "propose", "mull",
         "call", "demand", "urge", "need", "fear", "tell", "ask", "instruct", "order", "advise", "encourage", "beg", "recommend", "suggest", "press"}
_FUTURE_MODIFIERS = {"future", "possible", "potential", "planned", "imminent", "looming", "expected",
                     "likely", "proposed", "prospective", "eventual"}
_STATIVE = {"be", "remain", "stay", "exist"}
_STANDING = {"station", "deploy", "base", "locate", "position", "garrison", "control", "hold", "occupy", "govern",
             "run", "cover", "apply", "exempt", "remain", "stay", "live", "exist", "besiege", "surround"}
"""Verbs of a standing situation: in the present tense ("troops are stationed at twelve posts under
the agreement", "the group controls the town") they describe a state, not a new event."""
_ACTIVE_STANDING = {"control", "hold", "occupy", "govern", "run", "remain", "stay", "live", "exist", "cover",
                    "apply"}
"""Of those, the ones whose active present is a state too (an active "deploys" is a headline's event)."""
_PRESENT = {"VBZ", "VBP"}
_FIGHT = {"fight", "battle"}
_ANALYTIC = {"define", "mean", "represent", "pose", "seem", "appear", "constitute", "require", "matter", "shape",
             "dominate", "haunt", "highlight", "underline", "illustrate", "reflect", "produce", "symbolise",
             "symbolize", "remind", "overshadow", "loom", "characterise", "characterize", "raise"}
"""Verbs of comment: an event noun they govern in the present ("the fight for the river valley has
produced only refugees", "the slaughter of civilians defines modern evil") is talked about, not reported."""
_PAST_ADVERBS = {"once", "formerly", "previously", "earlier", "long", "originally"}
_ASSERTING_PARTICIPLES = {"negotiate", "sign", "reach", "broker", "agree", "conclude", "strike", "seal",
                          "mediate", "announce"}
_NEG = {"not", "n't", "never", "no"}

_BEFORE = re.compile(
    r"\b(?P<att>tried|tries|try|trying|attempt(?:ed|s|ing)?|sought to|seeking to|failed to|bid to)\b"
    r"|\b(?P<thr>threaten(?:ed|s|ing)?|vow(?:ed|s)?|warn(?:ed|s)?|ultimatum|face|faces|facing)\b"
    r"|\b(?P<hyp>could|may|might|would|should|will|if|unless|plan(?:s|ned)? to|intend(?:s|ed)? to|"
    r"future|possible|potential|likely|prepar(?:e|es|ed|ing) to)\b"
    r"|\b(?P<neg>not|never|no|n't|denied|deny|denies)\b"
)


@dataclass(frozen=True, slots=True)
class ModalityReading:
    modality: Modality
    negated: bool
    cue: str | None = None


_REFERENCE = re.compile(
    r"\b(in response to|in retaliation for|responsible for|investigation into|inquiry into|investigating|"
    r"accused of|blamed for|blamed on|denied|anniversary of|in memory of|since|condemn\w*|denounc\w*|"
    r"(?:a|one|two|three|several) (?:day|days|week|weeks|month|months) after|hours after)"
    r"( the| a| an| his| her| their| its| last| this)?( [\w'’-]+){0,3}\s*$",
    re.IGNORECASE,
)


def read_modality(sentence_text: str, sentence_start: int, tokens: Sequence[Token],
                  trigger: tuple[int, int]) -> ModalityReading:
    """The modality of the event whose trigger spans ``trigger`` (article offsets).

    An event named only as the reference of another act ("in retaliation for the chemical attack",
    "investigation into the killing", "accused of carrying out the bombing") is background.
    """
    at = trigger[0] - sentence_start
    if _REFERENCE.search(sentence_text[max(0, at - 60) : at]):
        return ModalityReading(Modality.BACKGROUND, False, "reference")
    parsed = is_parsed(tokens)
    if parsed:
        reading = _from_parse(tokens, trigger)
        if reading is not None:
            return reading
    return _from_words(sentence_text, trigger[0] - sentence_start)


def _from_parse(tokens: Sequence[Token], trigger: tuple[int, int]) -> ModalityReading | None:
    by_i = {t.i: t for t in tokens}
    children: dict[int, list[Token]] = {}
    for t in tokens:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t)
    trig = next((t for t in tokens if t.start <= trigger[0] < t.end), None)
    if trig is None:
        trig = next((t for t in tokens if t.start >= trigger[0]), None)
    if trig is None:
        return None
    # the trigger noun's own modifiers: "a future military assault"
    for c in children.get(trig.i, []):
        if c.dep in ("amod", "compound", "nmod") and c.lemma in _FUTURE_MODIFIERS:
            return ModalityReading(Modality.HYPOTHETICAL, False, c.text)
    # "an evacuation agreement negotiated with the Russian military": the noun's own participle says
    # the event happened, whatever the clause around it does
    clause = clause_verb(trig, by_i)
    copula = clause is not None and clause.lemma in _STATIVE and not any(
        k.dep == "xcomp" for k in children.get(clause.i, []))  # "the militia is no party to the truce brokered in Oslo"
    for c in children.get(trig.i, []):
        if c.dep == "acl" and c.tag == "VBN" and c.lemma in _ASSERTING_PARTICIPLES and not copula:
            return ModalityReading(Modality.ASSERTED, False, c.text)
    # "the army of Iraqi Kurdistan fighting Isis", "focused on fighting Isis": fighting as a description
    if trig.lemma in _FIGHT and trig.tag == "VBG" and trig.dep in ("acl", "pcomp", "amod"):
        return ModalityReading(Modality.BACKGROUND, False, "descriptive participle")
    standing = _standing(trig, by_i, children)
    if standing is not None:
        return standing
    verb = trig
    steps = 0
    while verb.pos not in ("VERB", "AUX") and steps < 2 and verb.dep in (
        "dobj", "nsubj", "nsubjpass", "attr", "conj", "compound", "appos", "pobj"
    ) and verb.head != verb.i:
        if verb.dep == "pobj":
            prep = by_i.get(verb.head)
            if prep is None or prep.lemma not in ("by", "with", "against", "in", "on", "at", "of", "to"):
                break
            verb = prep
        verb = by_i.get(verb.head, verb)
        steps += 1
    negated = False
    chain = [verb]
    head = by_i.get(verb.head)
    while head is not None and verb.dep in ("xcomp", "conj", "ccomp", "dobj", "pcomp", "acl") and len(chain) < 4:
        chain.append(head)
        verb = head
        head = by_i.get(verb.head) if verb.head != verb.i else None
    for n, v in enumerate(chain):
        kids = children.get(v.i, [])
        if any(k.dep == "neg" or k.text.lower() in _NEG for k in kids if k.dep in ("neg", "det", "advmod")):
            negated = True
        if n > 0 or v is not trig:
            if v.lemma in _ATTEMPT:
                return ModalityReading(Modality.ATTEMPTED, negated, v.text)
            if v.lemma in _THREAT:
                return ModalityReading(Modality.THREATENED, negated, v.text)
            if v.lemma in _PLAN:
                return ModalityReading(Modality.HYPOTHETICAL, negated, v.text)
        for k in kids:
            if k.dep == "aux" and k.text.lower() in _MODALS:
                return ModalityReading(Modality.HYPOTHETICAL, negated, k.text)
    # a stative clause around a noun trigger ("forces are present at ...", "as HTS is exempt from the deal")
    if trig.pos in ("NOUN", "PROPN"):
        anc = by_i.get(trig.head)
        seen = 0
        while anc is not None and seen < 6 and anc.i != trig.i:
            if anc.pos in ("VERB", "AUX"):
                if anc.lemma in _STATIVE and not any(k.dep in ("dobj", "xcomp") for k in children.get(anc.i, [])):
                    return ModalityReading(Modality.BACKGROUND, negated, anc.text)
                break
            if anc.head == anc.i:
                break
            anc = by_i.get(anc.head)
            seen += 1
    return ModalityReading(Modality.ASSERTED, negated, None)


_YEAR = re.compile(
    r"\b(?:in|since|until|till|from|during|by|of|early|late|mid-?|summer|spring|autumn|fall|winter|january|"
    r"february|march|april|may|june|july|august|september|october|november|december|\d{1,2}(?:st|nd|rd|th)?),? "
    r"(1[89]\d\d|20\d\d)(?!\d|,\d)",
    re.IGNORECASE,
)
_AGO = re.compile(r"\b(years|decades) ago\b|\bin the (1[89]\d0|20[01]0)s\b", re.IGNORECASE)


def retrospective(sentence_text: str, published: dt.date | None) -> bool:
    """The sentence looks back two years or more before publication ("in 2013", "decades ago"):
    history an article recalls, not an event it reports."""
    if published is None:
        return False
    years = [int(y) for y in _YEAR.findall(sentence_text)]
    recent = [y for y in years if y >= published.year - 1]
    if years and not recent and min(years) <= published.year - 2:
        return True
    return not recent and _AGO.search(sentence_text) is not None


def clause_verb(tok: Token, by_i: dict[int, Token]) -> Token | None:
    """The verb of the clause ``tok`` sits in (``tok`` itself when it is a verb)."""
    t = tok
    for _ in range(6):
        if t.pos in ("VERB", "AUX"):
            return t
        if t.head == t.i:
            return None
        t = by_i.get(t.head, t)
    return None


def _standing(trig: Token, by_i: dict[int, Token], children: dict[int, list[Token]]) -> ModalityReading | None:
    """Background when the trigger's clause states a standing situation or a past relative clause.

    "Turkish troops are stationed at twelve posts under the de-escalation agreement" (a present-tense
    state), "the alliance, once linked to al-Qaeda" (a relative clause about the past).
    """
    verb = clause_verb(trig, by_i)
    if verb is None:
        return None
    kids = children.get(verb.i, [])
    if verb.dep in ("acl", "relcl") and any(k.dep == "advmod" and k.lemma in _PAST_ADVERBS for k in kids):
        return ModalityReading(Modality.BACKGROUND, False, "relative clause about the past")
    if trig.pos in ("NOUN", "PROPN") and verb.lemma in _ANALYTIC and verb.tag in _PRESENT | {"VBN"} and not any(
            k.dep == "aux" and k.lemma not in ("have",) for k in kids):
        return ModalityReading(Modality.BACKGROUND, False, verb.text)  # "the slaughter ... defines modern evil"
    if verb.lemma not in _STANDING or any(k.dep == "aux" for k in kids):
        return None
    passive_present = verb.tag == "VBN" and any(k.dep == "auxpass" and k.tag in _PRESENT for k in kids)
    active_present = verb.tag in _PRESENT and verb.lemma in _ACTIVE_STANDING
    if passive_present or active_present:
        return ModalityReading(Modality.BACKGROUND, any(k.dep == "neg" for k in kids), verb.text)
    return None


def _from_words(text: str, at: int) -> ModalityReading:
    window = text[max(0, at - 60) : at].lower()
    window = window.rsplit(",", 1)[-1] if window.count(",") else window
    negated = False
    found: Modality | None = None
    cue = None
    for m in _BEFORE.finditer(window):
        if m.group("neg"):
            negated = True
        elif m.group("att"):
            found, cue = Modality.ATTEMPTED, m.group()
        elif m.group("thr"):
            found, cue = Modality.THREATENED, m.group()
        elif m.group("hyp"):
            found, cue = Modality.HYPOTHETICAL, m.group()
    return ModalityReading(found or Modality.ASSERTED, negated, cue)
