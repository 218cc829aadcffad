"""``flashpoint actors resolve / show / unknown``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from flashpoint.cli.app import app

runner = CliRunner()


def test_actors_cli_resolve_jsonl_in_input_order() -> None:
    result = runner.invoke(
        app,
        ["actors", "resolve", "Jabhat al-Nusra", "-", "--date", "2016-08-15", "--format", "jsonl"],
        input="Russia’s ambassador to Poland\nno actor here\n",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["Jabhat al-Nusra", "Russia’s ambassador to Poland", "no actor here"]
    assert rows[0]["actor"] == "Jabhat Fateh al-Sham"
    assert rows[0]["name_on_date"] == "Jabhat Fateh al-Sham"
    assert rows[0]["successor_on_date"] is None
    assert rows[1]["country"] == "RUS"
    assert rows[2]["actor"] is None
    assert set(rows[0]) == {"text", "actor", "name_on_date", "successor_on_date", "kind", "inter", "country",
                            "acled_name", "matched", "via", "entry", "source", "holder", "relations"}
    assert rows[0]["source"].startswith("syria_jihadist.json")


def test_actors_cli_resolve_successor_on_later_date() -> None:
    result = runner.invoke(app, ["actors", "resolve", "Jabhat al-Nusra", "--date", "2018-05-08", "--format", "jsonl"])
    row = json.loads(result.stdout)
    assert row["successor_on_date"] == "Hayat Tahrir al-Sham"


def test_actors_cli_bad_date_is_a_clear_error() -> None:
    result = runner.invoke(app, ["actors", "resolve", "HTS", "--date", "May 2018"])
    assert result.exit_code == 2
    assert "May 2018" in result.output


def test_actors_cli_show_tree() -> None:
    result = runner.invoke(app, ["actors", "show", "Nusra Front"])
    assert result.exit_code == 0, result.output
    assert "Jabhat Fateh al-Sham" in result.stdout
    assert "merged_into → Hayat Tahrir al-Sham" in result.stdout


def test_actors_cli_show_unknown_name() -> None:
    result = runner.invoke(app, ["actors", "show", "Nobody At All"])
    assert result.exit_code == 2
    assert "Nobody At All" in result.output


def test_actors_cli_unknown_from_store(tmp_path) -> None:
    import datetime as dt

    from flashpoint.actors import ActorStage
    from flashpoint.pipeline import ArticleState
    from flashpoint.records import Article, Mention
    from flashpoint.store import open_store

    text = "The Lions of Tartus Brigade attacked HTS positions."
    state = ArticleState(
        Article(id="a1", text=text, published=dt.date(2018, 5, 8)),
        mentions=(Mention(4, 27, "Lions of Tartus Brigade", "ORG", 0),),
        done=frozenset({"nlp"}),
    )
    state = ActorStage()(state)
    url = f"sqlite:///{tmp_path / 'fp.db'}"
    store = open_store(url)
    try:
        store.add_state(state)
    finally:
        store.close()
    result = runner.invoke(app, ["actors", "unknown", "--db", url, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"actor": "Lions of Tartus Brigade", "mentions": 1}
    ]
