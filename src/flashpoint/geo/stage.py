"""The geo pipeline stage: place mentions for the article, and each event candidate's location.

An event happens where its sentence says it happens, not at every place the sentence names: the deal
under which "5,000 militants ... will be evacuated to Idlib" happens where the militants are (Yarmouk
Camp); Idlib is the evacuation's destination. The trigger's own destination is a candidate like any
other: in the training sentences it is the event's place about half the time ("moved to Montreal",
"returned to Paoua"; 16 of the 31 with another candidate), so "evacuated to Idlib" with the trigger
"evacuated" goes to Idlib. The choice, per event candidate:

1. the candidates are the place mentions of the event's sentence, minus demonyms and other adjectives
   ("Kurdish fighters"), names the text gives a person who speaks or a news agency
   (:func:`not_a_place`), names inside a known actor's name ("al-Sham" in "Hayat Tahrir al-Sham"),
   buildings named for their institution (below), destinations or origins that are not the trigger's own ("evacuated to
   Idlib" does not place the deal the sentence reports; the trigger's own follows it within 40
   characters) and, when others remain, reference points ("Maarat al-Numan, a town south of Idlib
   city": Idlib locates Maarat, not the event; 4 in the training set, all wrong, too few to learn). A
   conditional logit picks one (:func:`candidate_features`; weights in ``data/event_location.json``,
   trained by ``training/geo_location/train.py`` on Halterman's event-location sentences, MIT). It weighs
   the side of and distance to the trigger in characters and tokens, the word before the place ("to
   Idlib", "in Homs"; a destination or a locative preposition), the kind (town, area, region, country)
   and whether it is the sentence's finest, a relative position ("south of", "Homs countryside"), the
   rank by distance, a place inside an actor's name, the NER label, how the geoparser found it and the
   dependency path to the trigger. On the 1,582 accepted sentences whose gold location is among the
   candidates, 5-fold cross-validation by text picks it 90.1 % of the time (1,426); the earlier
   hand-weighted rule (:func:`by_rule` with the trigger: the nearest place after penalties for a
   destination, a missing locative preposition and a wider kind) 80.7 % (1,277). Never a country's
   centre when the sentence names a town or province of that country: the model's best of those. A
   model trained with a "none of these" option (``none_option`` in its file; not the shipped one) may
   also say that the sentence names places but not the event's, and the stage goes on as below;
2. when the sentence names none (:func:`settle`), the nearest earlier sentences (two back) by that hand rule without the
   distance (no trigger there to measure from), then the story's place: the article's most named town
   or region, peoples ("the Kurds") left out. When all the text says of an event is its country, the
   story's place in that country stands for it, at geo_precision 2 at best.

A building named for the institution in it ("a Pentagon spokesman said", "the Kremlin denied")
places no event unless the text puts something in, at or near it.

``geo_precision``: 1 a town; 2 near a town ("south of Idlib city", "Homs countryside") or a part of a
region; 3 a region or country.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from flashpoint.errors import ModelError
from flashpoint.geo.detect import Detected
from flashpoint.geo.gazetteer import Gazetteer
from flashpoint.geo.geoparser import Geoparser
from flashpoint.geo.resolve import Resolved
from flashpoint.model_files import model_text
from flashpoint.nlp.parse import ParseTree, is_parsed
from flashpoint.pipeline import ArticleState
from flashpoint.records import ActorMention, EventCandidate, GeoPrecision, Mention, PlaceMention, Token, Via

DEFAULT_MODEL = "event_location.json"
FORMAT = 1
_W_DEST, _W_NOT_IN, _W_KIND = 300, 80, 30
_DESTINATION = re.compile(r"\b(?:to|towards|toward|into|for|from|via)[ \t]+(?:the[ \t]+)?$", re.I)
_IN = re.compile(r"\b(?:in|at|near|outside|inside|of|on|around|across|throughout|within)[ \t]+(?:the[ \t]+)?$",
                 re.I)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t]+(?:the[ \t]+)?$")
_PREPOSITIONS = {"to", "towards", "toward", "into", "for", "from", "via", "in", "at", "near", "outside", "inside",
                 "of", "on", "around", "across", "throughout", "within", "by", "between", "and", "over", "off",
                 "through", "against", "along", "north", "south", "east", "west", "northern", "southern", "eastern",
                 "western", "central"}
_PREP_WORDS = _PREPOSITIONS | {"above", "after", "among", "amid", "as", "because", "before", "behind", "beside",
                               "beyond", "despite", "down", "during", "following", "including", "since", "under",
                               "with", "without", "until", "upon", "up", "onto", "like", "about", "outside"}


def _foreign_destination(r: Resolved, text: str, trigger_end: int | None) -> bool:
    """A destination or origin ("to Idlib", "from Turkey") that is not the trigger's own: "5,000
    militants ... will be evacuated to Idlib" does not place the deal that the sentence reports.
    The trigger's own one follows it closely ("deployed to Kirkuk", "fled to Turkey")."""
    before = text[max(0, r.mention.start - 25) : r.mention.start]
    if not _DESTINATION.search(before):
        return False
    return trigger_end is None or not 0 <= r.mention.start - trigger_end <= 40


