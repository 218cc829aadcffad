"""Build flashpoint's world actor data from the public dictionaries in ../shared/actors.

Reads (see ../shared/actors/README.md and each file's header for format and licence):

* ``Phoenix.Countries.actors.txt`` (MIT): state actors with date-ranged CAMEO codes; country blocks
  with their names, adjectives, capitals, cities and provinces;
* ``Phoenix.International.actors.txt`` (MIT): international organisations and NGOs (multinational
  companies are left out: they are no political actors and their one-word names are common words);
* ``Phoenix.MilNonState.actors.txt`` (MIT): non-state armed groups;
* ``Phoenix.agents.txt`` and ``PLOVER_agents.txt`` (MIT): role words and their sectors;
* ``CountryInfo.120116.txt`` (CC BY-SA 3.0): nationality adjectives, capitals, major cities,
  heads of state and government and ministers with their dates and titles;
* ``../shared/geonames/admin1CodesASCII.txt`` and ``cities15000.txt`` (GeoNames, CC BY 4.0):
  provinces and cities of 100,000 people or more, as country words ("Kandahar police").

Writes three gzipped JSON files into ``src/flashpoint/actors/data/``, one per licence:
``world_phoenix.json.gz`` (MIT), ``world_countryinfo.json.gz`` (CC BY-SA 3.0, share-alike),
``world_places.json.gz`` (CC BY 4.0). Every phrase is stored under its match key (the tokens'
folded keys of :func:`flashpoint.actors.trie.phrase_keys`), so loading builds no trie.

Usage: .venv/bin/python training/actors/build_world_kb.py [--shared ../shared] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import names as nm
import phoenix as px

from flashpoint import countries
from flashpoint.actors.normalise import fold
from flashpoint.actors.sectors import split_code
from flashpoint.actors.trie import phrase_keys
from flashpoint.actors.world import FOLD_CHECK, FORMAT, exact_key

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "flashpoint" / "actors" / "data"
ROLES_JSON = OUT / "roles.json"
# Tier of a country word's source: a word two countries claim goes to the better tier, or to none.
TIER_TABLE, TIER_COUNTRYINFO, TIER_PHOENIX, TIER_ADMIN1, TIER_CITY = 0, 1, 2, 3, 4
_PLACE_SUFFIXES = (" State", " Province", " Region", " Governorate", " Oblast", " Department", " District",
                   " Division", " Prefecture", " Territory", " Municipality", " County", " Krai", " Republic")


def key(phrase: str) -> str:
    """The match key of a phrase: its tokens' trie keys joined by spaces ('' when it has none)."""
    return " ".join(phrase_keys(phrase))


def index(pairs: Iterable[tuple[str, Any]], exact: bool = False) -> tuple[dict[str, list[Any]], list[str]]:
    """phrase -> value pairs as {key: [values]} and the sorted proper prefixes of every key.

    With ``exact``, a one-word phrase that is no acronym is stored under its spelling
    (:func:`flashpoint.actors.world.exact_key`), not its folded key: "Gulen" must not meet "Golan".
    """
    found: dict[str, list[Any]] = defaultdict(list)
    for phrase, value in pairs:
        k = key(phrase)
        if exact and k and " " not in k and not k.startswith("="):
            k = exact_key(phrase)
        if k and value not in found[k]:
            found[k].append(value)
    prefixes = {" ".join(k.split(" ")[:n]) for k in found for n in range(1, len(k.split(" ")))}
    return dict(found), sorted(prefixes)


# -- role words -----------------------------------------------------------------------------------


# Words of places, not of people: "Syrian city", "Idlib province" name no actor.
_PLACE_NOUNS = frozenset(
    ["city", "cities", "town", "towns", "village", "villages", "province", "provinces", "capital", "capitals", "region", "regions", "district", "districts", "country", "countries", "area", "areas", "territory", "territories", "countryside", "suburb", "suburbs", "neighbourhood", "neighborhood", "neighbourhoods", "neighborhoods", "state", "states", "homeland", "nation", "nations", "land", "lands", "border", "borders",
     "settlement", "settlements", "prison", "prisons", "jail", "jails"]
)


