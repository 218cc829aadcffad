"""Learned toponym detection, the experiment of training/geo/README.md (not shipped): propose candidate spans generously, keep those the trained filter
calls places.

Candidates (:func:`propose`): the entity recogniser's GPE, LOC and FAC spans (lengthened to the
gazetteer's longer name where the model cut one short: "Deir" + " ez-Zor"); its other spans that are
demonyms or that the gazetteer knows (metonyms such as "Liverpool said", places read as persons such as
"Maarat al-Numan"); organisation spans that name a building or site ("Cloverhill District Court");
and every part of up to six words of a capitalised run of the text that is a demonym or that the
gazetteer knows, inside other names too ("the Jamaica Cancer Society", "The Washington Post").

The filter (``span_filter.py`` here, trained on GeoWebNews and the corpus's event locations) gives each candidate the
probability that it is a toponym; the likeliest candidates at or above its threshold are kept, longer
first among equals, without overlaps. Then one sense per article, as the hand path does
(:func:`flashpoint.geo.detect._repeat`), never for function words, days or months.

It would replace the hand lists and thresholds of :mod:`flashpoint.geo.detect` (``GENERIC``, ``_STOP``,
the population cut-offs, the cue and institution rules as decisions); it does not yet: it scores a
Syrian town the small spaCy model tags ORG the same after "shelled" as at a sentence's start, so it
cannot take the one without the other (training/geo/README.md).

Sources, as the event-place model reads them: ner, demonym, facility, metonym (another label's whole
span), embedded (inside another name), cued (a Syria-region name after a place cue), listed (joined by
a list to a name of the same country), gazetteer (the rest), repeat.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from span_filter import AT, ArticleView, Proposal, SpanFilter, fill_row

from flashpoint.geo.detect import (
    _CAP_RUN,
    PLACE_LABELS,
    Detected,
    _extend,
    _is_facility,
    _repeat,
    _sentence_of,
    _strip_the,
    is_demonym,
)
from flashpoint.geo.gazetteer import Gazetteer
from flashpoint.geo.names import name_key
from flashpoint.geo.resolve import candidates
from flashpoint.records import ActorMention, Mention, Sentence

MAX_WORDS = 6
"""The longest candidate taken from a capitalised run, in words."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION_WORDS = _words(
    "i a an the he she it we they you this that these those in on at but and or nor so if as by for from to with"
    " of after before during while since when where there here his her its their our my your no yes")
"""English function words: a capitalised one opens a sentence ("In Aleppo", "The Syrian army"); no
place name starts with one (the gazetteer's "The Hague" is found from "Hague")."""
_CALENDAR = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august"
    " september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
"""Days and months: a date, whatever towns share the name."""
_NOT_NAMES = _FUNCTION_WORDS | _CALENDAR


_LIST_GAP = re.compile(r"^(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+|[ \t]*/[ \t]*)$")
_Put = Callable[..., None]


def propose(text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], gazetteer: Gazetteer,
            actors: Sequence[ActorMention] = ()) -> list[Proposal]:
    """Every candidate span of an article, in text order, one per (start, end), with its filter row."""
    props: dict[tuple[int, int], Proposal] = {}

    def put(a: int, b: int, sentence: int, **how: object) -> None:
        got = props.get((a, b))
        if got is None:
            props[(a, b)] = Proposal(a, b, sentence, **how)  # type: ignore[arg-type]
        elif how.get("from_run"):
            got.from_run = True

    _from_mentions(text, mentions, gazetteer, put)
    _from_runs(text, sentences, gazetteer, put)
    view = ArticleView(text, mentions, actors, gazetteer)
    out = sorted(props.values(), key=lambda p: (p.start, p.end))
    for p in out:
        fill_row(view, p)
    _mark_lists(text, out)
    return out


def _from_mentions(text: str, mentions: Sequence[Mention], gazetteer: Gazetteer, put: _Put) -> None:
    """The recogniser's place spans; its other spans that are demonyms, that the gazetteer knows, or
    (organisations) that name a building or site."""
    for m in mentions:
        a = _strip_the(text, m.start, m.end)
        if m.label in PLACE_LABELS:
            b = _extend(gazetteer, text, a, m.end, lambda _x, _y: True)
            put(a, b, m.sentence, exact=m.label, extended=b != m.end)
            continue
        span = text[a : m.end]
        if m.label == "ORG" and _is_facility(span):
            put(a, m.end, m.sentence, exact=m.label, facility=True)
        elif span[:1].isupper() and (is_demonym(span) or candidates(gazetteer, span)[0]):
            put(a, m.end, m.sentence, exact=m.label)


