"""``flashpoint train`` (an event classifier from an ACLED export) and ``flashpoint evaluate case2021``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.cli.common import fail
from flashpoint.errors import FlashpointError


def train(
    acled: Annotated[Path, typer.Option("--acled", help="ACLED export (CSV with notes, event_type, sub_event_type).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (.npz).")],
    examples: Annotated[
        list[Path] | None,
        typer.Option("--examples", help="TSV of written sentences (label, modality, text); repeatable."),
    ] = None,
    cap: Annotated[int, typer.Option("--cap", help="Most ACLED notes used per sub-event type.")] = 600,
) -> None:
    """Train an event classifier from an ACLED export; use it with `flashpoint code --model MODEL`.

    Needs scikit-learn (pip install 'flashpoint[dev]'); coding with the model needs only numpy.

    Example: flashpoint train --acled acled-export.csv --out my-model.npz
    """
    from flashpoint.events import training

    try:
        data = training.read_acled(acled)
        for path in examples or []:
            data += training.read_written(path)
        if not data:
            raise fail(f"{acled}: no rows with notes and a sub_event_type")
        model = training.fit(training.balance(data, cap), meta={"training_data": {"acled": acled.name}})
        model.save(out)
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{out}: cannot be written ({exc})") from None
    per_class = ", ".join(f"{k}: {v}" for k, v in sorted(model.meta.get("per_class", {}).items()))
    typer.echo(f"wrote {out}: {len(model.classes)} classes, {len(model.vocab)} features ({per_class})")


def case2021(
    file: Annotated[Path, typer.Argument(help="CASE-2021 TSV with columns id, EventSnippet, SubType.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
    model: Annotated[Path | None, typer.Option("--model", help="Event classifier (.npz) to use.")] = None,
    full: Annotated[
        bool,
        typer.Option("--full/--events-only", help="Run the whole coder (as `code` does) or only nlp/actors/events."),
    ] = True,
) -> None:
    """Score event classification against CASE-2021 snippets (accuracy, macro-F1, weighted F1).

    Each snippet is coded as an article; the prediction is the sub-event type of its highest-confidence
    asserted or attempted event, or NONE.

    Example: flashpoint evaluate case2021 ../shared/eval/case2021-subtypes-dev.tsv
    """
    from flashpoint.evaluation.case2021 import evaluate

    if fmt not in ("table", "jsonl"):
        raise fail(f"--format {fmt!r}: use table or jsonl")
    try:
        report = evaluate(file, model, full=full)
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    if fmt == "jsonl":
        typer.echo(json.dumps({"n": report.n, "accuracy": report.accuracy, "macro_f1": report.macro_f1,
                               "weighted_f1": report.weighted_f1}))
        for c in report.classes:
            typer.echo(json.dumps({"label": c.label, "precision": c.precision, "recall": c.recall, "f1": c.f1,
                                   "support": c.support, "predicted": c.predicted}))
        for (gold, pred), count in sorted(report.confusion.items()):
            if gold != pred:
                typer.echo(json.dumps({"gold": gold, "predicted": pred, "count": count}))
        return
    console = Console()
    table = Table(title=f"CASE-2021: {file.name} ({report.n} snippets)")
    for col in ("class", "precision", "recall", "F1", "support", "predicted"):
        table.add_column(col, justify="left" if col == "class" else "right")
    for c in report.classes:
        table.add_row(c.label, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", str(c.support),
                      str(c.predicted))
    console.print(table)
    confusion = Table(title="Confusions (gold -> predicted), most frequent first")
    for col in ("gold", "predicted", "count"):
        confusion.add_column(col)
    for (gold, pred), count in sorted(report.confusion.items(), key=lambda kv: -kv[1]):
        if gold != pred:
            confusion.add_row(gold, pred, str(count))
    console.print(confusion)
    console.print(f"accuracy {report.accuracy:.3f}  macro-F1 {report.macro_f1:.3f}  "
                  f"weighted-F1 {report.weighted_f1:.3f}", highlight=False)


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("train")(train)
    evaluate.command("case2021")(case2021)
