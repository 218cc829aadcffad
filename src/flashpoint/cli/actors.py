"""``flashpoint actors``: resolve names on a date, show an actor's aliases and lineage, list unknowns."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from flashpoint.cli.common import DbOption, fail, parse_day, store_or_exit
from flashpoint.errors import FlashpointError
from flashpoint.store import DEFAULT_URL

FormatOption = Annotated[str, typer.Option("--format", help="table (default) or jsonl.")]


def resolution_row(text: str, date: dt.date | None) -> dict[str, Any]:
    """One output object: the text and what it resolves to on ``date`` (nulls when nothing does).

    ``acled_name`` and ``inter`` are the actor as ACLED codes it on the date (a head of government
    in office: the government); ``entry`` and ``source`` name the knowledge-base entry that matched;
    ``holder`` is who held the office the phrase names, when it names one.
    """
    from flashpoint.actors import load_knowledge_base, resolve

    kb = load_knowledge_base()
    found = resolve(kb, text, date)
    if found is None:
        return {"text": text, "actor": None, "name_on_date": None, "successor_on_date": None, "kind": None,
                "inter": None, "country": None, "acled_name": None, "matched": None, "via": None, "entry": None,
                "source": None, "holder": None, "relations": []}
    actor = found.actor
    acled = found.acled or actor
    holder = found.holder
    return {
        "text": text,
        "actor": actor.name,
        "name_on_date": found.name_on_date,
        "successor_on_date": found.successor_on_date,
        "kind": actor.kind,
        "inter": acled.inter,
        "country": actor.country or acled.country,
        "acled_name": acled.name,
        "matched": found.matched,
        "via": found.via,
        "entry": found.entry,
        "source": found.source,
        "holder": None if holder is None else {
            "name": holder.holder, "office": holder.office, "country": holder.country,
            "start": holder.start.isoformat() if holder.start else None,
            "end": holder.end.isoformat() if holder.end else None, "source": holder.source},
        "relations": [
            {"kind": r.kind, "target": r.target, "start": r.start.isoformat() if r.start else None,
             "end": r.end.isoformat() if r.end else None}
            for r in found.relations
        ],
    }


def _texts(texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        if text == "-":
            out.extend(line.rstrip("\n") for line in sys.stdin if line.strip())
        else:
            out.append(text)
    return out


def resolve(
    texts: Annotated[list[str], typer.Argument(help="Names or phrases; '-' reads one per line from stdin.")],
    date: Annotated[str | None, typer.Option("--date", help="Resolve as on this day (YYYY-MM-DD).")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Resolve actor names and phrases on a date.

    Each row gives the country, kind, ACLED name and inter code, the matched knowledge-base entry
    with its source, and who held the office a phrase names ("Armenian Prime Minister").

    Example: flashpoint actors resolve "Jabhat al-Nusra" "Armenian Prime Minister" --date 2018-05-08 --format jsonl
    """
    if fmt not in {"table", "jsonl"}:
        raise fail(f"--format {fmt!r} is not one of table, jsonl")
    day = parse_day(date, "--date")
    try:
        rows = [resolution_row(text, day) for text in _texts(texts)]
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"actors on {day.isoformat()}" if day else "actors")
    for col in ("text", "actor", "name on date", "successor", "kind", "inter", "country", "ACLED name", "holder"):
        table.add_column(col)
    for row in rows:
        cells = [str(row[k]) if row[k] is not None else "" for k in (
            "text", "actor", "name_on_date", "successor_on_date", "kind", "inter", "country", "acled_name")]
        table.add_row(*cells, row["holder"]["name"] if row["holder"] else "")
    Console().print(table)


def _inter(code: int | None) -> str:
    return "inter unknown" if code is None else f"inter {code}"


def show(name: Annotated[str, typer.Argument(help="An actor's canonical name, former name or alias.")]) -> None:
    """Show an actor's aliases, dated names and relations as a tree.

    Example: flashpoint actors show "Hayat Tahrir al-Sham"
    """
    from flashpoint.actors import load_knowledge_base, resolve

    try:
        kb = load_knowledge_base()
        entry = kb.entry(name)
        found = resolve(kb, name) if entry is None else None
        if found is not None:
            entry = kb.entry(found.actor.name)
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    if entry is None and found is not None:  # an actor of the world data, or a composed one
        actor = found.actor
        tree = Tree(f"[bold]{actor.name}[/bold]  {actor.kind}, {_inter(actor.inter)}, {actor.country or 'no country'}")
        tree.add(f"matched {found.matched!r} ({found.via})")
        tree.add(f"[dim]sources: {found.source}[/dim]")
        Console().print(tree)
        return
    if entry is None:
        raise fail(f"no actor called {name!r}; try 'flashpoint actors resolve {name!r}'")
    actor = entry.actor
    span = f"{entry.start or '…'} – {entry.end or '…'}" if entry.start or entry.end else "undated"
    tree = Tree(f"[bold]{actor.name}[/bold]  {actor.kind}, {_inter(actor.inter)}, {actor.country or 'no country'}, {span}")
    if entry.names:
        names = tree.add("names")
        for dated in entry.names:
            names.add(f"{dated.name}  ({dated.start or '…'} – {dated.end or '…'})")
    if actor.aliases:
        aliases = tree.add(f"aliases ({len(actor.aliases)})")
        for alias in actor.aliases:
            aliases.add(alias)
    if entry.descriptions:
        described = tree.add("described as")
        for text in entry.descriptions:
            described.add(text)
    lineage = tree.add("relations")
    for r in actor.relations:
        when = f"  ({r.start or '…'} – {r.end or '…'})" if r.start or r.end else ""
        note = f"  [dim]{r.source}[/dim]" if r.source else ""
        lineage.add(f"{r.kind} → {r.target}{when}{note}")
    for other in kb.entries():
        for r in other.actor.relations:
            if r.target == actor.name and r.kind in {"member_of", "merged_into", "leader_of", "split_from"}:
                when = f"  ({r.start or '…'} – {r.end or '…'})" if r.start or r.end else ""
                lineage.add(f"← {other.actor.name} {r.kind}{when}")
    tree.add(f"[dim]sources: {entry.sources} ({entry.file})[/dim]")
    Console().print(tree)


def unknown(db: DbOption = DEFAULT_URL, fmt: FormatOption = "table") -> None:
    """List actors found in coded articles but absent from the knowledge base, most seen first.

    Example: flashpoint actors unknown --db sqlite:///flashpoint.db
    """
    if fmt not in {"table", "jsonl"}:
        raise fail(f"--format {fmt!r} is not one of table, jsonl")
    store = store_or_exit(db)
    try:
        rows = store.unknown_actors()
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if fmt == "jsonl":
        for name, count in rows:
            sys.stdout.write(json.dumps({"actor": name, "mentions": count}, ensure_ascii=False) + "\n")
        return
    table = Table(title="unknown actors")
    table.add_column("actor")
    table.add_column("mentions", justify="right")
    for name, count in rows:
        table.add_row(name, str(count))
    Console().print(table)


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    """Add the ``actors`` command group."""
    group = typer.Typer(help="Actors: resolve names on a date, show lineage, list unknown actors.",
                        no_args_is_help=True)
    group.command("resolve")(resolve)
    group.command("show")(show)
    group.command("unknown")(unknown)
    app.add_typer(group, name="actors")
