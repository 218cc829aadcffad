"""Toponym resolution: pick, for each toponym of an article, the gazetteer entry it names.

A trained ranker (:mod:`flashpoint.geo.ranker`, shipped as data) scores each candidate from its feature
row (:mod:`flashpoint.geo.features`): the feature's kind and size, how the name matched, admin words and
containers around the span ("Idlib province", "Paris, Texas"), and the article's other places. Two
passes: the first ranks each toponym alone; its picks give the article's country focus, its regions and
its points, and the second pass ranks every toponym again with them.

What stays rules is definitional: demonyms name their country, an AP or USPS state abbreviation names
its state, a transliteration-only match on a plain-looking name stands only in a country the article is
already about. Names the gazetteer lacks (streets, buildings, neighbourhoods) take a place that hosts
them in the text, a place their name holds, or the article's local focus (its most named town), with
low confidence: the place is most likely in or near it.
"""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import numpy as np

from flashpoint import countries
from flashpoint.geo.features import Evidence, Near, Region, point, rows
from flashpoint.geo.features import is_area as _is_area
from flashpoint.geo.gazetteer import Gazetteer
from flashpoint.geo.names import LOOSE_COUNTRIES, looks_arabic, name_key, skeleton
from flashpoint.geo.ranker import Ranker, load_ranker
from flashpoint.records import Place, PlaceMention

_ADMIN_WORDS = {
    "province": "ADM1", "governorate": "ADM1", "state": "ADM1", "region": "ADM1", "oblast": "ADM1",
    "countryside": "ADM1", "prefecture": "ADM1", "district": "ADM2", "county": "ADM2", "parish": "ADM2",
    "city": "P", "town": "P", "village": "P", "municipality": "P",
}
_QUALIFIER_AFTER = re.compile(
    r"^[ \t]+(province|governorate|state|region|oblast|countryside|prefecture|district|county|parish|city|town"
    r"|village|municipality)\b", re.I
)
_QUALIFIER_BEFORE = re.compile(
    r"\b(province|governorate|state|region|district|county|city|town|village)[ \t]+of[ \t]+(?:the[ \t]+)?$", re.I
)
_RELATIVE_BEFORE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?(?:[ \t]+of)?|near(?:by)?|outside(?:[ \t]+of)?"
    r"|outskirts[ \t]+of|countryside[ \t]+of|suburbs?[ \t]+of|(?:km|kilometres|kilometers|miles)[ \t]+"
    r"(?:\w+[ \t]+)?(?:of|from)|(?:east|west|north|south)(?:ern)?[ \t]+(?:rural|countryside))[ \t]+(?:the[ \t]+)?$",
    re.I,
)
_RELATIVE_AFTER = re.compile(r"^[ \t]+(?:countryside|suburbs|outskirts|environs)\b", re.I)
_CLEAN = re.compile(r"^(?:the|The)\s+|(?:'s|’s)$")

_EMBEDDED = re.compile(
    r"^[ \t]+(?!(?:Police|Sheriff|Fire|Regional|County|City|Town|Council|Mayor|Board|District|Public|Municipal"
    r"|State|National|Community|Schools?|Hospital|Court|Department|Township|Borough|Herald|Times|News|Gazette"
    r"|Tribune|Post|Journal|Chronicle|Record|Area|Chamber|Library|Airport)\b)[A-Z][a-z]+")
"""A capitalised word right after a place name that starts an organisation's name ("Cambridge Analytica"),
not a local institution ("Peel Regional Police", "Madison Police"), whose place the article is about."""


