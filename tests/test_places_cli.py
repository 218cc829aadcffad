"""``flashpoint places``: read and run as ``flashpoint code`` reads and runs a batch (up to geo); bad lines
and bad spans are named with their line and left out, the run goes on and exits 1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.geo.gazetteer import MemoryGazetteer
from flashpoint.records import Place

runner = CliRunner()

ALEPPO = Place("Aleppo", 36.20124, 37.16117, 170063, "SY", "SYR", "Syria", "Aleppo", None, None, "P", "PPLA",
               1602264)
HOMS = Place("Homs", 34.72682, 36.72339, 169577, "SY", "SYR", "Syria", "Homs", None, None, "P", "PPLA", 775404)


@pytest.fixture(autouse=True)
def _fake_gazetteer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("flashpoint.geo.geoparser.load_gazetteer", lambda: MemoryGazetteer([ALEPPO, HOMS]))


def _line(aid: str, text: str, *spans: tuple[int, int]) -> str:
    return json.dumps({"id": aid, "text": text, "toponyms": [{"start": s, "end": e} for s, e in spans]})


def test_places_given_spans_bad_lines_are_named_and_the_rest_resolved(tmp_path) -> None:
    good = "Shelling hit Aleppo."
    lines = [
        _line("a", good, (13, 19)),
        "{not json",
        _line("b", "Homs and Aleppo.", (0, 4), (9, 15), (40, 45)),  # the last span lies past the text's end
        json.dumps({"id": "c", "text": "no spans here"}),
        _line("d", good, (13, 19)),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["places", "--given-spans", "--input", str(src)])
    assert result.exit_code == 1
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["article_id"], r["text"], r["geonameid"]) for r in rows] == [
        ("a", "Aleppo", 170063), ("b", "Homs", 169577), ("b", "Aleppo", 170063), ("d", "Aleppo", 170063)]
    assert f"skipped: {src}:2: malformed JSON" in result.stderr  # as `flashpoint code` names it
    assert f"skipped: {src}:3: toponym span (40, 45) is outside the text (length 16)" in result.stderr
    assert f"skipped: {src}:4: --given-spans needs" in result.stderr
    assert "3 input(s) skipped" in result.stderr


def test_places_given_spans_clean_input_exits_0(tmp_path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(_line("a", "Shelling hit Aleppo.", (13, 19)) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["places", "--given-spans", "--input", str(src)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["name"] == "Aleppo"


def test_places_given_spans_missing_file_is_named_as_code_names_it(tmp_path) -> None:
    absent = tmp_path / "absent.jsonl"
    places = runner.invoke(app, ["places", "--given-spans", "--input", str(absent)])
    code = runner.invoke(app, ["code", "--input", str(absent), "--db", "none"])
    assert places.exit_code == code.exit_code == 1
    assert f"skipped: {absent}: cannot read file" in places.stderr
    assert places.stderr == code.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["places"], "nothing to read"),
        (["places", "--given-spans", "a.txt"], "--given-spans needs --input"),
        (["places", "a.txt", "--format", "csv"], "--format must be jsonl or table"),
    ],
)
def test_places_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr


def _corpus(tmp_path, n: int):
    arts = "".join(
        f'<article file="a{k}"><text>Shelling hit Aleppo.</text><toponyms><toponym><extractedName>Aleppo'
        f"</extractedName><start>13</start><end>19</end><latitude>36.2</latitude><longitude>37.16</longitude>"
        f"</toponym></toponyms></article>" for k in range(n))
    path = tmp_path / "c.xml"
    path.write_text(f"<articles>{arts}</articles>", encoding="utf-8")
    return path


def test_places_evaluate_geoparse_fold_scores_only_its_articles(tmp_path) -> None:
    from flashpoint.evaluation.geoparse import evaluate_geoparse, fold_of
    from flashpoint.geo.geoparser import Geoparser

    path = _corpus(tmp_path, 12)
    gp = Geoparser(MemoryGazetteer([ALEPPO]))
    sizes = []
    for i in range(3):
        got = evaluate_geoparse(path, gp.resolve_spans, lambda _text: [], fold=(i, 3))
        assert got["fold"] == f"{i}/3"
        assert got["articles"] == sum(fold_of(f"a{k}", 3) == i for k in range(12))
        assert got["resolution"]["accuracy@161km"] in (1.0, 0.0)
        sizes.append(got["articles"])
    assert sum(sizes) == 12


@pytest.mark.parametrize("fold", ["5/5", "x", "1/0", "-1/5"])
def test_places_evaluate_geoparse_bad_fold_is_a_usage_error(tmp_path, fold: str) -> None:
    result = runner.invoke(app, ["evaluate", "geoparse", str(_corpus(tmp_path, 2)), "--fold", fold])
    assert result.exit_code == 2
    assert "--fold" in result.stderr and "I/K" in result.stderr


@pytest.mark.slow
def test_places_batch_bad_line_in_the_middle_is_named_as_code_names_it(tmp_path) -> None:
    lines = [json.dumps({"id": "a", "text": "Shelling hit Aleppo on Monday."}), "{not json",
             json.dumps({"id": "b", "text": "Fighting went on in Homs."})]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    places = runner.invoke(app, ["places", "--input", str(src)])
    assert places.exit_code == 1
    rows = [json.loads(x) for x in places.stdout.splitlines()]
    assert [(r["article_id"], r["text"], r["geonameid"]) for r in rows] == [("a", "Aleppo", 170063), ("b", "Homs", 169577)]
    code = runner.invoke(app, ["code", "--input", str(src), "--db", "none", "--format", "jsonl"])
    assert code.exit_code == 1
    assert places.stderr == code.stderr == f"skipped: {src}:2: malformed JSON (Expecting property name enclosed in " \
        "double quotes at column 2)\n1 input(s) skipped\n"
