"""``flashpoint evaluate golden``: code a hand-coded example article and compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.cli.common import fail


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


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    evaluate.command("golden")(golden)