_APPOSITIVE = re.compile(
    r"^,[ \t]+(?:a|an|the)[ \t]+(?:[\w-]+[ \t]+){0,3}?(?:town|village|city|district|area|suburb|neighbou?rhood"
    r"|camp|region|hamlet|base|crossing)[ \t]+(?:(?:about|some|around)[ \t]+)?(?:[\d.,]+[ \t]*(?:km|kilometres"
    r"|kilometers|miles)[ \t]+)?(?:\(.{0,20}\)[ \t]+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?[ \t]+)?"
    r"(?:of|from|near|outside)[ \t]+(?:the[ \t]+)?$", re.I)


def _reference_point(r: Resolved, here: Sequence[Resolved], text: str) -> bool:
    """A place named only to say where another lies: "Maarat al-Numan, a town south of Idlib city"
    (Idlib locates Maarat, not the event)."""
    return any(o.mention.end < r.mention.start and _APPOSITIVE.match(text[o.mention.end : r.mention.start])
               for o in here if o is not r)


def _speaker(r: Resolved, text: str) -> bool:
    """A building named for the institution in it ("the Pentagon said", "a White House official",
    "the Kremlin denied"): it places no event unless the text puts something in or at it."""
    place = r.mention.place
    if place is None or place.feature_class != "S":
        return False
    return not _IN.search(text[max(0, r.mention.start - 25) : r.mention.start])


_SPEAKS = re.compile(r"^\s*(?:said|says|told|tells|added|wrote|claimed)\b")
_AGENCY = re.compile(r"^(?:\s+(?:news\s+)?agency|,\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?(?:news\s+)?agency)\b", re.I)
"""After the name: "news agency" ("Sana news agency said"), or an appositive that calls it one ("Sana, the
state news agency"); not "Kunming, according to state news agency Xinhua"."""


def not_a_place(r: Resolved, text: str, mentions: Sequence[Mention], tokens: Sequence[Token]) -> bool:
    """A name the text uses for something other than a place, so never an event's location: an
    adjective of a people ("Kurdish fighters": tagged an adjective and recognised as a people), a person who speaks ("...
    activist Abou X told reporters"), a news agency ("Sana, the state news agency, said")."""
    a, b = r.mention.start, r.mention.end
    cover = [m.label for m in mentions if m.start <= a and b <= m.end]
    words = [t for t in tokens if a <= t.start and t.end <= b]
    if "NORP" in cover and words and all(t.pos == "ADJ" for t in words):
        return True  # tagged an adjective and read as a people: either alone misreads names
    after = text[b : b + 60]
    return ("PERSON" in cover and bool(_SPEAKS.match(after))) or bool(_AGENCY.match(after))


def in_actor_name(r: Resolved, actors: Sequence[ActorMention]) -> bool:
    """A name inside a known actor's name: "al-Sham" in "Hayat Tahrir al-Sham", "Kurdistan" in "the
    Kurdistan Workers' Party". Only names of the knowledge base count: a phrase the actor stage composed
    ("Gaza hospital", "Guarico state") still says where."""
    a, b = r.mention.start, r.mention.end
    return any(m.start <= a and b <= m.end and (m.start, m.end) != (a, b) and m.via in _NAMED for m in actors)


_NAMED = frozenset({Via.ALIAS})


def _people(r: Resolved, mentions: Sequence[Mention]) -> bool:
    """A name the entity recogniser reads as a people or group ("Kurdish", "the Kurds"): no place of the
    story. In the event's own sentence the parse decides (:func:`not_a_place`); the sentences before it
    and the rest of the article are often not parsed."""
    a, b = r.mention.start, r.mention.end
    return any(m.label == "NORP" and m.start <= a and b <= m.end for m in mentions)


