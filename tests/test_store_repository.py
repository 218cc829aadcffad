from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from flashpoint.errors import StoreError
from flashpoint.records import Evidence, Modality
from flashpoint.store import EventQuery, open_store
from flashpoint.store.migrations import MIGRATIONS
from tests.helpers import TEXT, make_event, make_state


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """The same tests on SQLite and on a real PostgreSQL server (skipped without one, but not in CI)."""
    if request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path / 'fp.db'}")
        yield s
        s.close()
        return
    from tests.pg import pg_schema_url

    with pg_schema_url() as url:
        s = open_store(url)
        yield s
        s.close()


def test_store_round_trips_events_exactly(store):
    state = make_state()
    assert store.add(state).stored
    (event,) = store.events()
    assert event == state.events[0]
    assert store.event(event.event_id) == event
    assert store.article("a1").text == state.article.text


def test_store_same_id_or_same_text_is_stored_once(store):
    assert store.add(make_state("a1")).stored
    again = store.add(make_state("a1"))
    assert not again.stored and again.article_id == "a1"
    other_id_same_text = make_state("a2", events=(make_event("a2", "FP2"),))
    result = store.add(other_id_same_text)
    assert not result.stored and result.article_id == "a1"
    assert store.counts()["articles"] == 1 and store.counts()["events"] == 1


def test_store_failed_article_leaves_nothing_and_keeps_what_was_stored(store):
    store.add(make_state("a1"))
    duplicate_ids = (make_event("a2", "FP9"), make_event("a2", "FP9"))
    with pytest.raises(StoreError, match="could not store article 'a2'"):
        store.add(make_state("a2", text="Another text entirely.", events=duplicate_ids))
    assert store.article_ids() == ["a1"]
    assert store.counts()["events"] == 1


def test_store_filters(store):
    events = (
        make_event("a1", "FP1"),
        make_event(
            "a1",
            "FP2",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            actor1="Protesters (Syria)",
            target="Hayat Tahrir al-Sham",
            event_date=dt.date(2018, 4, 1),
            location="Idlib",
            latitude=35.93,
            longitude=36.63,
            notes="Protesters marched in Idlib.",
            evidence=Evidence("a1", TEXT[40:], 40, len(TEXT)),
            sources=(),
        ),
        make_event("a1", "FP3", modality=Modality.THREATENED, event_date=dt.date(2018, 6, 1)),
    )
    store.add(make_state(events=events))
    ids = lambda q: [e.event_id for e in store.events(q)]  # noqa: E731
    assert ids(None) == ["FP2", "FP1"]
    assert ids(EventQuery(modalities=None)) == ["FP2", "FP1", "FP3"]
    assert ids(EventQuery(actor="tahrir")) == ["FP2", "FP1"]
    assert ids(EventQuery(event_type="protests")) == ["FP2"]
    assert ids(EventQuery(sub_event_type="Shelling/artillery/missile attack")) == ["FP1"]
    assert ids(EventQuery(since=dt.date(2018, 5, 1))) == ["FP1"]
    assert ids(EventQuery(until=dt.date(2018, 4, 30))) == ["FP2"]
    assert ids(EventQuery(bbox=(36.7, 35.8, 36.9, 35.9))) == ["FP1"]
    assert ids(EventQuery(text="marched")) == ["FP2"] and ids(EventQuery(text="shelled")) == ["FP1"]
    assert ids(EventQuery(limit=1, offset=1)) == ["FP1"]


def test_store_records_named_migrations(tmp_path):
    path = tmp_path / "m.db"
    open_store(f"sqlite:///{path}").close()
    open_store(f"sqlite:///{path}").close()
    names = [r[0] for r in sqlite3.connect(path).execute("select name from schema_migrations")]
    assert names == [name for name, _ in MIGRATIONS]


@pytest.mark.parametrize("url", ["nonsense", "mysql://x/y", "sqlite:////no/such/folder/x.db"])
def test_store_bad_url_is_a_clear_error(url):
    with pytest.raises(StoreError):
        open_store(url)


def test_store_keeps_unknown_actors(store):
    state = make_state()
    m = state.actor_mentions[0]
    unknown = dataclasses.replace(
        m, start=10, end=14, text="Liwa X", actor=dataclasses.replace(m.actor, name="Liwa X", known=False)
    )
    store.add(dataclasses.replace(state, actor_mentions=(m, unknown)))
    assert store.unknown_actors() == [("Liwa X", 1)]


def test_store_events_accept_keyword_filters_and_convert_to_pandas(store):
    store.add(make_state())
    assert [e.event_id for e in store.events(actor="Tahrir")] == ["FP1"]
    assert store.events(actor="Ahrar") == []
    frame = store.events(since=dt.date(2018, 5, 1)).to_pandas()
    assert list(frame["event_id"]) == ["FP1"] and frame["event_date"].dt.year.tolist() == [2018]
    assert frame.columns[0] == "event_id" and "evidence" in frame.columns


def test_store_merges_two_reports_of_one_event_from_different_articles(store):
    first = make_event("a1", "FP1")
    other_text = "Hayat Tahrir al-Sham bombarded Saraqib with mortars on 7 May, residents said."
    report = make_event(
        "b1",
        "FP2",
        evidence=Evidence("b1", other_text, 0, len(other_text)),
        sources=(Evidence("b1", other_text, 0, len(other_text)),),
        fatalities=2,
    )
    elsewhere = make_event(
        "c1",
        "FP3",
        location="Aleppo",
        admin1="Aleppo",
        admin2="Jebel Saman",
        latitude=36.2,
        longitude=37.16,
        geonameid=170063,
    )
    store.add(make_state("a1", events=(first,)))
    store.add(make_state("b1", text=other_text, events=(report,)))
    store.add(make_state("c1", text="Shelling hit Aleppo.", events=(elsewhere,)))
    events = store.events()
    assert [e.event_id for e in events] == ["FP1", "FP3"]
    merged = events[0]
    assert [s.article_id for s in merged.sources] == ["a1", "b1"]
    assert merged.fatalities == 2  # the only figure a report gives (the first gave none)
    assert store.event("FP2") == merged  # the merged report's id still leads to its event
    assert [e.event_id for e in store.events(article_id="b1")] == ["FP2"]
    assert len(store.events(include_duplicates=True)) == 3


def test_store_can_keep_reports_apart(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'apart.db'}")
    store.merge_reports = False
    store.add(make_state("a1", events=(make_event("a1", "FP1"),)))
    store.add(make_state("b1", text="Another report.", events=(make_event("b1", "FP2"),)))
    assert [e.event_id for e in store.events()] == ["FP1", "FP2"]
    store.close()


def test_store_actor_filter_understands_acronyms_and_aliases(store):
    store.add(make_state())
    assert [e.event_id for e in store.events(actor="HTS")] == ["FP1"]
    assert [e.event_id for e in store.events(actor="Hayy’at Tahrir al-Sham")] == ["FP1"]
    assert store.events(actor="SDF") == []
