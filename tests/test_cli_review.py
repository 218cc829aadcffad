"""`flashpoint review`, and `events`/`export` showing what it recorded."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.store import open_store
from tests.api_helpers import hand_made_events
from tests.helpers import make_state

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url)
    store.add_state(make_state("a1", events=hand_made_events()))
    store.close()
    return url


def run(*args: str):
    return runner.invoke(app, list(args))


def jsonl(db: str, *extra: str) -> dict[str, dict]:
    r = run("events", "--db", db, "--format", "jsonl", *extra)
    assert r.exit_code == 0, r.output
    return {d["event_id"]: d for d in map(json.loads, r.stdout.splitlines())}


def test_cli_review_set_shows_in_events_and_both_exports(db):
    r = run("review", "FP1", "--set", "fatalities=3", "--set", "actor2=Civilians (Syria)", "--by", "ana", "--db", db)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("FP1: corrected by ana (actor2 None -> Civilians (Syria); fatalities 0 -> 3)")
    got = jsonl(db)["FP1"]
    assert (got["fatalities"], got["actor2"], got["review_status"]) == (3, "Civilians (Syria)", "corrected")
    assert got["machine_values"] == {"actor2": None, "fatalities": 0}
    r = run("export", "--format", "jsonl", "--db", db)
    exported = {d["event_id"]: d for d in map(json.loads, r.stdout.splitlines())}
    assert exported["FP1"]["machine_values"] == {"actor2": None, "fatalities": 0}
    r = run("export", "--format", "acled-csv", "--db", db)
    rows = {row["event_id_cnty"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["FP1"]["fatalities"] == "3" and rows["FP1"]["actor2"] == "Civilians (Syria)"


def test_cli_review_reject_leaves_the_default_output_with_an_option_to_include(db):
    assert run("review", "FP2", "--reject", "--db", db).exit_code == 0
    assert "FP2" not in jsonl(db)
    assert jsonl(db, "--include-rejected")["FP2"]["review_status"] == "rejected"
    r = run("export", "--format", "jsonl", "--db", db)
    assert "FP2" not in r.stdout
    r = run("export", "--format", "jsonl", "--include-rejected", "--db", db)
    assert '"FP2"' in r.stdout


def test_cli_review_confirm_and_duplicate(db):
    r = run("review", "FP1", "--confirm", "--by", "ana", "--db", db, "--format", "jsonl")
    assert r.exit_code == 0 and json.loads(r.stdout)["review_status"] == "confirmed"
    assert run("review", "FP4", "--duplicate-of", "FP1", "--db", db).exit_code == 0
    assert "FP4" not in jsonl(db)
    store = open_store(db)
    assert store.reviews("FP4")[0].duplicate_of == "FP1"
    store.close()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["FP1", "--set", "colour=red"], 2, "colour: is not a field a review can correct"),
        (["FP1", "--set", "fatalities=lots"], 2, "fatalities: 'lots' is not a number"),
        (["FP1", "--set", "fatalities"], 2, "--set: 'fatalities' is not FIELD=VALUE"),
        (["FP1", "--confirm", "--reject"], 2, "give exactly one of --confirm, --reject"),
        (["FP1"], 2, "give exactly one of"),
        (["FP1", "--duplicate-of", "FP1"], 2, "duplicate_of: an event cannot duplicate itself"),
        (["FPNONE", "--confirm"], 1, "no event with id 'FPNONE'"),
    ],
)
def test_cli_review_bad_input_is_named(db, args, code, message):
    r = run("review", *args, "--db", db)
    assert r.exit_code == code, r.output
    assert message in " ".join(r.stderr.split())
    assert all(d["review_status"] == "unreviewed" for d in jsonl(db).values())
