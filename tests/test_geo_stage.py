"""GeoStage on hand-made states: the event's location is where it happened."""

from __future__ import annotations

from flashpoint.geo.gazetteer import MemoryGazetteer
from flashpoint.geo.stage import GeoStage
from flashpoint.nlp.model import RegexModel
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, EventCandidate, GeoPrecision, Modality, Place

YARMOUK = Place("al-Yarmuk", 33.4699, 36.3018, 166716, "SY", "SYR", "Syria", "Dimashq", None, None, "P", "PPL",
                99999)
IDLIB = Place("Idlib", 35.93062, 36.63393, 169388, "SY", "SYR", "Syria", "Idlib", None, None, "P", "PPLA", 128840)
DAMASCUS = Place("Damascus", 33.5102, 36.29128, 170654, "SY", "SYR", "Syria", "Dimashq", None, None, "P", "PPLC",
                 1569394)
GAZ = MemoryGazetteer([(YARMOUK, ["Yarmouk Camp", "Yarmouk"]), IDLIB, DAMASCUS])


def _state(text: str, trigger: str, sentence: int = 0) -> ArticleState:
    analysis = next(RegexModel().analyse([text]))
    i = text.index(trigger)
    cand = EventCandidate(sentence, "Strategic developments", "Agreement", Modality.ASSERTED, 0.9,
                          (i, i + len(trigger)))
    return ArticleState(Article("a1", text), analysis.sentences, analysis.tokens, (), candidates=(cand,))


def test_geo_stage_destination_is_not_the_event_location() -> None:
    text = "Under the deal in Yarmouk Camp, 5,000 militants and their families will be evacuated to Idlib."
    out = GeoStage(GAZ)(_state(text, "evacuated"))
    loc = out.candidates[0].location
    assert loc is not None and loc.place == YARMOUK
    assert out.candidates[0].geo_precision == GeoPrecision.TOWN
    assert "geo" in out.done
    assert {m.place for m in out.place_mentions} == {YARMOUK, IDLIB}


def test_geo_stage_relative_position_sets_precision_near() -> None:
    text = "Airstrikes hit villages south of Idlib on Monday."
    out = GeoStage(GAZ)(_state(text, "Airstrikes"))
    assert out.candidates[0].location is not None and out.candidates[0].location.place == IDLIB
    assert out.candidates[0].geo_precision == GeoPrecision.NEAR


def test_geo_stage_uses_previous_sentence_when_event_sentence_names_no_place() -> None:
    text = "Fighters gathered in Damascus. They clashed with police for hours."
    out = GeoStage(GAZ)(_state(text, "clashed", sentence=1))
    assert out.candidates[0].location is not None and out.candidates[0].location.place == DAMASCUS
