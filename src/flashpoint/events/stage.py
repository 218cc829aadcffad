"""The events stage: finds every event an article reports and classifies it in ACLED's taxonomy.

The sentence model (:mod:`~flashpoint.events.sentence_model`, learned from labelled news and ACLED
notes) reads every sentence and decides what it reports: a current event, a plan, a threat or a past
event (kept with that modality, not output by default), or nothing codable (a statement, an opinion,
off-topic: no event, whatever cue a rule sees). In a sentence that reports an event, ACLED's defining
cues (:mod:`~flashpoint.events.rules`: a suicide bomber, a grenade, tear gas at a protest) fix the
sub-event type where they fire, the model's type stands elsewhere, and a second, distinct event in
the same sentence (another event type with its own cue) is kept too. Each event gets its modality,
actor roles, fatalities and other counts. A second mention of the same event in one article (same
sub-event type and actors) merges into the first, keeping the better-supported one; so does a mention
the repeat model (:mod:`~flashpoint.events.repeats`, learned from the corpus's whole articles) reads as
a retelling of the last event of its sub-event type.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from flashpoint.events import rules, taxonomy
from flashpoint.events.anchoring import ArticleClock, anchor_reading
from flashpoint.events.arguments import assign
from flashpoint.events.decide import current, read_article
from flashpoint.events.generic import generic_reading, names_a_thing
from flashpoint.events.modality import read_modality, retrospective
from flashpoint.events.prefilter import may_hold_event
from flashpoint.events.quantities import other_quantities
from flashpoint.events.repeats import RepeatModel
from flashpoint.events.repeats import load_model as load_repeat_model
from flashpoint.events.roles import article_country
from flashpoint.events.sentence_model import NONE, REASON_MODALITY, Reading, SentenceModel, load_model
from flashpoint.events.toll import read_figure
from flashpoint.pipeline import ArticleState
from flashpoint.records import ActorMention, EventCandidate, Modality, Sentence, Token

_DEFAULT = frozenset({Modality.ASSERTED, Modality.ATTEMPTED})
_FOLLOW_UP = 3
_TERRITORY_GAIN = {"Government regains territory", "Non-state actor overtakes territory"}
_CROWDS = frozenset({5, 6, 7})
"""ACLED inter codes of rioters, protesters and civilians: an actor of that kind names no one group."""
_PARTICIPANT_CUES = frozenset({"Change to group/activity"})
"""Second-event cues that, beside a violent event, describe its participants ("the bus he was riding
in was hit by a rocket", "forces deployed in the area were shelled"), not an event of their own."""


class EventStage:
    """EventCandidates from sentences, tokens, mentions and actor mentions."""

    name: ClassVar[str] = "events"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "tokens", "mentions", "actor_mentions"})
    provides: ClassVar[frozenset[str]] = frozenset({"candidates"})

    def __init__(self, model_path: Path | None = None, *, repeats: bool = True) -> None:
        self.model_path = model_path
        self.repeats = repeats  # False: no learned merge of retellings (to train the repeat model)
        self._model: SentenceModel | None = None
        self._repeat_model: RepeatModel | None = None

    @property
    def model(self) -> SentenceModel:
        if self._model is None:
            self._model = load_model(self.model_path)
        return self._model

    @property
    def repeat_model(self) -> RepeatModel:
        if self._repeat_model is None:
            self._repeat_model = load_repeat_model()
        return self._repeat_model

    def __call__(self, state: ArticleState) -> ArticleState:
        tokens: dict[int, list[Token]] = {}
        for t in state.tokens:
            tokens.setdefault(t.sentence, []).append(t)
        actors: dict[int, list[ActorMention]] = {}
        for m in sorted(state.actor_mentions, key=lambda m: m.start):
            actors.setdefault(m.sentence, []).append(m)
        country = article_country(state.actor_mentions)
        found: list[EventCandidate] = []
        readings = read_article(self.model, [s.text for s in state.sentences])
        for sentence, reading in zip(state.sentences, readings, strict=True):
            found.extend(self.sentence_events(sentence, tokens.get(sentence.index, []),
                                              actors.get(sentence.index, []), country,
                                              actors.get(sentence.index - 1, ()), state.article.published,
                                              reading))
        published = state.article.published
        if published is not None and found:
            found = anchored(found, state.sentences, tokens, published)
        candidates = merge(found)
        if self.repeats:
            candidates = self.repeat_model.merge(candidates, state.sentences, readings, published)
        return state.with_(self.name, candidates=candidates)

    def sentence_events(self, sentence: Sentence, tokens: Sequence[Token], mentions: Sequence[ActorMention],
                        country: str | None, context: Sequence[ActorMention] = (),
                        date: dt.date | None = None, reading: Reading | None = None) -> list[EventCandidate]:
        """The events one sentence reports (usually none or one, at most two).

        ``context`` holds the previous sentence's actor mentions (antecedents of "it", "its fighters").
        """
        where = (context, date)
        if reading is None:
            reading = self.model.read([sentence.text])[0]
        probs = dict(reading.event_probs) or {NONE: 1.0}
        if not may_hold_event(sentence.text) and reading.label == NONE:
            return []
        # a trigger word that only modifies a thing's name ("protest groups", "detention camp") is no cue
        hits = [h for h in rules.hits(sentence.text)
                if h.label == NONE or not names_a_thing(tokens, (sentence.start + h.start, sentence.start + h.end))]
        # prefer a strong trigger the sentence asserts over one it only threatens or imagines
        strong = [h for h in hits if h.strong and h.label != NONE and h.tier != "veto"]
        if len(strong) > 1:
            asserted = [h for h in strong if self._modality(sentence, tokens, h, date) in _DEFAULT]
            if asserted and len(asserted) < len(strong):
                hits = [h for h in hits if h not in strong or h in asserted]
        first = rules.decide(probs, hits)
        strong_fired = any(h.strong and h.label != NONE and h.tier != "veto" for h in hits)
        if not strong_fired and current(reading):
            first = rules.Decision(reading.label, reading.confidence, next((h for h in hits if h.label == reading.label), None))
        if first.label == NONE:
            return []
        # news: the model reads a current event; or it reads a report (its reason) whose type only a cue
        # names; or a past event the sentence itself dates within the month before publication
        news = (current(reading) or (reading.reason == "event" and strong_fired)
                or (reading.reason in _PAST and _recent(sentence.text, date)))
        if not news and reading.reason not in REASON_MODALITY:
            return []  # a statement, an opinion, off-topic: no event, whatever cue a rule saw
        out = [self._candidate(sentence, tokens, mentions, country, first.label, first.confidence, first.hit,
                               *where)]
        primary = taxonomy.get(first.label)
        for h in hits:
            if not h.strong or h.label in (NONE, first.label) or first.hit is None:
                continue
            if h.label in _PARTICIPANT_CUES and taxonomy.incident(primary.event_type) == "violence":
                continue
            other = taxonomy.get(h.label)
            if taxonomy.incident(other.event_type) == taxonomy.incident(primary.event_type):
                continue
            if abs(h.start - first.hit.start) < 25:
                continue
            out.append(self._candidate(sentence, tokens, mentions, country, h.label,
                                       max(0.3, first.confidence - 0.15), h, *where))
            break
        if not news:  # the model reads a plan, a threat or a past event: kept, not news
            out = [dataclasses.replace(c, modality=REASON_MODALITY[reading.reason]) for c in out]
        return out

    @staticmethod
    def _modality(sentence: Sentence, tokens: Sequence[Token], hit: rules.RuleHit,
                  date: dt.date | None = None) -> Modality:
        trigger = (sentence.start + hit.start, sentence.start + hit.end)
        modality = read_modality(sentence.text, sentence.start, tokens, trigger).modality
        if modality in _DEFAULT:
            generic = generic_reading(sentence.text, tokens, trigger, date, lead=sentence.index == 0)
            if generic is not None:
                return generic.modality
        return modality

    def _candidate(self, sentence: Sentence, tokens: Sequence[Token], mentions: Sequence[ActorMention],
                   country: str | None, label: str, confidence: float, hit: rules.RuleHit | None,
                   context: Sequence[ActorMention] = (), date: dt.date | None = None) -> EventCandidate:
        if hit is not None:
            trigger = (sentence.start + hit.start, sentence.start + hit.end)
        else:
            trigger = _first_verb(sentence, tokens)
        reading = read_modality(sentence.text, sentence.start, tokens, trigger)
        modality = reading.modality
        if modality in _DEFAULT and retrospective(sentence.text, date):
            modality = Modality.BACKGROUND
        if modality in _DEFAULT:  # a kind of event, a habit, a dated or described one: not a report
            generic = generic_reading(sentence.text, tokens, trigger, date, lead=sentence.index == 0)
            if generic is not None:
                modality = generic.modality
        if reading.negated and modality in (Modality.ASSERTED, Modality.ATTEMPTED):
            modality = Modality.HYPOTHETICAL
            confidence *= 0.5
        if label in _TERRITORY_GAIN and _takes_people(tokens, trigger):
            label = "Arrests"  # "the last two cell members have been seized": people are taken, not a place
        if modality is Modality.ATTEMPTED and label in _TERRITORY_GAIN:
            label = "Armed clash"  # an attempt to take a place that failed is a battle without a change
        sub = taxonomy.get(label)
        roles = assign(sub.name, sentence.text, sentence.start, sentence.index, tokens, mentions, trigger, country,
                       context, date)
        deaths = read_figure(sentence.text)
        return EventCandidate(
            sentence=sentence.index,
            event_type=sub.event_type,
            sub_event_type=sub.name,
            modality=modality,
            confidence=round(float(confidence), 4),
            trigger=trigger,
            actor1=roles.actor1,
            actor2=roles.actor2,
            assoc_actor_1=roles.assoc_actor_1,
            target=roles.target,
            fatalities=deaths.value if deaths else None,
            fatalities_span=(sentence.start + deaths.start, sentence.start + deaths.end) if deaths else None,
            quantities=other_quantities(sentence.text),
        )


