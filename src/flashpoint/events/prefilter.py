"""The cheap prefilter: does a sentence possibly report an event? (decides what gets parsed)

A regular expression of word stems over the lowercased sentence. It is tuned for recall: a sentence
it rejects is never parsed or classified, so a miss here loses an event. The stems live in
``data/trigger_stems.txt`` (one stem a line; ``#`` comments), matched at a word start.

:class:`EventParse` is the filter the coder parses with: the sentences the events stage will code an
event from (the same decision, taken before the parse).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Protocol

from flashpoint.errors import KnowledgeError

if TYPE_CHECKING:
    from flashpoint.events.sentence_model import SentenceModel

NONE = "NONE"

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


class _Read(Protocol):
    """What :class:`EventParse` needs of the events stage: its sentence model."""

    @property
    def model(self) -> SentenceModel: ...


class EventParse:
    """The parse filter of the coder: True for the sentences whose events need a dependency parse.

    The events stage decides from a sentence's text alone, with the sentence model and ACLED's defining
    cues, whether the sentence may report an event; only then are its tokens read for modality and
    roles. This filter takes the same decision (:func:`~flashpoint.events.decide.may_code`; the model
    remembers its readings, so the stage pays nothing twice), so that only those sentences are parsed;
    every other sentence gets the same events, none, without a parse.
    :meth:`prepare` reads all of a batch's sentences at once, each as the events stage reads it in its
    article, which the encoder does faster.
    """

    def __init__(self, events: _Read) -> None:
        self.events = events
        self._decisions: dict[str, bool] = {}

    def prepare(self, documents: Sequence[Sequence[str]]) -> None:
        """Decide for every sentence of a batch's documents (each document's sentences in order)."""
        from flashpoint.events.decide import may_code, model_inputs

        model = self.events.model
        inputs = [model_inputs(texts, model.reads_lead) for texts in documents]
        readings = iter(model.read([i for doc in inputs for i in doc]))
        self._decisions = {}
        for texts in documents:
            for text in texts:  # a sentence found in two articles is parsed if either may code it
                self._decisions[text] = may_code(next(readings), text) or self._decisions.get(text, False)

    def __call__(self, sentence_text: str) -> bool:
        from flashpoint.events.decide import may_code

        decided = self._decisions.get(sentence_text)
        if decided is not None:
            return decided
        return may_code(self.events.model.read([sentence_text])[0], sentence_text)
