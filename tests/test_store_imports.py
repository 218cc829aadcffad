"""`flashpoint import --format acled-csv|jsonl`: an analyst's ACLED export becomes stored events."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.errors import InputError
from flashpoint.records import Modality
from flashpoint.session import Session
from flashpoint.store import open_store
from flashpoint.store.exports import ACLED_COLUMNS
from flashpoint.store.imports import (
    import_events,
    parse_acled_date,
    parse_inter,
    parse_interaction,
    read_acled_csv,
    read_event_jsonl,
)
from tests.conftest import shared_file

runner = CliRunner()


def acled_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(
        event_id_cnty="SYR1001",
        event_date="15 April 2018",
        year="2018",
        time_precision="1",
        disorder_type="Political violence",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        actor1="Hayat Tahrir al-Sham",
        inter1="Rebel group",
        actor2="Military Forces of Syria (2000-)",
        inter2="State forces",
        interaction="State forces-Rebel group",
        iso="760",
        region="Middle East",
        country="Syria",
        admin1="Idlib",
        admin2="Jisr Ash-Shugur",
        location="Kafr Nabudah",
        latitude="35.4231",
        longitude="36.4567",
        geo_precision="1",
        source="SOHR",
        source_scale="National",
        notes="On 15 April 2018, HTS took Kafr Nabudah from regime forces. 4 fatalities.",
        fatalities="4",
        tags="",
        timestamp="1526000000",
    )
    row.update(values)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = ACLED_COLUMNS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    "text",
    [
        "2018-04-15",
        "15 April 2018",
        "15 Apr 2018",
        "15-April-2018",
        "15-Apr-2018",
        "15-Apr-18",
        "15/04/2018",
        "15-04-2018",
        "15-04-18",
        "April 15, 2018",
        "2018-04-15T00:00:00",
    ],
)
def test_store_imports_acled_date_spellings(text: str):
    assert parse_acled_date(text) == dt.date(2018, 4, 15)


def test_store_imports_bad_date_names_it():
    with pytest.raises(ValueError, match="'the ides of April'"):
        parse_acled_date("the ides of April")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2", 2),
        ("6.0", 6),
        ("Rebel group", 2),
        ("Rebel Groups", 2),
        ("State forces", 1),
        ("Protesters", 6),
        ("External/Other forces", 8),
        ("Identity militia", 4),
        ("", None),
        ("0", None),  # ACLED's code where the event has no such actor
    ],
)
def test_store_imports_inter_codes_and_names(value: str, code: int | None):
    assert parse_inter(value, "inter1") == code


@pytest.mark.parametrize(
    ("value", "inter1", "inter2", "code"),
    [
        ("12", 1, 2, 12),
        ("60.0", 6, None, 60),
        ("State forces-Rebel group", 1, 2, 12),
        ("Rebel group-State forces", 2, 1, 12),
        ("Protesters only", 6, None, 60),
        ("", 7, 1, 17),
        ("", None, None, None),
    ],
)
def test_store_imports_interaction_codes_and_names(value, inter1, inter2, code):
    assert parse_interaction(value, inter1, inter2) == code


def test_store_imports_acled_row_becomes_an_asserted_event(tmp_path: Path):
    path = write_csv(tmp_path / "acled.csv", [acled_row(civilian_targeting="Civilian targeting", iso="")])
    [event] = list(read_acled_csv(path))
    assert not isinstance(event, InputError)
    assert event.event_id == "SYR1001" and event.article_id == "acled:SYR1001"
    assert event.event_date == dt.date(2018, 4, 15)
    assert (event.inter1, event.inter2, event.interaction) == (2, 1, 12)
    assert event.modality is Modality.ASSERTED and event.confidence == 1.0
    assert event.iso == 760  # from the country when the column is blank
    assert event.civilian_targeting == "Civilian targeting"
    assert event.plover == {"type": "ASSAULT", "mode": "seize"}
    assert event.evidence is not None and event.evidence.text == event.notes
    assert (event.latitude, event.longitude, event.fatalities) == (35.4231, 36.4567, 4)


def test_store_imports_shorter_acled_exports_and_their_dates(tmp_path: Path):
    columns = (
        "event_id_cnty",
        "event_date",
        "country",
        "location",
        "event_type",
        "sub_event_type",
        "actor1",
        "inter1",
        "fatalities",
        "notes",
    )
    path = write_csv(tmp_path / "short.csv", [acled_row(event_date="31-12-19", inter1="1")], columns)
    [event] = list(read_acled_csv(path))
    assert not isinstance(event, InputError)
    assert event.event_date == dt.date(2019, 12, 31) and event.interaction == 10
    assert event.time_precision == 1 and event.disorder_type == "Political violence"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sub_event_type": "Skirmish"}, "'Skirmish' is not one of ACLED's 25"),
        ({"event_type": "Protests"}, "does not match"),
        ({"event_date": "someday"}, "'someday'"),
        ({"latitude": "135.2"}, "latitude '135.2' is outside"),
        ({"fatalities": "many"}, "fatalities 'many'"),
        ({"inter1": "Martians"}, "inter1 'Martians'"),
        ({"time_precision": "7"}, "time_precision '7'"),
        ({"event_id_cnty": ""}, "event_id_cnty is empty"),
    ],
)
def test_store_imports_bad_rows_are_named_and_the_rest_imported(tmp_path: Path, change, message):
    rows = [
        acled_row(),
        acled_row(**{"event_id_cnty": "SYR1002", **change}),
        acled_row(event_id_cnty="SYR1003"),
    ]
    path = write_csv(tmp_path / "acled.csv", rows)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = runner.invoke(app, ["import", str(path), "--format", "acled-csv", "--db", db])
    assert result.exit_code == 1
    assert f"{path}:3" in result.stderr and message in result.stderr
    assert {e.event_id for e in open_store(db).events()} == {"SYR1001", "SYR1003"}


def test_store_imports_not_an_acled_file(tmp_path: Path):
    path = tmp_path / "articles.csv"
    path.write_text("id,text\n1,Rebels shelled Saraqib.\n")
    [error] = list(read_acled_csv(path))
    assert isinstance(error, InputError) and "no column event_id_cnty" in str(error)


def test_store_imports_is_idempotent_and_keeps_article_ids(tmp_path: Path):
    path = write_csv(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="SYR1002")])
    db = f"sqlite:///{tmp_path / 'x.db'}"
    for _ in range(2):
        result = runner.invoke(app, ["import", str(path), "--format", "acled-csv", "--db", db])
        assert result.exit_code == 0, result.stderr
    assert "2 already stored" in result.stderr
    store = open_store(db)
    assert store.counts()["events"] == 2
    assert store.article_ids() == ["acled:SYR1001", "acled:SYR1002"]  # same notes, two articles
    assert store.article("acled:SYR1001").title == "ACLED SYR1001"


def test_store_imports_rows_that_look_alike_stay_apart(tmp_path: Path):
    """ACLED rows are distinct events: the store's report merging must not fold one into another."""
    rows = [acled_row(), acled_row(event_id_cnty="SYR1002"), acled_row(event_id_cnty="SYR1003", notes="")]
    path = write_csv(tmp_path / "acled.csv", rows)
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    result = import_events(store, read_acled_csv(path), "acled-csv")
    assert (result.articles, result.events, result.present) == (3, 3, 0)
    assert len(store.events()) == 3
    assert store.merge_reports is True  # restored afterwards


