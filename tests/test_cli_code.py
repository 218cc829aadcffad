from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.store import open_store

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["code", "--db", "none"], "nothing to code"),
        (["code", "x.txt", "--format", "xml", "--db", "none"], "unknown format 'xml'"),
        (["code", "x.txt", "--published", "8/5/18", "--db", "none"], "--published '8/5/18' is not a date"),
        (["code", "x.txt", "--db", "mysql://h/db"], "unsupported database"),
        (["export", "--format", "kml", "--db", "sqlite:///:memory:"], "unknown format 'kml'"),
        (
            ["events", "--since", "yesterday", "--db", "sqlite:///:memory:"],
            "--since 'yesterday' is not a date",
        ),
    ],
)
def test_cli_code_usage_errors_exit_2_with_a_message(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_code_skipped_inputs_are_named_and_exit_1(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    db = tmp_path / "fp.db"
    result = runner.invoke(
        app, ["code", str(empty), str(binary), "--db", f"sqlite:///{db}", "--format", "jsonl"]
    )
    assert result.exit_code == 1
    assert f"skipped: {empty}: empty input" in result.stderr
    assert f"skipped: {binary}: binary file" in result.stderr
    assert "2 input(s) skipped" in result.stderr
    assert result.stdout == ""


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hts-2018.txt"
CONTRACT = {
    "event_id",
    "article_id",
    "event_date",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "notes",
    "source",
    "geonameid",
    "target",
    "quantities",
    "modality",
    "confidence",
    "plover",
    "cameo",
    "evidence",
    "field_evidence",
    "sources",
}


@pytest.mark.slow
def test_cli_code_example_end_to_end_is_idempotent(tmp_path):
    db = f"sqlite:///{tmp_path / 'fp.db'}"
    args = ["code", str(EXAMPLE), "--published", "2018-05-08", "--db", db, "--format", "jsonl"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    events = [json.loads(line) for line in first.stdout.splitlines()]
    assert len(events) >= 4
    text = EXAMPLE.read_text(encoding="utf-8")
    for e in events:
        assert set(e) >= CONTRACT
        assert e["article_id"] == str(EXAMPLE)
        assert e["modality"] in ("asserted", "attempted")
        ev = e["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]
        for span in e["field_evidence"].values():
            assert 0 <= span["start"] < span["end"] <= len(text) and text[span["start"] : span["end"]].strip()
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert [json.loads(line)["event_id"] for line in second.stdout.splitlines()] == [
        e["event_id"] for e in events
    ]
    store = open_store(db)
    assert store.counts()["articles"] == 1 and store.counts()["events"] >= len(events)
    store.close()
    every = runner.invoke(app, [*args, "--all-modalities"])
    assert len(every.stdout.splitlines()) >= len(events)


@pytest.mark.slow
def test_cli_code_reads_stdin_and_keeps_nothing_with_db_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (
        "Government forces shelled the town of Saraqib in Idlib province on Monday, killing three civilians."
    )
    result = runner.invoke(
        app, ["code", "-", "--published", "2018-05-08", "--db", "none", "--format", "jsonl"], input=text
    )
    assert result.exit_code == 0, result.stderr
    (event,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert event["article_id"] == "-" and event["event_type"] == "Explosions/Remote violence"
    assert not (tmp_path / "flashpoint.db").exists()


@pytest.mark.slow
def test_cli_code_an_undated_text_gets_no_date_from_the_clock(tmp_path):
    """No date in the text and no --published: the event is stored and exported undated, whatever day
    it is coded on; a date in the text still dates it."""
    undated = tmp_path / "undated.txt"
    undated.write_text("Gunmen killed two farmers in a village near Maiduguri, police said.\n")
    dated = tmp_path / "dated.txt"
    dated.write_text("Gunmen killed two farmers in a village near Maiduguri on 3 March 2021, police said.\n")
    db = f"sqlite:///{tmp_path / 'fp.db'}"
    result = runner.invoke(app, ["code", str(undated), str(dated), "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    by_file = {e["article_id"]: e for e in map(json.loads, result.stdout.splitlines())}
    first = by_file[str(undated)]
    assert (first["event_date"], first["time_precision"], first["date_basis"]) == (None, None, "undated")
    assert by_file[str(dated)]["event_date"] == "2021-03-03"
    out = tmp_path / "events.csv"
    assert runner.invoke(app, ["export", "--db", db, "--format", "acled-csv", "--out", str(out)]).exit_code == 0
    rows = {r.split(",")[0]: r for r in out.read_text().splitlines()[1:]}
    assert rows[first["event_id"]].split(",")[1:4] == ["", "", ""]  # event_date, year, time_precision empty
    stored = open_store(db).event(first["event_id"])
    assert stored is not None and stored.event_date is None
