"""The events, actor-role and place readings on hand-built parses (tests/nlp_fake.py): what they do
with a parse is tested apart from what spaCy's parser makes of a sentence."""

from __future__ import annotations

import pytest

from flashpoint.coder import Coder, default_stages
from flashpoint.nlp import NlpStage
from flashpoint.records import DEFAULT_MODALITIES, Modality
from tests.nlp_fake import HandParsedModel

PASSIVE = "The town of Afrin was shelled by Turkish troops on Monday."
NEGATED = "Turkish troops did not shell the town of Afrin on Monday."
PARSES = {
    PASSIVE: [("The", "DET", "det", 1, ""), ("town", "NOUN", "nsubjpass", 5, ""), ("of", "ADP", "prep", 1, ""),
              ("Afrin", "PROPN", "pobj", 2, "GPE"), ("was", "AUX", "auxpass", 5, ""), ("shelled", "VERB", "ROOT", 5, ""),
              ("by", "ADP", "agent", 5, ""), ("Turkish", "ADJ", "amod", 8, "NORP"), ("troops", "NOUN", "pobj", 6, ""),
              ("on", "ADP", "prep", 5, ""), ("Monday", "PROPN", "pobj", 9, "DATE"), (".", "PUNCT", "punct", 5, "")],
    NEGATED: [("Turkish", "ADJ", "amod", 1, "NORP"), ("troops", "NOUN", "nsubj", 4, ""), ("did", "AUX", "aux", 4, ""),
              ("not", "PART", "neg", 4, ""), ("shell", "VERB", "ROOT", 4, ""), ("the", "DET", "det", 6, ""),
              ("town", "NOUN", "dobj", 4, ""), ("of", "ADP", "prep", 6, ""), ("Afrin", "PROPN", "pobj", 7, "GPE"),
              ("on", "ADP", "prep", 4, ""), ("Monday", "PROPN", "pobj", 9, "DATE"), (".", "PUNCT", "punct", 4, "")],
}


@pytest.fixture(scope="module")
def coder() -> Coder:
    stages = default_stages()
    stages[0] = NlpStage(HandParsedModel(PARSES))
    return Coder(stages)


def test_events_hand_parsed_passive_agent_is_actor1_and_the_shelled_town_the_place(coder: Coder) -> None:
    (e,) = coder.code(PASSIVE, published="2018-05-08")
    assert (e.sub_event_type, e.modality) == ("Shelling/artillery/missile attack", Modality.ASSERTED)
    assert e.actor1 == "Military Forces of Turkey" and e.actor2 is None  # "by Turkish troops": the agent
    assert e.location is not None and "Afr" in e.location and e.country == "Syria"
    assert e.field_evidence["actor1"] == (PASSIVE.index("Turkish"), PASSIVE.index(" on Monday"))


def test_events_hand_parsed_a_negated_event_is_kept_but_not_output(coder: Coder) -> None:
    (e,) = coder.code(NEGATED, published="2018-05-08")
    assert e.modality is Modality.HYPOTHETICAL and e.modality not in DEFAULT_MODALITIES
    assert e.actor1 == "Military Forces of Turkey"


def test_events_hand_parsed_model_refuses_a_sentence_nobody_parsed() -> None:
    model = HandParsedModel(PARSES)
    with pytest.raises(ValueError, match="no hand-built parse"):
        list(model.analyse([PASSIVE + " Rebels fled."]))
    (one,) = model.analyse([f"{PASSIVE} {NEGATED}"])
    assert [s.text for s in one.sentences] == [PASSIVE, NEGATED] and one.parsed == {0, 1}
    assert [(m.text, m.label) for m in one.mentions if m.sentence == 0] == [("Afrin", "GPE"), ("Turkish", "NORP"),
                                                                           ("Monday", "DATE")]
