"""Reviews in the store: kept beside the machine's coding, shown by queries and exports, rejected
events out of the default output, surviving a re-import and a kill -9 mid-write.

On SQLite, and on PostgreSQL when FLASHPOINT_TEST_PG_URL is set (tests/pg.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from sqlalchemy import delete, select

from flashpoint.errors import ReviewError, UnknownEventError
from flashpoint.events import taxonomy
from flashpoint.records import Evidence, ReviewStatus
from flashpoint.store import EventQuery, open_store, schema
from flashpoint.store.exports import export_string
from tests.helpers import TEXT, make_event, make_state


def _events():
    """FP1 a shelling at Saraqib (confidence 0.9), FP2 a protest in Idlib (0.4), FP3 a clash (0.6)."""
    return (
        make_event("a1", "FP1"),
        make_event(
            "a1", "FP2", event_type="Protests", sub_event_type="Peaceful protest", disorder_type="Demonstrations",
            actor1="Protesters (Syria)", target="Hayat Tahrir al-Sham", location="Idlib", latitude=35.93,
            longitude=36.63, confidence=0.4, evidence=Evidence("a1", TEXT[40:], 40, len(TEXT)),
            event_date=dt.date(2018, 5, 6),
        ),
        make_event("a1", "FP3", event_type="Battles", sub_event_type="Armed clash", actor2="Military Forces of Syria",
                   confidence=0.6, event_date=dt.date(2018, 5, 8)),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fp.db'}"
        return
    from tests.pg import pg_schema_url

    with pg_schema_url() as pg:
        yield pg


@pytest.fixture
def store(url):
    s = open_store(url)
    s.add_state(make_state("a1", events=_events()))
    yield s
    s.close()


def _ids(events):
    return [e.event_id for e in events]


def test_store_reviews_correction_shows_in_queries_and_keeps_the_machine_coding(store):
    review, event = store.review("FP1", "correct", fields={"fatalities": "3", "actor2": "Civilians (Syria)"}, by="ana")
    assert review.by == "ana" and review.fields == {"fatalities": 3, "actor2": "Civilians (Syria)"}
    assert event.fatalities == 3 and event.actor2 == "Civilians (Syria)"
    assert event.review_status is ReviewStatus.CORRECTED
    assert event.machine_values == {"fatalities": 0, "actor2": None}
    assert "3 fatalities" in event.notes  # the note is written again from the reviewed fields
    shown = store.event("FP1")
    assert shown == event
    listed = {e.event_id: e for e in store.events()}
    assert listed["FP1"] == event and listed["FP2"].review_status is ReviewStatus.UNREVIEWED
    # the machine's row is untouched
    with store.engine.connect() as conn:
        data = json.loads(conn.execute(select(schema.events.c.data).where(schema.events.c.event_id == "FP1")).scalar_one())
    assert data["fatalities"] == 0 and data["actor2"] is None


def test_store_reviews_exports_carry_status_machine_values_and_reviewed_values(store):
    store.review("FP1", "correct", fields={"fatalities": 5, "event_date": "2018-05-05"}, by="ana")
    store.review("FP3", "confirm", by="ana")
    lines = {d["event_id"]: d for d in map(json.loads, export_string(store.iter_events(), "jsonl").splitlines())}
    assert lines["FP1"]["review_status"] == "corrected"
    assert lines["FP1"]["fatalities"] == 5 and lines["FP1"]["event_date"] == "2018-05-05"
    assert lines["FP1"]["machine_values"] == {"fatalities": 0, "event_date": "2018-05-07"}
    assert lines["FP3"]["review_status"] == "confirmed" and lines["FP3"]["machine_values"] == {}
    assert lines["FP2"]["review_status"] == "unreviewed"
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(export_string(store.iter_events(), "acled-csv")))}
    assert rows["FP1"]["fatalities"] == "5" and rows["FP1"]["event_date"] == "2018-05-05"
    assert rows["FP1"]["year"] == "2018"


def test_store_reviews_filters_and_order_use_the_reviewed_values(store):
    store.review("FP1", "correct", fields={"sub_event_type": "Armed clash", "latitude": 33.5, "longitude": 36.3,
                                           "event_date": "2018-04-01"}, by="ana")
    store.review("FP3", "correct", fields={"actor2": ""}, by="ana")  # no second actor after all
    assert _ids(store.events(event_type="Battles")) == ["FP1", "FP3"]
    assert _ids(store.events(event_type="Explosions/Remote violence")) == []
    assert _ids(store.events(bbox=(36.0, 33.0, 37.0, 34.0))) == ["FP1"]
    assert _ids(store.events(until=dt.date(2018, 4, 30))) == ["FP1"]
    assert _ids(store.events()) == ["FP1", "FP2", "FP3"]  # by reviewed date
    assert "FP3" not in _ids(store.events(actor="Military Forces of Syria"))
    assert _ids(store.events(review_status=frozenset({ReviewStatus.UNREVIEWED}))) == ["FP2"]
    fp1 = store.event("FP1")
    clash = taxonomy.get("Armed clash")
    assert (fp1.event_type, fp1.disorder_type, fp1.cameo) == ("Battles", clash.disorder_type, clash.cameo)
    assert fp1.plover == {"type": clash.plover_type, "mode": clash.plover_mode}
    assert fp1.machine_values["sub_event_type"] == "Shelling/artillery/missile attack"


def test_store_reviews_rejected_and_duplicate_events_leave_the_default_output(store):
    store.review("FP2", "reject", by="ana")
    _, dup = store.review("FP3", "duplicate", duplicate_of="FP1", by="bo")
    assert dup.review_status is ReviewStatus.REJECTED
    assert _ids(store.events()) == ["FP1"]
    assert _ids(store.events(include_rejected=True)) == ["FP2", "FP1", "FP3"]
    assert _ids(store.events(review_status=frozenset({ReviewStatus.REJECTED}), include_rejected=True)) == ["FP2", "FP3"]
    assert "FP2" not in export_string(store.iter_events(), "jsonl")
    assert store.event("FP2").review_status is ReviewStatus.REJECTED  # still found by id
    assert store.reviews("FP3")[-1].duplicate_of == "FP1"
    store.review("FP2", "confirm", by="ana")  # a later confirmation takes it back
    assert _ids(store.events()) == ["FP2", "FP1"]


def test_store_reviews_fold_in_order(store):
    store.review("FP1", "correct", fields={"fatalities": 2}, by="ana")
    store.review("FP1", "correct", fields={"actor1": "Hurras al-Din"}, by="bo")
    event = store.event("FP1")
    assert (event.fatalities, event.actor1) == (2, "Hurras al-Din")  # corrections accumulate
    store.review("FP1", "reject", by="ana")
    assert store.event("FP1").review_status is ReviewStatus.REJECTED
    store.review("FP1", "correct", fields={"fatalities": 0, "actor1": "Hayat Tahrir al-Sham"}, by="ana")
    back = store.event("FP1")  # every field back at the machine's value: confirmed, nothing corrected
    assert back.review_status is ReviewStatus.CONFIRMED and back.machine_values == {}
    assert [(r.action, r.by) for r in store.reviews("FP1")] == [
        ("correct", "ana"), ("correct", "bo"), ("reject", "ana"), ("correct", "ana")
    ]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"colour": "red"}, "colour"),
        ({"notes": "x"}, "notes"),
        ({"fatalities": -1}, "fatalities"),
        ({"fatalities": "many"}, "fatalities"),
        ({"fatalities": 2.5}, "fatalities"),
        ({"event_date": "07/05/2018"}, "event_date"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"sub_event_type": "Skirmish"}, "sub_event_type"),
        ({"event_type": "War"}, "event_type"),
        ({"event_type": "Protests"}, "event_type"),  # does not hold the event's sub-event type
        ({"actor1": ""}, "actor1"),
        ({"actor1": "x" * 301}, "actor1"),
        ({"location": "Idlib\x00"}, "location"),
    ],
)
def test_store_reviews_bad_field_or_value_is_named_and_writes_nothing(store, fields, named):
    with pytest.raises(ReviewError) as info:
        store.review("FP1", "correct", fields=fields, by="ana")
    assert info.value.field == named and str(info.value).startswith(f"{named}:")
    assert store.reviews("FP1") == [] and store.event("FP1").review_status is ReviewStatus.UNREVIEWED


def test_store_reviews_coordinates_need_both_on_an_unplaced_event(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'u.db'}")
    store.add_state(make_state("a1", events=(make_event("a1", "FPU", latitude=None, longitude=None),)))
    with pytest.raises(ReviewError, match=r"^latitude: the event has no longitude"):
        store.review("FPU", "correct", fields={"latitude": 35}, by="ana")
    _, event = store.review("FPU", "correct", fields={"latitude": 35, "longitude": 36.5}, by="ana")
    assert (event.latitude, event.longitude) == (35.0, 36.5)
    store.close()


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"action": "approve"}, "action"),
        ({"action": "correct"}, "fields"),
        ({"action": "confirm", "fields": {"fatalities": 1}}, "fields"),
        ({"action": "duplicate"}, "duplicate_of"),
        ({"action": "duplicate", "duplicate_of": "FP1"}, "duplicate_of"),
        ({"action": "duplicate", "duplicate_of": "FPNONE"}, "duplicate_of"),
        ({"action": "reject", "duplicate_of": "FP2"}, "duplicate_of"),
        ({"action": "confirm", "by": " "}, "by"),
    ],
)
def test_store_reviews_malformed_review_is_named(store, kwargs, named):
    kwargs = {"by": "ana", **kwargs}
    with pytest.raises(ReviewError) as info:
        store.review("FP1", **kwargs)
    assert info.value.field == named


def test_store_reviews_unknown_event_is_its_own_error(store):
    with pytest.raises(UnknownEventError, match="FPNONE"):
        store.review("FPNONE", "confirm", by="ana")
    assert store.reviews("FPNONE") == []


def test_store_reviews_queue_is_unreviewed_least_confident_first(store):
    assert _ids(store.review_queue()) == ["FP2", "FP3", "FP1"]
    store.review("FP2", "confirm", by="ana")
    assert _ids(store.review_queue(limit=1)) == ["FP3"]


def test_store_reviews_survive_a_reimport_of_the_same_article(store):
    store.review("FP1", "correct", fields={"fatalities": 7}, by="ana")
    store.review("FP2", "reject", by="ana")
    assert store.add_state(make_state("a1", events=_events())).stored is False  # already stored: skipped
    assert store.event("FP1").fatalities == 7
    with store.engine.begin() as conn:  # the article removed (its events go with it) and coded again
        conn.execute(delete(schema.evidence))
        conn.execute(delete(schema.events))
        conn.execute(delete(schema.articles))
    assert store.events() == [] and store.reviews("FP1") == []
    assert store.add_state(make_state("a1", events=_events())).stored is True
    assert store.event("FP1").fatalities == 7 and store.event("FP1").machine_values == {"fatalities": 0}
    assert _ids(store.events()) == ["FP1", "FP3"]  # FP2 is still rejected
    assert len(store.reviews("FP1")) == 1


def test_store_reviews_of_a_merged_report_go_to_its_event(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'm.db'}")
    store.add_state(make_state("a1", events=(make_event("a1", "FPA"),)))
    store.add_state(make_state("b1", TEXT + " Later.", (make_event("b1", "FPB"),)))
    review, event = store.review("FPB", "correct", fields={"fatalities": 1}, by="ana")
    assert review.event_id == "FPA" and event.event_id == "FPA"
    assert store.event("FPA").fatalities == 1 and len(store.reviews("FPB")) == 1
    store.close()


def test_store_reviews_concurrent_reviewers_all_recorded(url):
    s = open_store(url)
    s.add_state(make_state("a1", events=_events()))
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def review(n: int) -> None:
        barrier.wait()
        try:
            s.review("FP1", "correct", fields={"fatalities": n + 1}, by=f"r{n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=review, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    history = s.reviews("FP1")
    assert len(history) == 6
    assert s.event("FP1").fatalities == history[-1].fields["fatalities"]  # the last one stands
    s.close()


_KILLED_WRITER = textwrap.dedent(
    """
    import pathlib, sys, time
    import flashpoint.store.reviews as reviews
    from flashpoint.store import open_store

    url, marker = sys.argv[1], pathlib.Path(sys.argv[2])
    real = reviews.write_state

    def stall(conn, event_id, state):
        real(conn, event_id, state)  # both rows written, not committed
        marker.write_text("written")
        while True:
            time.sleep(1)

    reviews.write_state = stall
    open_store(url).review("FP1", "correct", fields={"fatalities": 9}, by="killed")
    """
)


def test_store_reviews_kill_9_mid_write_leaves_the_earlier_reviews(store, url, tmp_path):
    store.review("FP1", "correct", fields={"fatalities": 2}, by="ana")
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, url, str(marker)], env=env)
    try:
        while not marker.exists():
            assert proc.poll() is None, "the writer died before it wrote"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    reopened = open_store(url)
    assert [r.by for r in reopened.reviews("FP1")] == ["ana"]
    assert reopened.event("FP1").fatalities == 2
    reopened.review("FP1", "correct", fields={"fatalities": 4}, by="bo")  # and the store takes reviews again
    assert reopened.event("FP1").fatalities == 4
    reopened.close()


def test_store_reviews_show_in_sql_and_survive_parquet(store, tmp_path):
    pytest.importorskip("duckdb")
    from flashpoint.store.arrow import events_from_arrow, events_to_arrow, run_sql

    store.review("FP1", "correct", fields={"fatalities": 3}, by="ana")
    store.review("FP2", "reject", by="ana")
    rows = run_sql(store, "SELECT event_id, review_status, fatalities, machine_values.fatalities AS was "
                          "FROM events ORDER BY event_id").to_pylist()
    assert rows[:2] == [
        {"event_id": "FP1", "review_status": "corrected", "fatalities": 3, "was": 0},
        {"event_id": "FP2", "review_status": "rejected", "fatalities": 0, "was": None},
    ]
    assert run_sql(store, "SELECT count(*) AS n FROM reviews").to_pylist() == [{"n": 2}]
    events = store.events(query=EventQuery(include_rejected=True))
    assert list(events_from_arrow(events_to_arrow(events))) == list(events)
