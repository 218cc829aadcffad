"""Toponym detection: spaCy's GPE/LOC/FAC mentions plus gazetteer matching over the text.

The small English model misses or mislabels many Middle-Eastern names ("Maarat al-Numan" as a
PERSON, "the Yarmouk Camp" as FAC or nothing). So besides NER mentions, capitalised runs of the text
are looked up in the gazetteer (longest first, transliteration-tolerant for Arabic-looking names) and
kept when the gazetteer makes them likely places: a country, region or big city, a place of Syria and
its neighbours written the Arabic way, or one of the hand-added places. Demonyms ("Syrian",
"European") are kept as toponyms of their country or region, as geoparsing corpora count them.

Spans of other labels: an ORG/NORP/EVENT... span that is itself an unmistakable place is a metonym
("Liverpool said", "Moscow denied"); inside one, unmistakable places are found too ("the Jamaica Cancer
Society", "Air Zimbabwe", "The Washington Post"); PERSON spans hide their places ("Jamaica Kincaid").
A whole ORG or PERSON span that is a town of Syria's region written the Arabic way, or in several words,
is that town ("Kafr Batna" tagged ORG is not the Algerian city Batna inside it); a place span cut short
at its start takes the word before it when the gazetteer knows the longer name ("Kafr" + "Batna").
Smaller towns count where news names towns: after a locative preposition ("in Klamath Falls"), before
a local institution ("Slidell PD") or a US state ("Athens, Ga."). Sources: ner, gazetteer, demonym,
metonym, embedded (GeoStage does not locate events at demonyms).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flashpoint import countries
from flashpoint.geo.gazetteer import Gazetteer
from flashpoint.geo.names import looks_arabic, name_key
from flashpoint.geo.resolve import LOOSE_COUNTRIES, candidates, region_demonyms, state_after
from flashpoint.records import ActorMention, Mention, Sentence

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_METONYM_LABELS = frozenset({"ORG", "PERSON", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
"""Labels whose whole span may still be a place used for something else ("Liverpool said", "Moscow
denied"), or may hold one ("the Jamaica Cancer Society", "Air Zimbabwe", "The Washington Post")."""
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪİĹĽŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"  # capitals of Latin-script names ("Žilina", "Île")
_WORD = (rf"(?:[{_UPPER}][\w'’‘`ʿ.&]*(?:-(?:[{_UPPER}]|[a-z]{{1,3}}-[{_UPPER}])[\w'’‘`ʿ.&]*)*"
         rf"|[Aa][lnrsdtz]-[{_UPPER}][\w'’‘`ʿ-]*)")
_CAP_RUN = re.compile(
    _WORD + r"(?:[ \t]+(?:(?:al|el|ar|an|as|ash|at|ad|az|ed|er|es|ez|de|del|la|le|of|the|upon|on)[- \t]+)?"
    + _WORD + r")*"
)
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|into|across|around|from|to|towards|downtown|suburban)[ \t]+$",
                       re.I)