def _names_country(r: Resolved) -> bool:
    """A country named as such ("Syria", "Syria's"), not a place the gazetteer could only place in it."""
    place, written = r.mention.place, r.mention.text.casefold()
    return (place is not None and (place.feature_code or "").startswith("PCL")
            and (place.name.casefold() in written or written in place.name.casefold()))


def _within(r: Resolved, country: Resolved) -> bool:
    """A town or an administrative division (GeoNames classes P and A, below a country) of ``country``."""
    place, of = r.mention.place, country.mention.place
    return (place is not None and of is not None and place.feature_class in ("P", "A")
            and not (place.feature_code or "").startswith("PCL") and place.country_code == of.country_code)


def precision(r: Resolved) -> GeoPrecision:
    place = r.mention.place
    if place is None:
        return GeoPrecision.REGION
    if place.feature_class in ("P", "S") and place.feature_code not in ("ADM1", "ADM2"):
        return GeoPrecision.NEAR if r.relative else GeoPrecision.TOWN
    if place.feature_code == "ADM2":
        return GeoPrecision.NEAR
    return GeoPrecision.REGION


def _kind_rank(r: Resolved) -> int:
    p = r.mention.place
    if p is None:
        return 9
    code = p.feature_code or ""
    if p.feature_class in ("P", "S"):
        return 0
    if code == "ADM2" or p.feature_class in ("T", "H", "L"):
        return 1
    if code == "ADM1":
        return 2
    return 3


def by_rule(here: Sequence[Resolved], text: str, anchor: int | None) -> Resolved | None:
    """The hand-weighted rule: the place nearest ``anchor`` in characters (none: the first), after
    penalties for a destination (300), a missing locative preposition (80) and each step of kind (30)."""
    def key(r: Resolved) -> tuple[int, int]:
        before = text[max(0, r.mention.start - 25) : r.mention.start]
        dest = 1 if _DESTINATION.search(before) else 0
        not_in = 0 if _IN.search(before) else 1
        dist = abs(r.mention.start - anchor) if anchor is not None else 0
        return (dest * _W_DEST + not_in * _W_NOT_IN + _kind_rank(r) * _W_KIND + dist, r.mention.start)

    return min(here, key=key, default=None)


# ---------------------------------------------------------------------------------------------- features


@dataclasses.dataclass(frozen=True, slots=True)
class Context:
    """What the features read besides the candidates: the article text, the trigger (character span),
    the sentence's tokens, named-entity and actor mentions, and how the geoparser found each place
    (``sources``: by mention start; "ner", "gazetteer", "metonym", "embedded")."""

    text: str
    trigger: tuple[int, int]
    tokens: Sequence[Token] = ()
    mentions: Sequence[Mention] = ()
    actors: Sequence[ActorMention] = ()
    sources: Mapping[int, str] = dataclasses.field(default_factory=dict)


def _bucket(n: int, edges: Sequence[int]) -> str:
    return next((str(e) for e in sorted(edges, reverse=True) if n >= e), "0")


class _Parse(ParseTree):
    """One sentence's parse, with the relation reading the place features use."""

    def rel(self, tok: Token) -> str:
        head = self.head(tok)
        if tok.dep == "pobj" and head is not None:
            word = head.text.lower()
            return f"pobj:{word if word in _PREP_WORDS else 'other'}"
        return tok.dep or "none"


def _parse_features(tree: _Parse, r: Resolved, trig: Token) -> list[str]:
    """The place's relation to its head and its path to the trigger (up to their lowest common head)."""
    head = tree.span_head(r.mention.start, r.mention.end)
    if head is None:
        return ["dep:none"]
    rel = tree.rel(head)
    up = tree.head(head)
    out = [f"dep:{rel}", f"dep2:{rel}>{tree.rel(up) if up is not None else 'root'}"]
    where = {t.i: n for n, t in enumerate(tree.ancestors(trig))}
    path: list[str] = []
    for t in tree.ancestors(head):
        if t.i in where:
            out += [f"tlen:{min(where[t.i], 3)}", f"lca:{'trigger' if t is trig else 'other'}",
                    f"plen:{min(len(path), 4)}&tlen:{min(where[t.i], 3)}"]
            break
        path.append(tree.rel(t))
    out.append("hpath:" + (">".join(path[:3]) or "self"))
    return out


