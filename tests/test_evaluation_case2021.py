"""CASE-2021 scoring: reading the gold file, the metrics, the prediction rule, the commands."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flashpoint.errors import InputError
from flashpoint.evaluation.case2021 import Snippet, predicted_label, read_gold, score
from flashpoint.records import EventCandidate, Modality

from .conftest import shared_file


def _app() -> typer.Typer:
    from flashpoint.cli import events

    app = typer.Typer()
    evaluate = typer.Typer()
    app.add_typer(evaluate, name="evaluate")
    events.register(app, evaluate)
    return app


def test_evaluation_case2021_scores_by_hand() -> None:
    gold = [Snippet("1", "", "Armed clash"), Snippet("2", "", "Armed clash"), Snippet("3", "", "NONE"),
            Snippet("4", "", "Grenade")]
    report = score(gold, ["Armed clash", "NONE", "NONE", "armed clash"])
    assert report.accuracy == pytest.approx(0.5)
    by = {c.label: c for c in report.classes}
    assert by["Armed clash"].precision == pytest.approx(0.5) and by["Armed clash"].recall == pytest.approx(0.5)
    assert by["NONE"].f1 == pytest.approx(2 / 3)
    assert by["Grenade"].f1 == 0.0
    assert report.weighted_f1 == pytest.approx((0.5 * 2 + 2 / 3 * 1 + 0) / 4)
    assert report.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert report.confusion[("Grenade", "Armed clash")] == 1


def _cand(sub: str, modality: Modality, confidence: float) -> EventCandidate:
    return EventCandidate(0, "Battles", sub, modality, confidence, (0, 1))


def test_evaluation_case2021_prediction_uses_default_output_only() -> None:
    assert predicted_label([]) == "NONE"
    assert predicted_label([_cand("Armed clash", Modality.HYPOTHETICAL, 0.99)]) == "NONE"
    assert predicted_label([_cand("Armed clash", Modality.ASSERTED, 0.6),
                            _cand("Grenade", Modality.ATTEMPTED, 0.8),
                            _cand("Attack", Modality.THREATENED, 0.95)]) == "Grenade"


def test_evaluation_case2021_reads_labels_and_maps_non_acled_to_none(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("id\tEventSnippet\tSubType\n1\tRebels shelled the town.\tART_MISS_ATTACK\n"
                    "2\tAn earthquake hit.\tNATURAL_DISASTER\n", encoding="utf-8")
    assert [s.label for s in read_gold(path)] == ["Shelling/artillery/missile attack", "NONE"]


def test_evaluation_case2021_bad_file_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("id\tText\n1\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match="EventSnippet"):
        read_gold(path)
    path.write_text("id\tEventSnippet\tSubType\n1\tx\tPICNIC\n", encoding="utf-8")
    with pytest.raises(InputError, match="PICNIC"):
        read_gold(path)
    result = CliRunner().invoke(_app(), ["evaluate", "case2021", str(path), "--events-only"])
    assert result.exit_code == 2 and "PICNIC" in result.output


@pytest.mark.slow
def test_evaluation_case2021_dev_reaches_target() -> None:
    from flashpoint.evaluation.case2021 import evaluate

    report = evaluate(shared_file("eval/case2021-subtypes-dev.tsv"))  # the whole coder, as `code` runs it
    assert report.n == 309
    assert report.weighted_f1 >= 0.82  # 0.837 with the learned sentence model (0.886 with the dev-tuned classifier)


def test_evaluation_case2021_command_prints_metrics(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tA suicide bomber blew himself up outside a police station, killing four officers.\tSUIC_BOMB\n"
        "2\tA magnitude 5 earthquake shook the region on Monday.\tNATURAL_DISASTER\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(_app(), ["evaluate", "case2021", str(path), "--format", "jsonl", "--events-only"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert '"accuracy": 1.0' in first and '"weighted_f1": 1.0' in first