_INSTITUTION = re.compile(
    r"^[ \t]+(?:Police|PD|Sheriff|Fire|City|County|Town|Borough|Village|Council|Club|School|Schools|Hospital"
    r"|University|College|Chamber|Times|News|Herald|Tribune|Gazette|Courier|Journal|Post|Observer|Record"
    r"|Library|Airport|High|Municipal|Regional|District|Public|Area|Community|Board|Court|Mayor|Sustainable)\b"
)
_BIG = ("PCL", "ADM1", "CONT", "TERR", "PPLC")
_STOP = frozenset(
    {"i", "a", "the", "he", "she", "it", "we", "they", "this", "that", "these", "in", "on", "at", "but", "and",
     "mr", "mrs", "ms", "dr", "president", "minister", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december", "god", "allah", "state", "city", "government", "army",
     "police", "news", "reuters", "so", "if", "as", "an", "by", "for", "from", "to", "with", "after",
     "before", "during", "while", "since", "when", "there", "here", "his", "her", "its", "their", "our", "no",
     "yes", "one", "two", "all", "some", "many", "most", "other", "new", "mosque", "islamic", "free"}
)
GENERIC = frozenset(
    {"north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "centre",
     "center", "middle", "upper", "lower", "coast", "capital", "island", "islands", "valley", "lake", "river",
     "mount", "bay", "beach", "park", "harbour", "harbor", "hill", "hills", "heights", "plains", "delta",
     "interior", "border", "frontier", "national", "federal", "union", "republic", "kingdom", "metro",
     "downtown", "midtown", "uptown", "victoria", "orange", "george", "hope", "unity", "liberty", "independence",
     "progress", "providence", "concord", "friendship", "lincoln", "jackson", "franklin", "wellington",
     "trump", "bush", "obama", "clinton", "reagan", "kennedy", "churchill", "march", "university", "college",
     "hospital", "airport", "church", "school", "court", "bank", "house", "hall", "office", "tower", "station",
     "market", "street", "road", "square", "bridge", "port", "media", "star", "sun", "times", "post", "mail",
     "guardian", "telegraph", "herald", "tribune", "independent", "express", "mirror", "press", "globe",
     "world", "international", "global", "general", "royal", "imperial", "grand", "great", "little", "old",
     "young", "early", "late", "good", "best", "top", "first", "last", "even", "said", "says", "states",
     "supreme", "enterprise", "mass", "easter", "luck", "fox", "ocean", "paul", "julia", "tyler", "chapman", "air",
     "energy"}
)
"""Single words that are also names of places (a region "West", a town "Orange", "Victoria", "Lincoln")
but far more often something else in news: never matched on their own outside NER place spans."""


_FACILITY = frozenset(
    {"church", "cathedral", "mosque", "temple", "synagogue", "hospital", "clinic", "court", "courthouse",
     "prison", "jail", "university", "college", "school", "academy", "center", "centre", "hall", "theatre",
     "theater", "museum", "stadium", "arena", "airport", "palace", "plantation", "estate", "house", "lagoon",
     "camp", "base", "barracks", "station", "park", "square", "street", "avenue", "road", "bridge", "market",
     "mall", "hotel", "library", "racecourse", "cottage", "plant", "area", "areas", "lake", "mountains"}
)
"""Last words of organisation spans that name a building or a site ("Barclays Center", "Cloverhill
District Court", "the Woodman Point Wastewater Treatment Plant"): geoparsing corpora count them as
toponyms; they resolve to a place their name holds or, failing that, the article's main town."""


def _is_facility(span: str) -> bool:
    words = re.sub(r"['’]s$", "", span.strip()).split()
    return len(words) > 1 and words[-1].lower() in _FACILITY and words[-1][:1].isupper()


@dataclass(frozen=True, slots=True)
class Detected:
    start: int
    end: int
    sentence: int
    source: str  # ner | gazetteer | demonym | metonym | embedded


def _sentence_of(sentences: Sequence[Sentence], pos: int) -> int:
    for s in sentences:
        if s.start <= pos < s.end:
            return s.index
    return sentences[-1].index if sentences else 0


def _strip_the(text: str, start: int, end: int) -> int:
    low = text[start:end].lower()
    return start + 4 if low.startswith("the ") and end - start > 4 else start


def is_demonym(span: str) -> bool:
    """'Syrian', 'Europeans', 'Kurdish'?: a country's or a region's people or adjective."""
    return countries.by_demonym(span) is not None or name_key(span) in region_demonyms()


