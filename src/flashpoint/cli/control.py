"""``flashpoint control``, ``flashpoint support`` and ``flashpoint timeline``: knowledge from events."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flashpoint.cli.common import DEFAULT_URL, DbOption, fail, parse_day, store_or_exit

if TYPE_CHECKING:
    from flashpoint.control import ControlAnswer, HoldingPeriod, RegionSummary, SupportPeriod

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


def _print_answer(answer: ControlAnswer, fmt: str) -> None:
    if fmt == "jsonl":
        typer.echo(json.dumps(answer_dict(answer), ensure_ascii=False))
        return
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
    from flashpoint.control import questions

    _check_format(fmt)
    _check_by(by)
    if sum(x is not None for x in (place, actor, admin1)) != 1:
        raise fail("give one of --place NAME (with --date), --admin1 NAME (with --date) or --actor NAME")
    day = parse_day(date, "--date") or dt.date.today()
    with store_or_exit(db) as store:
        if admin1 is not None:
            _print_region(questions.control_of_region(store, admin1, day), fmt)
            return
        if place is not None:
            _print_answer(questions.control_of_place(store, place, day), fmt)
            return
        assert actor is not None
        name, periods = questions.actor_holdings(store, actor, by=by)
    _print_holdings(periods, name, fmt)


def _print_region(summary: RegionSummary, fmt: str) -> None:
    if fmt == "jsonl":
        typer.echo(json.dumps({"admin1": summary.admin1, "date": summary.date.isoformat(), "holders": summary.holders,
                               "unknown": summary.unknown,
                               "places": [answer_dict(a) for a in summary.places]}, ensure_ascii=False))
        return
    table = Table("place", "holder", "since", "until", "confidence", "contested by",
                  title=f"{summary.admin1} on {summary.date}: "
                  + (", ".join(f"{k} {v}" for k, v in summary.holders.items()) or "no holder known"))
    for a in summary.places:
        table.add_row(a.place, a.holder or "?", str(a.since or ""), str(a.until or ""), str(a.confidence),
                      ", ".join(a.contested_by))
    Console(highlight=False).print(table)


def _print_holdings(periods: list[HoldingPeriod], name: str, fmt: str) -> None:
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
    from flashpoint.control.questions import actor_support

    _check_format(fmt)
    _check_by(by)
    with store_or_exit(db) as store:
        name, periods = actor_support(store, actor, by=by)
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
    from flashpoint.control.questions import actor_timeline

    _check_by(by)
    if out.suffix.lower() not in {".png", ".svg"}:
        raise fail(f"--out {out}: the chart is written as .png or .svg")
    if not out.parent.resolve().is_dir():
        raise fail(f"--out {out}: folder {out.parent} does not exist")
    with store_or_exit(db) as store:
        asked = actor_timeline(store, actor)
    try:
        n = draw_timeline(asked.events, asked.intervals, asked.actor, out, by=by)
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {out} ({n} periods)", err=True)


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("control")(control)
    app.command("support")(support)
    app.command("timeline")(timeline)
