"""The event location model: the shipped file, its failure modes, and its choices through the real stage."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from flashpoint.errors import ModelError
from flashpoint.geo.gazetteer import MemoryGazetteer
from flashpoint.geo.stage import GeoStage, LocationModel, load_model
from flashpoint.nlp.model import RegexModel
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, EventCandidate, Modality, Place


def _candidate(text: str, trigger: str, sentence: int = 0) -> EventCandidate:
    i = text.index(trigger)
    return EventCandidate(sentence, "Armed clash", "Armed clash", Modality.ASSERTED, 0.9, (i, i + len(trigger)))


def test_geo_location_model_shipped_file_loads() -> None:
    model = load_model()
    assert len(model.weights) > 100
    assert model.meta["script"] == "training/geo_location/train.py"
    assert model.meta["figures"]["cv_model"]["accuracy"] > model.meta["figures"]["rule"]["accuracy"]


@pytest.mark.parametrize("content", ["not json", '{"format": 99, "weights": {}}', '{"format": 1}',
                                     '{"format": 1, "weights": {"side:after": "high"}}'])
def test_geo_location_model_malformed_file_fails_naming_it(tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken-location.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=r"broken-location\.json"):
        load_model(path)


def test_geo_location_model_missing_file_fails_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"absent-location\.json"):
        load_model(tmp_path / "absent-location.json")


def test_geo_location_model_round_trips() -> None:
    model = LocationModel({"side:after": 0.5, "kind:3": -1.0}, {"C": 1.0})
    assert LocationModel.from_json(model.to_json()) == model


HOMS = Place("Homs", 34.72682, 36.72339, 169577, "SY", "SYR", "Syria", "Homs", None, None, "P", "PPLA", 775404)
HAMA = Place("Hama", 35.13179, 36.75783, 170017, "SY", "SYR", "Syria", "Hama", None, None, "P", "PPLA", 460602)


def test_geo_location_model_is_what_the_stage_asks() -> None:
    """Step 1 is the model's choice: a model that favours the last place gets it."""
    text = "Fighting in Homs spread to villages near Hama on Monday."
    analysis = next(RegexModel().analyse([text]))
    state = ArticleState(Article("a1", text), analysis.sentences, analysis.tokens, (),
                         candidates=(_candidate(text, "Fighting"),))
    gaz = MemoryGazetteer([HOMS, HAMA])
    for weights, want in (({"first": 5.0}, HOMS), ({"last": 5.0}, HAMA)):
        out = GeoStage(gaz, model=LocationModel(weights, {}))(state)
        loc = out.candidates[0].location
        assert loc is not None and loc.place == want


def test_geo_location_model_trained_with_none_falls_back_to_the_sentence_before() -> None:
    """A model trained with the "none of these places" option (``none_option`` in its meta) that prefers
    it leaves the sentence's places and takes the one of the sentence before; the same weights in a
    model without the option must pick a place of the sentence."""
    text = "Fighting in Homs went on for a week. Troops shelled Hama on Monday."
    analysis = next(RegexModel().analyse([text]))
    state = ArticleState(Article("a1", text), analysis.sentences, analysis.tokens, (),
                         candidates=(_candidate(text, "shelled", sentence=1),))
    gaz = MemoryGazetteer([HOMS, HAMA])
    for meta, want in (({"none_option": True}, HOMS), ({}, HAMA)):
        out = GeoStage(gaz, model=LocationModel({"none": 5.0}, meta))(state)
        loc = out.candidates[0].location
        assert loc is not None and loc.place == want, meta


@pytest.fixture(scope="module")
def read() -> Callable[[str, str], str | None]:
    """The real NLP and actor stages before the real geo stage (shipped gazetteer and model)."""
    from flashpoint.actors import ActorStage
    from flashpoint.nlp import NlpStage
    from flashpoint.nlp.model import SpacyModel

    nlp, actors, geo = NlpStage(SpacyModel(ner_everywhere=False)), ActorStage(), GeoStage()

    def run(text: str, trigger: str) -> str | None:
        state = actors(nlp(ArticleState(Article("t", text))))
        i = text.index(trigger)
        sentence = next(s.index for s in state.sentences if s.start <= i < s.end)
        out = geo(dataclasses.replace(state, candidates=(_candidate(text, trigger, sentence),)))
        loc = out.candidates[0].location
        return None if loc is None else loc.text

    return run


@pytest.mark.parametrize(("text", "trigger", "where"), [
    # a destination "to X" in the trigger's reach is a candidate: the model weighs it and prefers the scene
    ("Rebels in Daraa attacked a convoy that was travelling to Damascus.", "attacked", "Daraa"),
    ("Police in Nairobi arrested 12 protesters who had marched to Mombasa.", "arrested", "Nairobi"),
    # a reference point "a town south of X" locates the town, not the event
    ("Airstrikes hit Maarat al-Numan, a town south of Idlib city, on Tuesday.", "Airstrikes", "Maarat al-Numan"),
    ("Clashes broke out in Kafr Nabudah, a village north of Hama, on Sunday.", "Clashes", "Kafr Nabudah"),
])
def test_geo_location_model_picks_where_the_event_happens(read: Callable[[str, str], str | None], text: str, trigger: str,
                                                          where: str) -> None:
    assert read(text, trigger) == where


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "where"), [
    # an adjective of a people is no place, even where a gazetteer has a region of that name
    ("Kurdish fighters clashed with government troops in Aleppo on Monday.", "clashed", "Aleppo"),
    ("Kurdish fighters clashed with government troops on Monday.", "clashed", None),
    # a name the tagger reads as an adjective but nothing reads as a people stays a place
    ("Militants gave up the Yarmouk refugee camp on Sunday.", "gave", "Yarmouk"),
    # a news agency named like a city is no place
    ("Sana, the official news agency, said gunmen attacked a checkpoint in Homs.", "attacked", "Homs"),
    # ... but a place the agency reports from stays one
    ("Gunmen stormed a station in Kunming, according to state news agency Xinhua.", "stormed", "Kunming"),
    # a person who speaks is no place, whatever the gazetteer holds under that name
    ("A rocket struck a market on Friday, activist Abou el Hassan told reporters.", "struck", None),
])
def test_geo_location_never_an_adjective_an_agency_or_a_speaker(read: Callable[[str, str], str | None], text: str,
                                                                trigger: str, where: str | None) -> None:
    assert read(text, trigger) == where