def _likely_place(gazetteer: Gazetteer, span: str, ner_label: str | None, strict: bool = False) -> bool:
    """Whether a capitalised span not labelled as a place is still one. ``strict``: inside another name
    ("the Toronto Police Services Board") or with no NER at all: only countries, regions, capitals,
    cities of 100,000 and the hand-added places."""
    key = name_key(span)
    if not key or key in GENERIC or (key.split()[0] in _STOP and key.split()[0] != "new"):
        return False
    arabic = looks_arabic(span)
    cs, loose = candidates(gazetteer, span)
    if not cs or (loose and not arabic):
        return False
    if len(key) <= 3 and " " not in key:  # "BA", "AI", "La", "Do": only countries ("US", "UK") and
        # first-level regions ("BC", "NSW"), and only in capitals: a name this short is an abbreviation,
        # and "Car" opening a headline is no CAR
        return span.isupper() and not loose and any(
            (p.feature_code or "").startswith(("PCL", "CONT", "TERR", "ADM1")) for p in cs)
    if any((p.feature_code or "").startswith(_BIG) for p in cs) and not loose:
        return True
    if any(p.geonameid is None for p in cs):  # hand additions: camps, bases, crossings
        return True
    regional = [p for p in cs if p.country_code in LOOSE_COUNTRIES]
    if ner_label == "ORG" and regional and not loose and (arabic or len(span.split()) > 1):
        return True  # a town of the region the recogniser took for an organisation ("Kafr Batna")
    if strict:
        return not loose and any((p.population or 0) >= 100_000 for p in cs)
    if ner_label == "PERSON":  # "Maarat al-Numan" tagged PERSON; not "Salah", "Modi", "Yulia"
        return bool(regional) and (arabic or len(span.split()) > 1)
    if regional and (arabic or len(span.split()) > 1 or ner_label == "NORP"):
        return True
    return ner_label is None and any((p.population or 0) >= 100_000 for p in cs) and not loose


def _local_place(gazetteer: Gazetteer, text: str, a: int, b: int, span: str) -> bool:
    """A smaller town named where news names towns: after a locative preposition ("in Klamath Falls",
    "to Cirencester") or before a local institution ("Beverly Hills Police Department", "Slidell PD",
    "the Cavan Sustainable Energy ..."). Exact names of populated places (1,000 people or more) and districts ("to Hampshire") only."""
    key = name_key(span)
    if not key or key in GENERIC or not span[:1].isupper():
        return False
    if state_after(text, b) is not None:  # "Klamath Falls, Ore.", "HORRY COUNTY, SC"
        return any(p.feature_class == "P" or p.feature_code == "ADM2" for p in gazetteer.lookup(span))
    if not (_LOCATIVE.search(text[max(0, a - 12) : a]) or _INSTITUTION.match(text[b : b + 16])):
        return False
    return any((p.feature_class == "P" and (p.population or 0) >= 1000) or p.feature_code == "ADM2"
               for p in gazetteer.lookup(span))


_TO_FROM = re.compile(r"\b(?:to|from)[ \t]+$", re.I)
_PLACE_PREP = re.compile(r"\b(?:in|at|near|outside|into|across|around|towards|downtown)[ \t]+$", re.I)


def _person_place(gazetteer: Gazetteer, text: str, a: int, b: int, span: str) -> bool:
    """A span the model calls a person that is a town's exact name where only a place fits: after "in",
    "at", "near" ("in Klamath Falls", "at Riverdale"), or qualified by a US state ("Klamath Falls,
    Ore."). Not after "to"/"from", where people are named as often."""
    key = name_key(span)
    if not key or key in GENERIC or not span[:1].isupper():
        return False
    if _TO_FROM.search(text[max(0, a - 8) : a]):  # people are named after these too: towns of 15,000 only
        return any(p.feature_class == "P" and (p.population or 0) >= 15_000 for p in gazetteer.lookup(span))
    if not (_PLACE_PREP.search(text[max(0, a - 12) : a]) or state_after(text, b) is not None):
        return False
    return any((p.feature_class == "P" and (p.population or 0) >= 1000) or p.feature_code in ("ADM1", "ADM2")
               for p in gazetteer.lookup(span))


_NAME_TAIL = re.compile(r"[ \t]+(?:[a-zA-Z]{1,3}[-‐‑][ \t]?)?[A-Z][\w‘’'`]*(?:[-‐‑][A-Z][\w‘’'`]*)?")
"""One more word of a name: a capitalised word, maybe after an Arabic article ("ez-Zor", "al-Ain")."""


def _extend(gazetteer: Gazetteer, text: str, a: int, b: int, free: Callable[[int, int], bool]) -> int:
    """Where a place name the model cut short ends: "Deir" + " ez-Zor", "Ras" + " al-Ain" when the
    gazetteer knows the longer name (up to two more words); else ``b``."""
    best, end = b, b
    for _ in range(2):
        m = _NAME_TAIL.match(text, end)
        if m is None or not free(end, m.end()):
            break
        end = m.end()
        if gazetteer.lookup(text[a:end]):
            best = end
    return best


