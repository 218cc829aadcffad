"""The records between stages: frozen all the way down, so an event hashes and cannot change, and
their enums are stored and written as the same strings as before."""

from __future__ import annotations

import dataclasses
import json

import pytest

from flashpoint.records import ClaimKind, DateBasis, FrozenMap, text_sha256
from flashpoint.serialize import event_from_dict, event_to_dict
from tests.helpers import make_event


def test_records_event_hashes_and_equal_events_hash_alike():
    event = make_event()
    again = event_from_dict(json.loads(json.dumps(event_to_dict(event))))
    assert again == event
    assert hash(again) == hash(event)
    assert len({event, again, make_event(event_id="FP2")}) == 2


def test_records_event_mappings_are_frozen_copies():
    given = {"type": "ASSAULT", "mode": "aerial"}
    event = make_event(plover=given)
    given["type"] = "PROTEST"
    assert event.plover == {"type": "ASSAULT", "mode": "aerial"}
    assert isinstance(event.field_evidence, FrozenMap) and isinstance(event.machine_values, FrozenMap)
    with pytest.raises(TypeError):
        event.plover["type"] = "PROTEST"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.plover = {}  # type: ignore[misc]
    replaced = dataclasses.replace(event, field_evidence={"date": (4, 9)})
    assert replaced.field_evidence == {"date": (4, 9)} and isinstance(replaced.field_evidence, FrozenMap)


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (FrozenMap({"a": 1, "b": [2]}), {"b": [2], "a": 1}, True),
        (FrozenMap({"a": 1}), FrozenMap([("a", 1)]), True),
        (FrozenMap({"a": 1}), {"a": 2}, False),
        (FrozenMap(), {}, True),
    ],
)
def test_records_frozen_map_equals_mappings_by_items(a, b, equal):
    assert (a == b) is equal
    assert hash(a) == hash(FrozenMap(a))  # JSON list values hash too


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (DateBasis.EXPLICIT, "explicit"),
        (DateBasis.RELATIVE, "relative"),
        (DateBasis.YEAR, "year"),
        (DateBasis.PUBLICATION, "publication"),
        (ClaimKind.HOLDS, "holds"),
        (ClaimKind.GAINS, "gains"),
        (ClaimKind.LOSES, "loses"),
    ],
)
def test_records_enums_are_written_as_their_strings(value, text):
    assert value == text and str(value) == text and json.dumps(value) == json.dumps(text)


def test_records_event_writes_date_basis_as_a_plain_string():
    out = event_to_dict(make_event(date_basis=DateBasis.PUBLICATION))
    assert type(out["date_basis"]) is str and out["date_basis"] == "publication"
    assert event_from_dict(out).date_basis is DateBasis.PUBLICATION


def test_records_text_sha256_is_the_text_exactly_as_received():
    assert text_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_sha256("a") != text_sha256("a ")
    assert len(text_sha256("lone surrogate \ud800")) == 64  # invalid Unicode still has an identity


def test_records_actor_mentions_say_how_they_were_found_with_a_closed_set() -> None:
    from flashpoint.records import Via

    assert {v.value for v in Via} == {"alias", "acronym", "coreference", "nationality", "country", "role", "ner",
                                      "world"}
    assert Via("coreference") is Via.COREFERENCE and f"via:{Via.ROLE}" == "via:role"  # stored and model strings
    with pytest.raises(ValueError):
        Via("guess")
