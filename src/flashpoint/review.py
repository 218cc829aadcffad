"""Reviews: what a person made of a coded event, and the event as it stands after them.

A review confirms an event, rejects it, marks it a duplicate of another event (which rejects it
too), or corrects some of its fields (:data:`CORRECTABLE`). A review never changes the machine's
coding: the store keeps every review beside it (``flashpoint.store.reviews``), folds them with
:func:`fold` into a :class:`ReviewState`, and :func:`reviewed` lays that state over the machine's
event: the corrected fields take the reviewed values, ``machine_values`` keeps the coder's own,
and ``review_status`` says which of ``unreviewed``, ``confirmed``, ``corrected`` or ``rejected``
the event is.

Folding, oldest review first: corrections accumulate (a later value for a field replaces an earlier
one); ``reject`` and ``duplicate`` reject; ``confirm`` and ``correct`` un-reject. A correction that
gives a field its machine value is no correction. The status is then ``rejected``, else
``corrected`` when some field differs from the machine's coding, else ``confirmed``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flashpoint.errors import ReviewError
from flashpoint.events.notes import note_of
from flashpoint.records import DateBasis, Event, ReviewStatus, TimePrecision


class ReviewAction(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    CORRECT = "correct"
    DUPLICATE = "duplicate"


CORRECTABLE: tuple[str, ...] = (
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "latitude",
    "longitude",
    "event_date",
    "fatalities",
)
"""The fields a review can correct (``location`` is the place name; ``latitude``/``longitude`` its
point). Correcting ``sub_event_type`` also sets its event type, disorder type and PLOVER/CAMEO codes."""

MAX_TEXT = 300
MAX_FATALITIES = 100_000
MAX_BY = 200


@dataclass(frozen=True, slots=True)
class Review:
    """One review as stored: ``fields`` holds JSON values (``event_date`` as YYYY-MM-DD)."""

    event_id: str
    action: ReviewAction
    fields: dict[str, object]
    duplicate_of: str | None
    by: str
    at: str  # ISO 8601, UTC

    def as_dict(self) -> dict[str, object]:
        """The review as JSON values (the API's and the CLI's form)."""
        return {"event_id": self.event_id, "action": str(self.action), "fields": dict(self.fields),
                "duplicate_of": self.duplicate_of, "by": self.by, "at": self.at}


@dataclass(frozen=True, slots=True)
class ReviewState:
    """An event's reviews folded: its status, the fields that differ from the machine's coding
    (JSON values), the event it duplicates, and who reviewed it last and when."""

    status: ReviewStatus
    corrections: dict[str, object]
    duplicate_of: str | None
    by: str
    at: str


# -- checking what a person gave -------------------------------------------------------------------
def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["fatalities=3", "actor1=Syrian Army"]`` as a mapping; a malformed item is a ReviewError."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ReviewError("--set", f"{item!r} is not FIELD=VALUE (fields: {', '.join(CORRECTABLE)})")
        if name in out:
            raise ReviewError(name, "given twice")
        out[name] = value.strip()
    return out


def _text(name: str, value: object, *, optional: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ReviewError(name, "cannot be empty")
    if not isinstance(value, str):
        raise ReviewError(name, f"must be text, not {type(value).__name__} {value!r}")
    text = " ".join(value.split())
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ReviewError(name, "control characters are not allowed")
    if len(text) > MAX_TEXT:
        raise ReviewError(name, f"is {len(text)} characters long; at most {MAX_TEXT}")
    return text


def _event_type(value: object) -> str:
    from flashpoint.events import taxonomy

    text = _text("event_type", value)
    names = {t.name.lower(): t.name for t in taxonomy.event_types()}
    found = names.get(str(text).lower())
    if found is None:
        raise ReviewError("event_type", f"{text!r} is not an ACLED event type; use one of {', '.join(names.values())}")
    return found


def _sub_event_type(value: object) -> str:
    from flashpoint.events import taxonomy

    text = str(_text("sub_event_type", value))
    try:
        return taxonomy.get(text).name
    except KeyError:
        raise ReviewError(
            "sub_event_type", f"{text!r} is not an ACLED sub-event type (e.g. 'Armed clash', 'Peaceful protest')"
        ) from None


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ReviewError(name, f"must be a number, not {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ReviewError(name, f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ReviewError(name, f"{value!r} is not a finite number")
    return number


def _coordinate(name: str, value: object, limit: float) -> float:
    number = _number(name, value)
    if not -limit <= number <= limit:
        raise ReviewError(name, f"{number} is outside -{limit:g}..{limit:g}")
    return round(number, 6)


def _event_date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(_text("event_date", value))).isoformat()
    except ValueError:
        raise ReviewError("event_date", f"{value!r} is not a date; use YYYY-MM-DD") from None


def _fatalities(value: object) -> int:
    number = _number("fatalities", value)
    if number != int(number) or not 0 <= number <= MAX_FATALITIES:
        raise ReviewError("fatalities", f"{value!r} is not a whole number from 0 to {MAX_FATALITIES}")
    return int(number)


def check_value(name: str, value: object) -> object:
    """``value`` for field ``name`` as stored (text normalised, numbers parsed), or a ReviewError."""
    if name == "event_type":
        return _event_type(value)
    if name == "sub_event_type":
        return _sub_event_type(value)
    if name in ("actor1", "location"):
        return _text(name, value)
    if name == "actor2":
        return _text(name, value, optional=True)
    if name == "latitude":
        return _coordinate(name, value, 90.0)
    if name == "longitude":
        return _coordinate(name, value, 180.0)
    if name == "event_date":
        return _event_date(value)
    if name == "fatalities":
        return _fatalities(value)
    raise ReviewError(name, f"is not a field a review can correct; the fields are {', '.join(CORRECTABLE)}")


def check_by(by: object) -> str:
    """Who reviews: a name of at most :data:`MAX_BY` characters."""
    if not isinstance(by, str) or not by.strip():
        raise ReviewError("by", "give who reviews (a name)")
    name = " ".join(by.split())
    if any(ord(c) < 32 or ord(c) == 127 for c in name) or len(name) > MAX_BY:
        raise ReviewError("by", f"{by!r} is not a name of at most {MAX_BY} characters")
    return name


def make_review(
    event_id: str,
    action: ReviewAction | str,
    *,
    fields: Mapping[str, object] | None = None,
    duplicate_of: str | None = None,
    by: str,
    at: str | None = None,
) -> Review:
    """A checked review: ``correct`` needs fields, ``duplicate`` the other event's id, and no other
    action takes either."""
    try:
        act = ReviewAction(action)
    except ValueError:
        raise ReviewError("action", f"{action!r}; use one of {', '.join(a.value for a in ReviewAction)}") from None
    checked = {name: check_value(name, value) for name, value in (fields or {}).items()}
    if act is ReviewAction.CORRECT and not checked:
        raise ReviewError("fields", f"a correction sets at least one field ({', '.join(CORRECTABLE)})")
    if act is not ReviewAction.CORRECT and checked:
        raise ReviewError("fields", f"only a correction sets fields, not {act.value}")
    if act is ReviewAction.DUPLICATE:
        if not duplicate_of or not duplicate_of.strip():
            raise ReviewError("duplicate_of", "give the id of the event this one duplicates")
        if duplicate_of.strip() == event_id:
            raise ReviewError("duplicate_of", f"an event cannot duplicate itself ({event_id!r})")
    elif duplicate_of:
        raise ReviewError("duplicate_of", f"only a duplicate review names another event, not {act.value}")
    stamp = at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Review(event_id, act, checked, duplicate_of.strip() if duplicate_of else None, check_by(by), stamp)


# -- folding and laying over the machine's event ---------------------------------------------------
def _json(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def check_against(machine: Event, corrections: Mapping[str, object]) -> None:
    """Corrections that cannot stand together on this event are a ReviewError naming the field."""
    from flashpoint.events import taxonomy

    sub = str(corrections.get("sub_event_type", machine.sub_event_type))
    if "event_type" in corrections:
        own = taxonomy.get(sub).event_type
        if corrections["event_type"] != own:
            raise ReviewError(
                "event_type",
                f"{corrections['event_type']!r} does not hold sub-event type {sub!r} (its type is {own!r}); "
                "correct sub_event_type too",
            )
    for name, other in (("latitude", "longitude"), ("longitude", "latitude")):
        if name in corrections and other not in corrections and getattr(machine, other) is None:
            raise ReviewError(name, f"the event has no {other}: give both latitude and longitude")


def fold(machine: Event, reviews: Sequence[Review]) -> ReviewState | None:
    """What an event's reviews (oldest first) amount to; None when there are none. Corrections
    that cannot stand together (see :func:`check_against`) are a ReviewError."""
    if not reviews:
        return None
    fields: dict[str, object] = {}
    rejected = False
    duplicate_of: str | None = None
    for r in reviews:
        if "sub_event_type" in r.fields and "event_type" not in r.fields:
            fields.pop("event_type", None)  # a new sub-event type brings its own event type
        fields.update(r.fields)
        rejected = r.action in (ReviewAction.REJECT, ReviewAction.DUPLICATE)
        duplicate_of = r.duplicate_of if r.action is ReviewAction.DUPLICATE else None
    check_against(machine, fields)
    corrections = {k: v for k, v in fields.items() if _json(getattr(machine, k)) != v}
    if rejected:
        status = ReviewStatus.REJECTED
    else:
        status = ReviewStatus.CORRECTED if corrections else ReviewStatus.CONFIRMED
    last = reviews[-1]
    return ReviewState(status, corrections, duplicate_of, last.by, last.at)


def reviewed(machine: Event, state: ReviewState | None) -> Event:
    """The machine's event as its reviews leave it (unchanged, but for its status, when nothing
    was corrected); ``machine_values`` holds the coder's value of every field that changed."""
    if state is None:
        if machine.review_status is ReviewStatus.UNREVIEWED and not machine.machine_values:
            return machine
        return dataclasses.replace(machine, review_status=ReviewStatus.UNREVIEWED, machine_values={})
    changes: dict[str, object] = {}
    for name, value in state.corrections.items():
        changes[name] = dt.date.fromisoformat(str(value)) if name == "event_date" else value
    if "sub_event_type" in changes:
        from flashpoint.events import taxonomy

        sub = taxonomy.get(str(changes["sub_event_type"]))
        changes.update(
            event_type=sub.event_type,
            disorder_type=sub.disorder_type,
            plover={"type": sub.plover_type, "mode": sub.plover_mode},
            cameo=sub.cameo,
        )
    if "event_date" in changes and machine.time_precision is None:  # an undated event a person dated
        changes.update(time_precision=TimePrecision.DAY, date_basis=DateBasis.EXPLICIT)
    if not changes:
        return dataclasses.replace(machine, review_status=state.status, machine_values={})
    event = dataclasses.replace(machine, **changes)  # type: ignore[arg-type]
    event = dataclasses.replace(event, notes=note_of(event))
    machine_values = {
        name: _json(getattr(machine, name))
        for name in CORRECTABLE
        if getattr(machine, name) != getattr(event, name)
    }
    return dataclasses.replace(event, review_status=state.status, machine_values=machine_values)
