"""Export formats round-trip through `flashpoint import`: export -> import -> export gives the same."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.errors import InputError
from flashpoint.records import Evidence, Modality, Quantity, TimePrecision
from flashpoint.store import open_store
from flashpoint.store.exports import ACLED_COLUMNS, EXPORT_FORMATS, plover_record, write_parquet
from tests.helpers import TEXT, make_event, make_state

runner = CliRunner()

OTHER = "Government forces retook Khan Shaykhun after clashes. Five people were killed in the fighting."


def _events_states():
    """Three articles: a shelling, a protest against HTS (target, week precision), a threat, and a
    clash reported by two articles (sources from both)."""
    protest = make_event(
        "a1",
        "FP2",
        event_date=dt.date(2018, 5, 2),
        time_precision=TimePrecision.WEEK,
        disorder_type="Demonstrations",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Protesters (Syria)",
        inter1=6,
        interaction=60,
        target="Hayat Tahrir al-Sham",
        location="Idlib",
        latitude=None,
        longitude=None,
        geo_precision=None,
        geonameid=None,
        quantities=(),
        plover={"type": "PROTEST", "mode": "demonstrate"},
        cameo="141",
        notes="Around 2 May 2018, protesters marched in Idlib against Hayat Tahrir al-Sham.",
        evidence=Evidence("a1", TEXT[40:], 40, len(TEXT)),
        sources=(Evidence("a1", TEXT[40:], 40, len(TEXT)),),
        field_evidence={},
    )
    threat = make_event("a1", "FP3", modality=Modality.THREATENED, quantities=(Quantity(5000, "evacuated"),))
    clash = make_event(
        "b2",
        "FP4",
        event_type="Battles",
        sub_event_type="Government regains territory",
        actor1="Military Forces of Syria (2000-)",
        inter1=1,
        actor2="Hayat Tahrir al-Sham",
        inter2=2,
        interaction=12,
        assoc_actor_1="Military Forces of Russia (2000-); Hezbollah",
        location="Khan Shaykhun",
        fatalities=5,
        civilian_targeting=None,
        evidence=Evidence("b2", OTHER[:53], 0, 53),
        sources=(Evidence("b2", OTHER[:53], 0, 53), Evidence("c3", "A second report.", 10, 26)),
        field_evidence={"location": (25, 38), "actor1": (0, 18)},
    )
    return [
        make_state("a1", TEXT, (make_event("a1", "FP1"), protest, threat)),
        make_state("b2", OTHER, (clash,)),
    ]


@pytest.fixture
def source_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    store = open_store(url)
    for state in _events_states():
        store.add_state(state)
    store.close()
    return url


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _export(db: str, fmt: str, out: Path, *extra: str) -> Path:
    _cli("export", "--db", db, "--format", fmt, "--out", str(out), *extra)
    return out


def test_store_formats_every_export_format_is_offered():
    assert set(EXPORT_FORMATS) == {"acled-csv", "geojson", "jsonl", "parquet", "plover-jsonl"}


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("jsonl", "jsonl"), ("geojson", "geojson"), ("parquet", "parquet")]
)
def test_store_formats_round_trip_keeps_every_field(source_db: str, tmp_path: Path, fmt: str, suffix: str):
    first = _export(source_db, fmt, tmp_path / f"first.{suffix}", "--all-modalities")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    _cli("import", str(first), "--format", fmt, "--db", target)
    again = _export(target, fmt, tmp_path / f"again.{suffix}", "--all-modalities")
    original = _export(source_db, "jsonl", tmp_path / "original.jsonl", "--all-modalities").read_text()
    copied = _export(target, "jsonl", tmp_path / "copied.jsonl", "--all-modalities").read_text()
    assert copied == original
    assert len(original.splitlines()) == 4
    if fmt != "parquet":  # the Parquet file itself embeds writer metadata, compare its rows instead
        assert again.read_text() == first.read_text()
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(again).equals(pq.read_table(first))


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("jsonl", "jsonl"), ("parquet", "parquet"), ("acled-csv", "csv")]
)
def test_store_formats_second_import_adds_nothing(source_db: str, tmp_path: Path, fmt: str, suffix: str):
    first = _export(source_db, fmt, tmp_path / f"first.{suffix}")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    runner.invoke(app, ["import", str(first), "--format", fmt, "--db", target])
    counts = open_store(target).counts()
    result = runner.invoke(app, ["import", str(first), "--format", fmt, "--db", target])
    assert result.exit_code == 0
    assert "0 event(s)" in result.stderr and "3 already stored" in result.stderr
    assert open_store(target).counts() == counts


def test_store_formats_evidence_still_points_into_the_rebuilt_article(source_db: str, tmp_path: Path):
    first = _export(source_db, "jsonl", tmp_path / "first.jsonl", "--all-modalities")
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")
    _cli("import", str(first), "--format", "jsonl", "--db", target.url)
    for event in target.events(modalities=None):
        article = target.article(event.article_id)
        assert article is not None and event.evidence is not None
        assert article.text[event.evidence.start : event.evidence.end] == event.evidence.text


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_store_formats_acled_csv_round_trip_equal_but_the_timestamp(source_db: str, tmp_path: Path):
    first = _export(source_db, "acled-csv", tmp_path / "first.csv")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    _cli("import", str(first), "--format", "acled-csv", "--db", target)
    again = _export(target, "acled-csv", tmp_path / "again.csv")
    a, b = _csv_rows(first), _csv_rows(again)
    assert len(a) == 3 and list(a[0]) == list(ACLED_COLUMNS)
    for row in (*a, *b):
        del row["timestamp"]  # ACLED's timestamp is the time of the export
    assert a == b


def test_store_formats_plover_records_carry_the_event(source_db: str, tmp_path: Path):
    path = _export(source_db, "plover-jsonl", tmp_path / "events.plover.jsonl", "--all-modalities")
    records = {r["id"]: r for r in map(json.loads, path.read_text().splitlines())}
    store = open_store(source_db)
    events = {e.event_id: e for e in store.events(modalities=None)}
    assert records.keys() == events.keys()
    for event_id, e in events.items():
        r = records[event_id]
        assert (r["event_type"], r["mode"]) == (e.plover["type"], e.plover["mode"])
        assert r["event_date"] == e.event_date.isoformat()
        assert r["actor"]["name"] == e.actor1
        assert r["context"]["acled_sub_event_type"] == e.sub_event_type
        assert r["location"][0]["name"] == e.location
        assert r["location"][0]["lat"] == e.latitude
        assert r["evidence"]["text"] == e.evidence.text
        assert r["modality"] == str(e.modality)
        assert r["story_id"] == e.article_id
    clash = records["FP4"]
    assert clash["recipient"] == {
        "name": "Hayat Tahrir al-Sham",
        "sector": "Rebel Groups",
        "inter": 2,
        "associated": [],
    }
    assert clash["actor"]["sector"] == "State Forces"
    assert clash["actor"]["associated"] == ["Military Forces of Russia (2000-)", "Hezbollah"]
    assert clash["story_ids"] == ["b2", "c3"]
    protest = records["FP2"]
    assert protest["recipient"]["name"] == "Hayat Tahrir al-Sham"  # the target, without actor2
    assert protest["date_precision"] == "week"
    assert protest["location"][0]["precision"] is None


def test_store_formats_parquet_columns_are_typed_and_duckdb_reads_them(source_db: str, tmp_path: Path):
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = _export(source_db, "parquet", tmp_path / "events.parquet")
    schema = pq.read_schema(path)
    assert schema.field("event_date").type == pa.date32()
    assert schema.field("latitude").type == pa.float64()
    assert schema.field("plover").type.num_fields == 2
    rows = duckdb.sql(
        f"SELECT event_id, plover.type AS t, evidence.start AS s FROM '{path}' ORDER BY event_id"
    ).fetchall()
    assert rows == [("FP1", "ASSAULT", 0), ("FP2", "PROTEST", 40), ("FP4", "ASSAULT", 0)]


def test_store_formats_parquet_refuses_a_terminal():
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(InputError, match="--out"):
        write_parquet([make_event()], Terminal())


def test_store_formats_empty_parquet_keeps_its_columns(tmp_path: Path):
    import pyarrow.parquet as pq

    path = _export(f"sqlite:///{tmp_path / 'empty.db'}", "parquet", tmp_path / "none.parquet")
    table = pq.read_table(path)
    assert table.num_rows == 0 and "evidence" in table.column_names


def test_store_formats_plover_record_without_location_or_plover():
    event = make_event(location=None, country=None, plover={}, actor1=None)
    record = plover_record(dataclasses.replace(event))
    assert record["location"] == [] and record["actor"] is None and record["event_type"] is None