_NAME_HEAD = re.compile(r"(?:^|(?<=[\s(\"“‘']))[A-Z][\w‘’'`]*(?:[-‐‑][\w‘’'`]+)?[ \t]+$")
"""One more word before a name: a capitalised word ("Kafr" before "Batna", "Tal" before "Abyad")."""


def _extend_back(gazetteer: Gazetteer, text: str, a: int, b: int, free: Callable[[int, int], bool]) -> int:
    """Where a place name the model cut short starts: "Kafr" + "Batna" when the gazetteer knows the longer
    name (one more word); else ``a``."""
    m = _NAME_HEAD.search(text, max(0, a - 40), a)
    if m is None or not free(m.start(), a) or not gazetteer.lookup(text[m.start() : b]):
        return a
    return m.start()


def detect_toponyms(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], gazetteer: Gazetteer,
    strict: bool = False, actors: Sequence[ActorMention] = (),
) -> list[Detected]:
    """Toponym spans of one article, in text order, without overlaps. ``strict``: the gazetteer scan
    keeps only unmistakable places (countries, regions, capitals, big cities, hand additions).
    ``actors``: the article's actor mentions (names inside them are no cued places)."""
    found: list[Detected] = []
    taken = bytearray(len(text) + 1)  # 1 where a found span covers the character: overlap tests in C
    strict_all = strict

    def free(a: int, b: int) -> bool:
        return taken.find(1, max(a, 0), b) < 0

    def add(a: int, b: int, sent: int, source: str) -> None:
        found.append(Detected(a, b, sent, source))
        if b > a:
            taken[a:b] = b"\x01" * (b - a)

    blocked = _from_mentions(text, mentions, gazetteer, free, add)
    for run in _CAP_RUN.finditer(text):
        words = list(re.finditer(r"\S+", run.group()))
        n = len(words)
        # the other labels' spans that may hold a part of this run (in order: the first holder counts)
        over: list[tuple[int, int, str]] | None = None
        i = 0
        while i < n:
            hit = None
            first = name_key(words[i].group())
            if (first in _STOP and first != "new") or words[i].group() in ("The", "THE"):
                i += 1  # "The Syrian army", "In Aleppo": never where a name starts ("New York" may)
                continue
            for j in range(n, i, -1):
                a = run.start() + words[i].start()
                b = run.start() + words[j - 1].end()
                while b > a and text[b - 1] in ".’'-&":
                    b -= 1
                span = text[a:b]
                if span.endswith(("'s", "’s")):
                    b -= 2
                    span = text[a:b]
                key = name_key(span)
                if not key or key in _STOP or not free(a, b):
                    continue
                if over is None:
                    rs, re_ = run.start(), run.end()
                    over = [x for x in blocked if x[0] <= re_ and x[1] >= rs]
                inside = next((lab for x, y, lab in over if x <= a and b <= y), None)
                if is_demonym(span):
                    hit = (a, b, "demonym")
                    break
                if inside == "PERSON":
                    continue
                if _likely_place(gazetteer, span, None, strict=strict_all or inside is not None):
                    hit = (a, b, "embedded" if inside else "gazetteer")
                    break
                if not strict_all and _local_place(gazetteer, text, a, b, span):
                    hit = (a, b, "embedded" if inside else "gazetteer")
                    break
            if hit:
                add(hit[0], hit[1], _sentence_of(sentences, hit[0]), hit[2])
                i = next((k for k in range(i, n) if run.start() + words[k].start() >= hit[1]), n)
            else:
                i += 1
    if not strict_all:
        _cued(text, sentences, mentions, actors, gazetteer, found, free, add)
        _listed(text, sentences, mentions, gazetteer, found, free, add)
        _repeat(text, sentences, mentions, gazetteer, found, free, add)
    return sorted(found, key=lambda d: d.start)


