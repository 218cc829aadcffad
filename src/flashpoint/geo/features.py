"""What the ranker (:mod:`flashpoint.geo.ranker`) sees of one gazetteer candidate for one toponym.

One row of numbers per (toponym, candidate), named by :data:`FEATURES`:

- the feature's kind (one-hot over feature classes and codes) and size (log population, overall and by
  kind; its rank by population among the toponym's candidates and its gap to the largest);
- how the name matched: the entry's own name, an alternate name, or only the transliteration skeleton
  (and whether the span is written the Arabic way);
- what the text says around the span: an admin word ("Idlib province", "the city of Idlib"), a
  container after a comma ("Paris, Texas"), a town just before it that the region holds ("Tacoma,
  Washington"), a list of regions ("California or Washington"), a capitalised word that makes it part
  of a longer name ("Cambridge Analytica");
- what the rest of the article says (zero in the first pass, which sees each toponym alone): the share
  of the article's places in the candidate's country, its distance to the article's other places, how
  many other names lie in its first-level region, and whether the article names the region or country
  that holds it.

Rows are plain lists of floats: the ranker's weights, not this module, say what each is worth.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from flashpoint.geo.names import name_key
from flashpoint.records import Place

_KINDS = ("pcl", "terr", "cont", "water", "land", "adm1", "adm2", "adm_other", "pplc", "ppla", "ppla2", "ppl",
          "pplx", "other")
FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in _KINDS),
    "added", "log_pop", "log_pop_p", "log_pop_adm", "pop_gap", "pop_top", "pop_rank", "no_pop",
    "own_name", "alt_name", "loose", "loose_arabic",
    "qual_match", "qual_admin", "qual_other", "seat_region",
    "container_region", "container_country", "container_other", "holds", "sibling",
    "embedded", "embedded_pop", "embedded_small",
    "focus_share", "focus_any", "focus_top", "focus_sure", "focus_embedded",
    "near50", "near150", "near400", "near_log", "region_others", "in_named_region", "in_named_country",
    "contains_others",
)
"""Names of the columns of a row, in order (the ranker file lists them too and must match)."""
CONTEXT_FEATURES = frozenset(FEATURES[FEATURES.index("holds"):FEATURES.index("embedded")]) | frozenset(
    FEATURES[FEATURES.index("focus_share"):])
"""Columns that need the article's other places: zero in the first pass."""
_CODE_KIND = {"TERR": "terr", "CONT": "cont", "ADM1": "adm1", "ADM2": "adm2", "ADM3": "adm_other",
              "ADM4": "adm_other", "ADM5": "adm_other", "ADMD": "adm_other", "PPLC": "pplc", "PPLA": "ppla",
              "PPLA2": "ppla2", "PPLA3": "ppla2", "PPLA4": "ppla2", "PPLX": "pplx"}
_KIND_AT = {k: i for i, k in enumerate(_KINDS)}
_AT = {f: i for i, f in enumerate(FEATURES)}
WIDTH = len(FEATURES)


def kind(p: Place) -> str:
    """The candidate's kind, as the one-hot columns name it."""
    fcode = p.feature_code or ""
    if fcode.startswith("PCL"):
        return "pcl"
    got = _CODE_KIND.get(fcode)
    if got is not None:
        return got
    fclass = p.feature_class or ""
    return {"P": "ppl", "H": "water", "L": "land", "T": "land", "A": "adm_other"}.get(fclass, "other")


def is_area(p: Place) -> bool:
    """Countries, first-level regions and continents: areas, not points."""
    return (p.feature_code or "").startswith(("PCL", "ADM1", "CONT", "TERR"))


Region = tuple[str | None, str | None]


@dataclass(slots=True)
class Evidence:
    """What the text and the article say about one toponym, for its candidates' rows."""

    span_key: str
    loose: bool = False
    arabic: bool = False
    qualifier: str | None = None
    container: set[str] = field(default_factory=set)
    seats: set[Region] = field(default_factory=set)
    embedded: bool = False
    # the article (second pass only)
    holds: frozenset[Region] = frozenset()
    siblings: frozenset[str | None] = frozenset()
    focus: Counter[str] | None = None
    focus_sure: Counter[str] | None = None
    near: Near | None = None
    regions: dict[Region, int] | None = None
    named_regions: frozenset[Region] = frozenset()
    named_countries: frozenset[str] = frozenset()


def rows(cands: Sequence[Place], ev: Evidence) -> list[list[float]]:
    """One row of :data:`FEATURES` per candidate."""
    pops = [math.log10((p.population or 0) + 1) for p in cands]
    top = max(pops, default=0.0)
    order = sorted(range(len(cands)), key=lambda j: -pops[j])
    rank = {j: r for r, j in enumerate(order)}
    focus_total = sum(ev.focus.values()) if ev.focus else 0
    sure_total = sum(ev.focus_sure.values()) if ev.focus_sure else 0
    focus_top = ev.focus.most_common(1)[0][0] if ev.focus else None
    out = []
    for j, p in enumerate(cands):
        x = [0.0] * WIDTH
        _own(x, p, ev, pops[j], top, rank[j])
        if ev.focus is not None:
            _article(x, p, ev, focus_total, sure_total, focus_top)
        out.append(x)
    return out


