"""The shipped sentence model: one file, deterministic readings, trigger words, clear errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from flashpoint.errors import ModelError
from flashpoint.events.decide import model_inputs
from flashpoint.events.sentence_model import (
    HEADS,
    NONE,
    SentenceModel,
    default_model_path,
    load_model,
    sentence_of,
    with_context,
)
from flashpoint.records import Modality


def test_shipped_model_is_one_file_under_100_mb_with_its_heads_and_provenance() -> None:
    path = default_model_path()
    assert path.exists() and path.stat().st_size < 100 * 1024 * 1024
    model = load_model()
    assert set(model.class_names) == set(HEADS)
    assert model.classes[0] == NONE and len(model.classes) == 26
    assert {"training_data", "encoder", "triggers"} <= set(model.meta)


def test_readings_are_in_order_remembered_and_deterministic() -> None:
    texts = ["Gunmen opened fire on a crowded bus near Jos, killing seven passengers.",
             "The central bank left its main interest rate unchanged on Thursday.",
             "Gunmen opened fire on a crowded bus near Jos, killing seven passengers."]
    model = load_model()
    first = model.read(texts)
    assert first[0] == first[2]
    fresh = SentenceModel.load(default_model_path()).read(list(reversed(texts)))
    assert fresh == list(reversed(first))
    attack, bank, _ = first
    assert attack.label != NONE and attack.modality is Modality.ASSERTED
    assert bank.label == NONE and bank.modality is None and bank.reason != "event"


def test_trigger_word_is_the_word_weighed_most_for_the_label() -> None:
    model = load_model()
    shifted = SentenceModel(model.encoder, model.class_names, {"Arrests": {"detained": 2.0, "police": 0.5}},
                            model.meta)
    assert shifted.trigger_word("Arrests", ["Police", "detained", "two", "men"]) == 1
    assert shifted.trigger_word("Arrests", ["Nothing", "here"]) is None
    assert shifted.trigger_word("Grenade", ["Police", "detained"]) is None


def test_a_file_that_is_no_model_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"bad\.npz"):
        SentenceModel.load(bad)


def test_each_sentence_after_the_first_reads_with_the_article_lead() -> None:
    lead = "Gunmen attacked a bus near Jos, killing seven passengers."
    texts = [lead, "Police said the gunmen fled.", "“We ran,” one said.", "Said a passenger, who hid."]
    alone = model_inputs(texts)
    assert alone == [lead, texts[1], "“We ran,” one said. Said a passenger, who hid.", texts[3]]
    read = model_inputs(texts, lead=True)
    assert read[0] == lead  # the lead reads alone
    assert read[1:] == [with_context(t, lead) for t in alone[1:]]
    assert [sentence_of(t) for t in read] == alone
    assert model_inputs([], lead=True) == []


def test_the_gate_reads_the_sentence_not_its_lead() -> None:
    """A sentence the gate keeps out of the network stays out when its lead is an attack."""
    model = load_model()
    if model.gate is None:
        pytest.skip("this model file has no gate")
    text = "The central bank left its main interest rate unchanged on Thursday."
    lead = "Gunmen attacked a bus near Jos, killing seven passengers."
    read = with_context(text, lead)
    gate = dataclasses.replace(model.gate, threshold=model.gate.score(text) + 1e-6)
    assert gate.score(read) > gate.threshold  # read whole, the input would pass
    gated = SentenceModel(model.encoder, model.class_names, model.triggers, model.meta, gate)
    reading = gated.read([read])[0]
    assert reading == gated.read([text])[0]
    assert reading.label == NONE and reading.event_probs == ()  # the gate's reading: no network probabilities
