"""The world actor data: named actors, role words, country words and dated offices of every country.

Built by ``training/actors/build_world_kb.py`` from the Phoenix/PLOVER dictionaries, CountryInfo
and GeoNames, one gzipped JSON file per licence (``data/world_*.json.gz``; see ``data/README.md``).
Every phrase is stored under its match key (the folded token keys of
:func:`flashpoint.actors.trie.phrase_keys`), so :class:`KeyIndex` matches tokens with dictionary
look-ups and opening the data builds no trie. Nothing is read before :func:`open_world` is called
(:func:`flashpoint.actors.offices.load_world` opens the shipped files with the hand-written offices).

A named actor is a :class:`WorldRecord` with dated CAMEO codes (``[DEUGOV 2005-11-22 - ]``): the
code in force on a date gives the country and sector, so "Angela Merkel" on 2017-04-01 is a member
of Germany's government. Offices (``offices``) answer who held an office on a date.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from flashpoint.actors.normalise import Tok, fold, strip_marks
from flashpoint.actors.trie import TrieMatch, scan
from flashpoint.errors import KnowledgeError

DATA_DIR = Path(__file__).parent / "data"
FORMAT = 2
# Words whose folded keys the data files record: a file built with another fold() is refused.
FOLD_CHECK = ("Joulani", "Qaeda", "Erdoğan", "Pashinyan", "Sheikh", "Mohammed", "Ukrainian", "U.S.")
WORLD_FILES = ("world_phoenix.json.gz", "world_countryinfo.json.gz", "world_places.json.gz")

T = TypeVar("T")


@functools.lru_cache(maxsize=100_000)
def exact_key(word: str) -> str:
    """The key of a one-word name matched by its spelling (case and diacritics aside), not folded."""
    return "~" + "".join(ch for ch in strip_marks(word).casefold() if ch.isalnum())


class KeyIndex(Generic[T]):
    """Phrases stored under their match keys, matched over tokens like :class:`PhraseTrie`.

    A phrase's tokens must follow each other separated only by spaces or hyphens; Arabic articles
    are skipped; a one-word phrase that is no acronym matches a capitalised word only, unless the
    index is ``any_case`` (role words). An ``exact`` index also holds one-word names under their
    spelling (:func:`exact_key`).
    """

    def __init__(
        self, layers: Sequence[tuple[Mapping[str, list[Any]], Callable[[Any], T]]], prefixes: Iterable[str],
        any_case: bool = False, exact: bool = False,
    ) -> None:
        """``layers``: (key -> raw values, converter) of each data file; one index matches them all."""
        self._layers = tuple(layers)
        self._keys: frozenset[str] = frozenset().union(*(keys for keys, _ in self._layers))
        self._prefixes = frozenset(prefixes)
        self._cache: dict[str, tuple[T, ...]] = {}
        self.any_case = any_case
        self.exact = exact

    def __len__(self) -> int:
        return len(self._keys)

    def values(self, key: str) -> tuple[T, ...]:
        """The values stored under ``key`` (converted once)."""
        found = self._cache.get(key)
        if found is None:
            found = tuple(convert(raw) for keys, convert in self._layers for raw in keys.get(key, ()))
            self._cache[key] = found
        return found

    def longest_at(self, toks: Sequence[Tok], i: int) -> TrieMatch[T] | None:
        """The longest phrase starting at token ``i`` (None if none does or ``i`` is an article)."""
        if i >= len(toks) or toks[i].article:
            return None
        keys, prefixes = self._keys, self._prefixes
        tok = toks[i]
        firsts = [tok.key]
        if tok.acronym:
            firsts.append("=" + tok.acronym)
        if self.exact and tok.capitalised:  # one-word names are capitalised in text
            firsts.append(exact_key(tok.text))
        if not any(part in keys or part in prefixes for part in firsts):
            return None  # the common case, kept cheap
        best: tuple[int, str] | None = None
        paths: list[str] = []
        for part in firsts:
            if part in keys and self._case_ok(toks, i, i, part):
                best = (i, part)
            if part in prefixes:
                paths.append(part)
        k = i + 1
        n = len(toks)
        while paths and k < n:
            while k < n and toks[k].article and toks[k].joined:
                k += 1
            if k >= n or not toks[k].joined:
                break
            tok = toks[k]
            parts = ("=" + tok.acronym, tok.key) if tok.acronym else (tok.key,)
            following: list[str] = []
            for path in paths:
                for part in parts:
                    candidate = path + " " + part
                    if candidate in keys:
                        best = (k, candidate)
                    if candidate in prefixes:
                        following.append(candidate)
            paths = following
            k += 1
        if best is None:
            return None
        return TrieMatch(i, best[0], self.values(best[1]))

    def _case_ok(self, toks: Sequence[Tok], i: int, k: int, part: str) -> bool:
        return k != i or self.any_case or part.startswith("=") or toks[i].capitalised

    def find(self, toks: Sequence[Tok]) -> list[TrieMatch[T]]:
        """Non-overlapping longest matches, left to right (of an index that is not ``any_case``, only
        those starting with a capitalised word or an acronym: names are written so)."""
        return scan(toks, self.longest_at, None if self.any_case else lambda tok: bool(tok.capitalised or tok.acronym))


class AnyIndex(Generic[T]):
    """Several indexes (tries or key indexes) as one: the longest match wins, the first among equals."""

    def __init__(self, indexes: Sequence[Any]) -> None:
        self.indexes = tuple(indexes)

    def longest_at(self, toks: Sequence[Tok], i: int) -> TrieMatch[T] | None:
        best: TrieMatch[T] | None = None
        for index in self.indexes:
            match = index.longest_at(toks, i)
            if match is not None and (best is None or match.last > best.last):
                best = match
        return best

    def find(self, toks: Sequence[Tok]) -> list[TrieMatch[T]]:
        return scan(toks, self.longest_at)


# -- records --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Code:
    """One dated CAMEO code of a record: country (None: transnational), primary sector, the code."""

    country: str | None
    sector: str
    start: dt.date | None
    end: dt.date | None
    code: str

    def in_force(self, date: dt.date | None) -> bool:
        if date is None:
            return True
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)

    def distance(self, date: dt.date) -> int:
        if self.in_force(date):
            return 0
        if self.start is not None and date < self.start:
            return (self.start - date).days
        return (date - self.end).days if self.end is not None else 0


@dataclass(frozen=True, slots=True)
class WorldRecord:
    """A named actor of the world data: a person or an organisation with its dated codes."""

    name: str
    person: bool
    codes: tuple[Code, ...]
    source: str
    file: str

    def code_on(self, date: dt.date | None) -> Code | None:
        """The code in force on ``date`` (a state sector before ELI), else the nearest in time."""
        if not self.codes:
            return None
        if date is None:
            date = dt.date.today()
        ranked = sorted(self.codes, key=lambda c: (c.distance(date), c.sector == "ELI", c.start is None,
                                                   -(c.start or dt.date.min).toordinal()))
        return ranked[0]

    def countries(self) -> frozenset[str]:
        return frozenset(c.country for c in self.codes if c.country)


@dataclass(frozen=True, slots=True)
class Office:
    """Who held an office of a country, from when to when, and on what source."""

    country: str
    office: str
    holder: str
    start: dt.date | None
    end: dt.date | None
    source: str
    title: str = ""

    def held_on(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)


@dataclass(frozen=True, slots=True)
class CountryWord:
    """A country named by a capital ("capital": may stand for its government) or a place ("place")."""

    iso3: str
    form: str
    phrase: str
    file: str


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class World:
    """The opened world data. Offices are made into :class:`Office` records on first use."""

    def __init__(
        self, actors: KeyIndex[WorldRecord], roles: KeyIndex[str], countries: KeyIndex[CountryWord],
        offices: Iterable[Office], raw_offices: Sequence[tuple[str, list[Any]]], licences: Sequence[tuple[str, str]],
    ) -> None:
        self.actors = actors
        self.roles = roles
        self.countries = countries
        self.licences = tuple(licences)
        self._offices = list(offices)
        self._raw_offices = raw_offices
        self._by_country: dict[str, list[Office]] | None = None

    @property
    def offices(self) -> tuple[Office, ...]:
        """Every dated office: the hand-written ones, then those of the data files."""
        return tuple(o for held in self._office_index().values() for o in held)

    def holders(self, country: str, offices: Sequence[str], date: dt.date) -> list[Office]:
        """The holders of any of ``offices`` of ``country`` on ``date``, the latest to take office first."""
        held = [o for o in self._office_index().get(country, ()) if o.office in offices and o.held_on(date)]
        return sorted(held, key=lambda o: (offices.index(o.office), -(o.start or dt.date.min).toordinal()))

    def _office_index(self) -> dict[str, list[Office]]:
        if self._by_country is None:
            index: dict[str, list[Office]] = {}
            for office in self._offices:
                index.setdefault(office.country, []).append(office)
            for file, row in self._raw_offices:
                country, office_name, holder, start, end, title, source = row
                index.setdefault(country, []).append(
                    Office(country, office_name, holder, _date(start), _date(end), f"{file}: {source}", title))
            self._by_country = index
        return self._by_country


def _open(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"{path}: cannot read the world actor data: {exc}") from exc
    if data.get("format") != FORMAT:
        raise KnowledgeError(f"{path}: format {data.get('format')!r}, expected {FORMAT}; "
                             "rebuild it with training/actors/build_world_kb.py")
    stale = {w: k for w, k in data.get("fold_check", {}).items() if fold(w) != k}
    if stale:
        raise KnowledgeError(f"{path}: built with other name keys ({stale}); "
                             "rebuild it with training/actors/build_world_kb.py")
    return data


_SOURCE_FILES = {"C": "Phoenix.Countries.actors.txt", "I": "Phoenix.International.actors.txt",
                 "M": "Phoenix.MilNonState.actors.txt", "L": "CountryInfo.120116.txt <Leaders>",
                 "G": "CountryInfo.120116.txt <Government>"}


def _day(packed: str) -> dt.date | None:
    return None if packed == "-" else dt.date(int(packed[:4]), int(packed[4:6]), int(packed[6:8]))


def _record_converter(records: list[str], file: str) -> Callable[[Any], WorldRecord]:
    """Unpacks a record ("name\tkind\tCODE START END|...\tsource", see the build script) when matched."""
    from flashpoint.actors.sectors import split_code

    def convert(rid: Any) -> WorldRecord:
        name, kind, packed, tag = records[int(rid)].split("\t")
        codes = []
        for part in packed.split("|") if packed else ():
            code, start, end = part.split(" ")
            split = split_code(code)
            if split is not None:
                codes.append(Code(split[0], split[1] or "GOV", _day(start), _day(end), code))
        where = _SOURCE_FILES.get(tag[:1])
        source = f"{where}:{tag[1:]}" if where and tag[1:].isdigit() else (where or tag)
        return WorldRecord(name=name, person=kind == "p", codes=tuple(codes), source=source, file=file)

    return convert


def _word_converter(file: str) -> Callable[[Any], CountryWord]:
    def convert(raw: Any) -> CountryWord:
        return CountryWord(raw[0], raw[1], raw[2], file)

    return convert


def open_world(paths: Sequence[Path], extra_offices: Iterable[Office] = ()) -> World:
    """The world data of the given files (any of them may lack a part)."""
    actors: list[tuple[Mapping[str, list[Any]], Callable[[Any], WorldRecord]]] = []
    words: list[tuple[Mapping[str, list[Any]], Callable[[Any], CountryWord]]] = []
    prefixes: dict[str, list[str]] = {"actors": [], "words": [], "roles": []}
    roles: dict[str, list[Any]] = {}
    raw_offices: list[tuple[str, list[Any]]] = []
    licences: list[tuple[str, str]] = []
    for path in paths:
        data = _open(path)
        licences.append((path.name, str(data.get("licence", ""))))
        if "records" in data:
            actors.append((data["aliases"], _record_converter(data["records"], path.name)))
            prefixes["actors"].extend(data["prefixes"])
        if "country_words" in data:
            words.append((data["country_words"], _word_converter(path.name)))
            prefixes["words"].extend(data["country_prefixes"])
        if "roles" in data:
            roles.update(data["roles"])
            prefixes["roles"].extend(data["role_prefixes"])
        raw_offices.extend((path.name, row) for row in data.get("offices", ()))
    return World(
        actors=KeyIndex(actors, prefixes["actors"], exact=True),
        roles=KeyIndex([(roles, str)], prefixes["roles"], any_case=True),
        countries=KeyIndex(words, prefixes["words"], exact=True),
        offices=extra_offices,
        raw_offices=raw_offices,
        licences=licences,
    )

