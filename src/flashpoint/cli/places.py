"""``flashpoint places`` (place mentions of texts) and ``flashpoint evaluate geoparse``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.cli.common import report_skipped
from flashpoint.errors import FlashpointError, InputError
from flashpoint.records import PlaceMention

if TYPE_CHECKING:
    from flashpoint.geo.geoparser import Geoparser

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


def _jsonl_records(path: str) -> Iterator[tuple[str, dict[str, Any]] | InputError]:
    """Each line of a JSONL file (``-``: stdin) as (``FILE:LINE``, record), or the InputError that names a
    bad line: the caller reports it and goes on with the others."""
    try:
        fh = sys.stdin if path == "-" else Path(path).open(encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror or exc}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(where, f"not JSON: {exc.msg}")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                yield InputError(where, 'each line must be an object with a "text" string')
                continue
            yield where, rec


def _spans(rec: dict[str, Any], where: str) -> tuple[list[tuple[int, int]], list[InputError]]:
    """The line's toponym spans, and an InputError for each one that is malformed or outside the text
    (left out: the line's other spans are still resolved)."""
    tops = rec.get("toponyms")
    if not isinstance(tops, list):
        raise InputError(where, '--given-spans needs a "toponyms" list of {"start": s, "end": e} on each line')
    out, bad = [], []
    for t in tops:
        try:
            s, e = int(t["start"]), int(t["end"])
        except (KeyError, TypeError, ValueError):
            bad.append(InputError(where, f"bad toponym {t!r}: needs integer start and end"))
            continue
        if not 0 <= s < e <= len(rec["text"]):
            bad.append(InputError(where, f"toponym span ({s}, {e}) is outside the text (length {len(rec['text'])})"))
            continue
        out.append((s, e))
    return out, bad


def places(
    paths: Annotated[list[Path] | None, typer.Argument(help="Text, HTML, JSONL or CSV files.")] = None,
    input_: Annotated[str | None, typer.Option("--input", "-i", help="A JSONL file (id, text); - for stdin.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or table.")] = "jsonl",
    given_spans: Annotated[
        bool, typer.Option("--given-spans", help='Resolve exactly the "toponyms" spans of each JSONL line.')
    ] = False,
) -> None:
    """Find and resolve the place names of texts: one line per place mention.

    Example: flashpoint places --input articles.jsonl --format jsonl

    With --given-spans each input line carries "toponyms": [{"start": s, "end": e}, ...] and exactly
    those spans are resolved, one output line per span, in input order. A bad line (not JSON, no
    "toponyms" list) or a bad span (outside its text) is named with its line number on stderr and left
    out; the rest is still resolved. Exit status: 0 when every input was used, 1 when some was left out,
    2 for a usage error.
    """
    from flashpoint.geo.geoparser import Geoparser

    if fmt not in ("jsonl", "table"):
        raise typer.BadParameter(f"--format must be jsonl or table, not {fmt!r}")
    gp = Geoparser()
    rows: list[dict[str, Any]] = []
    skipped = 0
    try:
        if given_spans:
            if not input_:
                raise InputError("--given-spans", "needs --input FILE.jsonl whose lines carry toponyms")
            skipped += _resolve_given(gp, input_, rows)
        else:
            from flashpoint.ingest import read_paths

            items = list(read_paths(paths or []))
            if input_:
                items.extend(read_paths([input_]) if input_ != "-" else [])
                if input_ == "-":
                    from flashpoint.records import Article

                    items.extend(it if isinstance(it, InputError) else Article(str(it[1].get("id", it[0])), it[1]["text"])
                                 for it in _jsonl_records("-"))
            articles = []
            for it in items:
                if isinstance(it, InputError):
                    report_skipped(it)
                    skipped += 1
                else:
                    articles.append(it)
            for art, mentions in zip(articles, gp.parse_many([a.text for a in articles]), strict=True):
                rows.extend(place_row(art.id, m) for m in mentions)
    except FlashpointError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        table = Table(*FIELDS)
        for r in rows:
            table.add_row(*("" if r[f] is None else str(r[f]) for f in FIELDS))
        Console().print(table)
    if skipped:
        typer.echo(f"{skipped} input(s) skipped", err=True)
        raise typer.Exit(1)


def _resolve_given(gp: Geoparser, path: str, rows: list[dict[str, Any]]) -> int:
    """Resolve the given spans of each line of ``path`` into ``rows``. A bad line, or a bad span of a line,
    is named on stderr and left out; returns how many were."""
    skipped = 0
    for item in _jsonl_records(path):
        try:
            if isinstance(item, InputError):
                raise item
            where, rec = item
            spans, bad = _spans(rec, where)
        except InputError as exc:
            report_skipped(exc)
            skipped += 1
            continue
        for error in bad:
            report_skipped(error)
        skipped += len(bad)
        aid = str(rec.get("id", where))
        if spans:
            rows.extend(place_row(aid, m) for m in gp.resolve_spans(rec["text"], spans))
    return skipped


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