def _own(x: list[float], p: Place, ev: Evidence, pop: float, top: float, rank: int) -> None:
    """The columns that need no other place of the article."""
    k = kind(p)
    fcode = p.feature_code or ""
    x[_KIND_AT[k]] = 1.0
    x[_AT["added"]] = float(p.geonameid is None)
    x[_AT["log_pop"]] = pop
    x[_AT["log_pop_p"]] = pop if p.feature_class == "P" else 0.0
    x[_AT["log_pop_adm"]] = pop if p.feature_class == "A" else 0.0
    x[_AT["pop_gap"]] = pop - top
    x[_AT["pop_top"]] = float(rank == 0)
    x[_AT["pop_rank"]] = min(rank, 5) / 5
    x[_AT["no_pop"]] = float(not p.population)
    own = name_key(p.name) == ev.span_key
    x[_AT["own_name"]] = float(own and not ev.loose)
    x[_AT["alt_name"]] = float(not own and not ev.loose)
    x[_AT["loose"]] = float(ev.loose)
    x[_AT["loose_arabic"]] = float(ev.loose and ev.arabic)
    q = ev.qualifier
    if q is not None:
        if (q == "P" and p.feature_class == "P") or fcode == q:
            x[_AT["qual_match"]] = 1.0
        elif q != "P" and fcode.startswith("ADM"):
            x[_AT["qual_admin"]] = 1.0
        else:
            x[_AT["qual_other"]] = 1.0
    elif fcode == "ADM1" and (p.country_code, p.admin1) in ev.seats:
        x[_AT["seat_region"]] = 1.0
    if ev.container:
        if p.admin1 in ev.container:
            x[_AT["container_region"]] = 1.0
        elif p.country_code in ev.container:
            x[_AT["container_country"]] = 1.0
        else:
            x[_AT["container_other"]] = 1.0
    if ev.embedded:
        x[_AT["embedded"]] = 1.0
        x[_AT["embedded_pop"]] = pop
        x[_AT["embedded_small"]] = float(p.feature_class == "P" and (p.population or 0) < 100_000)


def _article(x: list[float], p: Place, ev: Evidence, focus_total: int, sure_total: int,
             focus_top: str | None) -> None:
    """The columns that weigh the article's other places (second pass)."""
    fcode = p.feature_code or ""
    region = (p.country_code, p.admin1)
    if (fcode == "ADM1" and region in ev.holds) or (
            fcode.startswith("PCL") and any(cc == p.country_code for cc, _ in ev.holds)):
        x[_AT["holds"]] = 1.0
    x[_AT["sibling"]] = float(fcode == "ADM1" and p.country_code in ev.siblings)
    cc = p.country_code
    if cc and ev.focus:
        share = ev.focus.get(cc, 0) / focus_total
        x[_AT["focus_share"]] = share
        x[_AT["focus_any"]] = float(share > 0)
        x[_AT["focus_top"]] = float(cc == focus_top)
        x[_AT["focus_embedded"]] = share if ev.embedded else 0.0
    if cc and ev.focus_sure and sure_total:
        x[_AT["focus_sure"]] = ev.focus_sure.get(cc, 0) / sure_total
    if ev.near and not is_area(p):
        d = ev.near.distance(p)
        x[_AT["near50"]] = float(d < 50)
        x[_AT["near150"]] = float(d < 150)
        x[_AT["near400"]] = float(d < 400)
        x[_AT["near_log"]] = 1.0 - math.log1p(min(d, 20_000.0)) / math.log1p(20_000.0)
    if ev.regions:
        n = ev.regions.get(region, 0)
        x[_AT["region_others"]] = min(n, 3) / 3
        if fcode == "ADM1":
            x[_AT["contains_others"]] = math.log1p(n)
    if fcode.startswith("PCL") and ev.focus and cc:
        x[_AT["contains_others"]] = math.log1p(ev.focus.get(cc, 0))
    if fcode != "ADM1" and region in ev.named_regions:
        x[_AT["in_named_region"]] = 1.0
    if not fcode.startswith("PCL") and cc in ev.named_countries:
        x[_AT["in_named_country"]] = 1.0


class Near:
    """The other places of an article, for the distance columns: points with their latitude's radians
    and cosine computed once, and each candidate's distance once per context (the same name, written
    again, has the same candidates and the same other places)."""

    __slots__ = ("_memo", "points")

    def __init__(self, places: Sequence[Place], points: list[tuple[float, float, float]] | None = None) -> None:
        self.points = [point(q) for q in places] if points is None else points
        self._memo: dict[int, tuple[Place, float]] = {}

    def __bool__(self) -> bool:
        return bool(self.points)

    def distance(self, p: Place) -> float:
        """Great-circle km to the nearest other place (stops looking within 50 km)."""
        got = self._memo.get(id(p))
        if got is not None and got[0] is p:
            return got[1]
        p1 = math.radians(p.latitude)
        c1 = math.cos(p1)
        lon = p.longitude
        best = math.inf
        for qlon, p2, c2 in self.points:
            dp, dl = p2 - p1, math.radians(qlon - lon)
            h = math.sin(dp / 2) ** 2 + c1 * c2 * math.sin(dl / 2) ** 2
            d = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
            if d < best:
                best = d
                if d < 50:
                    break
        self._memo[id(p)] = (p, best)
        return best


def point(q: Place) -> tuple[float, float, float]:
    """Longitude, latitude in radians and its cosine: what :meth:`Near.distance` needs of a place."""
    return q.longitude, math.radians(q.latitude), math.cos(math.radians(q.latitude))
