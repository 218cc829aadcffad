"""ACLED-style notes built from event fields."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.events.notes import write_note
from flashpoint.records import Modality, Quantity, TimePrecision


def _note(**changes: object) -> str:
    fields: dict[str, object] = dict(
        event_date=dt.date(2018, 4, 28),
        time_precision=TimePrecision.DAY,
        sub_event_type="Non-violent transfer of territory",
        actor1="Hayat Tahrir al-Sham",
        actor2=None,
        target=None,
        location="Yarmouk Camp",
        admin1="Damascus",
        country="Syria",
        fatalities=0,
        quantities=(),
        modality=Modality.ASSERTED,
    )
    fields.update(changes)
    return write_note(**fields)  # type: ignore[arg-type]


def test_notes_follow_acled_style_date_actor_place() -> None:
    note = _note(quantities=(Quantity(5000, "militants and their families evacuated"),))
    assert note.startswith("On 28 April 2018, Hayat Tahrir al-Sham ")
    assert "in Yarmouk Camp (Damascus)" in note
    assert "5,000 militants and their families evacuated" in note
    assert note.endswith(".") and note.count(". ") == 0


def test_notes_month_precision_and_fatalities() -> None:
    note = _note(time_precision=TimePrecision.MONTH, sub_event_type="Armed clash",
                 actor2="Military Forces of Syria", fatalities=1)
    assert note.startswith("In April 2018, Hayat Tahrir al-Sham clashed with Military Forces of Syria")
    assert "1 fatality" in note


@pytest.mark.parametrize("modality", [Modality.ATTEMPTED, Modality.THREATENED, Modality.HYPOTHETICAL])
def test_notes_say_when_an_event_did_not_happen(modality: Modality) -> None:
    assert _note(sub_event_type="Armed clash", actor2="X", modality=modality).count(" to ") + (
        " may " in _note(sub_event_type="Armed clash", actor2="X", modality=modality)
    ) >= 1


def test_notes_reject_unknown_sub_event_type() -> None:
    with pytest.raises(KeyError, match="Picnic"):
        _note(sub_event_type="Picnic")


def test_notes_without_actor_use_a_generic_subject() -> None:
    note = _note(sub_event_type="Peaceful protest", actor1=None, location=None, admin1=None)
    assert note.startswith("On 28 April 2018, protesters held a peaceful protest in Syria")
