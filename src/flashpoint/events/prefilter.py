"""The cheap prefilter: does a sentence possibly report an event? (decides what gets parsed)

A regular expression of word stems over the lowercased sentence. It is tuned for recall: a sentence
it rejects is never parsed or classified, so a miss here loses an event. The stems live in
``data/trigger_stems.txt`` (one stem a line; ``#`` comments), matched at a word start.

:class:`EventParse` is the tighter filter the coder parses with: the sentences the events stage will
code an event from (the same decision, taken before the parse).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Protocol

from flashpoint.errors import KnowledgeError

if TYPE_CHECKING:
    from flashpoint.events.classifier import EventClassifier

_DATA = "trigger_stems.txt"


@cache
def _pattern() -> re.Pattern[str]:
    try:
        text = resources.files("flashpoint.events").joinpath("data", _DATA).read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"prefilter stems {_DATA}: cannot be read ({exc})") from exc
    stems = sorted(
        {line.split("#", 1)[0].strip().lower() for line in text.splitlines()} - {""},
        key=len,
        reverse=True,
    )
    if not stems:
        raise KnowledgeError(f"prefilter stems {_DATA}: no stems")
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + ")")


def may_hold_event(sentence_text: str) -> bool:
    """True when the sentence contains a trigger stem (kill, clash, protest, arrest, seize ...)."""
    return _pattern().search(sentence_text.lower()) is not None


class _Classified(Protocol):
    """What :class:`EventParse` needs of the events stage: its sentence classifier."""

    @property
    def model(self) -> EventClassifier: ...


class EventParse:
    """The parse filter of the coder: True for the sentences whose events need a dependency parse.

    The events stage (:meth:`~flashpoint.events.stage.EventStage.sentence_events`) decides from a
    sentence's text alone, with the classifier and the trigger rules, whether the sentence reports an
    event; only when it does (or when several strong rules fire, and the modality of each picks among
    them) are its tokens read for modality and roles. This filter takes the same decision, so that
    only those sentences are parsed (a fifth of a Guardian article's sentences, against half for
    :func:`may_hold_event`); every other sentence gets the same events, none, without a parse.
    """

    def __init__(self, events: _Classified) -> None:
        self.events = events

    def __call__(self, sentence_text: str) -> bool:
        if not may_hold_event(sentence_text):
            return False
        from flashpoint.events import rules
        from flashpoint.events.classifier import NONE

        found = rules.hits(sentence_text)
        if sum(1 for h in found if h.strong and h.label != NONE and h.tier != "veto") > 1:
            return True
        model = self.events.model
        probs = dict(zip(model.classes, map(float, model.scores(sentence_text)), strict=True))
        return rules.decide(probs, found).label != NONE