_RECENT_DAYS = 31
_PAST = frozenset({"background", "generic"})


def _recent(text: str, published: dt.date | None) -> bool:
    """The sentence dates what it tells within the month before publication: news, whatever the model read
    (it reads the sentence alone, and does not know when the article appeared)."""
    if published is None:
        return False
    from flashpoint.temporal.expressions import resolve_date

    when = resolve_date(text, published)
    return when is not None and 0 <= (published - when.end).days <= _RECENT_DAYS


def anchored(candidates: Sequence[EventCandidate], sentences: Sequence[Sentence],
             tokens: dict[int, list[Token]], published: dt.date) -> list[EventCandidate]:
    """Reported mentions that are history against the publication date become background
    (:func:`~flashpoint.events.anchoring.anchor_reading`)."""
    clock = ArticleClock(sentences, published)
    by_index = {s.index: s for s in sentences}
    out = []
    for c in candidates:
        sentence = by_index.get(c.sentence)
        if c.modality in _DEFAULT and sentence is not None:
            reading = anchor_reading(clock, sentence, tokens.get(c.sentence, []), c.trigger)
            if reading is not None:
                c = dataclasses.replace(c, modality=reading.modality)
        out.append(c)
    return out


_PEOPLE = frozenset({"member", "fighter", "militant", "jihadi", "jihadist", "man", "woman", "people", "person",
                     "soldier", "officer", "commander", "leader", "suspect", "britons", "briton", "national",
                     "citizen", "civilian", "rebel", "insurgent", "hostage", "journalist", "child"})


