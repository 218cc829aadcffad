"""Support indicators: protests against an actor, its force against protesters, defections, surrenders."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from flashpoint.control import period_of, support_indicators
from flashpoint.control.support import period_bounds, periods_between
from flashpoint.errors import InputError
from flashpoint.records import Event, Evidence, GeoPrecision, Modality, TimePrecision

PUB = dt.date(2018, 5, 8)
LIVE = ("Protests that have previously been organised in some towns and villages under the control of HTS have "
        "prompted the militants to fire live rounds at innocent protesters.")
PROTEST = "“We have come out today in Maarat al-Numan to tell the herds of Joulani that our people don’t want you!”"
HANDOVER = "In southern Damascus, HTS was forced to surrender its positions in the Yarmouk Camp at the end of April."


def _event(eid: str, text: str, **kw: object) -> Event:
    base: dict[str, object] = dict(
        event_id=eid, article_id="seed", event_date=PUB, time_precision=TimePrecision.MONTH,
        date_basis="publication", disorder_type="Demonstrations", event_type="Protests",
        sub_event_type="Peaceful protest", actor1="Protesters (Syria)", assoc_actor_1=None, inter1=6,
        actor2=None, assoc_actor_2=None, inter2=None, interaction=60, civilian_targeting=None, iso=760,
        country="Syria", admin1="Idlib", admin2=None, admin3=None, location="Maarat al-Numan", latitude=35.648,
        longitude=36.672, geo_precision=GeoPrecision.TOWN, geonameid=None, fatalities=0, notes="", source=None,
        target="Hayat Tahrir al-Sham", quantities=(), modality=Modality.ASSERTED, confidence=0.8,
        evidence=Evidence("seed", text, 0, len(text)),
    )
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


def _seed_events() -> list[Event]:
    return [
        _event("P1", PROTEST),
        _event("F1", LIVE, sub_event_type="Excessive force against protesters", actor2="Hayat Tahrir al-Sham",
               inter2=2, interaction=26, target=None, location="Idlib", geo_precision=GeoPrecision.REGION),
        _event("H1", HANDOVER, event_type="Strategic developments", sub_event_type="Non-violent transfer of territory",
               actor1="Hayat Tahrir al-Sham", inter1=2, target=None, event_date=dt.date(2018, 4, 25),
               time_precision=TimePrecision.WEEK, date_basis="explicit", location="Yarmouk Camp"),
        _event("X1", "Government supporters rallied in Damascus.", target="Government of Syria (2000-)"),
    ]


def test_control_support_seed_protest_and_live_rounds_in_may():
    periods = support_indicators(_seed_events(), "Hayat Tahrir al-Sham")
    assert [p.period for p in periods] == ["2018-04", "2018-05"]
    april, may = periods
    assert (may.protests_against, may.force_against_protesters, may.surrenders) == (1, 1, 0)
    assert set(may.event_ids) == {"P1", "F1"}
    assert (april.surrenders, april.event_ids) == (1, ("H1",))


def test_control_support_actor_names_compare_loosely_and_others_do_not_count():
    assert support_indicators(_seed_events(), "hayat tahrir al sham")[-1].protests_against == 1
    assert support_indicators(_seed_events(), "Maarat al-Numan Military Council") == []


def test_control_support_protesters_using_force_are_not_the_perpetrator():
    riot = _event("R1", "Protesters attacked HTS fighters.", sub_event_type="Excessive force against protesters",
                  actor1="Hayat Tahrir al-Sham", actor2="Protesters (Syria)", target=None)
    assert support_indicators([riot], "Hayat Tahrir al-Sham")[0].force_against_protesters == 1
    assert support_indicators([riot], "Protesters (Syria)") == []


def test_control_support_defections_and_gap_months():
    defection = _event("D1", "Dozens of HTS fighters defected to the National Liberation Front.",
                       event_type="Strategic developments", sub_event_type="Change to group/activity",
                       actor1="Hayat Tahrir al-Sham", target=None, event_date=dt.date(2018, 2, 3))
    periods = support_indicators([defection, _seed_events()[0]], "Hayat Tahrir al-Sham")
    assert [p.period for p in periods] == ["2018-02", "2018-03", "2018-04", "2018-05"]
    assert periods[0].defections == 1 and periods[1].event_ids == ()


def test_control_support_weeks_and_years():
    events = [dataclasses.replace(_seed_events()[0], event_date=dt.date(2018, 1, 1))]
    assert support_indicators(events, "Hayat Tahrir al-Sham", by="week")[0].period == "2018-W01"
    assert support_indicators(events, "Hayat Tahrir al-Sham", by="year")[0].period == "2018"


@pytest.mark.parametrize("by", ["month", "week", "year"])
def test_control_support_periods_round_trip(by):
    start, end = dt.date(2017, 11, 20), dt.date(2018, 3, 2)
    periods = list(periods_between(start, end, by))
    assert periods[0] == period_of(start, by) and periods[-1] == period_of(end, by)
    for p in periods:
        lo, hi = period_bounds(p, by)
        assert period_of(lo, by) == p == period_of(hi, by)


def test_control_support_bad_period_is_a_clear_error():
    with pytest.raises(InputError, match="quarter"):
        support_indicators([], "HTS", by="quarter")