@dataclass(frozen=True, slots=True)
class Toponym:
    """A span to resolve, with the sentence it lies in."""

    start: int
    end: int
    sentence: int = 0


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved mention and whether the text places the event near it rather than in it."""

    mention: PlaceMention
    relative: bool
    qualifier: str | None


def _qualifier(text: str, start: int, end: int, span: str) -> str | None:
    words = span.lower().split()
    if len(words) > 1 and words[-1] in _ADMIN_WORDS:
        return _ADMIN_WORDS[words[-1]]
    m = _QUALIFIER_AFTER.match(text[end : end + 20])
    if m:
        return _ADMIN_WORDS[m.group(1).lower()]
    before = text[max(0, start - 25) : start]
    m = _QUALIFIER_BEFORE.search(before)
    if m and not _names_its_own(before[: m.start()]):
        return _ADMIN_WORDS[m.group(1).lower()]
    return None


_NAME_BEFORE = re.compile(r"\b([A-Z][\w'’-]*)[ \t]+$")


def _names_its_own(before: str) -> bool:
    """True when the admin word of "X region of Y" belongs to a name X before it ("the Ural region of
    Russia", "the Kurdistan Region of Iraq": Y holds X and is not itself a region), not to a country or
    its adjective ("the US state of Wisconsin", "the Indian state of Kerala")."""
    m = _NAME_BEFORE.search(before)
    if m is None or m.group(1) in ("The", "A", "An"):
        return False
    return countries.by_name(m.group(1)) is None and countries.by_demonym(m.group(1)) is None


def is_relative(text: str, start: int, end: int) -> bool:
    """True when the text puts something near the place, not in it ("south of Idlib city")."""
    return bool(_RELATIVE_BEFORE.search(text[max(0, start - 40) : start])) or bool(
        _RELATIVE_AFTER.match(text[end : end + 15])
    )


def country_place(gazetteer: Gazetteer, iso2: str, name: str) -> Place | None:
    """The gazetteer's entry for a country (GeoNames' point for it)."""
    for p in gazetteer.lookup(name):
        if p.country_code == iso2 and (p.feature_code or "").startswith(("PCL", "TERR")):
            return p
    return None


@cache
def region_demonyms() -> dict[str, int]:
    """Region and continent demonyms of data/additions.tsv ("European", "Asians", "Korean"): name key ->
    the id of the feature they name."""
    text = (resources.files("flashpoint.geo") / "data" / "additions.tsv").read_text(encoding="utf-8")
    out: dict[str, int] = {}
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) > 3 and cols[0] == "demonym":
            out.update({name_key(n): int(cols[1]) for n in cols[3].split("|") if n.strip()})
    return out


@cache
def state_abbreviations() -> dict[str, tuple[str, str]]:
    """'Ga.' / 'GA' -> ('US', 'Georgia'): data/state-abbreviations.tsv (AP Stylebook and USPS)."""
    text = (resources.files("flashpoint.geo") / "data" / "state-abbreviations.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 3 and not line.startswith(("#", "abbreviation\t")):
            out[cols[0]] = (cols[1], cols[2])
    return out


_STATE_AFTER = re.compile(
    r"^(?:,[ \t]*|[ \t]*\()((?:[A-Z][a-z]{0,3}\.|[A-Z]\.[A-Z]\.(?:[A-Z][a-z]\.)?)|[A-Z]{2}\b)")


def state_after(text: str, end: int) -> tuple[str, str] | None:
    """The US state a town is qualified with: "Athens, Ga." / "Paris, TN" / "Walker County (Ga.)" ->
    ('US', 'Georgia')."""
    m = _STATE_AFTER.match(text[end : end + 12])
    return state_abbreviations().get(m.group(1)) if m else None


def _state_place(gazetteer: Gazetteer, span: str) -> Place | None:
    """A span that is an AP state abbreviation with its period ("Tenn.", "N.Y.")."""
    got = state_abbreviations().get(span.strip()) if "." in span else None
    if got is None:
        return None
    return next((p for p in gazetteer.lookup(got[1]) if p.feature_code == "ADM1" and p.country_code == got[0]), None)


def _state_code_after_comma(gazetteer: Gazetteer, text: str, start: int, span: str) -> Place | None:
    """A two-capital USPS code right after a comma that follows a capitalised word ("HORRY COUNTY, SC",
    "Paris, TN"): the state, whatever else the letters name."""
    if len(span) != 2 or not span.isupper() or not re.search(r"[A-Za-z.][ \t]*,[ \t]*$", text[max(0, start - 4) : start]):
        return None
    got = state_abbreviations().get(span)
    if got is None:
        return None
    return next((p for p in gazetteer.lookup(got[1]) if p.feature_code == "ADM1" and p.country_code == got[0]), None)


def demonym(gazetteer: Gazetteer, span: str) -> Place | None:
    """'Syrian', 'Lebanese', 'Saudis' -> the country's entry."""
    word = _CLEAN.sub("", span.strip())
    if not word[:1].isupper():
        return None
    country = countries.by_demonym(word)
    return country_place(gazetteer, country.iso2, country.name) if country else None


