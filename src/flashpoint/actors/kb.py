"""The actor knowledge base: dated actors, their names and lineage, and ACLED inter codes.

Curated actors live in ``actors/data/*.json`` (each entry with its sources); the government, military
and police of every country and ACLED's generic actors (Protesters, Rioters, Civilians,
Unidentified Armed Group) are generated from :mod:`flashpoint.countries`. A curated entry whose name
equals a generated one extends it (more aliases, relations).

An entry may carry dated ``names``: the same organisation called Jabhat al-Nusra until 28 July 2016
and Jabhat Fateh al-Sham after it. Successors are followed through ``merged_into`` relations, so
"Jabhat al-Nusra" on 2018-05-08 names Jabhat Fateh al-Sham, by then part of Hayat Tahrir al-Sham.

Inter codes follow the ACLED Codebook: 1 state forces, 2 rebel groups, 3 political militias,
4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces; 0 when none
applies (persons, political organisations). State actors are stored with their home code (1);
:meth:`KnowledgeBase.relative` gives the code relative to an event's country (8 abroad).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashpoint import countries
from flashpoint.actors.normalise import canonical_key
from flashpoint.countries import country_phrase
from flashpoint.errors import InputError, KnowledgeError
from flashpoint.records import Actor, Relation, Via

if TYPE_CHECKING:
    from flashpoint.actors.world import Office, World

DATA_DIR = Path(__file__).parent / "data"

RELATION_KINDS: frozenset[str] = frozenset(
    {"formerly", "renamed", "member_of", "leader_of", "allied_with", "split_from", "merged_into", "affiliated_with"}
)
# Relations whose target may be a bare name rather than an actor of the knowledge base.
_NAME_RELATIONS = frozenset({"formerly", "renamed"})

STATE_KINDS: frozenset[str] = frozenset({"state forces", "state government", "state police"})
ARMED_NON_STATE_INTERS: frozenset[int] = frozenset({2, 3, 4})

GENERIC_KINDS: Mapping[str, tuple[str, int, str]] = {
    "protesters": ("Protesters ({})", 6, "protesters"),
    "rioters": ("Rioters ({})", 5, "rioters"),
    "civilians": ("Civilians ({})", 7, "civilians"),
    "unidentified": ("Unidentified Armed Group ({})", 3, "unidentified armed group"),
}
INSTITUTIONS: Mapping[str, tuple[str, str]] = {
    "government": ("Government of {}", "state government"),
    "military": ("Military Forces of {}", "state forces"),
    "police": ("Police Forces of {}", "state police"),
}


@dataclass(frozen=True, slots=True)
class DatedName:
    """One of an actor's names and when it was used (None: open-ended)."""

    name: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """An actor with what the knowledge base knows beyond the shared :class:`Actor` record."""

    actor: Actor
    start: dt.date | None = None
    end: dt.date | None = None
    names: tuple[DatedName, ...] = ()
    descriptions: tuple[str, ...] = ()
    sources: str = ""
    file: str = "generated"
    generated: bool = False

    def active_on(self, date: dt.date | None) -> bool:
        """Whether the actor existed on ``date`` (always, when no date is given)."""
        return in_force(self.start, self.end, date)

    def distance(self, date: dt.date | None) -> int:
        """Days between ``date`` and the actor's active period (0 inside it or with no date)."""
        if date is None or self.active_on(date):
            return 0
        if self.start is not None and date < self.start:
            return (self.start - date).days
        if self.end is not None and date >= self.end:
            return (date - self.end).days + 1
        return 0


@dataclass(frozen=True, slots=True)
class Resolution:
    """A text resolved to an actor on a date.

    ``acled`` is the actor as ACLED codes it on the date (a head of government in office: the
    government; otherwise ``actor`` itself); ``entry`` and ``source`` name the knowledge-base entry
    that matched and where it comes from; ``holder`` is who held the office a phrase names
    ("the Armenian Prime Minister") on the date.
    """

    actor: Actor
    name_on_date: str
    successor_on_date: str | None
    matched: str
    relations: tuple[Relation, ...]
    via: Via = Via.ALIAS
    date: dt.date | None = None
    acled: Actor | None = None
    entry: str | None = None
    source: str = ""
    holder: Office | None = None


