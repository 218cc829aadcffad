"""The cheap prefilter: does a sentence possibly report an event? (decides what gets parsed)

A regular expression of word stems over the lowercased sentence. It is tuned for recall: a sentence
it rejects is never parsed or classified, so a miss here loses an event. The stems live in
``data/trigger_stems.txt`` (one stem a line; ``#`` comments), matched at a word start.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from flashpoint.errors import KnowledgeError

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