MIN_CONSONANTS = 3
"""Fewest consonants a transliteration skeleton (:func:`~flashpoint.geo.names.skeleton`, where
every vowel is "a") needs to be looked up loosely."""


def _consonants(skel: str) -> int:
    return sum(1 for c in skel if c not in "a ")


_CANDIDATES: weakref.WeakKeyDictionary[Gazetteer, dict[str, tuple[tuple[Place, ...], bool]]] = (
    weakref.WeakKeyDictionary())
_CANDIDATES_MAX = 100_000


def candidates(gazetteer: Gazetteer, span: str) -> tuple[tuple[Place, ...], bool]:
    """Gazetteer entries for a span's text, and whether only the loose (skeleton) key found them
    (remembered per gazetteer: detection and resolution ask for the same names many times)."""
    try:
        memo = _CANDIDATES.get(gazetteer)
        if memo is None:
            memo = _CANDIDATES[gazetteer] = {}
    except TypeError:  # a gazetteer that is not hashable or not weakly referable: nothing remembered
        return _candidates(gazetteer, span)
    got = memo.get(span)
    if got is None:
        if len(memo) >= _CANDIDATES_MAX:
            memo.clear()
        got = memo[span] = _candidates(gazetteer, span)
    return got


def _candidates(gazetteer: Gazetteer, span: str) -> tuple[tuple[Place, ...], bool]:
    name = _CLEAN.sub("", span.strip())
    dem = demonym(gazetteer, name)
    if dem is not None:
        return (dem,), False
    state = _state_place(gazetteer, span)
    if state is not None:
        return (state,), False
    gid = region_demonyms().get(name_key(name))
    region = gazetteer.get(gid) if gid is not None else None
    if region is not None:  # "English" is England, not English, Indiana
        return (region,), False
    got = gazetteer.lookup(name)
    if got:
        return got, False
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _ADMIN_WORDS:
        got = gazetteer.lookup(" ".join(words[:-1]))
        if got:
            return got, False
    if len(name_key(name)) >= 4 and _consonants(skeleton(name)) >= MIN_CONSONANTS:
        # a skeleton of two consonants ("ez-Zor": "zr") matches dozens of unrelated names (Algiers)
        got = gazetteer.lookup(name, loose=True)
        if not got and len(words) > 1 and words[-1].lower() in _ADMIN_WORDS:
            got = gazetteer.lookup(" ".join(words[:-1]), loose=True)
        got = tuple(p for p in got if p.country_code in LOOSE_COUNTRIES)
        if got:
            return got, True
    return (), False


def distance_km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _span_key(span: str) -> str:
    return name_key(_CLEAN.sub("", span))


def _seats(cs: Sequence[Place]) -> set[tuple[str | None, str | None]]:
    """(country, admin1) of candidate towns that are a region's seat or a big city."""
    return {(p.country_code, p.admin1) for p in cs
            if p.feature_class == "P" and (p.feature_code in ("PPLA", "PPLC") or (p.population or 0) >= 500_000)}


_LISTED = re.compile(r"^[ \t]*(?:,|,?[ \t]*(?:and|or|&))[ \t]*$")
"""What joins two names of one list ("Ohio, Texas", "California or Washington", "Iowa and Nebraska")."""

CONTEXT_TOPONYMS = 150
"""How many toponyms on each side of one count as its context (articles rarely have more)."""

Candidates = tuple[tuple[Place, ...], bool]


