"""Anchor event mentions to the article's time: is a mention news of the days before publication, or history?

Long articles recall far more events than they report. A mention is read against the publication date
(it needs one: without a "now" there is nothing to be background to) and is *background* when

- its sentence dates it only far before publication ("detained on 3 March" in a late-April article,
  "two months ago", "last year"), with no recent date beside it (``"old date"``);
- its sentence has no date of its own and the narrative time of the sentences just before it is far
  back ("... before she flew home to Canada in March 2014. At the airport in Halifax the police
  detained her"): the story is still in the past (``"old context"``);
- its clause is in the past perfect and not reported speech ("the town had fallen to Isis", but not
  "the army said it had reclaimed the town") with no date of its own (``"past perfect"``);
- a cue of a time span before the trigger places it in history ("since 2011", "during the war", "in
  the past", "at the height of", "over the years") (``"period"``);
- its verb says it happened again and again ("have repeatedly hit", "routinely performed") (``"habit"``).

A sentence that dates the mention recently ("on Sunday", "last week", "in recent days", "now") is never
background here. Background mentions are kept (their modality changes), not deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import cache

from flashpoint.events.modality import ModalityReading, clause_verb
from flashpoint.records import Modality, Sentence, Token
from flashpoint.temporal.expressions import DateMention, find_dates, quote_regions, unquoted

RECENT_DAYS = 45
"""A date ending this many days or more before publication is history, not the news the article reports
(ACLED codes an event from the first reports of it; weeks later an article recalls it)."""
_CONTEXT_SENTENCES = 2
_NOW = re.compile(r"\b(?:now|today|tonight|currently|this (?:week|weekend|morning|afternoon|evening)|"
                  r"in recent days|in the past (?:few )?(?:days|hours|week)|over the past (?:few )?(?:days|week)|"
                  r"so far|latest|fresh|ongoing|continu(?:e|es|ing))\b", re.IGNORECASE)
_LATELY = re.compile(r"(?:recent(?:ly)?|lately|earlier|not long ago|in recent (?:days|weeks|months))$", re.IGNORECASE)
"""Vague dates that still say "lately"; the others ("previously", "repeatedly", "for years") say nothing recent."""
_PERIOD = re.compile(
    r"\b(?:since (?:(?:19|20)\d\d|the (?:start|beginning|outbreak|onset)|its (?:start|beginning))|"
    r"during (?:the|its|their|his|her) (?:\w+ )?(?:war|conflict|uprising|revolution|occupation|rule|reign|"
    r"siege|years?|time|days|tenure)|"
    r"throughout (?:the|its) (?:\w+ )?(?:war|conflict)|in the past(?! (?:few |two |three |\d+ )?(?:hours?|days?|weeks?|"
    r"months?|24|48|72))|over the years|in (?:recent|previous|past|earlier) years|for years|for decades|"
    r"at the height of|in the early (?:days|years|stages)|under (?:isis|is|islamic state|the caliphate)(?:'s)? rule|"
    r"used to|in (?:the )?(?:1[89]|20)\d0s)\b",
    re.IGNORECASE,
)
_HABIT = frozenset({"repeatedly", "routinely", "regularly", "frequently", "often", "constantly", "habitually",
                    "systematically", "sometimes", "occasionally", "usually"})
_REPORTING = frozenset({"say", "tell", "report", "confirm", "claim", "announce", "add", "state", "believe",
                        "learn", "know", "emerge", "reveal", "show", "insist", "allege", "accuse", "deny",
                        "suggest", "think", "understand", "hear", "find", "discover", "note", "explain",
                        "acknowledge", "admit", "agree", "write", "warn", "argue"})


class ArticleClock:
    """The date expressions of an article's sentences, read lazily, against its publication date."""

    def __init__(self, sentences: Sequence[Sentence], published: dt.date) -> None:
        self.published = published
        self.sentences = sorted(sentences, key=lambda s: s.start)
        self.position = {s.index: i for i, s in enumerate(self.sentences)}
        self._dates: dict[int, tuple[DateMention, ...]] = {}

    def dates(self, sentence: Sentence) -> tuple[DateMention, ...]:
        if sentence.index not in self._dates:
            self._dates[sentence.index] = tuple(
                unquoted(find_dates(sentence.text, self.published), quote_regions(sentence.text)))
        return self._dates[sentence.index]

    def age(self, mention: DateMention) -> int | None:
        """Days from the end of the date to publication (negative: after it); None when it has no date."""
        if mention.date is not None:
            return (self.published - mention.date.end).days
        if mention.year is not None:
            end = dt.date(mention.year, 12, 31)
            return (self.published - end).days if mention.year < self.published.year else 0
        return None

    def timing(self, sentence: Sentence) -> str | None:
        """"recent", "old" or None (no usable date) for one sentence's own dates."""
        if _NOW.search(sentence.text):
            return "recent"
        ages = [self.age(d) for d in self.dates(sentence)]
        known = [a for a in ages if a is not None]
        if any(a < RECENT_DAYS for a in known) or any(d.vague and _LATELY.match(d.text) for d in self.dates(sentence)):
            return "recent"
        return "old" if known else None

    def context_timing(self, sentence: Sentence) -> str | None:
        """The timing of the nearest earlier sentence (at most two back) that has one."""
        at = self.position.get(sentence.index)
        if at is None:
            return None
        for back in range(1, _CONTEXT_SENTENCES + 1):
            if at - back < 0:
                return None
            timing = self.timing(self.sentences[at - back])
            if timing is not None:
                return timing
        return None


