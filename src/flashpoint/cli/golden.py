"""``flashpoint evaluate golden`` and ``flashpoint evaluate articles``: code hand-coded articles, compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.cli.common import fail, report_skipped, stderr

if TYPE_CHECKING:
    from flashpoint.evaluation.articles import ArticlesReport


def golden(
    expected: Annotated[
        Path, typer.Argument(help="An expected.json hand coding (its article file beside it).")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
) -> None:
    """Code the article of a hand coding (expected.json) and report what was found and what was wrong.

    Example: flashpoint evaluate golden ../shared/examples/hts-2018/expected.json
    """
    from flashpoint.coder import Coder
    from flashpoint.evaluation.golden import score
    from flashpoint.ingest import parse_published, read_text
    from flashpoint.records import Article

    try:
        spec = json.loads(expected.read_text(encoding="utf-8"))
        meta = spec["article"]
    except (OSError, ValueError, KeyError) as exc:
        raise fail(f"{expected}: not a readable expected.json ({exc})") from None
    item = read_text(
        expected.parent / meta["file"], published=parse_published(meta.get("published"), str(expected))
    )
    if not isinstance(item, Article):
        raise fail(str(item))
    report = score(Coder().code(item), spec)
    if fmt == "jsonl":
        for m in report.matches:
            typer.echo(
                json.dumps(
                    {
                        "expected": m.expected_id,
                        "found": m.found,
                        "type_ok": m.type_ok,
                        "sub_type_ok": m.sub_type_ok,
                        "event_id": m.event_id,
                        "detail": m.detail,
                    }
                )
            )
        for v in report.violations:
            typer.echo(json.dumps({"violation": v.text, "event_id": v.event_id, "why": v.why}))
        return
    table = Table(title=str(expected))
    for col in ("expected event", "found", "type", "sub-type", "coded as"):
        table.add_column(col, overflow="fold")
    for m in report.matches:
        table.add_row(m.expected_id, _mark(m.found), _mark(m.type_ok), _mark(m.sub_type_ok), m.detail)
    console = Console()
    console.print(table)
    for v in report.violations:
        console.print(f"[red]must not emit[/red]: {v.text!r} gave {v.event_id} ({v.why})")
    console.print(report.summary(), highlight=False)


def _mark(ok: bool) -> str:
    return "yes" if ok else "no"


def articles(
    gold: Annotated[
        Path, typer.Argument(help="JSONL, one hand-coded article a line (docs/article-gold.md).")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N articles (lines).")] = None,
) -> None:
    """Score whole hand-coded articles: event precision, recall and F1, and field accuracy.

    Each article is coded and its asserted and attempted events are matched one to one with the gold
    events: by evidence sentence, else by event type within 7 days and 100 km. Field accuracy
    (sub-event type, actors, location, date, fatalities) is over the matched pairs. The GOLD format
    and the exact rules: [`docs/article-gold.md`](article-gold.md).

    Example: flashpoint evaluate articles gold.jsonl --format jsonl

    A bad GOLD line is named on stderr with its line number and skipped. Exit status: 0 when every
    line was scored, 1 when some line was skipped, 2 for a usage error.
    """
    from flashpoint.coder import Coder
    from flashpoint.errors import FlashpointError
    from flashpoint.evaluation.articles import evaluate

    if fmt not in ("table", "jsonl"):
        raise fail(f"--format {fmt!r}: use table or jsonl")
    try:
        report = evaluate(gold, Coder(), limit=limit, on_skip=report_skipped)
    except FlashpointError as exc:  # an unreadable GOLD file, or the coder's data files
        raise fail(str(exc)) from None
    if fmt == "jsonl":
        _articles_jsonl(report)
    else:
        _articles_table(report, str(gold))
    if report.skipped:
        stderr.print(f"{report.skipped} line(s) skipped", highlight=False)
        raise typer.Exit(1)


def _articles_jsonl(report: ArticlesReport) -> None:
    for a in report.articles:
        matches = [
            {"gold": m.gold, "event_id": m.event_id, "by": m.by, "fields": m.fields} for m in a.matches
        ]
        typer.echo(
            json.dumps(
                {
                    "article": a.id,
                    "gold": a.gold,
                    "predicted": a.predicted,
                    "matched": a.matched,
                    "matches": matches,
                    "false_positives": list(a.false_positives),
                    "false_negatives": list(a.false_negatives),
                }
            )
        )
    typer.echo(json.dumps({"summary": report.summary()}))


def _articles_table(report: ArticlesReport, title: str) -> None:
    console = Console()
    table = Table(title=title)
    for col in ("article", "gold", "predicted", "matched"):
        table.add_column(col, overflow="fold", justify="left" if col == "article" else "right")
    for a in report.articles:
        table.add_row(a.id, str(a.gold), str(a.predicted), str(a.matched))
    console.print(table)
    fields = Table(title="Field accuracy over matched events")
    for col in ("field", "correct/scored", "accuracy", "not scored"):
        fields.add_column(col, justify="left" if col == "field" else "right")
    for f in report.fields:
        fields.add_row(f.name, f"{f.correct}/{f.scored}", f"{f.accuracy:.3f}", str(f.not_scored))
    console.print(fields)
    console.print(
        f"events: precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}  "
        f"({report.tp} matched, {report.fp} false positive(s), {report.fn} false negative(s); "
        f"{len(report.articles)} article(s))",
        highlight=False,
    )


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    evaluate.command("golden")(golden)
    evaluate.command("articles")(articles)