def in_force(start: dt.date | None, end: dt.date | None, date: dt.date | None) -> bool:
    """Whether ``date`` falls in [start, end); an open end or no date counts as in force."""
    if date is None:
        return True
    if start is not None and date < start:
        return False
    return not (end is not None and date >= end)


class KnowledgeBase:
    """Actors by canonical name, with their dated names, relations and inter codes."""

    def __init__(self, entries: Iterable[Entry], version: str = "", world: World | None = None) -> None:
        self.version = version
        self.world = world
        self._entries: dict[str, Entry] = {}
        for entry in entries:
            if entry.actor.name in self._entries:
                raise KnowledgeError(f"{entry.file}: actor {entry.actor.name!r} is defined twice")
            self._entries[entry.actor.name] = entry
        self._by_key: dict[str, list[Entry]] = {}
        for entry in self._entries.values():
            keys = {canonical_key(entry.actor.name)} | {canonical_key(n.name) for n in entry.names}
            for key in keys:
                self._by_key.setdefault(key, []).append(entry)
        self._check_relations()

    # -- lookup ------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._entries

    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries.values())

    def entry(self, name: str, date: dt.date | None = None) -> Entry | None:
        """The entry called ``name``: canonical, a dated former name, or the name without period."""
        found = self._entries.get(name)
        if found is not None:
            return found
        candidates = self._by_key.get(canonical_key(name), [])
        return self.choose(candidates, date) if candidates else None

    def get(self, name: str, date: dt.date | None = None) -> Actor | None:
        """The actor called ``name`` (see :meth:`entry`), or None."""
        found = self.entry(name, date)
        return found.actor if found else None

    def choose(self, candidates: Iterable[Entry], date: dt.date | None, focus: str | None = None) -> Entry:
        """The candidate active on ``date`` (nearest in time otherwise), then in ``focus`` country.

        With no date, the actor active today wins (the latest one).
        """
        pool = list(candidates)
        if not pool:
            raise KnowledgeError("choose() needs at least one candidate")

        def rank(entry: Entry) -> tuple[int, int, int, int]:
            when = date or dt.date.today()
            return (
                entry.distance(when),
                0 if focus and entry.actor.country == focus else 1,
                1 if entry.generated else 0,
                -(entry.start or dt.date.min).toordinal(),
            )

        return min(pool, key=rank)

    # -- time --------------------------------------------------------------------------------------

    def name_on(self, actor: Actor, date: dt.date | None) -> str:
        """The name the actor went by on ``date``: "Jabhat al-Nusra" in 2015, JFS in 2016-08."""
        entry = self._entries.get(actor.name) or self.entry(actor.name)
        if entry is None or not entry.names or date is None:
            return entry.actor.name if entry else actor.name
        for dated in entry.names:
            if in_force(dated.start, dated.end, date):
                return dated.name
        earliest = min(entry.names, key=lambda n: n.start or dt.date.min)
        return earliest.name if earliest.start and date < earliest.start else entry.names[-1].name

    def successor_on(self, actor: Actor, date: dt.date | None) -> str | None:
        """What the actor had merged into by ``date`` (followed to the end), or None."""
        seen = {actor.name}
        current = self.entry(actor.name)
        successor: str | None = None
        while current is not None:
            step = next(
                (
                    r.target
                    for r in current.actor.relations
                    if r.kind == "merged_into" and r.start is not None and (date is None or r.start <= date)
                    and (r.end is None or date is None or date < r.end)
                ),
                None,
            )
            if step is None or step in seen:
                break
            seen.add(step)
            successor = step
            current = self.entry(step, date)
        return successor

    def relations_on(self, actor: Actor, date: dt.date | None) -> tuple[Relation, ...]:
        """The actor's relations in force on ``date`` (all of them with no date)."""
        return tuple(r for r in actor.relations if in_force(r.start, r.end, date))

    def led_by(self, person: Actor, date: dt.date | None) -> tuple[Actor, ...]:
        """The actors ``person`` led on ``date`` (``leader_of`` in force), most specific first."""
        led: list[Actor] = []
        for relation in self.relations_on(person, date):
            if relation.kind == "leader_of":
                target = self.get(relation.target, date)
                if target is not None and target not in led:
                    led.append(target)
        return tuple(led)

    def resolution(
        self, actor: Actor, date: dt.date | None, matched: str, via: Via = Via.ALIAS, *,
        acled: Actor | None = None, entry: str | None = None, source: str = "", holder: Office | None = None,
    ) -> Resolution:
        """A :class:`Resolution` of ``actor`` on ``date`` (its source from the entry when not given)."""
        if not source:
            found = self.entry(actor.name, date)
            if found is not None:
                entry = entry or found.actor.name
                source = f"{found.file}: {found.sources}"
        return Resolution(
            actor=actor,
            name_on_date=self.name_on(actor, date),
            successor_on_date=self.successor_on(actor, date),
            matched=matched,
            relations=self.relations_on(actor, date),
            via=via,
            date=date,
            acled=acled or actor,
            entry=entry,
            source=source,
            holder=holder,
        )

    # -- ACLED codes -------------------------------------------------------------------------------

    def generic(self, kind: str, iso3: str) -> Actor:
        """ACLED's generic actor of a country: generic("protesters", "SYR") -> Protesters (Syria), inter 6."""
        if kind not in GENERIC_KINDS:
            raise InputError("generic actor kind", f"{kind!r} is not one of {sorted(GENERIC_KINDS)}")
        country = countries.by_iso3(iso3)
        if country is None:
            raise InputError("generic actor country", f"{iso3!r} is not an ISO 3166 alpha-3 code")
        template, _, _ = GENERIC_KINDS[kind]
        found = self.get(template.format(country.name))
        if found is None:
            raise KnowledgeError(f"no generic actor {template.format(country.name)!r}")
        return found

    def institution(self, which: str, iso3: str, date: dt.date | None = None) -> Actor | None:
        """The government, military or police of a country on ``date`` (or a generic actor)."""
        if which in GENERIC_KINDS:
            return self.generic(which, iso3)
        if which not in INSTITUTIONS:
            raise InputError("institution", f"{which!r} is not one of {sorted(INSTITUTIONS)}")
        country = countries.by_iso3(iso3)
        if country is None:
            return None
        template, _ = INSTITUTIONS[which]
        candidates = self._by_key.get(canonical_key(template.format(country_phrase(country))), [])
        return self.choose(candidates, date).actor if candidates else None

    @staticmethod
    def relative(actor: Actor, event_iso3: str | None) -> Actor:
        """The actor coded for an event in ``event_iso3``: state actors abroad are external (inter 8)."""
        base = actor.kind.removeprefix("external ")
        if base not in STATE_KINDS or actor.country is None or event_iso3 is None:
            return actor
        if actor.country == event_iso3:
            return dataclasses.replace(actor, kind=base, inter=1) if actor.kind != base else actor
        return dataclasses.replace(actor, kind=f"external {base}", inter=8)

    def inter_for(self, actor: Actor, event_iso3: str | None) -> int | None:
        """ACLED inter code of ``actor`` in an event in ``event_iso3`` (Turkey's army in Syria: 8; None
        when unknown)."""
        return self.relative(actor, event_iso3).inter

    # -- checks ------------------------------------------------------------------------------------

    def _check_relations(self) -> None:
        for entry in self._entries.values():
            for relation in entry.actor.relations:
                if relation.kind in _NAME_RELATIONS:
                    continue
                if self.entry(relation.target) is None:
                    raise KnowledgeError(
                        f"{entry.file}: {entry.actor.name!r} has {relation.kind} {relation.target!r}, "
                        "which is not an actor of the knowledge base"
                    )


