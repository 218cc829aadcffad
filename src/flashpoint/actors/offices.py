"""Hand-written dated offices, 2014-2026 (``data/world_offices.tsv``): who held them, with a source.

Each row names a country (ISO alpha-3), an office, its holder, the start and end of the term
(``YYYY-MM-DD``; ``YYYY-MM`` where only the month is certain, read as its first day; empty: open),
the holder's other names (``|``-separated) and the source (a Wikipedia article title). Rows of
one person become one knowledge-base actor of kind "person" whose ``leader_of`` (heads of state
and government) or ``member_of`` (ministers) relations point at the country's government for the
term, so "Nikol Pashinyan" resolves to Armenia and its government on the dates he led it.

Offices: president, prime minister, chancellor, monarch, supreme leader, head of state, head of
government, vice president, defence minister, foreign minister, interior minister, official (another
government post: a minister, a spokesperson), military chief (the head of the armed forces: ``member_of`` the country's military).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flashpoint import countries
from flashpoint.actors.world import DATA_DIR, WORLD_FILES, Office, World, open_world
from flashpoint.errors import KnowledgeError

OFFICES_FILE = DATA_DIR / "world_offices.tsv"
LEADERS: frozenset[str] = frozenset(
    {"president", "prime minister", "chancellor", "monarch", "supreme leader", "head of state", "head of government"}
)
MINISTERS: frozenset[str] = frozenset(
    {"vice president", "defence minister", "foreign minister", "interior minister", "official", "military chief"}
)
# Role words that name an office, and the offices they may mean, most specific first.
OFFICE_ROLES: Mapping[str, tuple[str, ...]] = {
    "president": ("president", "head of state"),
    "prime minister": ("prime minister", "head of government"),
    "premier": ("prime minister", "head of government"),
    "pm": ("prime minister", "head of government"),
    "chancellor": ("chancellor", "head of government"),
    "king": ("monarch",),
    "queen": ("monarch",),
    "emir": ("monarch",),
    "amir": ("monarch",),
    "sultan": ("monarch",),
    "monarch": ("monarch",),
    "crown prince": ("head of government",),
    "supreme leader": ("supreme leader",),
    "head of state": ("head of state", "president", "monarch"),
    "head of government": ("head of government", "prime minister", "chancellor"),
    "leader": ("president", "prime minister", "chancellor", "supreme leader", "head of state"),
    "vice president": ("vice president",),
    "defence minister": ("defence minister",),
    "defense minister": ("defence minister",),
    "minister of defence": ("defence minister",),
    "minister of defense": ("defence minister",),
    "defence secretary": ("defence minister",),
    "defense secretary": ("defence minister",),
    "secretary of defense": ("defence minister",),
    "foreign minister": ("foreign minister",),
    "minister of foreign affairs": ("foreign minister",),
    "foreign secretary": ("foreign minister",),
    "secretary of state": ("foreign minister",),
    "interior minister": ("interior minister",),
    "minister of interior": ("interior minister",),
    "minister of the interior": ("interior minister",),
    "home minister": ("interior minister",),
    "home secretary": ("interior minister",),
    "army chief": ("military chief",),
    "military chief": ("military chief",),
    "chief of staff": ("military chief",),
    "commander-in-chief": ("military chief",),
}


@dataclass(frozen=True, slots=True)
class Offices:
    """The rows as offices, and the people they name as knowledge-base entries (curated format)."""

    offices: tuple[Office, ...]
    people: tuple[dict[str, Any], ...]


def _day(value: str, where: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError as exc:
        raise KnowledgeError(f"{where}: {value!r} is not a date (YYYY-MM-DD or YYYY-MM)") from exc


def _institution(iso3: str, office: str) -> str:
    """The country's institution an office belongs to: its military for the military chief."""
    country = countries.by_iso3(iso3)
    if country is None:
        raise KnowledgeError(f"{iso3!r} is not an ISO 3166 alpha-3 code")
    which = "Military Forces" if office == "military chief" else "Government"
    return f"{which} of {countries.country_phrase(country)}"


def parse_offices(text: str, file: str = OFFICES_FILE.name) -> Offices:
    """The offices and people of a TSV text; errors name the file, the line and the bad value."""
    offices: list[Office] = []
    people: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{file}:{number}"
        if len(cells) != 7:
            raise KnowledgeError(f"{where}: expected 7 tab-separated columns, got {len(cells)}")
        iso3, office, holder, start, end, aliases, source = (c.strip() for c in cells)
        if countries.by_iso3(iso3) is None:
            raise KnowledgeError(f"{where}: {iso3!r} is not an ISO 3166 alpha-3 code")
        if office not in LEADERS | MINISTERS:
            raise KnowledgeError(f"{where}: office {office!r} is not one of {sorted(LEADERS | MINISTERS)}")
        if not holder or not source:
            raise KnowledgeError(f"{where}: every row needs a holder and a source")
        first, last = _day(start, where), _day(end, where)
        if first is not None and last is not None and last < first:
            raise KnowledgeError(f"{where}: the term of {holder} ends ({end}) before it starts ({start})")
        offices.append(Office(iso3, office, holder, first, last, f"{file}: {source}"))
        person = people.setdefault(holder, {"name": holder, "kind": "person", "inter": None, "country": iso3,
                                            "aliases": [], "relations": [], "sources": []})
        person["aliases"].extend(a.strip() for a in aliases.split("|") if a.strip() and a.strip() != holder)
        relation = {"kind": "leader_of" if office in LEADERS else "member_of", "target": _institution(iso3, office),
                    "note": f"{office}, {source}"}
        relation |= {k: v.isoformat() for k, v in (("start", first), ("end", last)) if v is not None}
        person["relations"].append(relation)
        if source not in person["sources"]:
            person["sources"].append(source)
    for person in people.values():
        person["aliases"] = list(dict.fromkeys(person["aliases"]))
        person["sources"] = "; ".join(person["sources"])
    return Offices(tuple(offices), tuple(people.values()))


@functools.cache
def load_offices(path: Path = OFFICES_FILE) -> Offices:
    """The shipped offices (read once per process)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read the offices file: {exc}") from exc
    return parse_offices(text, path.name)


@functools.cache
def load_world() -> World:
    """The shipped world data with the hand-written offices (``data/world_offices.tsv``), once per process."""
    paths = [DATA_DIR / name for name in WORLD_FILES if (DATA_DIR / name).exists()]
    if not paths:
        raise KnowledgeError(f"{DATA_DIR}: no world actor data ({', '.join(WORLD_FILES)}); "
                             "build it with training/actors/build_world_kb.py")
    return open_world(paths, load_offices().offices)