def role_pairs(shared: Path) -> list[tuple[str, str]]:
    """(phrase, sector) of both agents files, the PLOVER file's sector where they disagree second."""
    pairs: list[tuple[str, str]] = []
    for name in ("Phoenix.agents.txt", "PLOVER_agents.txt"):
        for phrase, sector in px.read_agents(shared / "actors" / name):
            if sector[:3] in {"UNK", "NON", "JNK", "PRE"} or not phrase.strip() or phrase in _PLACE_NOUNS:
                continue
            pairs.append((phrase, sector))
    return pairs


def role_vocabulary(roles: dict[str, list[str]]) -> frozenset[str]:
    """Every word key of a role phrase ("central", "bank", "guard") and of roles.json's words."""
    words = {part for k in roles for part in k.split(" ")}
    data = json.loads(ROLES_JSON.read_text(encoding="utf-8"))
    for group in ("institutions", "bare_roles", "sectors"):
        for phrases in data[group].values():
            words.update(part for p in phrases for part in key(p).split(" ") if part)
    words.update(fold(w) for w in data["modifiers"])
    return frozenset(words)


# -- country words --------------------------------------------------------------------------------


def country_of(info: px.CountryInfo) -> str | None:
    """A CountryInfo country's ISO alpha-3 code: its <CountryCode>, else its alpha-2, else its alpha-3."""
    for found in (countries.by_iso3(info.code), countries.by_iso2(info.iso2), countries.by_iso3(info.iso3)):
        if found is not None:
            return found.iso3
    return None


def _tsv_keys() -> set[str]:
    """Keys of the names and demonyms flashpoint's country table already knows."""
    out: set[str] = set()
    for country in countries.all_countries():
        for phrase in (country.name, *country.alt_names, *country.demonyms):
            out.add(key(phrase))
    return out


def country_words(
    shared: Path, blocks: list[px.CountryBlock], infos: list[px.CountryInfo], vocabulary: frozenset[str]
) -> dict[str, dict[str, list[Any]]]:
    """Country words by file ("phoenix", "countryinfo", "places"): {key: [[iso3, form, phrase]]}.

    Forms: "capital" (a seat that may stand for the government, "Ankara") and "place" (a name
    variant, city or province that only names the country together with a role word).
    """
    claims: dict[str, list[tuple[int, str, str, str, str]]] = defaultdict(list)  # tier, iso3, form, file, phrase

    def claim(tier: int, iso3: str | None, phrase: str, form: str, file: str) -> None:
        text, _ = nm.display(phrase, person=True)
        k = key(text)
        if k and " " not in k and not k.startswith("="):
            k = exact_key(text)  # one word by its spelling: "WHO" is not "Wuhu"
        if iso3 and k:
            claims[k].append((tier, iso3, form, file, text))

    for country in countries.all_countries():
        if country.capital:
            claim(TIER_TABLE, country.iso3, country.capital, "capital", "places")
    for info in infos:
        iso3 = country_of(info)
        for phrase in info.nationality + info.cities:
            claim(TIER_COUNTRYINFO if phrase in info.nationality else TIER_PHOENIX, iso3, phrase, "place", "countryinfo")
        for phrase in info.capitals:
            claim(TIER_COUNTRYINFO, iso3, phrase, "capital", "countryinfo")
    for block in blocks:
        split = split_code(block.code)
        for phrase in block.names:
            claim(TIER_PHOENIX, split[0] if split else None, phrase, "place", "phoenix")
    for tier, iso3, phrase in _geonames(shared / "geonames"):
        claim(tier, iso3, phrase, "place", "places")
    known = _tsv_keys()
    out: dict[str, dict[str, list[Any]]] = {"phoenix": {}, "countryinfo": {}, "places": {}}
    for k, found in claims.items():
        parts = k.split(" ")
        folded = key(found[0][4])
        if k in known or folded in known or (len(parts) == 1 and (folded in vocabulary or len(folded) < 3)):
            continue  # the country table has it; or a role word ("Central", "Coast"); or too short
        best = min(t for t, *_ in found)
        top = [c for c in found if c[0] == best]
        if len({c[1] for c in top}) != 1:
            continue  # two countries claim it at the same tier: no guess
        form = "capital" if any(c[2] == "capital" for c in top) else "place"
        tier, iso3, _, file, phrase = min(top, key=lambda c: (c[2] != "capital", c[3] != "countryinfo"))
        out[file][k] = [[iso3, form, phrase]]
    return out