def _order(here: Sequence[Resolved], ctx: Context) -> tuple[list[int], list[str]]:
    """Each candidate's rank by distance to the trigger, and the order features (first/last/only)."""
    dist = [abs(r.mention.start - ctx.trigger[0]) for r in here]
    by_near = sorted(range(len(here)), key=lambda n: (dist[n], here[n].mention.start))
    rank = [0] * len(here)
    for k, n in enumerate(by_near):
        rank[n] = k
    return rank, [f"n:{min(len(here), 4)}"]


def _words(r: Resolved, ctx: Context) -> list[str]:
    """The preposition (or word) before the place: destination, locative, or neither."""
    before = ctx.text[max(0, r.mention.start - 25) : r.mention.start]
    m = _WORD_BEFORE.search(before)
    word = m.group(1).lower() if m else "none"
    out = [f"prep:{word if word in _PREPOSITIONS else 'other'}"]
    if _DESTINATION.search(before):
        own = 0 <= r.mention.start - ctx.trigger[1] <= 40
        out += ["dest", f"dest:{'own' if own else 'foreign'}"]
    elif _IN.search(before):
        out.append("locative")
    else:
        out.append("noprep")
    if re.search(r",[ \t]*$", before):
        out.append("after_comma")
    return out


def _labels(r: Resolved, ctx: Context) -> list[str]:
    """How the place was found: the NER label over it, the geoparser's source, inside an actor's name."""
    s, e = r.mention.start, r.mention.end
    ner = next((m.label for m in ctx.mentions if m.start < e and s < m.end and m.source == "ner"), "none")
    out = [f"ner:{ner}", f"src:{ctx.sources.get(s, 'none')}"]
    for a in ctx.actors:
        if a.start <= s and e <= a.end:
            out.append("is_actor" if (a.start, a.end) == (s, e) else "in_actor")
            break
    return out


def _key(r: Resolved) -> object:
    p = r.mention.place
    return None if p is None else (p.geonameid or p.name)


def candidate_features(here: Sequence[Resolved], ctx: Context) -> list[tuple[str, ...]]:
    """Each candidate's binary features (``here``: the places of the event's sentence, in text order)."""
    tree = _Parse(ctx.tokens)
    trig = next((t for t in ctx.tokens if t.start <= ctx.trigger[0] < t.end), None) or next(
        (t for t in ctx.tokens if t.start >= ctx.trigger[0]), None)
    parsed = trig is not None and is_parsed(ctx.tokens)
    rank, shared = _order(here, ctx)
    finest = min((_kind_rank(r) for r in here), default=0)
    names = Counter(_key(r) for r in here)
    out = []
    for n, r in enumerate(here):
        m = r.mention
        side = "before" if m.end <= ctx.trigger[0] else "after" if m.start >= ctx.trigger[1] else "over"
        chars = ctx.trigger[0] - m.end if side == "before" else m.start - ctx.trigger[1]
        head = tree.span_head(m.start, m.end)
        toks = abs(head.i - trig.i) if trig is not None and head is not None else 0
        kind, place = _kind_rank(r), m.place
        feats = [f"side:{side}", f"cdist:{side}:{_bucket(chars, (0, 10, 25, 50, 100, 200))}",
                 f"tdist:{side}:{_bucket(toks, (1, 2, 3, 5, 9, 16))}", f"near:{min(rank[n], 3)}",
                 f"kind:{kind}", f"finer:{min(kind - finest, 2)}", *shared, *_words(r, ctx), *_labels(r, ctx)]
        feats.append(f"fclass:{place.feature_class if place else 'none'}")
        if n == 0:
            feats.append("first")
        if n == len(here) - 1:
            feats.append("last")
        if r.relative:
            feats.append("relative")
        if r.qualifier:
            feats.append(f"qualifier:{r.qualifier}")
        if names[_key(r)] > 1:
            feats.append("repeat")
        if parsed and trig is not None:
            feats += _parse_features(tree, r, trig)
        else:
            feats.append("noparse")
        out.append(tuple(dict.fromkeys([*feats, *_crossed(feats)])))
    return out


