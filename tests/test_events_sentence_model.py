"""The shipped sentence model: one file, deterministic readings, trigger words, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashpoint.errors import ModelError
from flashpoint.events.sentence_model import HEADS, NONE, SentenceModel, default_model_path, load_model
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
