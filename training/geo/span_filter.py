"""The toponym filter experiment (training/geo/README.md): whether a candidate span of an article is a
place name. Not shipped: flashpoint detects with the rules of :mod:`flashpoint.geo.detect`.

Learned detection (``detect_learned.py`` here) proposes spans generously: the entity recogniser's GPE, LOC
and FAC spans, its other spans that the gazetteer knows (metonyms, places read as persons), buildings
named by organisation spans, demonyms, and every part of a capitalised run that the gazetteer knows,
inside other names too. Each gets a row of numbers named by :data:`FEATURES`; a small model shipped as
data (written by ``train_span_filter.py``) turns the row into the probability that the span is a
toponym, and detection keeps the likeliest spans that do not overlap (``detect_learned.py``).

What a row says:

- how the span was proposed and the recogniser's label on it or around it (a whole PERSON span, a
  part of an ORG span, inside an actor's name);
- what the gazetteer holds for it: whether it knows the name, only loosely (transliteration), how
  many entries, their kinds (country or region, district, town, natural feature, hand addition) and
  populations, whether one lies in Syria's part of the world;
- its form: words, length, capitals, at the start of a sentence, part of a longer capitalised run;
- its neighbours: a locative preposition, "to"/"from", a verb of attack or capture, "<place word> of",
  a title ("President"), a local institution after it ("Slidell Police"), an admin word, a US state
  ("Athens, Ga."), a possessive;
- the article: the same words written in lower case (a common word), inside a person's name or tagged
  a place elsewhere, a country the article is about, a list joining it to a name of the same country.

Inference is numpy only (the same linear or boosted-tree evaluators as :mod:`flashpoint.geo.ranker`);
a filter file whose feature names differ from :data:`FEATURES` is refused at load time.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint import countries
from flashpoint.errors import KnowledgeError
from flashpoint.geo.detect import is_demonym
from flashpoint.geo.gazetteer import Gazetteer
from flashpoint.geo.names import LOOSE_COUNTRIES, looks_arabic
from flashpoint.geo.ranker import model_from_spec
from flashpoint.geo.resolve import candidates, state_after
from flashpoint.records import ActorMention, Mention

EXACT_LABELS = ("GPE", "LOC", "FAC", "PERSON", "ORG", "NORP", "other")
INSIDE_LABELS = ("place", "PERSON", "ORG", "NORP", "other")
FEATURES: tuple[str, ...] = (
    *(f"exact_{lab}" for lab in EXACT_LABELS), "ner_extended",
    *(f"inside_{lab}" for lab in INSIDE_LABELS), "in_actor", "from_run", "facility",
    "known", "loose", "arabic", "log_entries", "kind_big", "kind_adm1", "kind_adm2", "kind_town", "kind_natural",
    "kind_added", "kind_other", "log_pop", "log_pop_town", "regional", "demonym",
    "words", "log_chars", "all_caps", "short", "sentence_start", "cap_before", "cap_after",
    "prev_in", "prev_to_from", "prev_cue_verb", "prev_place_of", "prev_the", "prev_title", "prev_list",
    "next_institution", "next_admin", "next_state", "next_comma_cap", "possessive",
    "lower_in_text", "in_person_elsewhere", "place_elsewhere", "org_elsewhere", "country_in_article",
    "list_same_country",
)
"""Names of the columns of a row, in order (the filter file lists them too and must match)."""
AT = {f: i for i, f in enumerate(FEATURES)}
WIDTH = len(FEATURES)


def log1p(x: float) -> float:
    return math.log1p(max(x, 0.0))


class SpanFilter:
    """Scores candidate rows: the probability that each span is a toponym."""

    def __init__(self, spec: dict[str, Any], source: str = "<dict>") -> None:
        if list(spec.get("features", ())) != list(FEATURES):
            raise KnowledgeError(
                f"toponym filter {source} was trained on other features than training/geo/span_filter.py's FEATURES:"
                " retrain it with training/geo/train_span_filter.py")
        self._model = model_from_spec(spec["model"])
        self.threshold = float(spec.get("threshold", 0.5))
        self.strict_threshold = float(spec.get("strict_threshold", self.threshold))
        self.about: dict[str, Any] = dict(spec.get("about", {}))

    @classmethod
    def load(cls, path: Path | str) -> SpanFilter:
        try:
            spec = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnowledgeError(f"cannot read the toponym filter file {path}: {exc}") from exc
        return cls(spec, str(path))

    def probabilities(self, rows: list[list[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        score = self._model(np.asarray(rows, dtype=np.float64))
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(score, -40.0, 40.0))))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())

_IN = _words("in at near outside inside into within throughout across around toward towards through downtown"
                " over under beyond")
_TO_FROM = frozenset({"to", "from", "via", "between"})
_CUE_VERBS = _words(
    "enter entered entering enters shelled shelling shell struck strike strikes hit hitting bomb bombed bombing"
    " bombarded bombarding pounded pounding captured capture capturing recaptured recapture retook retake seized"
    " seize stormed storm besieged besieging encircled surrounded attacked targeted targeting raided overran"
    " liberated reached visited visit visiting fled flee leave left evacuated moved returned")
_PLACE_NOUNS = _words(
    "town city village hamlet suburb district neighbourhood neighborhood province governorate region state county"
    " area countryside outskirts streets resident residents people siege battle fall capture defence defense"
    " centre center edge heart camp north south east west northeast northwest southeast southwest north-east"
    " north-west south-east south-west outside control capital island islands coast port")
_SKIP_BEFORE_OF = _words(
    "the besieged rebel-held opposition-held government-held strategic nearby northern southern eastern western"
    " central small tiny")
_TITLES = _words(
    "mr mrs ms miss dr sir lord lady president minister secretary senator sen rep gov governor mayor king queen"
    " prince princess pope general gen col colonel sgt lt capt captain officer chief judge justice coach"
    " professor prof sheikh imam rev father saint st")
_LIST = frozenset({"and", "or", "&"})
_INSTITUTION = re.compile(
    r"^[ \t]+(?:Police|PD|Sheriff|Fire|City|County|Town|Borough|Village|Council|Club|School|Schools|Hospital"
    r"|University|College|Chamber|Times|News|Herald|Tribune|Gazette|Courier|Journal|Post|Observer|Record"
    r"|Library|Airport|High|Municipal|Regional|District|Public|Area|Community|Board|Court|Mayor|Department)\b")
"""Words of a local institution's name after a town's ("Slidell Police", "Peel Regional", "The Denver Post")."""
_ADMIN_AFTER = re.compile(
    r"^[ \t]+(?:province|governorate|state|region|oblast|countryside|prefecture|district|county|parish|city|town"
    r"|village|municipality)\b", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]['\"’”)]*[ \t]+|\n)[ \t'\"‘“(]*$")
_CAP_BEFORE = re.compile(r"[A-Z][\w'’.-]*[ \t]$")
_COMMA_CAP = re.compile(r"^,[ \t]*[A-Z]")


def _context_flags(text: str, a: int, b: int) -> list[tuple[str, float]]:
    """The span's neighbours: the word before it (and "<place word> of"), what follows it."""
    before = text[max(0, a - 60) : a]
    words = before.lower().split() if before[-1:].isspace() else []
    last = words[-1].strip(",.") if words else ""
    of_noun = False
    if last in ("of", "for"):
        rest = [w for w in words[-5:-1] if w not in _SKIP_BEFORE_OF]
        of_noun = bool(rest) and rest[-1] in _PLACE_NOUNS
    after = text[b : b + 20]
    return [
        ("prev_in", float(last in _IN)), ("prev_to_from", float(last in _TO_FROM)),
        ("prev_cue_verb", float(last in _CUE_VERBS)), ("prev_place_of", float(of_noun)),
        ("prev_the", float(last == "the")), ("prev_title", float(last.rstrip(".") in _TITLES)),
        ("prev_list", float(last in _LIST or before.rstrip(" \t").endswith(","))),
        ("sentence_start", float(a == 0 or _SENTENCE_START.search(text[max(0, a - 8) : a]) is not None)),
        ("cap_before", float(_CAP_BEFORE.search(before) is not None)),
        ("cap_after", float(after[:1] in " \t" and after[1:2].isupper())),
        ("next_institution", float(_INSTITUTION.match(after) is not None)),
        ("next_admin", float(_ADMIN_AFTER.match(after) is not None)),
        ("next_comma_cap", float(_COMMA_CAP.match(after) is not None)),
        ("possessive", float(after.startswith(("'s", "’s")))),
    ]