def _geonames(folder: Path) -> Iterable[tuple[int, str, str]]:
    """(tier, iso3, name) of first-level regions and of cities of 100,000 people or more."""
    for line in (folder / "admin1CodesASCII.txt").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 3:
            continue
        country = countries.by_iso2(cells[0].split(".")[0])
        if country is None:
            continue
        for name in {cells[1], cells[2]}:
            yield TIER_ADMIN1, country.iso3, name
            for suffix in _PLACE_SUFFIXES:
                if name.endswith(suffix) and len(name) > len(suffix) + 2:
                    yield TIER_ADMIN1, country.iso3, name[: -len(suffix)]
    with (folder / "cities15000.txt").open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.split("\t")
            if len(cells) < 15 or int(cells[14] or 0) < 100_000:
                continue
            country = countries.by_iso2(cells[8])
            if country is not None:
                for name in {cells[1], cells[2]}:
                    yield TIER_CITY, country.iso3, name


# -- named actors ---------------------------------------------------------------------------------


def _merge_uncoded(entries: list[px.RawEntry]) -> list[px.RawEntry]:
    """An entry without codes right below a coded one is one more name of it (``U.N._`` under ``UN_``)."""
    out: list[px.RawEntry] = []
    for entry in entries:
        if not entry.codes and out and entry.line - out[-1].line <= len(out[-1].names) + 1:
            out[-1].names.extend(entry.names)
            continue
        out.append(entry)
    return [e for e in out if e.codes]


def _country_only(entry: px.RawEntry) -> bool:
    """An entry whose every code is a bare country (no sector): a country's names, not an actor."""
    splits = [split_code(code) for code, _, _ in entry.codes]
    return bool(splits) and all(sp is not None and sp[0] is not None and sp[1] in {"", "UNR"} for sp in splits)


def _codes(entry: px.RawEntry) -> list[list[Any]]:
    out: list[list[Any]] = []
    for code, start, end in entry.codes:
        split = split_code(code)
        if split is None:
            continue
        iso3, sector = split
        if sector in {"MNC", "MED"}:
            continue  # companies and news media are no political actors ("Reuters reported")
        out.append([iso3, sector or "GOV", start, end, code])
    return out


def _is_person(entry: px.RawEntry, display: str, vocabulary: frozenset[str], given: frozenset[str]) -> bool:
    """A person: a CountryInfo leader, an ELI code, or a name of 2-5 words starting with a given name
    that CountryInfo's people use ("Christian Wulff"), with no role word ("Scotland Yard" is none)."""
    words = key(display).split(" ")
    if "CountryInfo" in entry.note or any(c[0].endswith("ELI") for c in entry.codes):
        return True
    if any(w in vocabulary or w.startswith("=") for w in words):
        return False
    return 2 <= len(words) <= 5 and words[0] in given


def given_names(infos: list[px.CountryInfo]) -> frozenset[str]:
    """Keys of the first words of CountryInfo's people ("angela", "christian")."""
    out: set[str] = set()
    for info in infos:
        for raw in [name for _, name, _, _ in info.leaders] + [name for name, *_ in info.government]:
            words = key(nm.display(raw, person=True)[0]).split(" ")
            if len(words) >= 2:
                out.add(words[0])
    return frozenset(out)


def composed(k: str, country_keys: set[str], roles: dict[str, list[str]]) -> bool:
    """An alias that is a country word and a role phrase ("German Chancellor"): composition says it."""
    parts = k.split(" ")
    return any(" ".join(parts[:n]) in country_keys and " ".join(parts[n:]) in roles for n in range(1, len(parts)))


def _aliases(
    raw_names: list[str], person: bool, skip: set[str] | frozenset[str], given: frozenset[str] = frozenset()
) -> list[str]:
    out: list[str] = []
    for raw in raw_names:
        text, extra = nm.display(raw, person)
        if text.lower().startswith("the "):
            text = text[4:]
        for alias in [text, *extra]:
            if alias.isupper() and alias.isalpha() and len(alias) >= 4:
                out.append(alias.capitalize())  # house style: "Hamas", "Nato"
            out.append(alias)
    kept: list[str] = []
    for alias in dict.fromkeys(out):
        k = key(alias)
        if not k or k in skip or exact_key(alias) in skip or (" " not in k and len(k.lstrip("=")) < 2):
            continue
        if " " not in k and not k.startswith("=") and (not person or k in given):
            continue  # one word: an organisation's ("Organization", "Olive") or a given name ("Hassan")
        kept.append(alias)
    return kept