def _from_mentions(text: str, mentions: Sequence[Mention], gazetteer: Gazetteer, free: Callable[[int, int], bool],
                   add: Callable[[int, int, int, str], None]) -> list[tuple[int, int, str]]:
    """The toponyms the entity recogniser's mentions give (places, demonyms, places read as persons,
    facilities, metonyms); returns the other mentions, whose spans may still hold a place."""
    blocked: list[tuple[int, int, str]] = []
    for m in mentions:
        if m.label in PLACE_LABELS:
            a = _strip_the(text, m.start, m.end)
            if free(a, m.end):
                start = _extend_back(gazetteer, text, a, m.end, free)
                add(start, _extend(gazetteer, text, start, m.end, free), m.sentence, "ner")
        elif m.label == "NORP" and is_demonym(m.text):
            add(m.start, m.end, m.sentence, "demonym")
        elif m.label == "PERSON" and (_likely_place(gazetteer, m.text, "PERSON") or _person_place(
                gazetteer, text, m.start, m.end, m.text)):
            add(m.start, m.end, m.sentence, "gazetteer")
        elif m.label == "ORG" and _is_facility(m.text):
            add(_strip_the(text, m.start, m.end), m.end, m.sentence, "facility")
        elif m.label in _METONYM_LABELS and m.label != "PERSON" and _likely_place(
            gazetteer, text[_strip_the(text, m.start, m.end) : m.end], m.label, strict=True
        ):
            add(_strip_the(text, m.start, m.end), m.end, m.sentence, "metonym")
        else:
            blocked.append((m.start, m.end, m.label))
    return blocked


_REGIONAL = frozenset({"SY", "IQ", "TR", "JO", "LB", "IL", "PS"})
"""Syria and its neighbours: the countries whose every populated place (cities500) the committed
gazetteer holds, and where the news this coder exists for names small towns, villages and camps."""
_NAME_RUN = re.compile(_WORD + r"(?:[ \t]+" + _WORD + r")*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CUE_WORDS = _words(
    "in at near outside inside into around across towards toward through throughout within on enter entered entering"
    " enters shelled shelling shell struck strike strikes hit hitting bomb bombed bombing bombarded bombarding"
    " pounded pounding captured capture capturing recaptured recapture retook retake seized seize stormed storm"
    " besieged besieging encircled surrounded attacked targeted targeting raided overran liberated reached")
_CUE_NOUNS = _words(
    "town city village hamlet suburb district neighbourhood neighborhood province governorate area countryside"
    " outskirts streets resident residents people siege battle fall capture recapture defence defense centre center"
    " edge heart resort bordertown camp north south east west northeast northwest southeast southwest north-east"
    " north-west south-east south-west northern southern eastern western outside control")
_CUE_SKIP = _words(
    "the besieged rebel-held opposition-held government-held strategic nearby northern southern eastern western"
    " central town city village syrian iraqi turkish kurdish lebanese jordanian")
_WEAK_WORDS = frozenset({"from", "to", "and", "or", "between"})


def _cue(before: str) -> int:
    """2 when what comes just before a name is a place cue seldom used before a person: a locative
    preposition, a verb of attack or capture ("shelled Saraqib", "entered Afrin"), or "<place word>
    of/for" ("the town of Didim", "a resident of Jandaris", "north of Baaj", "the battle for Manbij"),
    with "the" and a few adjectives between ("the strategic Syrian town of"); 1 for "from", "to",
    "and", "or", "between", which name people as often; 0 otherwise."""
    if not before[-1:].isspace():
        return 0
    words = before.lower().split()[-6:]
    while words and words[-1] in _CUE_SKIP:
        words.pop()
    if not words:
        return 0
    last = words[-1]
    if last in _CUE_WORDS or (last in ("of", "for") and len(words) > 1 and words[-2] in _CUE_NOUNS):
        return 2
    return 1 if last in _WEAK_WORDS else 0


_SENTENCE_END = re.compile(r"[.!?][ \t]")
_MONTHS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})


def _context_countries(gazetteer: Gazetteer, text: str, found: Sequence[Detected],
                       actors: Sequence[ActorMention]) -> set[str]:
    """Countries the article is about: those its found places name unmistakably (a country, a demonym,
    a region, a capital or a city of 100,000) and those of its actors."""
    out: set[str] = set()
    for d in found:
        for p in candidates(gazetteer, text[d.start : d.end])[0]:
            if p.country_code and ((p.feature_code or "").startswith(_BIG) or (p.population or 0) >= 100_000):
                out.add(p.country_code)
    for m in actors:
        c = countries.by_iso3(m.actor.country) if m.actor.country else None
        if c is not None:
            out.add(c.iso2)
    return out


