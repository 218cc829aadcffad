"""Geoparsing scores: resolution given gold spans and end to end, as the field measures them.

Reads two corpus layouts (see ../shared/eval/README.md):

- GeoWebNews: ``<article><text>…</text><toponyms><toponym><extractedName/><start/><end/>
  <latitude/><longitude/>…`` (toponyms without coordinates are not scored);
- TR-News / LGL: ``<article><text>…</text><toponyms><toponym><phrase/><start/><end/><gaztag
  geonameid=…><lat/><lon/>…``.

Figures (Gritta et al. 2019, "A Pragmatic Guide to Geoparsing Evaluation"): accuracy@161 km, median
error in km, and the AUC of the error curve (the mean of ln(1 + error) / ln(20039 + 1): 0 is perfect,
1 every toponym at the far side of the Earth). Unresolved or unfound toponyms count at the maximum
error, 20,039 km. End to end also reports the share of gold toponyms a predicted mention overlaps.
"""

from __future__ import annotations

import hashlib
import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flashpoint.errors import InputError
from flashpoint.records import PlaceMention

MAX_KM = 20039.0
HIT_KM = 161.0


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    latitude: float
    longitude: float
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """One way of scoring: ``n`` gold toponyms, their errors in km (MAX_KM when not resolved)."""

    n: int
    accuracy_161: float
    median_km: float
    auc: float
    found: float | None = None

    def as_dict(self) -> dict[str, float | int | None]:
        return {"n": self.n, "accuracy@161km": round(self.accuracy_161, 4), "median_km": round(self.median_km, 1),
                "auc": round(self.auc, 4), "found": None if self.found is None else round(self.found, 4)}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _float(el: ET.Element | None) -> float | None:
    if el is None or not (el.text or "").strip():
        return None
    try:
        return float(el.text)  # type: ignore[arg-type]
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text and text.strip() else None
    except ValueError:
        return None


def _coord(el: ET.Element, *names: str) -> float | None:
    """A coordinate written as a child element or an attribute, under any of ``names``."""
    for n in names:
        v = _float(el.find(n))
        if v is None:
            v = _float_text(el.get(n))
        if v is not None:
            return v
    return None


def _float_text(text: str | None) -> float | None:
    try:
        return float(text) if text and text.strip() else None
    except ValueError:
        return None


ALIGN_WINDOW = 200
"""How far (characters) from its offsets a gold phrase is looked for when the offsets do not hold it."""


def _align(text: str, start: int, end: int, phrase: str | None) -> tuple[int, int]:
    """The gold span, moved to the nearest occurrence of its phrase when the offsets miss it (a corpus
    whose offsets count characters differently, or are off for one toponym); unchanged otherwise."""
    if not phrase or text[start:end] == phrase:
        return start, end
    lo = max(0, start - ALIGN_WINDOW)
    hits = []
    at = text.find(phrase, lo, min(len(text), end + ALIGN_WINDOW))
    while at >= 0:
        hits.append(at)
        at = text.find(phrase, at + 1, min(len(text), end + ALIGN_WINDOW))
    if not hits:
        return start, end
    best = min(hits, key=lambda h: abs(h - start))
    return best, best + len(phrase)


