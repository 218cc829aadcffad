"""``flashpoint places`` (place mentions of texts) and ``flashpoint evaluate geoparse``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.cli.common import fail, report_skipped, stderr
from flashpoint.errors import FlashpointError
from flashpoint.records import PlaceMention

FIELDS = ("article_id", "text", "start", "end", "name", "geonameid", "latitude", "longitude", "country_code",
          "admin1", "admin2", "feature_code", "confidence")


def place_row(article_id: str, m: PlaceMention) -> dict[str, Any]:
    """One output line: the mention and the place it resolved to (nulls where unknown)."""
    p = m.place
    return {
        "article_id": article_id, "text": m.text, "start": m.start, "end": m.end,
        "name": p.name if p else None, "geonameid": p.geonameid if p else None,
        "latitude": p.latitude if p else None, "longitude": p.longitude if p else None,
        "country_code": p.country_code if p else None, "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None, "feature_code": p.feature_code if p else None,
        "confidence": m.confidence,
    }


def places(
    paths: Annotated[list[Path] | None, typer.Argument(help="Text, HTML, JSONL or CSV files; - for stdin.")] = None,
    input_: Annotated[
        str | None, typer.Option("--input", "-i", help="A JSONL or CSV batch (.gz too); - reads JSONL from stdin.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or table.")] = "jsonl",
    given_spans: Annotated[
        bool, typer.Option("--given-spans", help='Resolve exactly the "toponyms" spans of each JSONL line.')
    ] = False,
) -> None:
    """Find and resolve the place names of texts: one line per place mention.

    Example: flashpoint places --input articles.jsonl --format jsonl

    Texts are read and run as `flashpoint code` reads and runs them, up to its geo stage (actors are
    found first, so their names are read as `code` reads them); mentions no place was found for are
    printed too, with nulls. With --given-spans each input line carries "toponyms": [{"start": s,
    "end": e}, ...] and exactly those spans are resolved, one output line per span, in input order. A
    bad line (not JSON, no text, no "toponyms" list) or a bad span (outside its text) is named with its
    line number on stderr and left out; the rest is still resolved. Exit status: 0 when every input was
    used, 1 when some was left out, 2 for a usage error.
    """
    from flashpoint.batch import GivenSpansJob, PlacesJob, read_given_spans
    from flashpoint.ingest import read_inputs

    if fmt not in ("jsonl", "table"):
        raise fail(f"--format must be jsonl or table, not {fmt!r}")
    if given_spans:
        if input_ is None:
            raise fail("--given-spans needs --input FILE.jsonl whose lines carry toponyms")
        job: GivenSpansJob | PlacesJob = GivenSpansJob(read_given_spans(input_), on_skip=report_skipped)
    elif paths or input_ is not None:
        job = PlacesJob(read_inputs(paths or [], input_), on_skip=report_skipped)
    else:
        raise fail("nothing to read: give PATH arguments or --input FILE (use - for stdin)")
    try:
        rows = (place_row(article_id, m) for article_id, m in job.mentions())
        if fmt == "jsonl":
            for r in rows:
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            table = Table(*FIELDS)
            for r in rows:
                table.add_row(*("" if r[f] is None else str(r[f]) for f in FIELDS))
            Console().print(table)
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    if job.tally.skipped:
        stderr.print(f"{job.tally.skipped} input(s) skipped", highlight=False)
        raise typer.Exit(1)


def geoparse(
    corpus: Annotated[Path, typer.Argument(help="A GeoWebNews or TR-News/LGL XML corpus.")],
    limit: Annotated[int | None, typer.Option(help="Score only the first N articles.")] = None,
    ranker: Annotated[
        Path | None, typer.Option(help="A toponym ranker file (JSON) instead of the shipped one.")
    ] = None,
    fold: Annotated[
        str | None, typer.Option(help="I/K: score only the articles with md5(article id) % K == I.")
    ] = None,
) -> None:
    """Score geoparsing: resolution given gold spans and end to end (accuracy@161km, median km, AUC).

    Example: flashpoint evaluate geoparse ../shared/eval/geowebnews-dev.xml

    The shipped ranker was trained on GeoWebNews dev: score that corpus by cross-validation, each fold
    with the ranker trained without it (training/geo/train_ranker.py --folds-dir DIR writes them):
    flashpoint evaluate geoparse ../shared/eval/geowebnews-dev.xml --fold 0/5 --ranker DIR/ranker-fold0.json
    """
    from flashpoint.evaluation.geoparse import evaluate_geoparse, parse_fold
    from flashpoint.geo.geoparser import Geoparser
    from flashpoint.geo.ranker import Ranker

    try:
        gp = Geoparser(ranker=Ranker.load(ranker) if ranker is not None else None)
        result = evaluate_geoparse(corpus, gp.resolve_spans, gp.parse, limit=limit,
                                   fold=parse_fold(fold) if fold else None)
    except FlashpointError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(result, indent=2))


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("places")(places)
    evaluate.command("geoparse")(geoparse)
