from __future__ import annotations

import json

from typer.testing import CliRunner

from flashpoint.batch.bench import measure
from flashpoint.cli.app import app

runner = CliRunner()

TEXTS = [
    "Syrian government forces shelled the town of Saraqib on Monday, killing three civilians.",
    "The city council approved a budget for new parks and longer library hours.",
    "Protesters gathered in Idlib on Friday to denounce Hayat Tahrir al-Sham.",
]


def _input(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"b{i}", "published": "2018-05-08", "text": t}) + "\n"
            for i, t in enumerate(TEXTS)
        )
    )
    return path


def test_cli_bench_usage_errors(tmp_path):
    result = runner.invoke(app, ["bench", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(app, ["bench", "--input", str(_input(tmp_path)), "--format", "xml"])
    assert result.exit_code == 2 and "unknown format 'xml'" in result.stderr


def test_cli_bench_spacy_full_counts_the_same_texts(tmp_path):
    m = measure("spacy-full", _input(tmp_path), 1, "local")
    assert m.articles == 3
    assert m.words == sum(len(t.split()) for t in TEXTS)
    assert m.seconds > 0 and m.peak_mb > 50


def test_cli_bench_reports_both_sides_and_their_ratio(tmp_path):
    result = runner.invoke(app, ["bench", "--input", str(_input(tmp_path)), "--format", "jsonl", "--repeat", "1"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    ours, spacy, ratio = rows
    assert ours["kind"] == "flashpoint" and spacy["kind"] == "spacy-full"
    assert ours["articles"] == spacy["articles"] == 3
    assert ours["events"] >= 1
    assert ratio["ratio_flashpoint_over_spacy_full"] == round(ours["seconds"] / spacy["seconds"], 3)


def test_cli_bench_repeats_in_turns_and_keeps_the_fastest_run_of_each_side(tmp_path):
    result = runner.invoke(app, ["bench", "--input", str(_input(tmp_path)), "--format", "jsonl", "--repeat", "2"])
    assert result.exit_code == 0, result.stderr
    *runs, ratio = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["kind"] for r in runs] == ["flashpoint", "spacy-full"] * 2  # in turns
    ours = min(r["seconds"] for r in runs if r["kind"] == "flashpoint")
    spacy = min(r["seconds"] for r in runs if r["kind"] == "spacy-full")
    assert ratio["repeat"] == 2
    assert ratio["flashpoint_seconds"] == round(ours, 2) and ratio["spacy_full_seconds"] == round(spacy, 2)
    assert ratio["ratio_flashpoint_over_spacy_full"] == round(ours / spacy, 3)