def _candidates_of(text: str, toponyms: Sequence[Toponym], gazetteer: Gazetteer) -> tuple[list[str], list[Candidates]]:
    spans = [text[t.start : t.end] for t in toponyms]
    cands = [candidates(gazetteer, s) for s in spans]
    for i, t in enumerate(toponyms):  # "HORRY COUNTY, SC", "Paris, TN": a USPS code after a place
        coded = _state_code_after_comma(gazetteer, text, t.start, spans[i])
        if coded is not None:
            cands[i] = ((coded,), False)
    return spans, cands


def _containers(text: str, toponyms: Sequence[Toponym], cands: Sequence[Candidates],
                by_start: dict[int, list[int]]) -> list[set[str]]:
    """"Paris, Texas" / "Aleppo, Syria" / "Athens, Ga.": the regions and countries named right after a
    comma (a toponym there, or a US state abbreviation)."""
    containers: list[set[str]] = [set() for _ in toponyms]
    for i, t in enumerate(toponyms):
        state = state_after(text, t.end)
        if state is not None:
            containers[i] |= set(state)
        lo, hi = max(0, i - CONTEXT_TOPONYMS), min(len(toponyms), i + CONTEXT_TOPONYMS + 1)
        for j in [j for k in (1, 2, 3) for j in by_start.get(t.end + k, ()) if lo <= j < hi]:
            u = toponyms[j]
            if j != i and text[t.end : u.start].strip() == ",":
                for c in cands[j][0]:
                    if _is_area(c) or c.feature_code == "ADM2":
                        containers[i] |= {c.country_code or "", c.admin1 or ""} - {""}
    return containers


def _qualified(cands: Candidates, qualifier: str | None, state: tuple[str, str] | None) -> Candidates:
    """The candidates in the US state an abbreviation after the name names ("Athens, Ga.", "Walker County
    (Ga.)"), and of the kind an admin word names ("Idlib province": regions; "Idlib city": towns; "Homs
    countryside": the governorate), where there are any; all of them otherwise."""
    cs, loose = cands
    if state is not None and len(cs) > 1:
        cs = tuple(p for p in cs if (p.country_code, p.admin1) == state) or cs
    if qualifier is None or len(cs) < 2:
        return cs, loose
    if qualifier == "P":
        kept = tuple(p for p in cs if p.feature_class == "P")
    else:
        kept = tuple(p for p in cs if p.feature_code == qualifier) or tuple(
            p for p in cs if (p.feature_code or "").startswith("ADM"))
    return (kept or cs), loose


@dataclass(slots=True)
class _Scene:
    """An article's toponyms after the first pass: their candidates, what the text says around each,
    and the place each names on its own (the prior model's pick): the context of the second pass."""

    text: str
    toponyms: Sequence[Toponym]
    spans: list[str]
    cands: list[Candidates]
    evidence: list[Evidence]
    prior: list[tuple[tuple[Place, ...], list[list[float]]]]  # the first pass's candidates and rows
    first: list[Place | None]
    focus: Counter[str]
    focus_sure: Counter[str]
    by_start: dict[int, list[int]]
    by_end: dict[int, list[int]]


