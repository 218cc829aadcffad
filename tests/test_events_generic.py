"""Generic, habitual, dated and conditional mentions (real spaCy parse) are kept out of the default output.

The sentences are written for these tests in the style of analytical news; none is copied from an article.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from flashpoint.events import EventStage
from flashpoint.events.generic import generic_reading, names_a_thing
from flashpoint.pipeline import ArticleState
from flashpoint.records import DEFAULT_MODALITIES, Article, Modality, Token

PUBLISHED = dt.date(2018, 3, 1)


@pytest.fixture(scope="module")
def parse(spacy_model):  # type: ignore[no-untyped-def]
    from flashpoint.nlp import NlpStage

    stage = NlpStage(spacy_model)

    def run(text: str) -> ArticleState:
        return stage(ArticleState(Article("t", text, PUBLISHED)))

    return run


def _trigger(text: str, word: str) -> tuple[int, int]:
    m = re.search(rf"\b{re.escape(word)}", text)
    assert m is not None, word
    return m.span()


def _tokens(state: ArticleState) -> list[Token]:
    return list(state.tokens)


@pytest.mark.parametrize(("text", "word", "modality"), [
    # a question asks, it does not report
    ("Did the rebels know of any villagers killed by coalition airstrikes?", "airstrikes", Modality.HYPOTHETICAL),
    # "any" quantifies over possible events
    ("The zone is meant to shield border towns from any incursions or rocket attacks.", "rocket",
     Modality.HYPOTHETICAL),
    # conditions
    ("The regime will keep a free hand as long as it does not use chemical weapons.", "chemical",
     Modality.HYPOTHETICAL),
    ("Once a fighter is captured, he must face a court.", "captured", Modality.HYPOTHETICAL),
    # a standing situation of years
    ("The PKK, which has fought a decades-long insurgency against the state, denies the charge.", "fought",
     Modality.BACKGROUND),
    ("Ankara has long protested at the alliance with the Kurdish militia.", "protested", Modality.BACKGROUND),
    # an event dated years back in its own noun phrase
    ("The town, scene of the 2013 sarin attack, is besieged again.", "sarin", Modality.BACKGROUND),
    ("Last year's one-off air strike aside, the president has shown no interest.", "air strike",
     Modality.BACKGROUND),
    # a participle or a progressive relative clause describing its noun
    ("Aid workers went back to some areas retaken by the rebels.", "retaken", Modality.BACKGROUND),
    ("The men were caught by the SDF, which were fighting the last pockets of Isis near the river.", "fighting",
     Modality.BACKGROUND),
    # habits, circumstances, kinds of event
    ("They bomb schools and hospitals under any pretext.", "bomb", Modality.BACKGROUND),
    ("With fighting raging in the north, aid cannot reach the camps.", "fighting", Modality.BACKGROUND),
    ("Rescuers pulled the wounded from the rubble of airstrikes for years.", "airstrikes", Modality.BACKGROUND),
    ("The cell's jailer had a reputation for waterboarding and mock executions.", "executions",
     Modality.BACKGROUND),
    # previously
    ("Both governments had previously claimed he was killed in an airstrike near the city.", "airstrike",
     Modality.BACKGROUND),
])
def test_events_generic_readings(parse, text: str, word: str, modality: Modality) -> None:  # type: ignore[no-untyped-def]
    state = parse(text)
    reading = generic_reading(text, _tokens(state), _trigger(text, word), PUBLISHED)
    assert reading is not None and reading.modality is modality, reading


@pytest.mark.parametrize(("text", "word"), [
    ("Government forces shelled the town of Douma on Monday, killing 12 people.", "shelled"),
    ("At least 200 civilians were killed in air strikes in the past week.", "air strikes"),
    ("Three days of intensive shelling and airstrikes displaced 5,000 people.", "airstrikes"),
    ("Turkish troops are firing artillery at Afrin from the border.", "artillery"),
    ("Rebels attack army base in Idlib.", "attack"),  # a headline's present
    ("Mob lynches man accused of theft.", "lynches"),
    ("Dozens of protesters were wounded as police fired tear gas in the 2018 protests.", "protesters"),
    ("Holmes was killed on 23 October when a mine exploded in Raqqa.", "mine"),
    # the small model parses "protested" as a participle of "residents" under a root "Hundreds"
    ("Hundreds of residents protested in Maarat al-Numan against the militants on Tuesday.", "protested"),
])
def test_events_generic_reports_are_left_alone(parse, text: str, word: str) -> None:  # type: ignore[no-untyped-def]
    state = parse(text)
    assert generic_reading(text, _tokens(state), _trigger(text, word), PUBLISHED, lead=True) is None


@pytest.mark.parametrize(("text", "word", "thing"), [
    ("Activists and protest groups tend to focus on easier targets.", "protest", False),  # groups are actors
    ("He should be sent to the US detention camp in Cuba.", "detention", True),
    ("The US struck Syria's chemical weapons capabilities.", "chemical", True),
    ("The Organisation for the Prohibition of Chemical Weapons sent inspectors.", "Chemical", True),
    ("Treaties such as the 1993 Chemical Weapons Convention bind the state.", "Chemical", True),
    ("The regime used chemical weapons again.", "chemical", False),
    ("Russia-backed forces used mortar systems against army positions.", "mortar", False),
    ("A vigilante group killed nine bandits.", "vigilante", False),
])
def test_events_generic_names_a_thing(parse, text: str, word: str, thing: bool) -> None:  # type: ignore[no-untyped-def]
    state = parse(text)
    assert names_a_thing(_tokens(state), _trigger(text, word)) is thing


def test_events_generic_without_a_parse_only_questions_count() -> None:
    text = "They bomb schools?"
    assert generic_reading(text, [], (5, 9)) == generic_reading(text, [], (5, 9))
    reading = generic_reading(text, [], (5, 9))
    assert reading is not None and reading.modality is Modality.HYPOTHETICAL
    assert generic_reading("They bomb schools.", [], (5, 9)) is None
    assert names_a_thing([], (5, 9)) is False


def test_events_generic_stage_keeps_talk_of_events_out_of_the_default_output(parse) -> None:  # type: ignore[no-untyped-def]
    text = ("Turkish jets struck Kurdish positions near Afrin on Saturday. "
            "The Kurds have long protested at such raids. "
            "The 2013 sarin attack still haunts the town. "
            "Would the coalition airstrikes ever end?")
    state = EventStage()(parse(text).with_("actors", actor_mentions=()))
    default = [c for c in state.candidates if c.modality in DEFAULT_MODALITIES]
    assert [c.sub_event_type for c in default] == ["Air/drone strike"]
    assert len(state.candidates) > len(default)  # the rest are kept, with their modality


@pytest.mark.parametrize("text", [
    "Like the other fighters who agreed to interviews, he spoke on condition of anonymity.",
    "The prime minister, eyeing a free trade deal with Ankara, said nothing.",
    "The conference is a showpiece to demonstrate the president's influence in the region.",
    "More than 13 million people are displaced and in need of aid.",
    "The programme built a force of 10,000 battle-ready soldiers.",
    "Kurdish forces formed the backbone of the alliance.",
])
def test_events_generic_non_events_give_no_default_event(parse, text: str) -> None:  # type: ignore[no-untyped-def]
    state = EventStage()(parse(text).with_("actors", actor_mentions=()))
    assert [c.sub_event_type for c in state.candidates if c.modality in DEFAULT_MODALITIES] == []


def test_events_generic_a_convoy_hit_by_a_missile_is_no_change_to_the_group(parse) -> None:  # type: ignore[no-untyped-def]
    text = "The aid convoy she was travelling in was struck by a Turkish missile on 16 March."
    state = EventStage()(parse(text).with_("actors", actor_mentions=()))
    assert [c.sub_event_type for c in state.candidates] == ["Shelling/artillery/missile attack"]