def _cued(text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], actors: Sequence[ActorMention],
          gazetteer: Gazetteer, found: list[Detected], free: Callable[[int, int], bool],
          add: Callable[[int, int, int, str], None]) -> None:
    """A town, village, camp or district of Syria and its neighbours that the model missed or called
    something else ("Government forces shelled Saraqib", tagged ORG): a whole capitalised name (no
    capitalised word joined before or after it: not "Abu Saad", "Emmanuel Macron", "Hayat Tahrir al-Sham")
    that is the exact name of such a place, after a cue (:func:`_cue`); outside Syria, and after "from",
    "to", "and", only when the article's other places or actors are of the place's country. Not a name the article gives a person or an
    actor inside a longer name ("Rami" of "Rami Abdurrahman"), not an actor's name ("the Taliban"),
    not a word the article also writes in lower case ("Hero"), not an acronym or a month ("on Nov. 13")."""
    ctx: set[str] | None = None
    longer = [(m.start, m.end) for m in mentions if m.label in ("PERSON", "ORG", "NORP")]
    longer += [(m.start, m.end) for m in actors]
    named = bytearray(len(text) + 1)
    for m in actors:
        named[m.start : m.end] = b"\x01" * (m.end - m.start)
    part_of: dict[str, bool] = {}
    for run in _NAME_RUN.finditer(text):
        a, b = run.start(), run.end()
        stop = _SENTENCE_END.search(text, a, b)  # "Jets bombed Saraqib. The ..."
        if stop is not None:
            b = stop.start() + 1
        while b > a and text[b - 1] in ".’'-&":
            b -= 1
        if text[a:b].endswith(("'s", "’s")):
            b -= 2
        span = text[a:b]
        if b - a < 3 or not free(a, b) or (span.isupper() and len(span) < 6):
            continue
        key = name_key(span)
        if not key or key in GENERIC or key in _MONTHS or key.split()[0] in _STOP:
            continue
        if named.find(1, a, b) >= 0:  # an actor's name ("captured on the Taliban side": a Turkish village)
            continue
        cue = _cue(text[max(0, a - 80) : a])
        if not cue:
            continue
        strong = cue == 2
        places = [p for p in gazetteer.lookup(span) if p.country_code in _REGIONAL and (
            p.feature_class == "P" or p.geonameid is None or p.feature_code in ("ADM1", "ADM2", "ADM3"))]
        if not places:
            continue
        if not strong or not any(p.country_code == "SY" for p in places):  # "into the Taliban" (Turkey)
            if ctx is None:
                ctx = _context_countries(gazetteer, text, found, actors)
            if not any(p.country_code in ctx for p in places):
                continue
        if span not in part_of:  # a person's or an actor's name part elsewhere, or a common word
            pat = re.compile(r"(?<!\w)" + re.escape(span) + r"(?!\w)")
            part_of[span] = any(y - x > b - a and pat.search(text, x, y) for x, y in longer) or re.search(
                r"(?<![\w-])" + re.escape(span.lower()) + r"(?![\w-])", text) is not None
        if part_of[span]:
            continue
        add(a, b, _sentence_of(sentences, a), "cued")


_LIST_GAP = re.compile(r"^(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+|[ \t]*/[ \t]*)$")