@cache
def _period_cue(text: str) -> bool:
    return bool(_PERIOD.search(text))


def _reported(verb: Token, by_i: dict[int, Token]) -> bool:
    """The clause is said by someone: a complement of a verb of saying ("said it had reclaimed")."""
    t = verb
    for _ in range(4):
        if t.head == t.i:
            return False
        head = by_i.get(t.head)
        if head is None:
            return False
        if head.lemma.lower() in _REPORTING:
            return True
        t = head
    return False


def anchor_reading(clock: ArticleClock, sentence: Sentence, tokens: Sequence[Token],
                   trigger: tuple[int, int]) -> ModalityReading | None:
    """Background when the mention is history against the article's time (see the module docstring)."""
    own = clock.timing(sentence)
    if own == "recent" or clock.position.get(sentence.index) == 0:
        return None
    if own == "old":
        return ModalityReading(Modality.BACKGROUND, False, "old date")
    at = trigger[0] - sentence.start
    if _period_cue(sentence.text[:max(0, at)]):
        return ModalityReading(Modality.BACKGROUND, False, "period")
    by_i = {t.i: t for t in tokens}
    trig = next((t for t in tokens if t.start <= trigger[0] < t.end), None)
    verb = clause_verb(trig, by_i) if trig is not None and trig.dep else None
    if verb is not None:
        kids = [t for t in tokens if t.head == verb.i and t.i != verb.i]
        if any(k.dep == "advmod" and k.text.lower() in _HABIT for k in kids):
            return ModalityReading(Modality.BACKGROUND, False, "habit")
        if any(k.dep == "aux" and k.text.lower() in ("had", "'d") for k in kids) and not _reported(verb, by_i):
            return ModalityReading(Modality.BACKGROUND, False, "past perfect")
    if clock.context_timing(sentence) == "old" and (verb is None or _simple_past(verb, tokens)) and not (
            verb is not None and _reported(verb, by_i)):  # "the army said it had reclaimed the town": news
        return ModalityReading(Modality.BACKGROUND, False, "old context")
    return None


def _simple_past(verb: Token, tokens: Sequence[Token]) -> bool:
    """The clause is told in the simple past ("fought", "was arrested"), not the present perfect ("have been
    hit by airstrikes"), which ties it to the moment of writing."""
    aux = [t for t in tokens if t.head == verb.i and t.i != verb.i and t.dep in ("aux", "auxpass")]
    if any(a.lemma == "have" and a.tag in ("VBP", "VBZ") for a in aux):
        return False
    return verb.tag == "VBD" or any(a.tag == "VBD" for a in aux)
