"""ACLED's event taxonomy, loaded from ``data/acled_taxonomy.json``.

Three disorder types, six event types and 25 sub-event types with their codebook definitions, the
priority order used when several sub-event types fit one incident (1 wins), PLOVER (type, mode) and
CAMEO codes, ACLED's eight inter codes with the interaction code, and the CASE-2021 short labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from flashpoint.errors import KnowledgeError

_DATA = "acled_taxonomy.json"


@dataclass(frozen=True, slots=True)
class SubEventType:
    """One ACLED sub-event type with its parents and its mappings to PLOVER and CAMEO."""

    name: str
    event_type: str
    disorder_type: str
    definition: str
    priority: int
    plover_type: str | None
    plover_mode: str | None
    cameo: str | None


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    disorder_type: str
    definition: str


@cache
def _raw() -> dict[str, Any]:
    try:
        text = resources.files("flashpoint.events").joinpath("data", _DATA).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"taxonomy file {_DATA}: cannot be read ({exc})") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"taxonomy file {_DATA}: top level is not an object")
    return data


@cache
def event_types() -> tuple[EventType, ...]:
    """ACLED's six event types, in codebook order."""
    try:
        return tuple(EventType(e["name"], e["disorder_type"], e["definition"]) for e in _raw()["event_types"])
    except (KeyError, TypeError) as exc:
        raise KnowledgeError(f"taxonomy file {_DATA}: malformed event type ({exc})") from exc


@cache
def sub_event_types() -> tuple[SubEventType, ...]:
    """ACLED's 25 sub-event types, highest priority first."""
    out = []
    for n, e in enumerate(_raw().get("sub_event_types", [])):
        try:
            out.append(
                SubEventType(
                    name=e["name"],
                    event_type=e["event_type"],
                    disorder_type=e["disorder_type"],
                    definition=e["definition"],
                    priority=int(e["priority"]),
                    plover_type=e.get("plover_type"),
                    plover_mode=e.get("plover_mode"),
                    cameo=e.get("cameo"),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise KnowledgeError(f"taxonomy file {_DATA}: sub-event type #{n} is malformed ({exc})") from exc
    known = {t.name for t in event_types()}
    for s in out:
        if s.event_type not in known:
            raise KnowledgeError(f"taxonomy file {_DATA}: {s.name!r} has unknown event type {s.event_type!r}")
    return tuple(sorted(out, key=lambda s: s.priority))


@cache
def _by_name() -> dict[str, SubEventType]:
    return {s.name.lower(): s for s in sub_event_types()}


def get(sub_event_type: str) -> SubEventType:
    """The sub-event type named ``sub_event_type`` (case-insensitive); KeyError naming it if unknown."""
    found = _by_name().get(sub_event_type.strip().lower())
    if found is None:
        raise KeyError(f"unknown ACLED sub-event type {sub_event_type!r}")
    return found


def event_type_of(sub_event_type: str) -> str:
    return get(sub_event_type).event_type


_INCIDENTS = {"Battles": "violence", "Explosions/Remote violence": "violence", "Violence against civilians": "violence",
              "Protests": "demonstration", "Riots": "demonstration"}


def incident(event_type: str) -> str:
    """The kind of incident an event type codes: political violence (battles, remote violence, violence
    against civilians) and demonstrations (protests, riots) each code one kind under several types, as
    one incident read twice can be ("the bombing" of an IED blast, "the attack" of a shelling); a
    strategic development is its own kind."""
    return _INCIDENTS.get(event_type, event_type)


@cache
def inter_codes() -> dict[int, str]:
    """ACLED's inter codes: 1 State Forces ... 8 External/Other Forces."""
    return {int(e["code"]): str(e["name"]) for e in _raw()["inter_codes"]}


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes as two digits, lower first.

    A lone actor gives ``inter*10`` (protesters alone: 60); no actor gives None. Codes outside
    1..8 (0 = unknown) count as absent.
    """
    codes = sorted(c for c in (inter1, inter2) if c is not None and 1 <= c <= 8)
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


CASE2021_LABELS: dict[str, str | None] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "PEACE_PROTEST": "Peaceful protest",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "CHEM_WEAP": "Chemical weapon",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
    "NATURAL_DISASTER": None,
    "MAN_MADE_DISASTER": None,
    "ORG_CRIME": None,
    "DIPLO": None,
    "ATTRIB": None,
}
"""CASE-2021 task-2 short labels -> ACLED sub-event names; None for the 5 that are not ACLED events."""