def _listed(text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], gazetteer: Gazetteer,
            found: list[Detected], free: Callable[[int, int], bool],
            add: Callable[[int, int, int, str], None]) -> None:
    """Places listed with a found one ("in Zilina, Nitra, Presov and Kosice", "from Gloucester and
    Cheltenham"): a capitalised run joined to a found place by a comma, "and", "or" or a slash is a place
    when it names a town of 1,000 people or more, or a district, in the same country as that place."""
    persons = [(m.start, m.end) for m in mentions if m.label == "PERSON"]
    countries_of: dict[str, set[str]] = {}

    def ccs(name: str) -> set[str]:
        if name not in countries_of:
            countries_of[name] = {p.country_code for p in candidates(gazetteer, name)[0] if p.country_code}
        return countries_of[name]

    changed = True
    while changed:
        changed = False
        spans = sorted((d.start, d.end) for d in found if d.source != "demonym")
        ending: dict[int, list[tuple[int, int]]] = {}  # found spans by end and by start
        starting: dict[int, list[tuple[int, int]]] = {}
        for x, y in spans:
            ending.setdefault(y, []).append((x, y))
            starting.setdefault(x, []).append((x, y))
        for run in _CAP_RUN.finditer(text):
            a, b = run.start(), run.end()
            while b > a and text[b - 1] in ".’'-&":
                b -= 1
            span = text[a:b]
            key = name_key(span)
            if not key or key in GENERIC or key.split()[0] in _STOP or not free(a, b):
                continue
            if any(x <= a and b <= y for x, y in persons):
                continue
            # found spans ending up to 8 characters before the run or starting up to 8 after it
            near = [text[x:y] for k in range(1, 9) for x, y in ending.get(a - k, ()) if _LIST_GAP.match(text[y:a])]
            near += [text[x:y] for k in range(1, 9) for x, y in starting.get(b + k, ()) if _LIST_GAP.match(text[b:x])]
            if not near:
                continue
            want = set().union(*(ccs(n) for n in near))
            if any(p.country_code in want and ((p.feature_class == "P" and (p.population or 0) >= 1000)
                                               or p.feature_code in ("ADM1", "ADM2"))
                   for p in gazetteer.lookup(span)):
                add(a, b, _sentence_of(sentences, a), "listed")
                changed = True


_GENERIC_OR_STOP = GENERIC | _STOP


def _is_word_char(c: str) -> bool:
    """What ``\\w`` matches in a str pattern: a Unicode letter or digit, or the underscore."""
    return c.isalnum() or c == "_"


def _whole_word_at(text: str, name: str) -> list[int]:
    """Where ``name`` stands in ``text`` with no word character joined to it, left to right without
    overlaps: the matches of ``(?<!\\w)name(?!\\w)``, found with ``str.find`` (a regex that starts
    with a lookbehind is tried at every position of the text)."""
    out: list[int] = []
    n = len(name)
    if not n:
        return out
    i = text.find(name)
    while i >= 0:
        if (i == 0 or not _is_word_char(text[i - 1])) and (i + n == len(text) or not _is_word_char(text[i + n])):
            out.append(i)
            i = text.find(name, i + n)
        else:
            i = text.find(name, i + 1)
    return out


def _repeat(text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], gazetteer: Gazetteer,
            found: list[Detected], free: Callable[[int, int], bool], add: Callable[[int, int, int, str], None],
            skip: frozenset[str] = _GENERIC_OR_STOP) -> None:
    """One sense per article: a name found as a place once is a place wherever else the article writes
    it ("the Allendale Woman's Club" after "in Allendale"; a river the model tags once of thirteen
    times), except inside a person's name, and not for a name the gazetteer does not know that the model
    labels something else more often than a place ("Isis")."""
    persons = [(m.start, m.end) for m in mentions if m.label == "PERSON"]
    names = {text[d.start : d.end] for d in found if d.source != "demonym"}
    labels_of: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.text in names:
            labels_of.setdefault(m.text, Counter())["place" if m.label in PLACE_LABELS else m.label] += 1
    found_as_place = Counter(text[d.start : d.end] for d in found if d.source in ("ner", "cued", "listed", "metonym"))
    for name in sorted(names, key=lambda n: (-len(n), n)):  # "New York" before "York"
        if len(name) < 3 or not name[:1].isupper() or name_key(name) in skip:
            continue
        labels = labels_of.get(name, Counter())
        known, loose = candidates(gazetteer, name)
        if (not known or loose) and labels and labels["place"] < max(labels.values()):
            continue  # "Isis", tagged GPE once and ORG more often, is no place the gazetteer knows
        # the model's PERSON on the bare name ("Douma" 13 times of 25) yields to as many places the
        # model or a place cue found (not the bare gazetteer: "Renas", a woman and a Turkish village)
        as_place = found_as_place[name]
        bare = as_place < max(2, labels["PERSON"])  # the bare name as a person still hides it
        for a in _whole_word_at(text, name):
            b = a + len(name)
            if free(a, b) and not any(x <= a and b <= y and (bare or y - x > b - a) for x, y in persons):
                add(a, b, _sentence_of(sentences, a), "repeat")