def _from_runs(text: str, sentences: Sequence[Sentence], gazetteer: Gazetteer, put: _Put) -> None:
    """Parts of capitalised runs, up to :data:`MAX_WORDS` words, that are demonyms or gazetteer names."""
    for run in _CAP_RUN.finditer(text):
        words = list(re.finditer(r"\S+", run.group()))
        n, base = len(words), run.start()
        for i in range(n):
            first = words[i].group()
            if name_key(first) in _FUNCTION_WORDS or first in ("The", "THE"):
                continue
            for j in range(i + 1, min(n, i + MAX_WORDS) + 1):
                if not words[j - 1].group()[:1].isupper() and j > i + 1:
                    continue  # "Bank of": a connector ends no name
                a, b = base + words[i].start(), base + words[j - 1].end()
                while b > a and text[b - 1] in ".’'-&":
                    b -= 1
                if text[a:b].endswith(("'s", "’s")):
                    b -= 2
                span = text[a:b]
                key = name_key(span)
                if not key or key in _NOT_NAMES:
                    continue
                if is_demonym(span) or candidates(gazetteer, span)[0]:
                    put(a, b, _sentence_of(sentences, a), from_run=True)


def _mark_lists(text: str, props: Sequence[Proposal]) -> None:
    """``list_same_country``: a candidate joined by a comma, "and", "or" or a slash to another one whose
    gazetteer entries share a country with its own ("in Zilina, Nitra and Presov")."""
    ending: dict[int, list[Proposal]] = {}
    starting: dict[int, list[Proposal]] = {}
    for p in props:
        ending.setdefault(p.end, []).append(p)
        starting.setdefault(p.start, []).append(p)
    col = AT["list_same_country"]
    for p in props:
        if not p.countries:
            continue
        near = [q for k in range(1, 9) for q in ending.get(p.start - k, ()) if _LIST_GAP.match(text[q.end : p.start])]
        near += [q for k in range(1, 9) for q in starting.get(p.end + k, ()) if _LIST_GAP.match(text[p.end : q.start])]
        p.row[col] = float(any(q.countries & p.countries for q in near))


_INSIDE_NAME = tuple(AT[f"inside_{lab}"] for lab in ("PERSON", "ORG", "NORP", "other"))
_CUED = tuple(AT[f] for f in ("prev_in", "prev_cue_verb", "prev_place_of"))


def _source(p: Proposal) -> str:
    row = p.row
    if p.exact in PLACE_LABELS:
        return "ner"
    if row[AT["demonym"]]:
        return "demonym"
    if p.facility:
        return "facility"
    if p.exact is not None:
        return "gazetteer" if p.exact == "PERSON" else "metonym"
    if any(row[i] for i in _INSIDE_NAME):
        return "embedded"
    if row[AT["regional"]] and any(row[i] for i in _CUED):
        return "cued"
    return "listed" if row[AT["list_same_country"]] else "gazetteer"


def select(props: Sequence[Proposal], probs: Sequence[float], threshold: float, length: int) -> list[Detected]:
    """The likeliest candidates at or above ``threshold`` (longer first among equals), without overlaps."""
    order = sorted(range(len(props)), key=lambda k: (-probs[k], props[k].start - props[k].end, props[k].start))
    taken = bytearray(length + 1)
    found: list[Detected] = []
    for k in order:
        if probs[k] < threshold:
            break
        p = props[k]
        if taken.find(1, p.start, p.end) >= 0:
            continue
        found.append(Detected(p.start, p.end, p.sentence, _source(p)))
        taken[p.start : p.end] = b"\x01" * (p.end - p.start)
    return found


def detect_learned(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], gazetteer: Gazetteer,
    flt: SpanFilter, strict: bool = False, actors: Sequence[ActorMention] = (),
) -> list[Detected]:
    """Toponym spans of one article, in text order, without overlaps, as ``flt`` decides. ``strict``:
    context names only (no recogniser; the filter's stricter threshold). ``actors``: the article's
    actor mentions."""
    if strict:
        mentions, actors = (), ()
    props = propose(text, sentences, mentions, gazetteer, actors)
    probs = flt.probabilities([p.row for p in props]).tolist()
    found = select(props, probs, flt.strict_threshold if strict else flt.threshold, len(text))
    if not strict:
        taken = bytearray(len(text) + 1)
        for d in found:
            taken[d.start : d.end] = b"\x01" * (d.end - d.start)

        def free(a: int, b: int) -> bool:
            return taken.find(1, max(a, 0), b) < 0

        def add(a: int, b: int, sent: int, source: str) -> None:
            found.append(Detected(a, b, sent, source))
            taken[a:b] = b"\x01" * (b - a)

        _repeat(text, sentences, mentions, gazetteer, found, free, add, _NOT_NAMES)
    return sorted(found, key=lambda d: d.start)