def _scene(text: str, toponyms: Sequence[Toponym], gazetteer: Gazetteer, ranker: Ranker,
           focus_countries: Counter[str] | None = None) -> _Scene:
    """Candidates and evidence of each toponym, and the first pass: each toponym alone, plus the country
    focus of the article (each name's country; unambiguous names count four times and apart)."""
    spans, cands = _candidates_of(text, toponyms, gazetteer)
    by_end: dict[int, list[int]] = {}
    by_start: dict[int, list[int]] = {}
    for j, u in enumerate(toponyms):
        by_end.setdefault(u.end, []).append(j)
        by_start.setdefault(u.start, []).append(j)
    containers = _containers(text, toponyms, cands, by_start)
    evidence = []
    for i, (t, span, cont) in enumerate(zip(toponyms, spans, containers, strict=True)):
        q = _qualifier(text, t.start, t.end, span)
        cs, loose = cands[i] = _qualified(cands[i], q, state_after(text, t.end))
        embedded = bool(_EMBEDDED.match(text[t.end : t.end + 30])) and not cont and q is None
        evidence.append(Evidence(_span_key(span), loose, looks_arabic(span), q, cont, _seats(cs), embedded))
    focus: Counter[str] = Counter(focus_countries or {})
    sure: Counter[str] = Counter()
    first: list[Place | None] = []
    prior: list[tuple[tuple[Place, ...], list[list[float]]]] = []
    for (cs, loose), ev in zip(cands, evidence, strict=True):
        prior.append((cs, rows(cs, ev)))
        best = cs[int(np.argmax(ranker.prior(prior[-1][1])))] if cs else None
        first.append(best)
        if loose and not ev.arabic:
            continue  # a loose match on a plain-looking name ("Oahu" -> Wana) waits for the focus
        if best is not None and best.country_code:
            one = len({c.country_code for c in cs}) == 1
            focus[best.country_code] += 4 if one else 1
            sure[best.country_code] += one
    # loose matches of plain-looking names stand only in a country the article is already about
    for i, ((cs, loose), ev) in enumerate(zip(cands, evidence, strict=True)):
        if loose and not ev.arabic:
            kept = tuple(c for c in cs if c.country_code and focus.get(c.country_code, 0) > 0)
            cands[i] = (kept, True)
            if first[i] is not None and first[i] not in kept:
                first[i] = None
    return _Scene(text, toponyms, spans, cands, evidence, prior, first, focus, +sure, by_start, by_end)


def _second_pass(scene: _Scene) -> Iterator[tuple[int, list[list[float]]]]:
    """Each toponym's candidate rows with the article's other places: those the other names pick on their
    own (of the nearest CONTEXT_TOPONYMS on each side in a very long article, so that time stays linear
    in the number of toponyms; the same for every toponym of one name)."""
    first, toponyms, text = scene.first, scene.toponyms, scene.text
    keys = [name_key(s) for s in scene.spans]
    points = [p is not None and not _is_area(p) for p in first]
    members_at = [p is not None and (p.feature_class == "P" or p.feature_code == "ADM1") for p in first]
    # a first-level region whose name is no big city's ("California", not "New York"): one that lists it
    # with another name lists regions
    region_only = [p is not None and p.feature_code == "ADM1" and not any(
        c.feature_class == "P" and (c.population or 0) >= 100_000 for c in scene.cands[j][0])
        for j, p in enumerate(first)]
    named_regions = frozenset((p.country_code, p.admin1) for p in first if p is not None and p.feature_code == "ADM1")
    named_countries = frozenset(p.country_code for p in first
                                if p is not None and p.country_code and (p.feature_code or "").startswith("PCL"))
    contexts: dict[tuple[int, int, str], tuple[Near, dict[Region, int]]] = {}
    window = _Window(first, keys, points, members_at)
    for i, t in enumerate(toponyms):
        lo, hi = max(0, i - CONTEXT_TOPONYMS), min(len(first), i + CONTEXT_TOPONYMS + 1)
        ctx = contexts.get((lo, hi, keys[i]))
        if ctx is None:
            window.move(lo, hi)
            ctx = contexts[(lo, hi, keys[i])] = window.context(keys[i])
        before = [j for k in range(1, 9) for j in scene.by_end.get(t.start - k, ()) if lo <= j < hi]
        after = [j for k in range(1, 9) for j in scene.by_start.get(t.end + k, ()) if lo <= j < hi]
        holds = frozenset((f.country_code, f.admin1) for j in before if (f := first[j]) is not None and points[j]
                          and t.start - toponyms[j].end <= 3 and text[toponyms[j].end : t.start].strip() == ",")
        siblings = frozenset(
            f.country_code for j in before + after if (f := first[j]) is not None and keys[j] != keys[i]
            and region_only[j]
            and _LISTED.match(text[min(t.end, toponyms[j].end) : max(t.start, toponyms[j].start)]))
        ev = replace(scene.evidence[i], holds=holds, siblings=siblings, focus=scene.focus,
                     focus_sure=scene.focus_sure, near=ctx[0], regions=ctx[1], named_regions=named_regions,
                     named_countries=named_countries)
        yield i, rows(scene.cands[i][0], ev)


