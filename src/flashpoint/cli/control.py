"""``flashpoint control``, ``flashpoint support`` and ``flashpoint timeline``: knowledge from events."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.cli.common import DEFAULT_URL, DbOption, fail, parse_day, store_or_exit

if TYPE_CHECKING:
    from flashpoint.control import ControlAnswer, HoldingPeriod, SupportPeriod
    from flashpoint.records import ControlInterval, Event

FORMATS = ("table", "jsonl")
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")]
ByOption = Annotated[str, typer.Option("--by", help="Period: month (YYYY-MM), week (YYYY-Www) or year.")]


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; choose {' or '.join(FORMATS)}")


def _check_by(by: str) -> None:
    from flashpoint.control.support import PERIODS

    if by not in PERIODS:
        raise fail(f"--by {by!r} is not a period; choose {', '.join(PERIODS)}")


def resolve_actor(name: str, known: Iterable[str]) -> str:
    """The stored actor a user means: the same name loosely, its initials ("HTS"), or a unique part."""
    from flashpoint.control.claims import actor_forms
    from flashpoint.dedup import actor_key

    names = sorted(set(known))
    key = actor_key(name)
    for n in names:
        if actor_key(n) == key:
            return n
    by_form = [n for n in names if name in actor_forms(n) or name.casefold() in (f.casefold() for f in actor_forms(n)
                                                                                 if not f.isupper())]
    if len(by_form) == 1:
        return by_form[0]
    part = [n for n in names if key and key in (actor_key(n) or "")]
    if len(part) == 1:
        return part[0]
    return name


def _resolve_place(name: str, intervals: Iterable[ControlInterval]) -> str | int:
    """The place a user means: a name (spellings folded), else the gazetteer's id for it, else a
    unique partial name."""
    from flashpoint.control import place_key
    from flashpoint.errors import FlashpointError

    intervals = list(intervals)
    key = place_key(name)
    if any(place_key(iv.place) == key for iv in intervals):
        return name
    ids = {iv.geonameid for iv in intervals if iv.geonameid is not None}
    if ids:
        try:
            from flashpoint.geo.gazetteer import load_gazetteer

            found = [p.geonameid for p in load_gazetteer().lookup(name) if p.geonameid in ids]
        except (ImportError, FlashpointError, OSError):
            found = []
        if found and found[0] is not None:
            return found[0]
    part = {iv.place for iv in intervals if key and key in place_key(iv.place)}
    return part.pop() if len(part) == 1 else name


def _actor_names(events: Iterable[Event], intervals: Iterable[ControlInterval] = ()) -> list[str]:
    names = {n for e in events for n in (e.actor1, e.actor2, e.target) if n}
    names |= {iv.actor for iv in intervals if iv.actor}
    return sorted(names)


def answer_dict(answer: ControlAnswer) -> dict[str, Any]:
    """The ``--format jsonl`` object of one control query."""
    return {
        "place": answer.place,
        "date": answer.date.isoformat(),
        "holder": answer.holder,
        "since": answer.since.isoformat() if answer.since else None,
        "until": answer.until.isoformat() if answer.until else None,
        "confidence": answer.confidence,
        "evidence": [{"text": c.text, "article_id": c.article_id, "event_id": c.event_id} for c in answer.evidence],
        "contested_by": list(answer.contested_by),
    }


def _print_answer(answer: ControlAnswer) -> None:
    console = Console(highlight=False)
    holder = answer.holder or "unknown (no holder the data can name)"
    span = f"since {answer.since or '?'}" + (f" until {answer.until}" if answer.until else "")
    console.print(f"[bold]{answer.place}[/bold] on {answer.date}: {holder} ({span}; confidence {answer.confidence})")
    if answer.contested_by:
        console.print(f"contested by: {', '.join(answer.contested_by)}")
    table = Table("article", "event", "evidence")
    for c in answer.evidence:
        table.add_row(c.article_id, c.event_id or "(statement)", c.text)
    console.print(table)


def control(
    place: Annotated[str | None, typer.Option("--place", help="Place name, e.g. 'Yarmouk Camp'.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Day YYYY-MM-DD (default: today).")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Actor name or its initials, e.g. HTS.")] = None,
    admin1: Annotated[str | None, typer.Option("--admin1", help="A governorate/region: who held its places.")] = None,
    by: ByOption = "month",
    fmt: FormatOption = "table",
    db: DbOption = DEFAULT_URL,
) -> None:
    """Who held a place (or a region's places) on a day, on what evidence; or an actor's places over time.

    Example: flashpoint control --place "Yarmouk Camp" --date 2018-04-15 --format jsonl

    Example: flashpoint control --admin1 Idlib --date 2018-05-08

    Example: flashpoint control --actor HTS --by month
    """
    from flashpoint.control import admin1_index, control_by_actor, holder_on, summarise_region
    from flashpoint.control.stored import load_control

    _check_format(fmt)
    _check_by(by)
    if sum(x is not None for x in (place, actor, admin1)) != 1:
        raise fail("give one of --place NAME (with --date), --admin1 NAME (with --date) or --actor NAME")
    day = parse_day(date, "--date") or dt.date.today()
    with store_or_exit(db) as store:
        loaded = load_control(store)
    if admin1 is not None:
        summary = summarise_region(loaded.intervals, admin1, day,
                                   admin1_of=admin1_index(loaded.statements, loaded.events))
        if fmt == "jsonl":
            typer.echo(json.dumps({"admin1": summary.admin1, "date": day.isoformat(), "holders": summary.holders,
                                   "unknown": summary.unknown,
                                   "places": [answer_dict(a) for a in summary.places]}, ensure_ascii=False))
            return
        table = Table("place", "holder", "since", "until", "confidence", "contested by",
                      title=f"{admin1} on {day}: " + (", ".join(f"{k} {v}" for k, v in summary.holders.items())
                                                      or "no holder known"))
        for a in summary.places:
            table.add_row(a.place, a.holder or "?", str(a.since or ""), str(a.until or ""), str(a.confidence),
                          ", ".join(a.contested_by))
        Console(highlight=False).print(table)
        return
    if place is not None:
        answer = holder_on(loaded.intervals, _resolve_place(place, loaded.intervals), day)
        if fmt == "jsonl":
            typer.echo(json.dumps(answer_dict(answer), ensure_ascii=False))
        else:
            _print_answer(answer)
        return
    assert actor is not None
    name = resolve_actor(actor, _actor_names(loaded.events, loaded.intervals))
    periods = control_by_actor(loaded.intervals, name, by=by)
    _print_holdings(periods, fmt, name)


def _print_holdings(periods: list[HoldingPeriod], fmt: str, name: str) -> None:
    if fmt == "jsonl":
        for p in periods:
            typer.echo(json.dumps({"actor": p.actor, "period": p.period, "places": list(p.places),
                                   "held": len(p.places), "gained": p.gained, "lost": p.lost}, ensure_ascii=False))
        return
    table = Table("period", "held", "gained", "lost", "places", title=f"Places held by {name}")
    for p in periods:
        table.add_row(p.period, str(len(p.places)), str(p.gained), str(p.lost), ", ".join(p.places))
    Console(highlight=False).print(table)


def support_dict(p: SupportPeriod) -> dict[str, Any]:
    """The ``--format jsonl`` object of one support period."""
    return {"actor": p.actor, "period": p.period, "protests_against": p.protests_against,
            "force_against_protesters": p.force_against_protesters, "defections": p.defections,
            "surrenders": p.surrenders, "event_ids": list(p.event_ids)}


def support(
    actor: Annotated[str, typer.Option("--actor", help="Actor name or its initials, e.g. HTS.")],
    by: ByOption = "month",
    fmt: FormatOption = "table",
    db: DbOption = DEFAULT_URL,
) -> None:
    """Popular support indicators of an actor per period, with the events behind each number.

    Counts protests against the actor, excessive force it used against protesters, defections and
    surrenders.

    Example: flashpoint support --actor HTS --by month --format jsonl
    """
    from flashpoint.control import support_indicators

    _check_format(fmt)
    _check_by(by)
    with store_or_exit(db) as store:
        events = store.events()
    name = resolve_actor(actor, _actor_names(events))
    periods = support_indicators(events, name, by=by)
    if fmt == "jsonl":
        for p in periods:
            typer.echo(json.dumps(support_dict(p), ensure_ascii=False))
        return
    table = Table("period", "protests against", "force vs protesters", "defections", "surrenders", "events",
                  title=f"Support indicators: {name}")
    for p in periods:
        table.add_row(p.period, str(p.protests_against), str(p.force_against_protesters), str(p.defections),
                      str(p.surrenders), " ".join(p.event_ids))
    Console(highlight=False).print(table)


def timeline(
    actor: Annotated[str, typer.Option("--actor", help="Actor name or its initials, e.g. HTS.")],
    out: Annotated[Path, typer.Option("--out", help="Chart file: .png or .svg.")],
    by: ByOption = "month",
    db: DbOption = DEFAULT_URL,
) -> None:
    """Draw an actor's events by type, places held and protests against it, period by period.

    Example: flashpoint timeline --actor HTS --out hts.png
    """
    from flashpoint.control.chart import draw_timeline
    from flashpoint.control.stored import load_control

    _check_by(by)
    if out.suffix.lower() not in {".png", ".svg"}:
        raise fail(f"--out {out}: the chart is written as .png or .svg")
    if not out.parent.resolve().is_dir():
        raise fail(f"--out {out}: folder {out.parent} does not exist")
    with store_or_exit(db) as store:
        loaded = load_control(store)
    name = resolve_actor(actor, _actor_names(loaded.events, loaded.intervals))
    try:
        n = draw_timeline(loaded.events, loaded.intervals, name, out, by=by)
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {out} ({n} periods)", err=True)


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("control")(control)
    app.command("support")(support)
    app.command("timeline")(timeline)
