"""The fast path's first step: is an article worth running the NLP pipeline on at all?

Most news is not about political violence. An article in which no word starts with one of the
event trigger stems (``flashpoint.events.prefilter``: kill, clash, protest, arrest, seize ...)
cannot yield an event: the events stage only classifies sentences that pass the same sentence
prefilter, and an article none of whose sentences pass it has nothing to classify. Such an article
is stored with no events and no NLP at all (no tokenizer, no NER, no parser).

The test is the sentence prefilter applied to the whole text, so the article filter never drops an
article the sentence filter would have kept: its recall relative to the pipeline is 1 by
construction, and ``flashpoint bench`` measures what it saves.
"""

from __future__ import annotations

from collections.abc import Callable

RelevanceFilter = Callable[[str], bool]
"""``filter(article_text) -> bool``: False means the article is not coded (no events)."""


def may_report_event(text: str) -> bool:
    """True when any word of ``text`` starts with an event trigger stem."""
    from flashpoint.events.prefilter import may_hold_event

    return may_hold_event(text)


def keep_all(text: str) -> bool:
    """The relevance filter that keeps every article (``--no-fast-path``)."""
    return True
