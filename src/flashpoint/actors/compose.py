"""Composition and the world's named actors, for :class:`flashpoint.actors.detect.ActorFinder`.

* **Country words**: flashpoint's country table (names and demonyms), then the world data's
  capitals ("Ankara") and places ("Kandahar", "Rakhine", name variants), which name a country only
  together with a role word.
* **Role words**: ``roles.json`` (ACLED's institutions: "officials" -> government), its ``sectors``
  (flashpoint's additions: "mercenaries", "agricultural workers"), then the Phoenix and PLOVER agents
  ("central bank" -> GOVBUS, "National Guard" -> MIL); a longer phrase wins, the first source among equals.
* **Named actors** of the world data (:class:`WorldRecord`): a state institution resolves to the
  country's ACLED institution ("Kremlin" -> Government of Russia), a person to a person with dated
  ``member_of`` relations, anything else to an actor of its sector's kind.

An alias that two countries share resolves to neither unless the date or the article's country
decides: unknown stays unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flashpoint import countries
from flashpoint.actors.kb import GENERIC_KINDS, INSTITUTIONS, STATE_KINDS, KnowledgeBase
from flashpoint.actors.normalise import Tok
from flashpoint.actors.offices import OFFICE_ROLES
from flashpoint.actors.roles import Roles
from flashpoint.actors.sectors import IGO_NAMES, SECTORS, sector_of
from flashpoint.actors.trie import TrieMatch
from flashpoint.actors.world import AnyIndex, Office, WorldRecord
from flashpoint.records import Actor, Relation, Via


@dataclass(slots=True)
class Found:
    """A mention found in the tokens ``first``..``last``, with what resolved it."""

    first: int
    last: int
    start: int
    end: int
    actor: Actor
    via: Via
    confidence: float
    source: str = ""
    entry: str | None = None
    holder: Office | None = None


class Composer:
    """Country words, role words and named world actors of one knowledge base."""

    def __init__(self, kb: KnowledgeBase, roles: Roles) -> None:
        self.kb = kb
        self.world = kb.world
        extra_words = [self.world.countries] if self.world else []
        extra_roles = [self.world.roles] if self.world else []
        self.countries: AnyIndex = AnyIndex([roles.countries, roles.regions, *extra_words])
        self.institutions: AnyIndex = AnyIndex([roles.institutions, roles.sectors, *extra_roles])
        self.phrase_institutions: AnyIndex = AnyIndex([*self.institutions.indexes, roles.phrase_sectors])

    # -- roles -------------------------------------------------------------------------------------

    def role_actor(self, value: str, iso3: str, date: dt.date | None) -> Actor | None:
        """The actor a role word makes with a country: "officials" + TUR -> Government of Turkey."""
        if value in INSTITUTIONS or value in GENERIC_KINDS:
            return self.kb.institution(value, iso3, date)
        sector = sector_of(value)
        country = countries.by_iso3(iso3)
        if sector is None or country is None:
            return None
        if sector.institution is not None:
            return self.kb.institution(sector.institution, iso3, date)
        if sector.template is None:
            return None
        return Actor(name=sector.template.format(country.name), kind=sector.kind, inter=sector.inter, country=iso3)

    def holder(self, toks: Sequence[Tok], role: TrieMatch[str], iso3: str, date: dt.date | None) -> Office | None:
        """Who held the office a role phrase names ("Prime Minister" of ARM) on ``date``."""
        if self.world is None or date is None:
            return None
        words = " ".join(t.text.casefold() for t in toks[role.first : role.last + 1] if not t.article)
        offices = OFFICE_ROLES.get(words)
        if offices is None:
            return None
        held = self.world.holders(iso3, offices, date)
        return held[0] if held else None

    @staticmethod
    def role_source(toks: Sequence[Tok], role: TrieMatch[str]) -> str:
        words = " ".join(t.text for t in toks[role.first : role.last + 1])
        value = role.values[0]
        where = "roles.json" if value in INSTITUTIONS or value in GENERIC_KINDS else "agents/roles.json sectors"
        return f"role {words!r} -> {value} ({where})"

    # -- named world actors ------------------------------------------------------------------------

    def record_actor(self, record: WorldRecord, date: dt.date | None) -> Actor | None:
        """The actor a world record stands for on ``date`` (None when its sector is no actor)."""
        code = record.code_on(date)
        if code is None:
            return None
        if record.person:
            relations = tuple(
                Relation("member_of", self._institution_name(c.country, c.sector), c.start, c.end, record.source)
                for c in record.codes
                if c.country and c.sector in SECTORS and SECTORS[c.sector].institution in INSTITUTIONS
            )
            return Actor(name=record.name, kind="person", inter=None, country=code.country, relations=relations)
        sector = SECTORS.get(code.sector)
        if sector is None:
            return None
        if code.sector == "IGO":
            named = IGO_NAMES.get(code.code[:9]) or IGO_NAMES.get(code.code[:6])
            curated = self.kb.get(named, date) if named else None
            return curated or Actor(name=record.name, kind=sector.kind, inter=8)
        if sector.institution is not None and sector.institution in INSTITUTIONS and code.country:
            return self.kb.institution(sector.institution, code.country, date)
        if code.sector == "NGO":
            return Actor(name=record.name, kind="non-governmental organisation", inter=7, country=code.country)
        return Actor(name=record.name, kind=sector.kind, inter=sector.inter, country=code.country)

    def _institution_name(self, iso3: str | None, sector: str) -> str:
        country = countries.by_iso3(iso3 or "")
        which = SECTORS[sector].institution or "government"
        template, _ = INSTITUTIONS[which]
        return template.format(countries.country_phrase(country)) if country else ""

    def choose_record(
        self, records: Sequence[WorldRecord], date: dt.date | None, focus: str | None
    ) -> WorldRecord | None:
        """The record an alias means: the one in force on ``date``; among several countries, the
        article's; None when the countries still disagree."""
        pool = list(records)
        if date is not None:
            current = [r for r in pool if any(c.in_force(date) for c in r.codes)]
            pool = current or pool
        places = {_country_on(r, date) for r in pool}
        if len(places) > 1 and focus is not None:
            local = [r for r in pool if focus in r.countries()]
            if local:
                pool = local
                places = {focus}
        if len(places) > 1:
            return None
        return min(pool, key=lambda r: (not r.person, len(r.codes) == 0, r.file, r.name))

    def world_aliases(
        self, toks: Sequence[Tok], covered: list[bool], date: dt.date | None, focus: str | None,
        modifier: Callable[[int, int], bool],
    ) -> list[Found]:
        """Candidate mentions of named world actors over tokens no curated alias took."""
        if self.world is None:
            return []
        out: list[Found] = []
        for match in self.world.actors.find(toks):
            if any(covered[match.first : match.last + 1]) or modifier(match.first, match.last):
                continue
            record = self.choose_record(match.values, date, focus)
            actor = self.record_actor(record, date) if record is not None else None
            if record is None or actor is None:
                continue
            single = match.first == match.last
            out.append(Found(match.first, match.last, toks[match.first].start, toks[match.last].end, actor,
                             Via.WORLD, 0.8 if single else 0.9, f"{record.file}: {record.source}", record.name))
        return out

    # -- ACLED -------------------------------------------------------------------------------------

    def acled(self, actor: Actor, date: dt.date | None) -> Actor:
        """The ACLED actor a resolved actor is coded as on ``date``: a person in office is their
        government ("Angela Merkel" 2017 -> Government of Germany); others are themselves."""
        if actor.kind != "person":
            return actor
        for relation in self.kb.relations_on(actor, date):
            if relation.kind not in {"leader_of", "member_of"}:
                continue
            target = self.kb.get(relation.target, date)
            if target is not None and target.kind.removeprefix("external ") in STATE_KINDS:
                return target
        return actor


def _country_on(record: WorldRecord, date: dt.date | None) -> str | None:
    code = record.code_on(date)
    return code.country if code is not None else None