def records(
    shared: Path, vocabulary: frozenset[str], skip: set[str], given: frozenset[str] = frozenset()
) -> tuple[list[list[Any]], list[tuple[str, int]], list[px.CountryBlock]]:
    """Named actors of the three Phoenix actor files: records, (alias, record id) pairs, country blocks."""
    out: list[list[Any]] = []
    pairs: list[tuple[str, int]] = []
    blocks: list[px.CountryBlock] = []
    for file in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        entries, found_blocks = px.read_actors(shared / "actors" / file)
        blocks.extend(found_blocks)
        for entry in _merge_uncoded(entries):
            if _country_only(entry):  # "GEORGIA_ +GEORGIAN_ ... [USRGEO <910409] [GEO >911221]"
                blocks.append(px.CountryBlock(entry.codes[-1][0], entry.names))
                continue
            codes = _codes(entry)
            if not codes:
                continue
            first, _ = nm.display(entry.names[0], person=False)
            person = file.startswith("Phoenix.Countries") and _is_person(entry, first, vocabulary, given)
            aliases = _aliases(entry.names, person, skip, given)
            if not aliases:
                continue
            rid = len(out)
            out.append([aliases[0], "person" if person else "org", codes, f"{file}:{entry.line} {entry.names[0]}"])
            pairs.extend((alias, rid) for alias in aliases)
    return out, pairs, blocks


def _alias_keys(shared: Path, vocabulary: frozenset[str]) -> set[str]:
    """The keys of every alias the actor files give (to find the composed ones)."""
    _, pairs, _ = records(shared, vocabulary, set())
    return {key(alias) for alias, _ in pairs}


def countryinfo_people(
    infos: list[px.CountryInfo], known: dict[str, set[str]]
) -> tuple[list[list[Any]], list[tuple[str, int]], list[list[Any]]]:
    """People of CountryInfo that the Phoenix file lacks, and every dated office CountryInfo gives."""
    people: dict[tuple[str, str], list[Any]] = {}
    offices: list[list[Any]] = []
    for info in infos:
        iso3 = country_of(info)
        if iso3 is None:
            continue
        for title, raw, start, end in info.leaders:
            name, _ = nm.display(raw, person=True)
            office = nm.leader_office(title)
            if office:
                offices.append([iso3, office, name, start, end, title, "CountryInfo <Leaders>"])
            people.setdefault((iso3, name), [name, "person", [], f"CountryInfo.120116.txt <Leaders> {raw}"])[2].append(
                [iso3, "GOV", start, end, iso3 + "GOV"])
        for raw, code, start, end, title in info.government:
            name, _ = nm.display(raw, person=True)
            split = split_code(code)
            if split is None or split[0] is None:
                continue
            office = nm.government_office(title)
            if office:
                offices.append([split[0], office, name, start, end, title, "CountryInfo <Government>"])
            people.setdefault((split[0], name), [name, "person", [], f"CountryInfo.120116.txt <Government> {raw}"])[
                2].append([split[0], split[1] or "GOV", start, end, code])
    out: list[list[Any]] = []
    pairs: list[tuple[str, int]] = []
    for (iso3, name), record in people.items():
        if iso3 in known.get(key(name), set()) or " " not in key(name):
            continue  # the Phoenix file has this person already; or one word ("Abdullah"): no name
        pairs.append((name, len(out)))
        out.append(record)
    return out, pairs, offices


# -- output ---------------------------------------------------------------------------------------


_SOURCE_TAGS = {"Phoenix.Countries.actors.txt": "C", "Phoenix.International.actors.txt": "I",
                "Phoenix.MilNonState.actors.txt": "M", "CountryInfo.120116.txt <Leaders>": "L",
                "CountryInfo.120116.txt <Government>": "G"}