def candidate_rows(text: str, toponyms: Sequence[Toponym], gazetteer: Gazetteer,
                   ranker: Ranker) -> list[tuple[tuple[tuple[Place, ...], list[list[float]]],
                                                 tuple[tuple[Place, ...], list[list[float]]]]]:
    """For each toponym: its candidates and their rows in the first pass, then in the second (the first
    pass picks with ``ranker``): what training/geo/train_ranker.py learns from."""
    scene = _scene(text, toponyms, gazetteer, ranker)
    return [(scene.prior[i], (scene.cands[i][0], full)) for i, full in _second_pass(scene)]


def resolve_toponyms(
    text: str,
    toponyms: Sequence[Toponym],
    gazetteer: Gazetteer,
    focus_countries: Counter[str] | None = None,
    fallback: bool = True,
    ranker: Ranker | None = None,
) -> list[Resolved]:
    """Resolve each toponym of one article (one result per toponym, in order): the ranker (the shipped
    one unless given) scores each candidate, and the confidence is the winner's softmax share."""
    ranker = ranker or load_ranker()
    scene = _scene(text, toponyms, gazetteer, ranker, focus_countries)
    out: list[Resolved] = []
    for i, x in _second_pass(scene):
        cs, loose = scene.cands[i]
        pick, conf = None, None
        if cs:
            s = ranker.full(x)
            k = int(np.argmax(s))
            pick = cs[k]
            conf = round(float(1.0 / np.exp(s - s[k]).sum()) * (0.8 if loose else 1.0), 3)
        t = toponyms[i]
        out.append(Resolved(PlaceMention(t.start, t.end, scene.spans[i], t.sentence, pick, conf),
                            is_relative(text, t.start, t.end), scene.evidence[i].qualifier))
    out = _place_bare_districts(out, gazetteer)
    if fallback:
        hosted = _fill_from_host(text, out)
        lent = [r.mention.place is None and h.mention.place is not None for r, h in zip(out, hosted, strict=True)]
        out = _fill_from_parts(hosted, gazetteer, ranker)
        # the focus town counts the article's own picks, not the places lent to unknown names by a host
        out = _fill_from_focus(out, [None if x else r.mention.place for x, r in zip(lent, out, strict=True)],
                               scene.focus)
    return out


class _Window:
    """The toponyms ``lo:hi`` around one, as context, kept as the window slides forward: the places
    of those that are points, with how often each name names them, and the (country, admin1) regions
    of towns and regions, with theirs."""

    def __init__(self, first: Sequence[Place | None], keys: Sequence[str], points: Sequence[bool],
                 members_at: Sequence[bool]) -> None:
        self._first, self._keys, self._points, self._members_at = first, keys, points, members_at
        self.lo = self.hi = 0
        self.places: dict[Place, dict[str, int]] = {}
        self.coords: dict[Place, tuple[float, float, float]] = {}
        self.regions: dict[Region, dict[str, int]] = {}

    def move(self, lo: int, hi: int) -> None:
        """Slide to toponyms ``lo:hi`` (neither end moves back)."""
        while self.hi < hi:
            self._count(self.hi, 1)
            self.hi += 1
        while self.lo < lo:
            self._count(self.lo, -1)
            self.lo += 1

    def _count(self, j: int, step: int) -> None:
        p = self._first[j]
        if p is None:
            return
        key = self._keys[j]
        if self._points[j]:
            names = self.places.setdefault(p, {})
            if _tally(names, key, step):
                self.coords.setdefault(p, point(p))
            else:
                del self.places[p], self.coords[p]
        if self._members_at[j]:
            region = (p.country_code, p.admin1)
            if not _tally(self.regions.setdefault(region, {}), key, step):
                del self.regions[region]

    def context(self, key: str) -> tuple[Near, dict[Region, int]]:
        """For a toponym named ``key``: the places other names in the window name (each once), and
        how many other names lie in each region."""
        near = Near((), [c for p, c in self.coords.items() if len(self.places[p]) > 1 or key not in self.places[p]])
        regions = {r: n for r, names in self.regions.items() if (n := len(names) - (key in names)) > 0}
        return near, regions


