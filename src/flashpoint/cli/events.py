"""``flashpoint train`` (the sentence model from labelled data) and ``flashpoint evaluate case2021``."""

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
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (.npz).")],
    acled: Annotated[
        list[Path] | None,
        typer.Option("--acled", help="ACLED export (CSV with notes, sub_event_type); repeatable."),
    ] = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option("--corpus", help="Labelled articles (training/corpus/labels.jsonl format); repeatable."),
    ] = None,
    examples: Annotated[
        list[Path] | None,
        typer.Option("--examples", help="TSV of written sentences (label, modality, text), or a folder; repeatable."),
    ] = None,
    shared: Annotated[
        Path | None, typer.Option("--shared", help="Folder with the texts a corpus keeps as offsets only.")
    ] = None,
    reviews: Annotated[
        list[str] | None,
        typer.Option("--from-reviews", help="Store URL whose reviewed events join the examples; repeatable."),
    ] = None,
    review_copies: Annotated[
        int, typer.Option("--review-copies", min=1, help="Times each reviewed event counts (reviews are few).")
    ] = 5,
    cap: Annotated[int, typer.Option("--cap", help="Most ACLED notes used per sub-event type.")] = 1000,
    epochs: Annotated[int, typer.Option("--epochs", help="Passes over the examples.")] = 3,
) -> None:
    """Train the sentence model from an ACLED export, labelled articles, written sentences and the
    events people reviewed in a store; use it with `flashpoint code --model MODEL`.

    Fine-tunes the top layers of the shipped encoder (MiniLM-L6) on the CPU: about half an hour for
    twenty thousand examples on two cores. Needs the train extra (pip install 'flashpoint\\[train]');
    coding with the model needs only what flashpoint installs.

    A reviewed event teaches its evidence sentence: confirmed or corrected, its (reviewed) sub-event
    type; rejected or a duplicate, no event of its own. The model reads each sentence of an article
    after the first together with that first sentence, the lead (the corpus's sentences are learned
    so); ACLED notes, written sentences and reviews are read alone.

    Example: flashpoint train --acled acled-export.csv --corpus my-labels.jsonl --from-reviews sqlite:///flashpoint.db --out my-model.npz
    """
    from flashpoint.events import finetune, learn

    try:
        reviewed = [e for url in reviews or [] for e in learn.from_reviews(url)]
        data = learn.gather(acled=acled or [], examples=examples or [], corpus=corpus or [], shared=shared,
                            cap=10**9, more=reviewed)
        data = finetune.sqrt_balanced(data, cap) + reviewed * (review_copies - 1)
        settings = finetune.Settings(epochs=epochs)
        net = finetune.fit_model(data, settings, log=lambda msg: typer.echo(msg, err=True))
        finetune.save(net, data, out, settings, {"cap": cap})
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{out}: cannot be written ({exc})") from None
    typer.echo(f"wrote {out}: {len(data)} examples")


def case2021(
    file: Annotated[Path, typer.Argument(help="CASE-2021 TSV with columns id, EventSnippet, SubType.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
    model: Annotated[Path | None, typer.Option("--model", help="Sentence model (.npz) to use.")] = None,
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
