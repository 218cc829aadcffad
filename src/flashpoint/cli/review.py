"""``flashpoint review``: confirm, reject, correct or mark a duplicate one stored event."""

from __future__ import annotations

import getpass
import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from flashpoint.cli.common import DEFAULT_URL, DbOption, event_table, fail, store_or_exit
from flashpoint.errors import FlashpointError, UnknownEventError


def _default_by() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def review(
    event_id: Annotated[str, typer.Argument(help="The event's id (as `flashpoint events` prints it).")],
    confirm: Annotated[bool, typer.Option("--confirm", help="The coding is right.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="No such event: leave it out of the output.")] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Correct a field, FIELD=VALUE (repeatable): event_type, sub_event_type, actor1, actor2, "
            "location, latitude, longitude, event_date, fatalities.",
        ),
    ] = None,
    duplicate_of: Annotated[
        str | None, typer.Option("--duplicate-of", help="The event repeats this one (it is rejected).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who reviews (default: your user name).")] = None,
    db: DbOption = DEFAULT_URL,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl (the event as reviewed).")] = "table",
) -> None:
    """Review a stored event: confirm it, reject it, correct fields, or mark it a duplicate.

    The machine's coding is kept; `events`, `export` and the API then show the reviewed values,
    with review_status (confirmed, corrected or rejected) and, in JSON, machine_values (the coder's
    own value of each corrected field). Rejected events leave the default output.

    Example: flashpoint review FP0123456789ABCD --set fatalities=3 --set actor2="Civilians (Syria)" --by ana

    Example: flashpoint review FP0123456789ABCD --reject
    """
    from flashpoint.review import parse_assignments

    chosen = [name for name, on in (("--confirm", confirm), ("--reject", reject), ("--set", bool(set_)),
                                    ("--duplicate-of", duplicate_of is not None)) if on]
    if len(chosen) != 1:
        raise fail(f"give exactly one of --confirm, --reject, --set or --duplicate-of (got {', '.join(chosen) or 'none'})")
    if fmt not in ("table", "jsonl"):
        raise fail(f"--format {fmt!r}: use table or jsonl")
    action = {"--confirm": "confirm", "--reject": "reject", "--set": "correct", "--duplicate-of": "duplicate"}
    store = store_or_exit(db)
    try:
        fields = parse_assignments(set_ or [])
        stored, event = store.review(
            event_id, action[chosen[0]], fields=fields or None, duplicate_of=duplicate_of, by=by or _default_by()
        )
    except UnknownEventError as exc:
        raise fail(str(exc), 1) from None
    except FlashpointError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if fmt == "jsonl":
        from flashpoint.serialize import event_to_dict

        typer.echo(json.dumps(event_to_dict(event), ensure_ascii=False))
        return
    changed = "; ".join(f"{k} {v} -> {getattr(event, k)}" for k, v in event.machine_values.items())
    typer.echo(f"{stored.event_id}: {event.review_status} by {stored.by}" + (f" ({changed})" if changed else ""))
    Console(width=None if sys.stdout.isatty() else 200).print(event_table([event]))


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("review")(review)
