"""``flashpoint places`` (place mentions of texts) and ``flashpoint evaluate geoparse``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.errors import FlashpointError, InputError
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


def _jsonl_records(path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    fh = sys.stdin if path == "-" else Path(path).open(encoding="utf-8")  # noqa: SIM115
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(where, f"not JSON: {exc.msg}") from exc
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise InputError(where, 'each line must be an object with a "text" string')
            yield where, rec


def _spans(rec: dict[str, Any], where: str) -> list[tuple[int, int]]:
    tops = rec.get("toponyms")
    if not isinstance(tops, list):
        raise InputError(where, '--given-spans needs a "toponyms" list of {"start": s, "end": e} on each line')
    out = []
    for t in tops:
        try:
            s, e = int(t["start"]), int(t["end"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(where, f"bad toponym {t!r}: needs integer start and end") from exc
        if not 0 <= s < e <= len(rec["text"]):
            raise InputError(where, f"toponym span ({s}, {e}) is outside the text (length {len(rec['text'])})")
        out.append((s, e))
    return out


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
    those spans are resolved, one output line per span, in input order.
    """
    from flashpoint.geo.geoparser import Geoparser

    if fmt not in ("jsonl", "table"):
        raise typer.BadParameter(f"--format must be jsonl or table, not {fmt!r}")
    gp = Geoparser()
    rows: list[dict[str, Any]] = []
    try:
        if given_spans:
            if not input_:
                raise InputError("--given-spans", "needs --input FILE.jsonl whose lines carry toponyms")
            for where, rec in _jsonl_records(input_):
                aid = str(rec.get("id", where))
                for m in gp.resolve_spans(rec["text"], _spans(rec, where)):
                    rows.append(place_row(aid, m))
        else:
            from flashpoint.ingest import read_paths

            items = list(read_paths(paths or []))
            if input_:
                items.extend(read_paths([input_]) if input_ != "-" else [])
                if input_ == "-":
                    from flashpoint.records import Article

                    items.extend(Article(str(r.get("id", w)), r["text"]) for w, r in _jsonl_records("-"))
            articles = []
            for it in items:
                if isinstance(it, InputError):
                    typer.echo(f"skipped: {it}", err=True)
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
        return
    table = Table(*FIELDS)
    for r in rows:
        table.add_row(*("" if r[f] is None else str(r[f]) for f in FIELDS))
    Console().print(table)


def geoparse(
    corpus: Annotated[Path, typer.Argument(help="A GeoWebNews or TR-News/LGL XML corpus.")],
    limit: Annotated[int | None, typer.Option(help="Score only the first N articles.")] = None,
) -> None:
    """Score geoparsing: resolution given gold spans and end to end (accuracy@161km, median km, AUC).

    Example: flashpoint evaluate geoparse ../shared/eval/geowebnews-dev.xml
    """
    from flashpoint.evaluation.geoparse import evaluate_geoparse
    from flashpoint.geo.geoparser import Geoparser

    gp = Geoparser()
    try:
        result = evaluate_geoparse(corpus, gp.resolve_spans, gp.parse, limit=limit)
    except FlashpointError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(result, indent=2))


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("places")(places)
    evaluate.command("geoparse")(geoparse)
