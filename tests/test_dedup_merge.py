"""Reports of one event merge into one; different places, days, types or actors do not."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from flashpoint.dedup import deduplicate, merge, same_event
from flashpoint.records import Event, Evidence, GeoPrecision, Modality, TimePrecision

REPORT_A = ("Syrian government jets struck the town of Khan Sheikhoun in southern Idlib on Tuesday, "
            "killing at least 12 people, the Syrian Observatory said.")
REPORT_B = ("Air raids by regime warplanes hit Khan Shaykhun on 1 May; rescuers said 15 civilians died "
            "and dozens were wounded.")


def _event(**kw: object) -> Event:
    base: dict[str, object] = dict(
        event_id="FP1", article_id="a", event_date=dt.date(2018, 5, 1), time_precision=TimePrecision.DAY,
        date_basis="relative", disorder_type="Political violence", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1="Military Forces of Syria (2000-)", assoc_actor_1=None,
        inter1=1, actor2="Civilians (Syria)", assoc_actor_2=None, inter2=7, interaction=17,
        civilian_targeting="Civilian targeting", iso=760, country="Syria", admin1="Idlib", admin2="Maarat al-Numan",
        admin3="Khan Shaykhun", location="Khan Shaykhun", latitude=35.4417, longitude=36.6508,
        geo_precision=GeoPrecision.TOWN, geonameid=169304, fatalities=12, notes="", source="Guardian",
        target=None, quantities=(), modality=Modality.ASSERTED, confidence=0.8,
    )
    base.update(kw)
    ev = base.pop("evidence", None)
    event = Event(**base)  # type: ignore[arg-type]
    if ev is not None:
        event = dataclasses.replace(event, evidence=ev, sources=(ev,))  # type: ignore[arg-type]
    return event


def _reports() -> tuple[Event, Event]:
    ev_a = Evidence("guardian-1", REPORT_A, 0, len(REPORT_A))
    ev_b = Evidence("bbc-7", REPORT_B, 0, len(REPORT_B))
    a = _event(event_id="FPA", article_id="guardian-1", evidence=ev_a, fatalities=12,
               field_evidence={"fatalities": (77, 79)}, location="Khan Sheikhoun", confidence=0.7)
    b = _event(event_id="FPB", article_id="bbc-7", evidence=ev_b, fatalities=15, actor2=None, inter2=None,
               event_date=dt.date(2018, 5, 1), time_precision=TimePrecision.DAY, date_basis="explicit",
               latitude=35.4389, longitude=36.6498, field_evidence={"fatalities": (60, 62)}, confidence=0.9)
    return a, b


def test_dedup_two_differently_worded_reports_merge():
    a, b = _reports()
    assert same_event(a, b) and same_event(b, a)
    (merged,) = deduplicate([a, b])
    assert merged.event_id == "FPA"  # the first report's id stays
    assert {s.article_id for s in merged.sources} == {"guardian-1", "bbc-7"}
    assert merged.fatalities == 12  # the most conservative figure
    assert merged.actor2 == "Civilians (Syria)"  # the fuller actor set
    assert merged.confidence == 0.9


def test_dedup_merge_prefers_precise_date_and_place():
    a, b = _reports()
    vague = dataclasses.replace(a, event_date=dt.date(2018, 5, 8), time_precision=TimePrecision.MONTH,
                                date_basis="publication", geo_precision=GeoPrecision.REGION,
                                latitude=35.93, longitude=36.63, location="Idlib", admin2=None)
    assert same_event(vague, b)
    merged = merge(vague, b)
    assert (merged.event_date, merged.time_precision, merged.date_basis) == (
        dt.date(2018, 5, 1), TimePrecision.DAY, "explicit")
    assert (merged.location, merged.geo_precision) == ("Khan Shaykhun", GeoPrecision.TOWN)
    assert merged.event_id == vague.event_id


def test_dedup_report_without_figure_does_not_zero_fatalities():
    a, b = _reports()
    silent = dataclasses.replace(b, fatalities=0, field_evidence={})
    assert merge(silent, a).fatalities == 12


def test_dedup_recoding_an_article_adds_nothing():
    a, b = _reports()
    once = deduplicate([a, b])
    twice = deduplicate([*once, a, b])
    assert len(twice) == 1
    assert twice[0].event_id == "FPA"
    assert len(twice[0].sources) == 2


def _differs(**kw: object) -> Event:
    _, b = _reports()
    return dataclasses.replace(b, **kw)  # type: ignore[arg-type]


def test_dedup_different_place_day_type_or_actors_do_not_merge():
    a, _ = _reports()
    cases = {
        "place 60 km away": _differs(latitude=35.93, longitude=36.63, location="Idlib", admin2="Idlib", admin3=None),
        "other day": _differs(event_date=dt.date(2018, 5, 4)),
        "other type": _differs(event_type="Battles", sub_event_type="Armed clash"),
        "other actor": _differs(actor1="Military Forces of Russia (2000-)", inter1=8),
        "other country": _differs(country="Turkey", latitude=36.2, longitude=36.16),
    }
    for why, b in cases.items():
        assert not same_event(a, b), why
        assert len(deduplicate([a, b])) == 2, why


def test_dedup_week_precision_overlaps_nearby_days():
    a, _ = _reports()
    week = _differs(event_date=dt.date(2018, 5, 4), time_precision=TimePrecision.WEEK)
    assert same_event(a, week)
    far = _differs(event_date=dt.date(2018, 5, 10), time_precision=TimePrecision.WEEK)
    assert not same_event(a, far)


def test_dedup_protests_against_different_targets_stay_apart():
    p = _event(event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Syria)", actor2=None,
               inter1=6, inter2=None, fatalities=0, target="Hayat Tahrir al-Sham")
    q = dataclasses.replace(p, event_id="FP2", target="Government of Syria (2000-)")
    assert not same_event(p, q)
    assert same_event(p, dataclasses.replace(q, target="Hayat Tahrir al-Sham"))


def test_dedup_acled_aggregation_joins_same_day_place_actors():
    a, _ = _reports()
    shelling = dataclasses.replace(a, event_id="FP9", sub_event_type="Shelling/artillery/missile attack",
                                   event_type="Explosions/Remote violence")
    other_day = dataclasses.replace(a, event_id="FP10", event_date=dt.date(2018, 5, 3))
    assert len(deduplicate([a, shelling, other_day], acled_aggregation=True)) == 2


_days = st.integers(min_value=0, max_value=60)


@given(st.lists(st.tuples(_days, st.sampled_from(["Battles", "Protests"]), st.booleans()), max_size=12))
def test_dedup_is_idempotent_and_keeps_every_source(specs):
    events = [
        _event(event_id=f"FP{i}", article_id=f"art{i}", event_date=dt.date(2018, 1, 1) + dt.timedelta(days=d),
               event_type=t, latitude=35.44 if near else 36.2, longitude=36.65 if near else 37.16,
               evidence=Evidence(f"art{i}", "x", 0, 1))
        for i, (d, t, near) in enumerate(specs)
    ]
    once = deduplicate(events)
    assert deduplicate(once) == once
    assert len(deduplicate([*events, *events])) == len(once)
    assert sorted(s.article_id for e in once for s in e.sources) == sorted(e.article_id for e in events)
    assert {e.event_id for e in once} <= {e.event_id for e in events}


def test_dedup_vague_reports_from_different_articles_stay_apart():
    a, b = _reports()
    undated_a = dataclasses.replace(a, date_basis="publication", time_precision=TimePrecision.MONTH,
                                    event_date=dt.date(2018, 5, 8))
    undated_b = dataclasses.replace(b, date_basis="publication", time_precision=TimePrecision.MONTH,
                                    event_date=dt.date(2018, 5, 2))
    assert not same_event(undated_a, undated_b)
    assert same_event(undated_a, dataclasses.replace(undated_a, event_id="FPX", evidence=b.evidence))  # one article
    country_a = dataclasses.replace(a, admin1=None, admin2=None, admin3=None, latitude=None, longitude=None,
                                    location="Syria", geo_precision=GeoPrecision.REGION)
    country_b = dataclasses.replace(country_a, event_id="FPC", article_id="bbc-7", event_date=dt.date(2018, 4, 30),
                                    time_precision=TimePrecision.WEEK)
    assert not same_event(country_a, country_b)
    assert same_event(country_a, dataclasses.replace(country_b, event_date=a.event_date,
                                                     time_precision=TimePrecision.DAY))
    nobody = dataclasses.replace(b, actor1=None, actor2=None, inter1=None, inter2=None)
    assert not same_event(dataclasses.replace(a, actor1=None, actor2=None), nobody)


def test_dedup_reconcile_new_report_updates_the_stored_event():
    from flashpoint.dedup import candidate_window, reconcile

    a, b = _reports()
    other = _differs(event_id="FPZ", event_date=dt.date(2018, 3, 1))
    result = reconcile([a], [b, other])
    assert [e.event_id for e in result.updated] == ["FPA"]
    assert {s.article_id for s in result.updated[0].sources} == {"guardian-1", "bbc-7"}
    assert [e.event_id for e in result.added] == ["FPZ"]
    again = reconcile(result.updated, [b])  # the same report once more changes nothing
    assert again.updated == () and again.added == ()
    lo, hi = candidate_window(b)
    assert lo <= a.event_date <= hi