def _takes_people(tokens: Sequence[Token], trigger: tuple[int, int]) -> bool:
    """The capture verb's patient is people: their passive subject ("members have been captured") or the
    noun a participle describes ("fighters captured in Syria")."""
    verb = next((t for t in tokens if t.start <= trigger[0] < t.end), None)
    if verb is None or verb.pos not in ("VERB", "AUX") or not verb.dep:
        return False
    by = {t.i: t for t in tokens}
    if verb.dep in ("acl", "amod", "relcl") and verb.tag == "VBN":
        head = by.get(verb.head)
        if head is not None and head.lemma.lower() in _PEOPLE:
            return True
    before = [t for t in tokens if t.end <= verb.start][-4:]  # "members have been captured", parsed or not
    words = [t.lemma.lower() for t in before]
    if "be" in words and words[-1] == "be":
        noun = next((w for w in reversed(words) if w not in ("be", "have")), None)
        if noun in _PEOPLE:
            return True
    return any(t.head == verb.i and t.dep == "nsubjpass" and t.lemma.lower() in _PEOPLE for t in tokens)


def _first_verb(sentence: Sentence, tokens: Sequence[Token]) -> tuple[int, int]:
    verb = next((t for t in tokens if t.pos == "VERB"), None) or next(iter(tokens), None)
    if verb is None:
        return (sentence.start, sentence.end)
    return (verb.start, verb.end)


