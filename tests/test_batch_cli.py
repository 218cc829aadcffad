"""``flashpoint code`` with workers, Ray and shards: the same events as a plain local run."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from tests.conftest import shared_file

runner = CliRunner()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    lines = shared_file("eval/guardian-syria-dev.jsonl").read_text(encoding="utf-8").splitlines()[:4]
    path = tmp_path_factory.mktemp("in") / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_events(batch):
    result = runner.invoke(
        app, ["code", "--input", str(batch), "--db", "none", "--format", "jsonl", "--all-modalities"]
    )
    assert result.exit_code == 0, result.stderr
    events = [json.loads(x) for x in result.stdout.splitlines()]
    assert events, "the guardian articles should yield events"
    return events


def test_batch_cli_two_workers_print_the_same_events_in_the_same_order(batch, local_events):
    result = runner.invoke(
        app,
        [
            "code",
            "--input",
            str(batch),
            "--db",
            "none",
            "--format",
            "jsonl",
            "--all-modalities",
            "--workers",
            "2",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert [json.loads(x) for x in result.stdout.splitlines()] == local_events


def test_batch_cli_ray_shards_import_to_the_same_events(batch, local_events, tmp_path):
    pytest.importorskip("ray", reason="Ray is not installed (pip install 'flashpoint[scale]')")
    shards = tmp_path / "shards"
    result = runner.invoke(
        app,
        [
            "code",
            "--input",
            str(batch),
            "--engine",
            "ray",
            "--workers",
            "2",
            "--out-shards",
            str(shards),
            "--format",
            "jsonl",
            "--all-modalities",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert [json.loads(x) for x in result.stdout.splitlines()] == local_events
    db = f"sqlite:///{tmp_path}/fp.db"
    assert runner.invoke(app, ["import", str(shards), "--db", db]).exit_code == 0
    local_db = f"sqlite:///{tmp_path}/local.db"  # the same articles coded here into a store of their own
    coded = runner.invoke(app, ["code", "--input", str(batch), "--db", local_db, "--format", "jsonl"])
    assert coded.exit_code == 0, coded.stderr

    def stored(url: str) -> list[dict]:
        exported = runner.invoke(app, ["export", "--format", "jsonl", "--all-modalities", "--db", url])
        assert exported.exit_code == 0, exported.stderr
        return sorted((json.loads(x) for x in exported.stdout.splitlines()), key=lambda e: e["event_id"])

    from_shards = stored(db)
    assert from_shards and from_shards == stored(local_db)
    # the store merges duplicates (one event per type, place and day) into events that were coded
    assert {e["event_id"] for e in from_shards} <= {e["event_id"] for e in local_events}


def test_batch_cli_engine_usage_errors():
    result = runner.invoke(app, ["code", "x.txt", "--engine", "spark", "--db", "none"])
    assert result.exit_code == 2 and "unknown engine 'spark'" in result.stderr
    result = runner.invoke(app, ["code", "x.txt", "--address", "auto", "--db", "none"])
    assert result.exit_code == 2 and "--address needs --engine ray" in result.stderr
