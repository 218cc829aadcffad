"""End to end: the seed article coded by the real pipeline, stored, then asked who held what."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import typer
from typer.testing import CliRunner

from flashpoint.cli import control as control_cli
from flashpoint.records import Article
from flashpoint.store import open_store

pytestmark = pytest.mark.slow
runner = CliRunner()
app = typer.Typer()
control_cli.register(app, typer.Typer())


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    from flashpoint.coder import Coder
    from tests.conftest import shared_file

    text = shared_file("examples/hts-2018/article.txt").read_text(encoding="utf-8")
    url = f"sqlite:///{tmp_path_factory.mktemp('seed') / 'fp.db'}"
    with open_store(url) as store:
        state = Coder().code_state(Article("seed", text, published=dt.date(2018, 5, 8)))
        store.add_state(state)
        assert not store.add_state(state).stored  # coding it again adds nothing
    return url


def _ask(db: str, place: str, day: str) -> dict[str, object]:
    result = runner.invoke(app, ["control", "--place", place, "--date", day, "--format", "jsonl", "--db", db])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.strip().splitlines()
    return json.loads(line)


def test_control_seed_yarmouk_and_maarat(seed_db):
    before = _ask(seed_db, "Yarmouk Camp", "2018-04-15")
    assert before["holder"] == "Hayat Tahrir al-Sham"
    assert any("surrender its positions in the Yarmouk Camp" in e["text"] for e in before["evidence"])
    assert "2018-04-20" <= str(before["until"]) <= "2018-04-30"  # the handover, in the last days of April
    assert _ask(seed_db, "Yarmouk Camp", "2018-05-01")["holder"] != "Hayat Tahrir al-Sham"
    assert _ask(seed_db, "Maarat al-Numan", "2018-05-08")["holder"] == "Maarat al-Numan Military Council"


def test_control_seed_support_for_hts(seed_db):
    result = runner.invoke(app, ["support", "--actor", "HTS", "--format", "jsonl", "--db", seed_db])
    assert result.exit_code == 0, result.output
    may = next(json.loads(x) for x in result.stdout.splitlines() if '"2018-05"' in x)
    assert may["protests_against"] >= 1 and may["force_against_protesters"] >= 1
