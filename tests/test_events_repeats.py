"""The repeat model: which of an article's mentions tell again an event it has reported (flashpoint.events.repeats)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest

from flashpoint.errors import ModelError
from flashpoint.events import repeats
from flashpoint.events.sentence_model import NONE, Reading
from flashpoint.records import Actor, ActorMention, EventCandidate, Modality, Sentence

PUBLISHED = dt.date(2024, 3, 10)
TEXTS = (
    "Gunmen attacked a police post in the town on Saturday, killing three officers.",
    "The attack was the third on the post this month.",
    "“We will strike again,” a spokesman for the group said.",
    "In 2011, the same group bombed a market in the city.",
)
SENTENCES = tuple(Sentence(i, sum(len(t) + 1 for t in TEXTS[:i]), sum(len(t) + 1 for t in TEXTS[: i + 1]) - 1, t)
                  for i, t in enumerate(TEXTS))


def reading(p_event: float, reason: str) -> Reading:
    probs = ((NONE, 1.0 - p_event), ("Attack", p_event))
    whys = tuple((r, 0.9 if r == reason else 0.1 / 7) for r in repeats.REASONS)
    label = "Attack" if p_event > 0.5 else NONE
    return Reading(label, Modality.ASSERTED if label != NONE else None, max(p_event, 1 - p_event), reason, probs,
                   whys)


READINGS = [reading(0.95, "event"), reading(0.4, "event"), reading(0.3, "threat"), reading(0.2, "background")]


def candidate(sentence: int, modality: Modality = Modality.ASSERTED) -> EventCandidate:
    return EventCandidate(sentence, "Violence against civilians", "Attack", modality, 0.8, (0, 1))


def model_on(column: str, weight: float, bias: float, threshold: float = 0.5) -> repeats.RepeatModel:
    weights = tuple(weight if name == column else 0.0 for name in repeats.FEATURES)
    return repeats.RepeatModel(weights, bias, threshold)


def test_features_read_the_mention_in_its_article() -> None:
    rows = repeats.features([candidate(0), candidate(1), candidate(3)], SENTENCES, READINGS, PUBLISHED)
    col = {name: i for i, name in enumerate(repeats.FEATURES)}
    assert rows.shape == (3, len(repeats.FEATURES))
    assert rows[0, col["p_none"]] == pytest.approx(0.05)
    assert rows[0, col["first_mention"]] == 1.0 and rows[1, col["first_mention"]] == 0.0
    assert rows[1, col["same_sub_before"]] == pytest.approx(np.log1p(1))
    assert rows[2, col["same_sub_before"]] == pytest.approx(np.log1p(2))
    assert rows[1, col["prev_p_event"]] == pytest.approx(0.95)
    assert rows[2, col["older_year"]] == 1.0 and rows[0, col["older_year"]] == 0.0
    assert rows[2, col["reason_background"]] == pytest.approx(0.9)
    assert rows[0, col["type_Violence against civilians"]] == 1.0


def test_a_low_mention_after_an_event_of_its_sub_event_type_joins_it() -> None:
    model = model_on("first_mention", 10.0, -5.0)  # only the article's first mention is news
    kept = model.merge([candidate(0), candidate(1)], SENTENCES, READINGS, PUBLISHED)
    assert len(kept) == 1
    assert kept[0].sentence == 0 and kept[0].also == (1,)


def test_a_low_mention_with_no_earlier_event_of_its_sub_event_type_stands() -> None:
    model = model_on("p_none", -10.0, 0.0)  # every mention scores low
    other = dataclasses.replace(candidate(1), event_type="Battles", sub_event_type="Armed clash")
    kept = model.merge([other, candidate(2), candidate(3)], SENTENCES, READINGS, PUBLISHED)
    # the clash and the first attack stand (nothing before them to retell); the second attack joins the first
    assert [(c.sentence, c.sub_event_type, c.also) for c in kept] == [
        (1, "Armed clash", ()), (2, "Attack", (3,))]
    assert all(c.modality is Modality.ASSERTED for c in kept)


def test_joined_by_violence_a_retelling_of_another_violent_type_joins_the_event() -> None:
    every_low = model_on("p_none", -10.0, 0.0)
    blast = dataclasses.replace(candidate(0), event_type="Explosions/Remote violence",
                                sub_event_type="Remote explosive/landmine/IED")
    arrest = dataclasses.replace(candidate(2), event_type="Strategic developments", sub_event_type="Arrests")
    detained = dataclasses.replace(candidate(3), event_type="Strategic developments", sub_event_type="Agreement")
    mentions = [blast, candidate(1), arrest, detained]
    # by sub-event type, "the attack" (sentence 1) stands beside the blast
    assert [c.sentence for c in every_low.merge(mentions, SENTENCES, READINGS, PUBLISHED)] == [0, 1, 2, 3]
    by_violence = dataclasses.replace(every_low, join_by="violence")
    kept = by_violence.merge(mentions, SENTENCES, READINGS, PUBLISHED)
    # the attack joins the blast; strategic developments still join only their own sub-event type
    assert [(c.sentence, c.also) for c in kept] == [(0, (1,)), (2, ()), (3, ())]
    again = repeats.RepeatModel.from_json(by_violence.to_json(), "test")
    assert again.join_by == "violence"


def test_a_model_file_with_an_unknown_join_kind_is_refused(tmp_path) -> None:
    data = json.loads(model_on("p_none", 1.0, 0.0).to_json())
    data["join_by"] = "everything"
    path = tmp_path / "repeats.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="join_by"):
        repeats.load_model(path)


def test_decide_says_which_mentions_stand_join_or_are_left_out() -> None:
    model = dataclasses.replace(model_on("p_none", -10.0, 0.0), drop_types=("Battles",))
    clash = dataclasses.replace(candidate(0), event_type="Battles", sub_event_type="Armed clash")
    kept, joins = model.decide([candidate(0), candidate(1), clash], [0.9, 0.1, 0.1])
    assert kept == [0] and joins == {1: 0}  # the clash scores low, retells nothing and is of a dropped type
    # an article's only mention in the default output stands, however low it scores
    assert model.decide([clash, candidate(2, Modality.HYPOTHETICAL)], [0.1, 0.1]) == ([0, 1], {})


def test_a_low_mention_of_a_dropped_event_type_that_retells_nothing_is_left_out() -> None:
    every_low = model_on("p_none", -10.0, 0.0)
    model = dataclasses.replace(every_low, drop_types=("Violence against civilians",))
    clash = dataclasses.replace(candidate(1), event_type="Battles", sub_event_type="Armed clash")
    kept = model.merge([clash, candidate(2), candidate(3)], SENTENCES, READINGS, PUBLISHED)
    assert [(c.sentence, c.sub_event_type) for c in kept] == [(1, "Armed clash")]  # both attacks left out
    high = model_on("p_none", -10.0, 20.0)  # every mention scores high: nothing is left out
    assert len(dataclasses.replace(high, drop_types=("Violence against civilians",)).merge(
        [clash, candidate(2), candidate(3)], SENTENCES, READINGS, PUBLISHED)) == 3
    again = repeats.RepeatModel.from_json(model.to_json(), "test")
    assert again.drop_types == ("Violence against civilians",)


def test_mentions_outside_the_default_output_are_left_alone() -> None:
    model = model_on("p_none", -10.0, 0.0)
    planned = candidate(2, Modality.HYPOTHETICAL)
    assert model.merge([candidate(0), planned], SENTENCES, READINGS, PUBLISHED) == (candidate(0), planned)


def test_the_shipped_model_loads_and_says_what_it_was_trained_on() -> None:
    model = repeats.load_model()
    assert len(model.weights) == len(repeats.FEATURES)
    assert 0.0 < model.threshold < 1.0
    assert "corpus articles" in model.trained_on


def test_a_model_with_other_features_is_refused(tmp_path) -> None:
    data = json.loads(model_on("p_none", 1.0, 0.0).to_json())
    data["features"][0] = "something_else"
    path = tmp_path / "repeats.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="feature names"):
        repeats.load_model(path)
    path.write_text("{")
    with pytest.raises(ModelError, match="malformed"):
        repeats.load_model(path)


def test_a_retelling_fills_the_roles_its_event_left_empty() -> None:
    hts = ActorMention(90, 93, "HTS", 1, Actor("Hayat Tahrir al-Sham", "rebel group", 2), 0.9)
    march = candidate(0)
    retelling = dataclasses.replace(candidate(1), target=hts, fatalities=2, fatalities_span=(40, 43))
    event = repeats.joined(march, retelling)
    assert (event.sentence, event.also, event.target, event.fatalities) == (0, (1,), hts, 2)
    assert event.fatalities_span == (40, 43)
    kept = repeats.joined(dataclasses.replace(march, fatalities=5), retelling)
    assert kept.fatalities == 5 and kept.fatalities_span is None  # the event's own figure stands