@dataclass(slots=True)
class Proposal:
    """A candidate span and how it was proposed: ``exact`` the recogniser's label on exactly this span,
    ``extended`` its place span lengthened to the gazetteer's longer name, ``from_run`` found in a
    capitalised run, ``facility`` an organisation span naming a building or site."""

    start: int
    end: int
    sentence: int
    exact: str | None = None
    extended: bool = False
    from_run: bool = False
    facility: bool = False
    countries: frozenset[str] = frozenset()
    row: list[float] = field(default_factory=list)


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_BIG = ("PCL", "TERR", "CONT")
_NATURAL = frozenset({"H", "T", "L", "U", "V"})


class ArticleView:
    """What rows need of one article: its mentions by position, and its words and names overall."""

    def __init__(self, text: str, mentions: Sequence[Mention], actors: Sequence[ActorMention],
                 gazetteer: Gazetteer) -> None:
        self.text = text
        self.gazetteer = gazetteer
        self._mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self._mentions]
        self._actors = [(m.start, m.end) for m in actors]
        self.lower = frozenset(_LOWER_WORD.findall(text))
        persons = [m.text for m in mentions if m.label == "PERSON"]
        self.person_words = frozenset(w for t in persons for w in t.split() if len(t.split()) > 1)
        self.persons = persons
        self.places = Counter(m.text for m in mentions if m.label in _PLACE_LABELS)
        self.orgs = Counter(m.text for m in mentions if m.label == "ORG")
        self.countries = self._countries(mentions, actors)

    def _countries(self, mentions: Sequence[Mention], actors: Sequence[ActorMention]) -> frozenset[str]:
        """Countries the recogniser's places and demonyms and the actors name (each place's most
        populous entry)."""
        out: set[str] = set()
        for m in mentions:
            if m.label in _PLACE_LABELS or m.label == "NORP":
                cs = candidates(self.gazetteer, m.text)[0]
                best = max(cs, key=lambda p: p.population or 0, default=None)
                if best is not None and best.country_code:
                    out.add(best.country_code)
        for x in actors:
            c = countries.by_iso3(x.actor.country) if x.actor.country else None
            if c is not None:
                out.add(c.iso2)
        return frozenset(out)

    def around(self, a: int, b: int) -> str | None:
        """The label of the smallest mention that holds [a, b) and is longer; None when none does."""
        i = bisect.bisect_right(self._starts, a) - 1
        best: Mention | None = None
        for m in self._mentions[max(0, i - 3) : i + 1]:
            if m.start <= a and b <= m.end and m.end - m.start > b - a and (
                    best is None or m.end - m.start < best.end - best.start):
                best = m
        return None if best is None else best.label

    def in_actor(self, a: int, b: int) -> bool:
        return any(x < b and a < y for x, y in self._actors)


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")