def test_store_imports_control_covers_imported_events(tmp_path: Path):
    path = write_csv(tmp_path / "acled.csv", [acled_row()])
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    import_events(store, read_acled_csv(path), "acled-csv")
    answer = Session(store).control("Kafr Nabudah", "2018-05-01")
    assert answer.holder == "Hayat Tahrir al-Sham"


def test_store_imports_jsonl_names_bad_lines_and_articles(tmp_path: Path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "text": "Rebels shelled Saraqib."}\n{oops\n[1]\n')
    errors = list(read_event_jsonl(path))
    assert all(isinstance(e, InputError) for e in errors)
    assert "use flashpoint code --input" in str(errors[0]) and f"{path}:1" in str(errors[0])
    assert f"{path}:2" in str(errors[1]) and "malformed JSON" in str(errors[1])
    assert "expected a JSON object" in str(errors[2])


def test_store_imports_unknown_format_is_a_usage_error(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("a\n")
    result = runner.invoke(
        app, ["import", str(path), "--format", "xlsx", "--db", f"sqlite:///{tmp_path / 'x.db'}"]
    )
    assert result.exit_code == 2 and "acled-csv" in result.stderr


def test_store_imports_reads_a_real_acled_export():
    """Every row of ../shared's ACLED export (inter codes written as 6.0, dates as 31-12-19) reads."""
    path = shared_file("train/acled-notes.csv")
    items = list(read_acled_csv(path))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert not errors, errors[:3]
    assert len(items) > 1000
    assert all(e.notes and e.evidence is not None for e in items if not isinstance(e, InputError))


def test_store_imports_jsonl_round_trip_through_the_library(tmp_path: Path):
    from tests.helpers import make_state

    source = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    source.add_state(make_state())
    path = tmp_path / "e.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in source.events().to_dicts()))
    target = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    result = import_events(target, read_event_jsonl(path), "jsonl")
    assert (result.articles, result.events) == (1, 1)
    assert target.events().to_dicts() == source.events().to_dicts()
