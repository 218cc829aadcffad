"""Claims of control read from events: a table of hand-built events and the claims each gives."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.control.claims import claims_from_events
from flashpoint.records import ClaimKind, Evidence, GeoPrecision, Modality, TimePrecision
from tests.helpers import make_event

HTS, ARMY = "Hayat Tahrir al-Sham", "Military Forces of Syria (2000-2024)"


def _event(sub: str, text: str, **changes: object):  # type: ignore[no-untyped-def]
    return make_event(sub_event_type=sub, evidence=Evidence("a1", text, 0, len(text)), **changes)


@pytest.mark.parametrize(
    ("event", "claims"),
    [
        # a change of hands: the gaining side gains, the other loses
        (_event("Non-state actor overtakes territory", "HTS fighters seized Saraqib from the army.",
                actor1=HTS, actor2=ARMY, inter2=1),
         {(HTS, ClaimKind.GAINS), (ARMY, ClaimKind.LOSES)}),
        (_event("Government regains territory", "The army retook Saraqib from HTS.", actor1=ARMY, inter1=1,
                actor2=HTS, inter2=2),
         {(ARMY, ClaimKind.GAINS), (HTS, ClaimKind.LOSES)}),
        # a base set up: the actor holds the place
        (_event("Headquarters or base established", "HTS set up a base in Saraqib.", actor1=HTS),
         {(HTS, ClaimKind.HOLDS)}),
        # shelling says nothing of who holds a place
        (_event("Shelling/artillery/missile attack", "HTS shelled Saraqib.", actor1=HTS), set()),
        # an attempt, a threat or a plan changes nobody's control
        (_event("Non-state actor overtakes territory", "HTS tried to seize Saraqib.", actor1=HTS, actor2=ARMY,
                modality=Modality.ATTEMPTED), set()),
        (_event("Non-state actor overtakes territory", "HTS threatened to seize Saraqib.", actor1=HTS,
                actor2=ARMY, modality=Modality.THREATENED), set()),
        # a province changes hands place by place, not in one event
        (_event("Non-state actor overtakes territory", "HTS seized Idlib province.", actor1=HTS, actor2=ARMY,
                location="Idlib", geo_precision=GeoPrecision.REGION), set()),
        # an undated event says nothing of when control changed
        (_event("Non-state actor overtakes territory", "HTS seized Saraqib.", actor1=HTS, actor2=ARMY,
                event_date=None, time_precision=None), set()),
    ],
)
def test_control_claims_from_events(event, claims) -> None:  # type: ignore[no-untyped-def]
    got = claims_from_events([event])
    assert {(c.actor, c.kind) for c in got} == claims
    for c in got:
        assert c.place == event.location and c.event_id == event.event_id and c.evidence == event.evidence


def test_control_claims_carry_the_event_date_as_a_span() -> None:
    event = _event("Non-state actor overtakes territory", "HTS seized Saraqib on Monday.", actor1=HTS, actor2=ARMY,
                   event_date=dt.date(2018, 5, 7), time_precision=TimePrecision.DAY)
    (gain, _) = claims_from_events([event])
    assert gain.date.start <= dt.date(2018, 5, 7) <= gain.date.end