def _tally(names: dict[str, int], key: str, step: int) -> bool:
    """Count ``key`` up or down in ``names``; whether any name is left."""
    n = names.get(key, 0) + step
    if n:
        names[key] = n
    else:
        del names[key]
    return bool(names)


def _region_point(gazetteer: Gazetteer, cc: str | None, admin1: str | None) -> tuple[float, float] | None:
    for p in gazetteer.lookup(admin1 or ""):
        if p.feature_code == "ADM1" and p.country_code == cc:
            return p.latitude, p.longitude
    return None


def _place_bare_districts(out: list[Resolved], gazetteer: Gazetteer) -> list[Resolved]:
    """A second-level region the gazetteer knows only by name (its point is its first-level region's:
    a US county without a town of 15,000, see data/README.md) lies where the article's most named town of
    that first-level region lies, when it names one ("Walker County" with LaFayette, Ga.; "Montgomery
    County" with Red Oak, Iowa): local news names the towns of the county it is about."""
    picks = [r.mention.place for r in out]
    if not any(p is not None and p.feature_code == "ADM2" for p in picks):
        return out
    towns = Counter((p.country_code, p.admin1, p) for p in picks if p is not None and p.feature_class == "P")
    done = []
    for r in out:
        p = r.mention.place
        if p is not None and p.feature_code == "ADM2" and _region_point(gazetteer, p.country_code, p.admin1) == (
                p.latitude, p.longitude):
            here = [(n, t) for (cc, a1, t), n in towns.items() if cc == p.country_code and a1 == p.admin1]
            if here:
                town = max(here, key=lambda x: x[0])[1]
                moved = replace(p, latitude=town.latitude, longitude=town.longitude)
                conf = None if r.mention.confidence is None else round(r.mention.confidence * 0.8, 3)
                m = r.mention
                r = Resolved(PlaceMention(m.start, m.end, m.text, m.sentence, moved, conf), r.relative, r.qualifier)
        done.append(r)
    return done


_DIRECTION = r"(?:(?:the|downtown|central|(?:north|south)(?:east|west)?(?:ern)?|east(?:ern)?|west(?:ern)?)[ \t]+)?"
_HOST_AFTER = re.compile(r"^(?:['’]s)?[ \t]*(?:,[ \t]*(?:(?:in|at|near)[ \t]+)?|(?:in|at|near|outside)[ \t]+)"
                         + _DIRECTION + "$")
_HOST_BEFORE = re.compile(r"^['’]s[ \t]+(?:(?:gated[ \t]+)?(?:suburb|district|neighbou?rhood|area)[ \t]+of[ \t]+)?$")


def _fill_from_host(text: str, out: list[Resolved]) -> list[Resolved]:
    """An unknown name with the place that holds it beside it: "the Bambino Gesu Hospital in Rome",
    "Collins Avenue in Miami Beach", "Cloverhill Court, Dublin", "Brooklyn's Barclays Center": the
    host's place, with middling confidence."""
    by_start = {r.mention.start: r for r in out}
    by_end = {r.mention.end: r for r in out}
    done = []
    for r in out:
        m = r.mention
        host = None
        if m.place is None:
            after = text[m.end : m.end + 30]
            for k in range(1, len(after) + 1):
                h = by_start.get(m.end + k)
                if h is not None:
                    if _HOST_AFTER.match(after[:k]) and h.mention.place is not None:
                        host = h.mention.place
                    break
            if host is None:
                before = text[max(0, m.start - 30) : m.start]
                for k in range(1, len(before) + 1):
                    h = by_end.get(m.start - k)
                    if h is not None:
                        if _HOST_BEFORE.match(before[len(before) - k :]) and h.mention.place is not None:
                            host = h.mention.place
                        break
        if host is not None:
            r = Resolved(PlaceMention(m.start, m.end, m.text, m.sentence, host, 0.5), True, r.qualifier)
        done.append(r)
    return done


