"""Mentions anchored to the article's time (real spaCy parse): history a long article recalls is background.

The sentences are written for these tests in the style of news features; none is copied from an article.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from flashpoint.events import EventStage
from flashpoint.events.anchoring import ArticleClock, anchor_reading
from flashpoint.pipeline import ArticleState
from flashpoint.records import DEFAULT_MODALITIES, Article, Modality

PUBLISHED = dt.date(2018, 3, 1)


@pytest.fixture(scope="module")
def parse(spacy_model):  # type: ignore[no-untyped-def]
    from flashpoint.nlp import NlpStage

    stage = NlpStage(spacy_model)

    def run(text: str, published: dt.date | None = PUBLISHED) -> ArticleState:
        return stage(ArticleState(Article("t", text, published)))

    return run


def _reading(state: ArticleState, word: str):  # type: ignore[no-untyped-def]
    text = state.article.text
    m = list(re.finditer(rf"\b{re.escape(word)}", text))[-1]
    sentence = next(s for s in state.sentences if s.start <= m.start() < s.end)
    tokens = [t for t in state.tokens if t.sentence == sentence.index]
    assert state.article.published is not None
    return anchor_reading(ArticleClock(state.sentences, state.article.published), sentence, tokens, m.span())


LEAD = "Hundreds of mourners gathered in a small town hall on Friday. "


@pytest.mark.parametrize(("text", "word", "cue"), [
    # an old date of its own, with nothing recent beside it
    (LEAD + "The volunteer was detained by police on 12 November at the border.", "detained", "old date"),
    (LEAD + "Turkey launched its offensive against the militia two months ago.", "offensive", "old date"),
    # no date of its own, told in the simple past right after an old one
    (LEAD + "He went back to Britain in November 2015. On landing at the airport he was arrested by police.",
     "arrested", "old context"),
    # a span of history before the trigger
    (LEAD + "During the war the regime shelled the old city.", "shelled", "period"),
    (LEAD + "Since the start of the uprising rebels have attacked the garrison.", "attacked", "period"),
    # a habit
    (LEAD + "Government forces have repeatedly bombed hospitals in the province.", "bombed", "habit"),
    # the past perfect, not reported speech
    (LEAD + "The town had fallen to the militants before the winter.", "fallen", "past perfect"),
])
def test_events_anchoring_history_is_background(parse, text: str, word: str, cue: str) -> None:  # type: ignore[no-untyped-def]
    reading = _reading(parse(text), word)
    assert reading is not None and reading.modality is Modality.BACKGROUND and reading.cue == cue, reading


@pytest.mark.parametrize(("text", "word"), [
    # dated recently
    (LEAD + "Rebels shelled the town on Tuesday.", "shelled"),
    (LEAD + "Jets bombed the enclave in the past week, killing dozens.", "bombed"),
    (LEAD + "At the height of the siege that ended last Sunday, rebels took control of the city.", "took control"),
    # reported speech in the past perfect
    (LEAD + "The army said it had recaptured the border town from the militants.", "recaptured"),
    # the present perfect after an old date is tied to now
    (LEAD + "The siege began in 2013. Hospitals in the enclave have been hit by airstrikes.", "airstrikes"),
    # the lead sentence is the news
    ("Rebels captured the town. It had been held by the army since 2012.", "captured"),
])
def test_events_anchoring_news_is_left_alone(parse, text: str, word: str) -> None:  # type: ignore[no-untyped-def]
    assert _reading(parse(text), word) is None


def test_events_anchoring_stage_keeps_background_mentions(parse) -> None:  # type: ignore[no-untyped-def]
    text = LEAD + ("He went back to Britain in November 2015. On landing at the airport he was arrested by police "
                   "on terrorism charges.")
    events = EventStage()(parse(text).with_("actors", actor_mentions=())).candidates
    arrests = [c for c in events if c.sub_event_type == "Arrests"]
    assert arrests and all(c.modality is Modality.BACKGROUND for c in arrests)


def test_events_anchoring_needs_a_publication_date(parse) -> None:  # type: ignore[no-untyped-def]
    text = LEAD + ("He went back to Britain in November 2015. On landing at the airport he was arrested by police "
                   "on terrorism charges.")
    events = EventStage()(parse(text, None).with_("actors", actor_mentions=())).candidates
    assert any(c.sub_event_type == "Arrests" and c.modality in DEFAULT_MODALITIES for c in events)
