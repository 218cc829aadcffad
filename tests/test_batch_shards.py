from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from flashpoint.batch import Coded, code_items
from flashpoint.batch.shards import ShardWriter, read_shards, row_state, state_row
from flashpoint.cli.app import app
from flashpoint.errors import InputError
from flashpoint.records import Actor, Article, Place, PlaceMention
from flashpoint.store import open_store
from tests.batch_fakes import article_lines, fake_coder
from tests.helpers import make_state

runner = CliRunner()


def test_batch_shards_row_round_trip_keeps_what_the_store_keeps():
    place = Place("Saraqib", 35.86, 36.8, 164816, "SY", "SYR", "Syria", "Idlib")
    state = make_state("a1")
    state = state.__class__(
        state.article,
        state.sentences,
        (),
        (),
        state.actor_mentions,
        (PlaceMention(21, 28, "Saraqib", 0, place, 0.9),),
        (),
        state.events,
        state.done,
    )
    back = row_state(state_row(state), "x")
    assert back.article == state.article
    assert back.sentences == state.sentences
    assert [m.actor.name for m in back.actor_mentions] == ["Hayat Tahrir al-Sham"]
    assert back.place_mentions == state.place_mentions
    assert back.events == state.events


def test_batch_shards_unknown_inter_round_trips_as_none_and_an_old_0_reads_as_none():
    import dataclasses
    import json

    state = make_state("a1")
    hts = state.actor_mentions[0]
    party = dataclasses.replace(hts, actor=Actor("A Party", "political party", None, "SYR"))
    row = state_row(dataclasses.replace(state, actor_mentions=(hts, party)))
    assert [m.actor.inter for m in row_state(row, "x").actor_mentions] == [2, None]
    old = json.loads(row["actor_mentions"])
    old[1]["actor"]["inter"] = 0  # as shards written before an unknown code was null hold it
    back = row_state({**row, "actor_mentions": json.dumps(old)}, "x")
    assert [m.actor.inter for m in back.actor_mentions] == [2, None]


def test_batch_shards_written_by_a_run_import_into_a_store_once(tmp_path):
    articles = [Article(r["id"], r["text"]) for r in article_lines(25)]
    writer = ShardWriter(tmp_path / "shards", rows=10)
    coded = []
    for outcome in code_items(articles, fake_coder(), batch_size=4):
        assert isinstance(outcome, Coded)
        writer.add(outcome)
        coded.append(outcome)
    writer.close()
    assert len(list((tmp_path / "shards").glob("shard-*.parquet"))) == 3
    db = f"sqlite:///{tmp_path}/fp.db"
    result = runner.invoke(app, ["import", str(tmp_path / "shards"), "--db", db])
    assert result.exit_code == 0, result.stderr
    assert "imported 25 article(s); 0 already stored" in result.stderr
    again = runner.invoke(app, ["import", str(tmp_path / "shards"), "--db", db])
    assert "imported 0 article(s); 25 already stored" in again.stderr
    store = open_store(db)
    assert sorted(e.event_id for e in store.events(modalities=None)) == sorted(
        e.event_id for o in coded for e in o.events
    )


def test_batch_shards_bad_input_is_named(tmp_path):
    bogus = tmp_path / "bogus.parquet"
    pq.write_table(pa.table({"x": [1]}), bogus)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    items = list(read_shards(bogus)) + list(read_shards(broken))
    assert all(isinstance(i, InputError) for i in items)
    assert "columns" in str(items[0]) and "unreadable" in str(items[1])
    result = runner.invoke(app, ["import", str(bogus), "--db", f"sqlite:///{tmp_path}/fp.db"])
    assert result.exit_code == 1
    assert f"skipped: {bogus}" in result.stderr


def test_batch_shards_import_usage_errors(tmp_path):
    result = runner.invoke(app, ["import", str(tmp_path), "--format", "acled-xml", "--db", "none"])
    assert result.exit_code == 2 and "unknown format 'acled-xml'" in result.stderr
    result = runner.invoke(app, ["import", str(tmp_path / "nope"), "--db", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
