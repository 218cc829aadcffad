"""Toponym detection: spaCy's GPE/LOC/FAC mentions plus gazetteer matching over the text.

The small English model misses or mislabels many Middle-Eastern names ("Maarat al-Numan" as a
PERSON, "the Yarmouk Camp" as FAC or nothing). So besides NER mentions, capitalised runs of the text
are looked up in the gazetteer (longest first, transliteration-tolerant for Arabic-looking names) and
kept when the gazetteer makes them likely places: a country, region or big city, a place of Syria and
its neighbours written the Arabic way, or one of the hand-added places. Demonyms ("Syrian") are kept
as toponyms of their country, as geoparsing corpora count them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from flashpoint import countries
from flashpoint.geo.gazetteer import Gazetteer
from flashpoint.geo.names import looks_arabic, name_key
from flashpoint.geo.resolve import LOOSE_COUNTRIES, candidates
from flashpoint.records import Mention, Sentence

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_CAP_RUN = re.compile(
    r"(?:[A-Z][\w'’‘`ʿ.-]*|[Aa][lnrsdtz]-[A-Z][\w'’‘`ʿ-]*)"
    r"(?:[ \t]+(?:(?:al|el|ar|an|as|ash|at|ad|az|ed|er|es|ez|de|del|la|le|of|the|upon|on)[- \t]+)?"
    r"(?:[A-Z][\w'’‘`ʿ.-]*|[Aa][lnrsdtz]-[A-Z][\w'’‘`ʿ-]*))*"
)
_BIG = ("PCL", "ADM1", "CONT", "TERR", "PPLC")
_STOP = frozenset(
    {"i", "a", "the", "he", "she", "it", "we", "they", "this", "that", "these", "in", "on", "at", "but", "and",
     "mr", "mrs", "ms", "dr", "president", "minister", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december", "god", "allah", "state", "city", "government", "army",
     "police", "news", "reuters", "us", "so", "if", "as", "an", "by", "for", "from", "to", "with", "after",
     "before", "during", "while", "since", "when", "there", "here", "his", "her", "its", "their", "our", "no",
     "yes", "one", "two", "all", "some", "many", "most", "other", "new", "mosque", "islamic", "free"}
)


@dataclass(frozen=True, slots=True)
class Detected:
    start: int
    end: int
    sentence: int
    source: str  # ner | gazetteer | demonym


def _sentence_of(sentences: Sequence[Sentence], pos: int) -> int:
    for s in sentences:
        if s.start <= pos < s.end:
            return s.index
    return sentences[-1].index if sentences else 0


def _strip_the(text: str, start: int, end: int) -> int:
    low = text[start:end].lower()
    return start + 4 if low.startswith("the ") and end - start > 4 else start


def _likely_place(gazetteer: Gazetteer, span: str, ner_label: str | None) -> bool:
    cs, loose = candidates(gazetteer, span)
    if not cs:
        return False
    if any((p.feature_code or "").startswith(_BIG) for p in cs) and not loose:
        return True
    if any(p.geonameid is None for p in cs):  # hand additions: camps, bases, crossings
        return True
    regional = [p for p in cs if p.country_code in LOOSE_COUNTRIES]
    if regional and (looks_arabic(span) or len(span.split()) > 1 or ner_label in {"PERSON", "NORP"}):
        return True
    return ner_label is None and any((p.population or 0) >= 100_000 for p in cs) and not loose


def detect_toponyms(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], gazetteer: Gazetteer
) -> list[Detected]:
    """Toponym spans of one article, in text order, without overlaps."""
    found: list[Detected] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, sent: int, source: str) -> None:
        found.append(Detected(a, b, sent, source))
        taken.append((a, b))

    blocked: list[tuple[int, int]] = []
    for m in mentions:
        if m.label in PLACE_LABELS:
            a = _strip_the(text, m.start, m.end)
            add(a, m.end, m.sentence, "ner")
        elif m.label == "NORP" and countries.by_demonym(m.text):
            add(m.start, m.end, m.sentence, "demonym")
        elif m.label == "PERSON" and _likely_place(gazetteer, m.text, "PERSON"):
            add(m.start, m.end, m.sentence, "gazetteer")
        else:
            blocked.append((m.start, m.end))
    for run in _CAP_RUN.finditer(text):
        words = list(re.finditer(r"\S+", run.group()))
        n = len(words)
        i = 0
        while i < n:
            hit = None
            for j in range(n, i, -1):
                a = run.start() + words[i].start()
                b = run.start() + words[j - 1].end()
                while b > a and text[b - 1] in ".’'-":
                    b -= 1
                span = text[a:b]
                key = name_key(span)
                if not key or key in _STOP or not free(a, b):
                    continue
                inside_other = any(x <= a and b <= y for x, y in blocked)
                if countries.by_demonym(span) and not inside_other:
                    hit = (a, b, "demonym")
                    break
                if inside_other:
                    continue
                if _likely_place(gazetteer, span, None):
                    hit = (a, b, "gazetteer")
                    break
            if hit:
                add(hit[0], hit[1], _sentence_of(sentences, hit[0]), hit[2])
                i = next((k for k in range(i, n) if run.start() + words[k].start() >= hit[1]), n)
            else:
                i += 1
    return sorted(found, key=lambda d: d.start)