def _actor_names(c: EventCandidate) -> frozenset[str]:
    return frozenset(m.actor.name for m in (c.actor1, c.actor2, c.target) if m is not None and m.actor.known)


_INCIDENT_KIND = {sub: "territory" for sub in (*_TERRITORY_GAIN, "Non-violent transfer of territory")}
"""Sub-event types that one incident is reported under in different sentences: a town "reclaimed" by the
army, then "complete control after the withdrawal" of its defenders, is one change of hands."""


def _kind(c: EventCandidate) -> str:
    return _INCIDENT_KIND.get(c.sub_event_type, c.sub_event_type)


def _organised(shared: frozenset[str], *events: EventCandidate) -> bool:
    """Some shared actor is an organised one: protesters, rioters or civilians of a country are many crowds."""
    return any(m.actor.name in shared and m.actor.inter not in _CROWDS
               for c in events for m in (c.actor1, c.actor2, c.target) if m is not None)


def merge(candidates: Sequence[EventCandidate]) -> tuple[EventCandidate, ...]:
    """Merge mentions of one event: the same sub-event type (or one change of territory under two of its
    types) and modality, and a named actor in common ("the Valley Brigade had taken the last hilltop
    posts" after "the Valley Brigade said it had seized the town's airfield"; one event type and one
    actor in one article is one incident far more often than two).

    A mention naming no actor follows up the last event of its kind reported at most
    :data:`_FOLLOW_UP` sentences before ("detained at the border ..." then "after ten days in a cell").
    The better-supported mention (the higher confidence; the first on a tie) stands for the event, in
    the place of the first; the sentences of the others stay in its ``also``, as further evidence.
    """
    kept: list[EventCandidate] = []
    for c in candidates:
        names = _actor_names(c)
        same = [k for k in kept if _kind(k) == _kind(c) and k.modality == c.modality and k.sentence != c.sentence]
        if names:
            twin = next((k for k in same if names <= _actor_names(k) or _organised(names & _actor_names(k), c, k)),
                        None)
        else:  # no named actor: a follow-up on the same kind of event just reported ("after a week in custody")
            twin = next((k for k in reversed(same) if 0 < c.sentence - k.sentence <= _FOLLOW_UP), None)
        if twin is None:
            kept.append(c)
            continue
        told = tuple(sorted({twin.sentence, *twin.also, c.sentence, *c.also}))
        if names and c.confidence > twin.confidence:  # the better-supported mention stands for the event
            kept[kept.index(twin)] = dataclasses.replace(c, also=tuple(i for i in told if i != c.sentence))
        else:
            kept[kept.index(twin)] = dataclasses.replace(twin, also=tuple(i for i in told if i != twin.sentence))
    return tuple(kept)