# -- loading --------------------------------------------------------------------------------------


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise KnowledgeError(f"{where}: date {value!r} is not a string")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise KnowledgeError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: expected a list of non-empty strings")
    return tuple(dict.fromkeys(v.strip() for v in value))


def _relation(raw: Any, where: str) -> Relation:
    if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str) or not isinstance(raw.get("target"), str):
        raise KnowledgeError(f"{where}: a relation needs 'kind' and 'target' strings, got {raw!r}")
    if raw["kind"] not in RELATION_KINDS:
        raise KnowledgeError(f"{where}: relation kind {raw['kind']!r} is not one of {sorted(RELATION_KINDS)}")
    return Relation(
        kind=raw["kind"],
        target=raw["target"],
        start=_date(raw.get("start"), where),
        end=_date(raw.get("end"), where),
        source=raw.get("note"),
    )


def parse_entry(raw: Any, file: str, file_sources: str = "") -> Entry:
    """One curated entry of a data file, checked; errors name the file and the actor."""
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise KnowledgeError(f"{file}: every actor needs a 'name' string, got {raw!r}")
    name = raw["name"]
    where = f"{file}: {name}"
    inter = raw.get("inter")
    if inter is not None and (not isinstance(inter, int) or isinstance(inter, bool) or not 1 <= inter <= 8):
        raise KnowledgeError(f"{where}: 'inter' must be an ACLED inter code 1..8, or null when unknown, "
                             f"got {inter!r}")
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind:
        raise KnowledgeError(f"{where}: 'kind' is missing")
    country = raw.get("country")
    if country is not None and (not isinstance(country, str) or countries.by_iso3(country) is None):
        raise KnowledgeError(f"{where}: 'country' {country!r} is not an ISO 3166 alpha-3 code")
    names = tuple(
        DatedName(n["name"], _date(n.get("start"), where), _date(n.get("end"), where))
        for n in raw.get("names", [])
    )
    aliases = tuple(dict.fromkeys([*(n.name for n in names), *_strings(raw.get("aliases"), where)]))
    relations = tuple(_relation(r, where) for r in raw.get("relations", []))
    if not raw.get("sources"):
        raise KnowledgeError(f"{where}: every entry needs its 'sources'")
    return Entry(
        actor=Actor(name=name, kind=kind, inter=inter, country=country, aliases=aliases, relations=relations),
        start=_date(raw.get("start"), where),
        end=_date(raw.get("end"), where),
        names=names,
        descriptions=_strings(raw.get("descriptions"), where),
        sources=str(raw["sources"]),
        file=file,
    )