def _gazetteer_flags(view: ArticleView, span: str) -> tuple[list[tuple[str, float]], frozenset[str]]:
    cs, loose = candidates(view.gazetteer, span)
    codes = [p.feature_code or "" for p in cs]
    towns = [p.population or 0 for p in cs if p.feature_class == "P"]
    kinds = {
        "kind_big": any(c.startswith(_BIG) for c in codes), "kind_adm1": "ADM1" in codes,
        "kind_adm2": "ADM2" in codes, "kind_town": bool(towns),
        "kind_natural": any(p.feature_class in _NATURAL for p in cs),
        "kind_added": any(p.geonameid is None for p in cs)}
    kinds["kind_other"] = bool(cs) and not any(kinds.values())
    flags = [("known", float(bool(cs))), ("loose", float(loose)), ("arabic", float(looks_arabic(span))),
             ("log_entries", log1p(len(cs))), *((k, float(v)) for k, v in kinds.items()),
             ("log_pop", log1p(max((p.population or 0 for p in cs), default=0))),
             ("log_pop_town", log1p(max(towns, default=0))),
             ("regional", float(any(p.country_code in LOOSE_COUNTRIES for p in cs)))]
    return flags, frozenset(p.country_code for p in cs if p.country_code)


def fill_row(view: ArticleView, prop: Proposal) -> None:
    """The proposal's row (all but ``list_same_country``) and the countries of its entries."""
    text = view.text
    a, b = prop.start, prop.end
    span = text[a:b]
    row = [0.0] * WIDTH
    exact = prop.exact if prop.exact in EXACT_LABELS else ("other" if prop.exact else None)
    if exact:
        row[AT[f"exact_{exact}"]] = 1.0
    around = view.around(a, b)
    if around is not None:
        row[AT["inside_" + ("place" if around in _PLACE_LABELS else around if around in INSIDE_LABELS
                            else "other")]] = 1.0
    flags, prop.countries = _gazetteer_flags(view, span)
    words = span.split()
    single = len(words) == 1
    flags += [("ner_extended", float(prop.extended)), ("in_actor", float(view.in_actor(a, b))),
              ("from_run", float(prop.from_run)), ("facility", float(prop.facility)),
              ("demonym", float(is_demonym(span))), ("words", float(len(words))), ("log_chars", log1p(len(span))),
              ("all_caps", float(span.isupper() and len(span) > 1)), ("short", float(len(span) <= 3)),
              ("lower_in_text", float(span.lower() in view.lower if single else span.lower() in text)),
              ("in_person_elsewhere", float(span in view.person_words if single
                                            else any(span in t and span != t for t in view.persons))),
              ("place_elsewhere", log1p(view.places[span])), ("org_elsewhere", log1p(view.orgs[span])),
              ("country_in_article", float(bool(prop.countries & view.countries))),
              ("next_state", float(state_after(text, b) is not None))]
    for name, value in flags + _context_flags(text, a, b):
        row[AT[name]] = value
    prop.row = row