_PAIRS = (("side:", "prep:"), ("prep:", "kind:"), ("near:", "kind:"), ("near:", "finer:"), ("side:", "dest"),
          ("cdist:", "dest"), ("cdist:", "locative"), ("cdist:", "noprep"), ("side:", "dep:"), ("kind:", "ner:"),
          ("near:", "side:"), ("finer:", "locative"), ("tdist:", "lca:"))


def _crossed(feats: Sequence[str]) -> list[str]:
    """Pairs of features that mean more together (a destination after the trigger, a country in a
    locative phrase)."""
    return [f"{a}&{b}" for x, y in _PAIRS for a in feats if a.startswith(x) for b in feats
            if b.startswith(y) and a != b]


def none_features(n: int) -> tuple[str, ...]:
    """The option "none of the sentence's ``n`` places is the event's": the sentence names places, but
    the event happened elsewhere ("Turkey sent more troops" in a story about a Syrian town)."""
    return ("none", f"none&n:{min(n, 4)}")


def options(features: Sequence[tuple[str, ...]], none_option: bool) -> list[tuple[str, ...]]:
    """What the model chooses among: each candidate's features, and with ``none_option`` (and at least
    one candidate) the "none" option last."""
    return [*features, none_features(len(features))] if none_option and features else list(features)


# ---------------------------------------------------------------------------------------------- the model


@dataclasses.dataclass(frozen=True, slots=True)
class LocationModel:
    """A conditional logit: each candidate scores the sum of its features' weights; the best is the place."""

    weights: dict[str, float]
    meta: dict[str, Any]

    def score(self, features: Iterable[str]) -> float:
        return sum(self.weights.get(f, 0.0) for f in features)

    @property
    def none_option(self) -> bool:
        """Whether the model was trained to choose "none of these places" (:func:`none_features`)."""
        return bool(self.meta.get("none_option"))

    def best(self, options: Sequence[Sequence[str]]) -> int | None:
        """The highest-scoring option (the first on a tie), None when there is none."""
        scores = [self.score(o) for o in options]
        return max(range(len(options)), key=lambda n: (scores[n], -n), default=None)

    def to_json(self) -> str:
        data = {"format": FORMAT, "meta": self.meta, "weights": self.weights}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str = DEFAULT_MODEL) -> LocationModel:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            weights = {str(k): float(v) for k, v in data["weights"].items()}
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ModelError(f"event location model {where}: malformed ({exc!r}); retrain it with "
                             "training/geo_location/train.py") from exc
        return cls(weights, dict(data.get("meta", {})))


@cache
def load_model(path: Path | None = None) -> LocationModel:
    """The event location model at ``path`` (default: the one shipped in the package), loaded once."""
    where = str(path) if path is not None else f"flashpoint/geo/data/{DEFAULT_MODEL}"
    text = model_text("flashpoint.geo", DEFAULT_MODEL, path, "event location model", "training/geo_location/train.py")
    return LocationModel.from_json(text, where)


# ---------------------------------------------------------------------------------------------- the stage


def usable_places(found: Sequence[Detected], resolved: Sequence[Resolved], text: str, mentions: Sequence[Mention],
                  tokens: Sequence[Token], actors: Sequence[ActorMention]) -> list[Resolved]:
    """The resolved places that may be an event's location: not a demonym, a building named for its
    institution, a name used for something else (:func:`not_a_place`) or a name inside an actor's name."""
    return [r for d, r in zip(found, resolved, strict=True)
            if r.mention.place is not None and d.source != "demonym" and not _speaker(r, text)
            and not not_a_place(r, text, mentions, tokens) and not in_actor_name(r, actors)]


def sentence_candidates(usable: Sequence[Resolved], text: str, sentence: int,
                        trigger_end: int | None) -> list[Resolved]:
    """The places a sentence offers the event: its usable places without destinations or origins that
    are not the trigger's own (``trigger_end`` None: any), and without reference points when others remain."""
    here = [r for r in usable if r.mention.sentence == sentence and not _foreign_destination(r, text, trigger_end)]
    return [r for r in here if not _reference_point(r, here, text)] or here


def pick(model: LocationModel, features: Sequence[tuple[str, ...]], here: Sequence[Resolved]) -> int | None:
    """The index in ``here`` of the model's choice (None: no candidate, or none of them); never a
    country's centre when ``here`` names a town or province of that country: the model's best of those."""
    best = model.best(options(features, model.none_option))
    if best is None or best == len(features):
        return None
    finer = [n for n, r in enumerate(here) if _within(r, here[best])]
    if finer and _names_country(here[best]):
        best = finer[model.best([features[n] for n in finer]) or 0]
    return best