def read_corpus(path: Path | str) -> list[GoldArticle]:
    """Articles and their gold toponyms (those with coordinates) from either layout."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise InputError(str(path), f"cannot read the corpus as XML: {exc}") from exc
    articles = []
    for n, art in enumerate(root.iter("article")):
        text_el = art.find("text")
        if text_el is None:
            raise InputError(str(path), f"article {n} has no <text>")
        text = text_el.text or ""
        aid = art.get("file") or art.get("docid") or art.get("id") or str(n)
        tops = []
        for t in art.iter("toponym"):
            start, end = _int(t.findtext("start")), _int(t.findtext("end"))
            if start is None or end is None:
                start, end = _int(t.get("start")), _int(t.get("end"))
            if start is None or end is None:
                continue
            gaz = t.find("gaztag")
            where = gaz if gaz is not None else t
            lat = _coord(where, "lat", "latitude")
            lon = _coord(where, "lon", "lng", "longitude")
            gid = _int(where.get("geonameid") or where.findtext("geonameid") or t.findtext("geonamesID"))
            phrase = t.findtext("phrase") or t.findtext("extractedName")
            if lat is None or lon is None:
                continue
            start, end = _align(text, start, end, phrase)
            tops.append(GoldToponym(start, end, phrase or text[start:end], lat, lon, gid))
        articles.append(GoldArticle(aid, text, tuple(tops)))
    if not articles:
        raise InputError(str(path), "no <article> elements: not a GeoWebNews or TR-News/LGL corpus")
    return articles


def summarise(errors: Sequence[float], found: float | None = None) -> Scores:
    if not errors:
        return Scores(0, 0.0, 0.0, 0.0, found)
    auc = statistics.fmean(math.log1p(min(e, MAX_KM)) / math.log1p(MAX_KM) for e in errors)
    return Scores(len(errors), sum(e <= HIT_KM for e in errors) / len(errors), statistics.median(errors), auc, found)


def _error(gold: GoldToponym, m: PlaceMention | None) -> float:
    if m is None or m.place is None:
        return MAX_KM
    return haversine_km(gold.latitude, gold.longitude, m.place.latitude, m.place.longitude)


Resolver = Callable[[str, Sequence[tuple[int, int]]], Sequence[PlaceMention]]
Parser = Callable[[str], Sequence[PlaceMention]]


def score_resolution(articles: Iterable[GoldArticle], resolve: Resolver) -> tuple[Scores, list[float]]:
    """Resolution given the gold spans: ``resolve(text, spans)`` returns one mention per span."""
    errors: list[float] = []
    for art in articles:
        if not art.toponyms:
            continue
        # a gold span outside its text (the corpus has a few) cannot be resolved: it counts as wrong
        valid = [t for t in art.toponyms if 0 <= t.start < t.end <= len(art.text)]
        got = resolve(art.text, [(t.start, t.end) for t in valid]) if valid else []
        errors.extend(_error(g, m) for g, m in zip(valid, got, strict=True))
        errors.extend(MAX_KM for _ in range(len(art.toponyms) - len(valid)))
    return summarise(errors), errors


def score_end_to_end(articles: Iterable[GoldArticle], parse: Parser) -> tuple[Scores, list[float]]:
    """End to end: a gold toponym is right when an overlapping predicted mention lies within 161 km."""
    errors: list[float] = []
    found = 0
    for art in articles:
        if not art.toponyms:
            continue
        predicted = parse(art.text)
        for g in art.toponyms:
            over = [m for m in predicted if m.start < g.end and g.start < m.end]
            if over:
                found += 1
            errors.append(min((_error(g, m) for m in over), default=MAX_KM))
    return summarise(errors, found / len(errors) if errors else None), errors


def fold_of(article_id: str, k: int) -> int:
    """The cross-validation fold of an article: md5 of its id, modulo ``k`` (training/geo/train_ranker.py)."""
    return int(hashlib.md5(article_id.encode("utf-8")).hexdigest(), 16) % k


def parse_fold(text: str) -> tuple[int, int]:
    """'2/5' -> (2, 5)."""
    try:
        i, k = (int(x) for x in text.split("/"))
    except ValueError:
        i, k = -1, 0
    if not 0 <= i < k:
        raise InputError("--fold", f"{text!r} is not I/K with 0 <= I < K (such as 0/5)")
    return i, k


def evaluate_geoparse(path: Path | str, resolve: Resolver, parse: Parser, limit: int | None = None,
                      fold: tuple[int, int] | None = None) -> dict:
    """Both scores for one corpus file (``fold`` (i, k): only the articles of fold i of k), as a JSON-ready
    dict."""
    articles = read_corpus(path)
    if fold is not None:
        articles = [a for a in articles if fold_of(a.id, fold[1]) == fold[0]]
    articles = articles[:limit]
    res, _ = score_resolution(articles, resolve)
    e2e, _ = score_end_to_end(articles, parse)
    out = {"corpus": str(path), "articles": len(articles), "resolution": res.as_dict(),
           "end_to_end": e2e.as_dict()}
    if fold is not None:
        out["fold"] = f"{fold[0]}/{fold[1]}"
    return out