def generated_entries() -> list[Entry]:
    """Government, military, police and the generic actors of every country."""
    entries: list[Entry] = []
    for country in countries.all_countries():
        if country.region == "Antarctica":
            continue
        phrase = country_phrase(country)
        for which, (template, kind) in INSTITUTIONS.items():
            name = template.format(phrase)
            aliases = [template.format(country.name)] if phrase != country.name else []
            if which == "government":
                aliases.append(f"{country.name} government")
            entries.append(
                Entry(
                    actor=Actor(name=name, kind=kind, inter=1, country=country.iso3, aliases=tuple(aliases)),
                    sources="generated from the country table; ACLED naming convention",
                    generated=True,
                )
            )
        for template, inter, kind in GENERIC_KINDS.values():
            entries.append(
                Entry(
                    actor=Actor(name=template.format(country.name), kind=kind, inter=inter, country=country.iso3),
                    sources="generated from the country table; ACLED generic actor",
                    generated=True,
                )
            )
    return entries


def _merge(base: Entry, extra: Entry) -> Entry:
    actor = dataclasses.replace(
        base.actor,
        aliases=tuple(dict.fromkeys([*base.actor.aliases, *extra.actor.aliases])),
        relations=base.actor.relations + extra.actor.relations,
    )
    return dataclasses.replace(
        extra, actor=actor, descriptions=base.descriptions + extra.descriptions, generated=False
    )