def named_places(usable: Sequence[Resolved], mentions: Sequence[Mention]) -> list[Resolved]:
    """The usable places that may stand for an event told without one: peoples ("the Kurds") left out."""
    return [r for r in usable if not _people(r, mentions)]


def story_place(named: Sequence[Resolved]) -> Resolved | None:
    """The story's place: the article's finest kind of place named, the most named of that kind."""
    if not named:
        return None
    counts = Counter((r.mention.place.name if r.mention.place else "") for r in named)
    return min(named, key=lambda r: (_kind_rank(r), -counts[r.mention.place.name if r.mention.place else ""],
                                     r.mention.start))


def settle(chosen: Resolved | None, named: Sequence[Resolved], story: Resolved | None, text: str,
           sentence: int) -> tuple[Resolved, GeoPrecision] | None:
    """Steps 2 and 3 after the model's pick in the event's sentence (None: no candidate, or none of them):
    the nearest of the two sentences before (by :func:`by_rule`), then the story's place; an event told
    only by its country takes the story's place in that country, at geo_precision 2 at best."""
    for back in (1, 2):
        if chosen is not None:
            break
        chosen = by_rule(sentence_candidates(named, text, sentence - back, None), text, None)
    if chosen is None:
        chosen = story
    elif story is not None and _names_country(chosen) and _within(story, chosen):
        return story, max(precision(story), GeoPrecision.NEAR)
    return None if chosen is None else (chosen, precision(chosen))


class GeoStage:
    """Adds ``place_mentions`` and each candidate's ``location`` and ``geo_precision``."""

    name: ClassVar[str] = "geo"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "tokens", "mentions", "candidates"})
    provides: ClassVar[frozenset[str]] = frozenset(
        {"place_mentions", "candidates.location", "candidates.geo_precision"})

    def __init__(self, gazetteer: Gazetteer | None = None, model: LocationModel | None = None) -> None:
        self.geoparser = Geoparser(gazetteer)
        self._model = model

    @property
    def model(self) -> LocationModel:
        if self._model is None:
            self._model = load_model()
        return self._model

    def __call__(self, state: ArticleState) -> ArticleState:
        text = state.article.text
        found, resolved = self.geoparser.resolve_detected(text, state.sentences, state.mentions,
                                                                  state.actor_mentions)
        places = tuple(r.mention for r in resolved if r.mention.place is not None)
        usable = usable_places(found, resolved, text, state.mentions, state.tokens, state.actor_mentions)
        sources = {d.start: d.source for d in found}
        named = named_places(usable, state.mentions)
        story = story_place(named)
        candidates = tuple(self._locate(c, usable, named, story, state, sources) for c in state.candidates)
        return state.with_(self.name, place_mentions=places, candidates=candidates)

    def _locate(self, cand: EventCandidate, usable: Sequence[Resolved], named: Sequence[Resolved],
                story: Resolved | None, state: ArticleState, sources: Mapping[int, str]) -> EventCandidate:
        """``usable``: the places that may be an event's; ``named``: those, peoples left out (for the
        sentences before the event's); ``story``: the story's place (:func:`story_place`)."""
        text = state.article.text
        here = sentence_candidates(usable, text, cand.sentence, cand.trigger[1])
        pick = self.choose(here, Context(text, cand.trigger, state.sentence_tokens(cand.sentence),
                                         [m for m in state.mentions if m.sentence == cand.sentence],
                                         [a for a in state.actor_mentions if a.sentence == cand.sentence], sources))
        found = settle(pick, named, story, text, cand.sentence)
        if found is None:
            return cand
        return dataclasses.replace(cand, location=found[0].mention, geo_precision=found[1])

    def choose(self, here: Sequence[Resolved], ctx: Context) -> Resolved | None:
        """Step 1: the model's pick among the event sentence's candidate places, or none of them (a model
        trained with that option: the sentence names places, but not the event's); never a country's
        centre when the sentence names a town or province of that country: then the model's best of those."""
        best = pick(self.model, candidate_features(here, ctx), here)
        return None if best is None else here[best]


def located(mentions: Sequence[PlaceMention]) -> tuple[PlaceMention, ...]:
    """Only the mentions resolved to a place."""
    return tuple(m for m in mentions if m.place is not None)
