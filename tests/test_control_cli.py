"""`flashpoint control`, `support` and `timeline` over a store holding the seed article, hand-coded."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import typer
from typer.testing import CliRunner

from flashpoint.cli import control as control_cli
from flashpoint.pipeline import ArticleState
from flashpoint.records import (
    Actor,
    ActorMention,
    Article,
    Event,
    Evidence,
    GeoPrecision,
    Modality,
    Place,
    PlaceMention,
    Sentence,
    TimePrecision,
)
from flashpoint.store import open_store

runner = CliRunner()
app = typer.Typer()  # this module's commands alone, as cli/app.py registers them
control_cli.register(app, typer.Typer())
PUB = dt.date(2018, 5, 8)
HTS = Actor("Hayat Tahrir al-Sham", "rebel group", 2, "SYR", ("HTS",))
MNMC = Actor("Maarat al-Numan Military Council", "rebel group", 2, "SYR")
PLACES = {
    "Maarat al-Numan": Place("Maarat al-Numan", 35.648, 36.672, 169389, "SY", "SYR", "Syria", "Idlib"),
    "Yarmouk Camp": Place("Yarmouk Camp", 33.47, 36.303, 7910000, "SY", "SYR", "Syria", "Damascus"),
    "Idlib": Place("Idlib", 35.931, 36.634, 169388, "SY", "SYR", "Syria", "Idlib"),
}


def _sentences(text: str) -> tuple[Sentence, ...]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        for s in re.finditer(r"\S[^.!?]*(?:[.!?]+[”\"]?|$)", m[0]):
            start = m.start() + s.start()
            out.append(Sentence(len(out), start, start + len(s[0]), s[0]))
    return tuple(out)


def _seed_state(text: str) -> ArticleState:
    sentences = _sentences(text)

    def sentence_of(pos: int) -> int:
        return next(s.index for s in sentences if s.start <= pos < s.end)

    def evidence(phrase: str) -> Evidence:
        s = sentences[sentence_of(text.index(phrase))]
        return Evidence("seed", s.text, s.start, s.end)

    actor_mentions = [ActorMention(m.start(), m.end(), m[0], sentence_of(m.start()), actor, 0.95)
                      for surface, actor in (("Maarat al-Numan Military Council", MNMC), ("HTS", HTS))
                      for m in re.finditer(re.escape(surface), text)]
    place_mentions = [PlaceMention(m.start(), m.end(), m[0], sentence_of(m.start()), place, 0.9)
                      for surface, place in PLACES.items()
                      for m in re.finditer(rf"{re.escape(surface)}(?! Military)", text)]

    def event(eid: str, phrase: str, place: str, **kw: object) -> Event:
        p = PLACES[place]
        base: dict[str, object] = dict(
            event_id=eid, article_id="seed", event_date=PUB, time_precision=TimePrecision.MONTH,
            date_basis="publication", disorder_type="Demonstrations", event_type="Protests",
            sub_event_type="Peaceful protest", actor1="Protesters (Syria)", assoc_actor_1=None, inter1=6,
            actor2=None, assoc_actor_2=None, inter2=None, interaction=60, civilian_targeting=None, iso=760,
            country="Syria", admin1=p.admin1, admin2=None, admin3=None, location=p.name, latitude=p.latitude,
            longitude=p.longitude, geo_precision=GeoPrecision.TOWN, geonameid=p.geonameid, fatalities=0, notes="",
            source=None, target=None, quantities=(), modality=Modality.ASSERTED, confidence=0.8,
            evidence=evidence(phrase), sources=(evidence(phrase),),
        )
        base.update(kw)
        return Event(**base)  # type: ignore[arg-type]

    events = (
        event("FPHAND", "forced to surrender its positions", "Yarmouk Camp", event_date=dt.date(2018, 4, 25),
              time_precision=TimePrecision.WEEK, date_basis="explicit", event_type="Strategic developments",
              sub_event_type="Non-violent transfer of territory", actor1="Hayat Tahrir al-Sham", inter1=2),
        event("FPLIVE", "fire live rounds", "Idlib", sub_event_type="Excessive force against protesters",
              actor2="Hayat Tahrir al-Sham", inter2=2, geo_precision=GeoPrecision.REGION),
        event("FPPROT", "We have come out today", "Maarat al-Numan", target="Hayat Tahrir al-Sham"),
    )
    return ArticleState(Article("seed", text, published=PUB), sentences=sentences,
                        actor_mentions=tuple(actor_mentions), place_mentions=tuple(place_mentions), events=events)


@pytest.fixture
def seed_db(tmp_path, seed_text):
    url = f"sqlite:///{tmp_path / 'fp.db'}"
    with open_store(url) as store:
        store.add_state(_seed_state(seed_text))
    return url


def _one(args: list[str]) -> dict[str, object]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_control_cli_seed_expectations(seed_db):
    before = _one(["control", "--place", "Yarmouk Camp", "--date", "2018-04-15", "--format", "jsonl", "--db", seed_db])
    assert before["holder"] == "Hayat Tahrir al-Sham"
    assert set(before) == {"place", "date", "holder", "since", "until", "confidence", "evidence", "contested_by"}
    assert any("forced to surrender its positions in the Yarmouk Camp" in e["text"] and e["event_id"] == "FPHAND"
               for e in before["evidence"])
    assert "2018-04-21" <= str(before["until"]) <= "2018-04-30"
    after = _one(["control", "--place", "Yarmouk Camp", "--date", "2018-05-01", "--format", "jsonl", "--db", seed_db])
    assert after["holder"] != "Hayat Tahrir al-Sham"
    maarat = _one(["control", "--place", "Maarat al-Numan", "--date", "2018-05-08", "--format", "jsonl",
                   "--db", seed_db])
    assert maarat["holder"] == "Maarat al-Numan Military Council"
    assert maarat["evidence"][0]["article_id"] == "seed" and maarat["evidence"][0]["event_id"] is None


def test_control_cli_support_lists_protest_and_live_rounds(seed_db):
    result = runner.invoke(app, ["support", "--actor", "HTS", "--format", "jsonl", "--db", seed_db])
    assert result.exit_code == 0, result.output
    periods = [json.loads(line) for line in result.stdout.splitlines()]
    may = next(p for p in periods if p["period"] == "2018-05")
    assert may["actor"] == "Hayat Tahrir al-Sham"
    assert (may["protests_against"], may["force_against_protesters"]) == (1, 1)
    assert {"FPPROT", "FPLIVE"} <= set(may["event_ids"])
    table = runner.invoke(app, ["support", "--actor", "HTS", "--db", seed_db])
    assert table.exit_code == 0 and "2018-05" in table.stdout


def test_control_cli_actor_holdings_and_timeline(seed_db, tmp_path):
    result = runner.invoke(app, ["control", "--actor", "HTS", "--format", "jsonl", "--db", seed_db])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and rows[-1]["lost"] == 1 and rows[-1]["period"] == "2018-04"
    chart = tmp_path / "hts.svg"
    drawn = runner.invoke(app, ["timeline", "--actor", "HTS", "--out", str(chart), "--db", seed_db])
    assert drawn.exit_code == 0, drawn.output
    assert chart.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["control", "--db", "sqlite:///:memory:"], "give one of --place"),
        (["control", "--place", "X", "--actor", "Y", "--db", "sqlite:///:memory:"], "give one of --place"),
        (["control", "--place", "X", "--date", "8 May", "--db", "sqlite:///:memory:"], "--date '8 May' is not a date"),
        (["control", "--place", "X", "--format", "xml", "--db", "sqlite:///:memory:"], "unknown format 'xml'"),
        (["support", "--actor", "HTS", "--by", "quarter", "--db", "sqlite:///:memory:"], "--by 'quarter'"),
        (["timeline", "--actor", "HTS", "--out", "chart.pdf", "--db", "sqlite:///:memory:"], ".png or .svg"),
    ],
)
def test_control_cli_usage_errors(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_control_cli_unknown_place_answers_null(tmp_path):
    answer = _one(["control", "--place", "Atlantis", "--date", "2018-05-01", "--format", "jsonl",
                   "--db", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert answer["holder"] is None and answer["evidence"] == []


def test_control_cli_region_summary(seed_db):
    summary = _one(["control", "--admin1", "Idlib", "--date", "2018-05-08", "--format", "jsonl", "--db", seed_db])
    assert summary["holders"] == {"Maarat al-Numan Military Council": 1}
    assert [p["place"] for p in summary["places"]] == ["Maarat al-Numan"]
    damascus = _one(["control", "--admin1", "Damascus", "--date", "2018-04-15", "--format", "jsonl", "--db", seed_db])
    assert damascus["holders"] == {"Hayat Tahrir al-Sham": 1}
