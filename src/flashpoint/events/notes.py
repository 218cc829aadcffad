"""ACLED-style notes: one plain sentence built from an event's fields.

ACLED coders write "On 28 April 2018, Hayat Tahrir al-Sham surrendered its positions in Yarmouk
Camp (Damascus) ...": the date, who did what to whom, where (location with admin1 in brackets),
then fatalities and other counts. Phrasings per sub-event type live in ``data/note_templates.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources

from flashpoint.errors import KnowledgeError
from flashpoint.events import taxonomy
from flashpoint.records import Event, Modality, Quantity, TimePrecision

_DATA = "note_templates.json"
_MODAL_PREFIX = {
    Modality.ATTEMPTED: "attempted to ",
    Modality.THREATENED: "threatened to ",
    Modality.HYPOTHETICAL: "may ",
    Modality.BACKGROUND: "",
}


@cache
def _templates() -> dict[str, dict[str, str]]:
    try:
        text = resources.files("flashpoint.events").joinpath("data", _DATA).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"note templates {_DATA}: cannot be read ({exc})") from exc
    out = data.get("templates")
    if not isinstance(out, dict):
        raise KnowledgeError(f"note templates {_DATA}: no 'templates' object")
    for name in out:
        taxonomy.get(name)
    return out


def _date_phrase(event_date: dt.date | None, precision: TimePrecision | int | None) -> str:
    if event_date is None:
        return "On a date the text does not give"
    if precision is not None and int(precision) == int(TimePrecision.MONTH):
        return f"In {event_date:%B %Y}"
    if precision is not None and int(precision) == int(TimePrecision.WEEK):
        return f"Around {event_date.day} {event_date:%B %Y}"
    return f"On {event_date.day} {event_date:%B %Y}"


def _place_phrase(location: str | None, admin1: str | None, country: str | None) -> str:
    if location and admin1 and admin1 != location:
        return f"in {location} ({admin1})"
    if location:
        return f"in {location}" + (f" ({country})" if country and country != location else "")
    if admin1:
        return f"in {admin1}" + (f" ({country})" if country and country != admin1 else "")
    if country:
        return f"in {country}"
    return ""


def _tail(fatalities: int, quantities: Iterable[Quantity]) -> str:
    parts = []
    for q in quantities:
        parts.append(f"{q.value:,} {q.of}")
    if fatalities > 0:
        parts.insert(0, f"{fatalities} fatalit{'y' if fatalities == 1 else 'ies'}")
    return f" ({'; '.join(parts)})" if parts else ""


def write_note(
    *,
    event_date: dt.date | None,
    time_precision: TimePrecision | int | None,
    sub_event_type: str,
    actor1: str | None,
    actor2: str | None,
    target: str | None,
    location: str | None,
    admin1: str | None,
    country: str | None,
    fatalities: int,
    quantities: Iterable[Quantity] = (),
    modality: Modality | str = Modality.ASSERTED,
) -> str:
    """One sentence in ACLED's note style for an event with these fields."""
    sub = taxonomy.get(sub_event_type)
    template = _templates().get(sub.name, {"verb": "were involved in an event of type " + sub.name.lower()})
    mod = Modality(modality)
    a1 = actor1 or template.get("nobody", "unidentified actors")
    other = actor2 or target
    verb = template["verb"] if other else template.get("alone", template["verb"])
    if mod in (Modality.ATTEMPTED, Modality.THREATENED, Modality.HYPOTHETICAL):
        verb = _MODAL_PREFIX[mod] + template.get("base", verb)
    text = verb.replace("{other}", other or "").replace("  ", " ").strip()
    place = _place_phrase(location, admin1, country)
    sentence = f"{_date_phrase(event_date, time_precision)}, {a1} {text}"
    if place:
        sentence += f" {place}"
    if mod is Modality.BACKGROUND:
        sentence += " (background, reported as standing)"
    sentence += _tail(fatalities, quantities)
    return sentence.rstrip() + "."


def note_of(event: Event) -> str:
    """The note of a coded (or reviewed) event, written from its own fields."""
    return write_note(
        event_date=event.event_date,
        time_precision=event.time_precision,
        sub_event_type=event.sub_event_type,
        actor1=event.actor1,
        actor2=event.actor2,
        target=event.target,
        location=event.location,
        admin1=event.admin1,
        country=event.country,
        fatalities=event.fatalities,
        quantities=event.quantities,
        modality=event.modality,
    )