def data_files(directory: Path = DATA_DIR) -> list[Path]:
    """The knowledge-base data files: every JSON file in ``directory`` with an ``actors`` list."""
    return sorted(p for p in directory.glob("*.json") if p.name != "roles.json")


def load_entries(paths: Iterable[Path]) -> tuple[list[Entry], list[str]]:
    """Curated entries of the given files and their versions."""
    entries: list[Entry] = []
    versions: list[str] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise KnowledgeError(f"{path}: cannot read the knowledge-base file: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
            raise KnowledgeError(f"{path}: expected an object with an 'actors' list")
        versions.append(f"{path.name}@{data.get('version', '?')}")
        entries.extend(parse_entry(raw, path.name, data.get("sources", "")) for raw in data["actors"])
    return entries, versions


def build_knowledge_base(
    paths: Iterable[Path] | None = None, generate: bool = True, world: World | None = None,
    extra: Iterable[Entry] = (),
) -> KnowledgeBase:
    """A knowledge base from data files (the shipped ones by default) plus generated actors.

    ``extra`` entries (the people of the offices file) join those of the files; one whose name a
    file already defines adds its aliases and relations to it. ``world`` is the world data
    (:func:`flashpoint.actors.world.load_world`) the finder also matches; None: curated actors only.
    """
    curated, versions = load_entries(data_files() if paths is None else paths)
    curated = _with_extra(curated, extra)
    by_name: dict[str, Entry] = {e.actor.name: e for e in generated_entries()} if generate else {}
    for entry in curated:
        if entry.actor.name in by_name and by_name[entry.actor.name].generated:
            by_name[entry.actor.name] = _merge(by_name[entry.actor.name], entry)
        elif entry.actor.name in by_name:
            raise KnowledgeError(f"{entry.file}: actor {entry.actor.name!r} is defined twice")
        else:
            by_name[entry.actor.name] = entry
    # A country whose institutions the data files date ("Government of Syria (2000-2024)") does
    # not also get an undated generated one.
    dated = {canonical_key(e.actor.name) for e in by_name.values() if not e.generated and e.actor.name.endswith(")")}
    kept = [e for e in by_name.values() if not (e.generated and canonical_key(e.actor.name) in dated
                                                  and e.actor.kind in STATE_KINDS)]
    return KnowledgeBase(kept, version=", ".join(versions), world=world)


def _with_extra(curated: list[Entry], extra: Iterable[Entry]) -> list[Entry]:
    by_key: dict[str, int] = {}
    for i, e in enumerate(curated):
        for name in (e.actor.name, *(n.name for n in e.names)):
            by_key.setdefault(canonical_key(name), i)  # "Ahmed al-Sharaa" is Abu Mohammed al-Joulani
    out = list(curated)
    for entry in extra:
        at = by_key.get(canonical_key(entry.actor.name))
        if at is None:
            by_key[canonical_key(entry.actor.name)] = len(out)
            out.append(entry)
            continue
        base = out[at]
        known = {(r.kind, r.target, r.start) for r in base.actor.relations}
        actor = dataclasses.replace(
            base.actor,
            aliases=tuple(dict.fromkeys([*base.actor.aliases, *entry.actor.aliases])),
            relations=base.actor.relations + tuple(
                r for r in entry.actor.relations if (r.kind, r.target, r.start) not in known),
        )
        out[at] = dataclasses.replace(base, actor=actor, sources=f"{base.sources}; {entry.sources}")
    return out


@functools.cache
def load_knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base with the world data and the offices file, loaded once per process."""
    from flashpoint.actors.offices import OFFICES_FILE, load_offices, load_world

    people = [parse_entry(raw, OFFICES_FILE.name) for raw in load_offices().people]
    return build_knowledge_base(world=load_world(), extra=people)
