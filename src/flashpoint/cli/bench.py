"""``flashpoint bench``: throughput and memory of flashpoint against spaCy's full pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.batch.bench import Measure
from flashpoint.cli.common import fail, stderr


def bench(
    input_: Annotated[Path, typer.Option("--input", "-i", help="A JSONL or CSV batch (.gz too).")],
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes for both sides.")] = 1,
    scaling: Annotated[
        bool, typer.Option("--scaling", help="Also flashpoint with 1 and 2 workers, locally and on Ray.")
    ] = False,
    steps: Annotated[
        bool,
        typer.Option(
            "--steps", help="Also flashpoint without the relevance filter, and parsing every sentence."
        ),
    ] = False,
    repeat: Annotated[
        int,
        typer.Option(
            "--repeat",
            "-r",
            min=1,
            help="Runs of flashpoint and of spaCy, taken in turns; the fastest of each counts.",
        ),
    ] = 3,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
) -> None:
    """Measure articles/s, words/s, events/s and peak memory: flashpoint end to end (a temporary
    store included) and spaCy's full pipeline alone, on the same texts with the same processes.

    Example: flashpoint bench --input ../shared/eval/guardian-syria-dev.jsonl --workers 2 --scaling

    Each measurement runs in its own process after models are loaded (start-up is shown apart). The
    ratio is flashpoint's time over spaCy's: below 1 flashpoint is faster than spaCy's pipeline alone.
    flashpoint and spaCy run --repeat times each, in turns, and the fastest run of each side counts:
    on a shared machine one run of either can be slowed by other work.
    """
    if fmt not in ("table", "jsonl"):
        raise fail(f"unknown format {fmt!r}; choose table or jsonl")
    if not input_.is_file():
        raise fail(f"--input {input_}: no such file")
    plan: list[tuple[str, str, int]] = [("flashpoint", "local", workers), ("spacy-full", "local", workers)]
    pair: list[Measure] = []
    for _ in range(repeat - 1):
        for kind, engine, n in plan:
            pair.append(_measure(kind, input_, n, engine, fmt))
    if steps:
        plan += [("flashpoint-no-relevance", "local", workers), ("flashpoint-parse-all", "local", workers)]
    if scaling:
        plan += [("flashpoint", engine, n) for engine in ("local", "ray") for n in (1, 2)]
    seen: set[tuple[str, str, int]] = set()
    results: list[Measure] = []
    for item in plan:
        if item in seen:
            continue
        seen.add(item)
        kind, engine, n = item
        results.append(_measure(kind, input_, n, engine, fmt))
    pair += results[:2]
    # the fastest run of each side of the ratio
    results[0] = min((m for m in pair if m.kind == "flashpoint"), key=lambda m: m.seconds)
    results[1] = min((m for m in pair if m.kind == "spacy-full"), key=lambda m: m.seconds)
    ours, spacy = results[0], results[1]
    ratio = ours.seconds / spacy.seconds if spacy.seconds else float("nan")
    if fmt == "jsonl":
        print(
            json.dumps(
                {
                    "ratio_flashpoint_over_spacy_full": round(ratio, 3),
                    "workers": workers,
                    "flashpoint_seconds": round(ours.seconds, 2),
                    "spacy_full_seconds": round(spacy.seconds, 2),
                    "repeat": repeat,
                }
            )
        )
        return
    _print_table(input_.name, results, workers, repeat, ratio)


def _print_table(name: str, results: list[Measure], workers: int, repeat: int, ratio: float) -> None:
    """The measurements as a table, then the ratio."""
    table = Table(title=f"flashpoint bench: {name}")
    for col in (
        "run",
        "engine",
        "workers",
        "articles",
        "seconds",
        "articles/s",
        "words/s",
        "events/s",
        "peak MB",
        "start-up s",
    ):
        table.add_column(col, justify="left" if col in ("run", "engine") else "right")
    for m in results:
        r = _row(m)
        table.add_row(
            m.kind,
            m.engine,
            str(m.workers),
            str(m.articles),
            f"{m.seconds:.1f}",
            f"{r['articles_per_s']:.2f}",
            f"{r['words_per_s']:.0f}",
            f"{r['events_per_s']:.1f}",
            f"{m.peak_mb:.0f}",
            f"{m.startup_seconds:.1f}",
        )
    console = Console()
    console.print(table)
    console.print(
        f"time ratio flashpoint / spaCy full pipeline ({workers} worker(s), fastest of {repeat} run(s) each): "
        f"{ratio:.2f}"
    )


def _measure(kind: str, input_: Path, workers: int, engine: str, fmt: str) -> Measure:
    from flashpoint.batch.bench import run_isolated
    from flashpoint.errors import FlashpointError

    stderr.print(f"measuring {kind} ({engine}, {workers} worker(s)) ...", highlight=False)
    try:
        m = run_isolated(kind, input_, workers, engine)
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    if fmt == "jsonl":
        print(json.dumps(_row(m)), flush=True)
    return m


def _row(m: object) -> dict[str, object]:
    from dataclasses import asdict

    from flashpoint.batch.bench import Measure

    assert isinstance(m, Measure)
    row = asdict(m)
    row.update(
        articles_per_s=round(m.articles_per_s, 3),
        words_per_s=round(m.words_per_s, 1),
        events_per_s=round(m.events_per_s, 3),
    )
    return row


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("bench")(bench)