def _packed(records: list[list[Any]]) -> list[str]:
    """Records as one string each, "name\tkind\tcodes\tsource": codes "CODE START END" (dates
    YYYYMMDD or "-") joined by "|", the source as a file tag and line ("C17424": line 17424 of the
    Countries file). A list of short strings parses several times faster than nested lists, and a
    record is unpacked only when matched (:func:`flashpoint.actors.world._record_converter`)."""
    out: list[str] = []
    for name, kind, codes, source in records:
        packed = "|".join(" ".join([c[4], (c[2] or "-").replace("-", "") or "-", (c[3] or "-").replace("-", "") or "-"])
                          for c in codes)
        where, _, rest = source.partition(":")
        if where in _SOURCE_TAGS:  # "Phoenix.Countries.actors.txt:17424 ANGELA_MERKEL_"
            tag = _SOURCE_TAGS[where] + rest.split(" ")[0]
        else:  # "CountryInfo.120116.txt <Leaders> NAME"
            tag = next((t for f, t in _SOURCE_TAGS.items() if source.startswith(f)), source)
        out.append("\t".join([name, kind[0], packed, tag]))
    return out


def _header(about: str, licence: str, sources: list[str]) -> dict[str, Any]:
    return {"format": FORMAT, "about": about, "licence": licence, "sources": sources,
            "built": dt.date.today().isoformat(), "fold_check": {w: fold(w) for w in FOLD_CHECK}}


def _words_part(words: dict[str, list[Any]]) -> dict[str, Any]:
    prefixes = {" ".join(k.split(" ")[:n]) for k in words for n in range(1, len(k.split(" ")))}
    return {"country_words": words, "country_prefixes": sorted(prefixes)}


def write(path: Path, data: dict[str, Any]) -> int:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    roles, role_prefixes = index(role_pairs(args.shared))
    vocabulary = role_vocabulary(roles)
    infos = px.read_countryinfo(args.shared / "actors" / "CountryInfo.120116.txt")
    _, _, blocks = records(args.shared, vocabulary, set())
    words = country_words(args.shared, blocks, infos, vocabulary)
    country_keys = _tsv_keys() | {k for file in words.values() for k in file} | {"=US", "=UK", "=UN"}
    skip = set(roles) | country_keys | {k for k in _alias_keys(args.shared, vocabulary) if composed(k, country_keys, roles)}
    recs, pairs, _ = records(args.shared, vocabulary, skip, given_names(infos))
    aliases, prefixes = index(pairs, exact=True)
    known: dict[str, set[str]] = defaultdict(set)
    for name, _, codes, _ in recs:
        known[key(name)].update(c[0] for c in codes if c[0])
    ci_recs, ci_pairs, offices = countryinfo_people(infos, known)
    ci_aliases, ci_prefixes = index(ci_pairs, exact=True)
    phoenix = _header(
        "Named actors (state institutions and officials, international organisations, NGOs, non-state armed "
        "groups), role words and country-name variants from the Phoenix and PLOVER dictionaries.",
        "MIT (Copyright (c) 2014 Open Event Data Alliance); see ../shared/actors/README.md",
        ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt",
         "Phoenix.agents.txt", "PLOVER_agents.txt"])
    phoenix |= {"records": _packed(recs), "aliases": aliases, "prefixes": prefixes, "roles": roles,
                "role_prefixes": role_prefixes, **_words_part(words["phoenix"])}
    info = _header(
        "Nationality adjectives, capitals and major cities; heads of state and government and ministers "
        "with their dates and titles, derived from CountryInfo (rulers.org, CIA World Leaders).",
        "CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/): derived from CountryInfo.120116.txt "
        "(openeventdata/CountryInfo, Philip A. Schrodt and contributors); this file is shared alike, under "
        "the same licence, apart from flashpoint's MIT code", ["CountryInfo.120116.txt"])
    info |= {"records": _packed(ci_recs), "aliases": ci_aliases, "prefixes": ci_prefixes,
             **_words_part(words["countryinfo"]), "offices": offices}
    places = _header(
        "First-level regions and cities of 100,000 people or more as country words, from GeoNames.",
        "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), GeoNames (https://www.geonames.org)",
        ["geonames/admin1CodesASCII.txt", "geonames/cities15000.txt"])
    places |= _words_part(words["places"])
    for name, data in (("world_phoenix.json.gz", phoenix), ("world_countryinfo.json.gz", info),
                       ("world_places.json.gz", places)):
        size = write(args.out / name, data)
        counts = {k: len(v) for k, v in data.items() if isinstance(v, (list, dict)) and k not in {"sources", "fold_check"}}
        print(f"{name}: {size / 1e6:.2f} MB {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