def _fill_from_parts(out: list[Resolved], gazetteer: Gazetteer, ranker: Ranker) -> list[Resolved]:
    """An unknown multi-word name that holds a known one ("Bank of Japan", "Korean Peninsula",
    "Robinson College Cambridge") takes the place its last known part names (the container comes last
    in English names; each part's candidates ranked by the first-pass model), with middling confidence. Parts must be a country, region, capital, city of
    100,000 or a hand addition."""
    done = []
    for r in out:
        m = r.mention
        words = m.text.split()
        if m.place is None and len(words) > 1 and not _STREET.search(m.text):
            best: tuple[int, int, Place] | None = None  # (end word, size, place)
            for size in range(len(words) - 1, 0, -1):
                for k in range(len(words) - size + 1):
                    part = " ".join(words[k : k + size])
                    if all(w in _PART_STOP for w in name_key(part).split()) or not part[:1].isupper():
                        continue
                    cs, loose = candidates(gazetteer, part)
                    if not cs or loose:
                        continue
                    top = cs[int(np.argmax(ranker.prior(rows(cs, Evidence(_span_key(part), seats=_seats(cs))))))]
                    if _is_area(top) or (top.population or 0) >= 100_000 or top.geonameid is None:
                        cand = (k + size, size, top)
                        if best is None or cand[:2] > best[:2]:
                            best = cand
            if best is not None:
                r = Resolved(PlaceMention(m.start, m.end, m.text, m.sentence, best[2], 0.4), r.relative, r.qualifier)
        done.append(r)
    return done


_PART_STOP = frozenset({"the", "of", "new", "north", "south", "east", "west", "central", "saint", "st", "city",
                        "street", "road", "river", "lake", "mount", "university", "hotel", "park", "airport",
                        "bank", "college", "school", "hospital", "court", "house", "hall", "church", "centre",
                        "center", "state", "national", "federal", "union", "republic", "kingdom", "royal",
                        "western", "eastern", "northern", "southern", "office", "tower", "station", "square",
                        "northwest", "northeast", "southwest", "southeast", "district", "lakes"})
_STREET = re.compile(r"\b(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Boulevard|Blvd|Way|Place|Terrace|Crescent"
                     r"|Highway|Hwy)\.?$")
"""Streets are named after places elsewhere ("Frenchmen Street", "Northumberland Avenue"): they lie in the
article's own town, so their parts are not looked up."""


def _fill_from_focus(out: list[Resolved], picks: list[Place | None], focus: Counter[str]) -> list[Resolved]:
    """Unknown names (streets, buildings) take the article's most named town in its main country,
    with low confidence: the place is most likely in or near it."""
    top = focus.most_common(1)[0][0] if focus else None
    towns = Counter(p for p in picks if p is not None and p.feature_class == "P"
                    and (top is None or p.country_code == top))
    # the main town of the article's main region ("Gainesville, Va.", "Manassas", "Va." outvote a
    # namesake "Stonewall" in Louisiana)
    regions = Counter(p.admin1 for p in picks if p is not None and p.admin1 and (top is None or p.country_code == top)
                      and (p.feature_class == "P" or p.feature_code in ("ADM1", "ADM2")))
    if regions and towns:
        main = regions.most_common(1)[0][0]
        towns = Counter({p: n for p, n in towns.items() if p.admin1 == main}) or towns
    if towns:
        where = towns.most_common(1)[0][0]
    else:
        areas = Counter(p for p in picks if p is not None and _is_area(p) and (top is None or p.country_code == top))
        if not areas:
            return out
        where = areas.most_common(1)[0][0]
    return [
        r if r.mention.place is not None else Resolved(
            PlaceMention(r.mention.start, r.mention.end, r.mention.text, r.mention.sentence, where, 0.2),
            True, r.qualifier)
        for r in out
    ]
