"""The temporal stage dates every event candidate from its sentence, its context or publication."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, EventCandidate, Modality, Sentence, TimePrecision
from flashpoint.temporal import TemporalStage

PUB = dt.date(2018, 5, 8)


def _sentences(text: str) -> tuple[Sentence, ...]:
    """Sentence split at . ! ? followed by space (with an optional closing quote), as a test fake."""
    out: list[Sentence] = []
    start = 0
    for m in re.finditer(r"[.!?][”\"]?(?=\s)|$", text):
        end = m.end()
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            s = start + chunk.index(stripped)
            out.append(Sentence(len(out), s, s + len(stripped), stripped))
        start = end
    return tuple(out)


def _state(text: str, published: dt.date | None, triggers: list[str]) -> ArticleState:
    sentences = _sentences(text)
    candidates = []
    for word in triggers:
        pos = text.index(word)
        sentence = next(s for s in sentences if s.start <= pos < s.end)
        candidates.append(EventCandidate(sentence.index, "Battles", "Armed clash", Modality.ASSERTED, 0.9,
                                         (pos, pos + len(word))))
    return ArticleState(Article("a1", text, published=published), sentences=sentences,
                        candidates=tuple(candidates), done=frozenset({"nlp", "events"}))


def test_temporal_stage_dates_from_sentence_context_and_publication():
    text = (
        "Rebels seized the town on Monday. They raised their flag over the town hall.\n\n"
        "Jets previously bombed the market. Villagers fled.\n\n"
        "“We came out today to say leave,” said one protester at a recent demonstration.\n\n"
        "Clashes erupted at the end of April."
    )
    state = TemporalStage()(_state(text, PUB, ["seized", "raised", "bombed", "fled", "came", "Clashes"]))
    assert "temporal" in state.done
    seized, raised, bombed, fled, came, clashes = (c.date for c in state.candidates)
    assert seized is not None and seized.start == dt.date(2018, 5, 7) and seized.precision == TimePrecision.DAY
    assert raised == seized  # the next sentence of the paragraph keeps the lead's date
    assert bombed is not None and bombed.basis == "publication" and bombed.event_date == PUB
    assert fled is not None and fled.basis == "publication"  # previous sentence is vague
    # the quote's "today" is the speaker's: the event is only "recent", dated by publication
    assert came is not None and came.basis == "publication" and came.precision == TimePrecision.MONTH
    assert clashes is not None and (clashes.start, clashes.end) == (dt.date(2018, 4, 21), dt.date(2018, 4, 30))
    assert clashes.span is not None and text[clashes.span[0] : clashes.span[1]] == "at the end of April"


def test_temporal_stage_quote_attribution_in_next_sentence_gives_the_date():
    text = "“They shot at us,” a witness said. Said one of them on Sunday, the shooting lasted an hour."
    state = TemporalStage()(_state(text, PUB, ["shot"]))
    date = state.candidates[0].date
    assert date is not None and date.start == dt.date(2018, 5, 6)


def test_temporal_stage_without_publication_date_leaves_dates_unset():
    state = TemporalStage()(_state("Rebels seized the town on Monday.", None, ["seized"]))
    assert state.candidates[0].date is None and "temporal" in state.done


def test_temporal_stage_nearest_date_to_trigger():
    text = "After the siege that began in March, jets struck the hospital on 2 May and shelled it in April."
    state = TemporalStage()(_state(text, PUB, ["struck", "shelled"]))
    struck, shelled = (c.date for c in state.candidates)
    assert struck is not None and struck.start == dt.date(2018, 5, 2)
    assert shelled is not None and shelled.start == dt.date(2018, 4, 1)


def test_temporal_stage_seed_article_handover_and_protest(seed_text):
    state = TemporalStage()(_state(seed_text, PUB, ["forced to surrender", "fire live rounds", "We have come out"]))
    handover, live_rounds, protest = (c.date for c in state.candidates)
    assert handover is not None and dt.date(2018, 4, 20) <= handover.start <= handover.end <= dt.date(2018, 4, 30)
    assert handover.precision == TimePrecision.WEEK
    assert dt.date(2018, 4, 20) <= handover.event_date <= dt.date(2018, 4, 30)
    assert live_rounds is not None and live_rounds.basis == "publication" and live_rounds.event_date == PUB
    assert protest is not None and protest.basis == "publication"


@pytest.mark.parametrize("published", [dt.date(2018, 1, 1), dt.date(2020, 2, 29)])
def test_temporal_stage_keeps_dates_already_set(published):
    state = _state("Rebels seized the town yesterday.", published, ["seized"])
    once = TemporalStage()(state)
    twice = TemporalStage()(once)
    assert once.candidates == twice.candidates
    assert once.candidates[0].date is not None
    assert once.candidates[0].date.start == published - dt.timedelta(days=1)


def test_temporal_stage_earlier_year_alone_dates_by_that_year_not_publication():
    text = "Islamic State first captured Raqqa in early 2014. Fighters shelled the city last year."
    state = TemporalStage()(_state(text, PUB, ["captured", "shelled"]))
    captured, shelled = (c.date for c in state.candidates)
    assert captured is not None and captured.basis == "year"
    assert (captured.start, captured.end) == (dt.date(2014, 1, 1), dt.date(2014, 12, 31))
    assert captured.event_date.year == 2014
    assert shelled is not None and shelled.basis == "year" and shelled.start == dt.date(2017, 1, 1)
