"""Which of an article's event mentions tell again an event it has already reported: a learned merge.

The events stage joins two mentions by rule when they share the sub-event type and a named actor. Many
retellings name no actor, or another one ("the attack", "the strike on the market killed six more").
The repeat model scores each mention from what the sentence model read there and in the sentences
beside it, the mention's place in the article, the mentions of its type before it, and the dates the
sentence gives against the publication date. It is a logistic model trained on the labelled corpus's
whole articles (``training/reports/train.py``): every mention the coder emits there, read by a sentence
model that never saw the article, labelled by whether it matches a hand-coded event one to one. A
mention it scores under its threshold that follows a kept event of the same kind joins that event as
further evidence (its ``also``), and fills the roles and figure the event's own mention left empty; the
kind is the model's ``join_by`` (:data:`JOIN_BY`), chosen by cross-validated article F1: the sub-event
type, or for political violence any of its types ("the attack" after an IED blast). A low-scored
mention that retells nothing is left out when its event type is one of the model's ``drop_types``
(chosen the same way); every other mention stands. (Leaving out the low mentions of every type raised
article precision further but dropped hand-coded events of the seed article: see
``training/reports/README.md``.) The weights live in ``data/repeats.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from flashpoint.errors import ModelError
from flashpoint.events.corpus import REASONS
from flashpoint.events.sentence_model import NONE, Reading
from flashpoint.events.taxonomy import incident
from flashpoint.model_files import model_text
from flashpoint.records import DEFAULT_MODALITIES, Event, EventCandidate, Modality, Sentence

DEFAULT_MODEL = "repeats.json"
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_WORDS = re.compile(r"\w+")

FEATURES: tuple[str, ...] = (
    "p_none", "p_label", "model_current",
    *(f"reason_{r}" for r in REASONS),
    "prev_p_event", "next_p_event", "prev_reason_statement", "prev_reason_background", "next_reason_statement",
    "position", "first_sentence", "early", "log_sentences",
    "mentions_before", "same_type_before", "same_sub_before", "first_mention", "log_also",
    "confidence", "has_actor1", "has_actor2", "has_fatalities", "attempted",
    *(f"type_{t}" for t in EVENT_TYPES),
    "older_year", "date_none", "date_recent", "date_month", "date_old", "log_words",
)
"""The model's columns, in order; a model file with other names is refused."""

JOIN_BY = ("sub_event_type", "violence")
"""What a retelling shares with the event it joins: its sub-event type; or, for political violence, only
that (:func:`flashpoint.events.taxonomy.incident`: "the attack" after an IED blast, "the raid" after an
air strike), other types still by sub-event type. Joining protests across their sub-event types, or
strategic developments, raised cross-validated F1 a little more on one coding of the corpus but merged
the seed article's distinct protests and its ultimatum into other events: see
``training/reports/README.md``."""


def _probs(pairs: Sequence[tuple[str, float]]) -> dict[str, float]:
    return dict(pairs)


def _p_event(reading: Reading | None) -> float:
    if reading is None:
        return 0.0
    return 1.0 - _probs(reading.event_probs).get(NONE, 1.0)


def _reason(reading: Reading | None, reason: str) -> float:
    if reading is None:
        return 0.0
    probs = _probs(reading.reason_probs)
    if probs:
        return probs.get(reason, 0.0)
    return 1.0 if reading.reason == reason else 0.0


def _date_columns(text: str, published: dt.date | None) -> dict[str, float]:
    """How long before publication the sentence dates what it tells (resolved date words); nothing for an
    undated article."""
    if published is None:
        return {}
    from flashpoint.temporal.expressions import resolve_date

    when = resolve_date(text, published)
    if when is None:
        return {"date_none": 1.0}
    days = (published - when.end).days
    if days <= 7:
        return {"date_recent": 1.0}
    return {"date_month": 1.0} if days <= 31 else {"date_old": 1.0}


def features(candidates: Sequence[EventCandidate], sentences: Sequence[Sentence], readings: Sequence[Reading],
             published: dt.date | None) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate, read against the whole article's mentions."""
    rows = np.zeros((len(candidates), len(FEATURES)), dtype=np.float64)
    column = {name: i for i, name in enumerate(FEATURES)}
    n = max(1, len(sentences))
    for k, c in enumerate(candidates):
        i = c.sentence
        reading = readings[i] if 0 <= i < len(readings) else None
        before = [b for b in candidates[:k] if b.modality in DEFAULT_MODALITIES]
        text = sentences[i].text if 0 <= i < len(sentences) else ""
        years = [int(y) for y in _YEAR.findall(text)]
        values: dict[str, float] = {
            "p_none": 1.0 - _p_event(reading),
            "p_label": _probs(reading.event_probs).get(c.sub_event_type, 0.0) if reading else 0.0,
            "model_current": float(reading is not None and reading.label != NONE
                                   and reading.modality in DEFAULT_MODALITIES),
            **{f"reason_{r}": _reason(reading, r) for r in REASONS},
            "prev_p_event": _p_event(readings[i - 1]) if i > 0 else 0.0,
            "next_p_event": _p_event(readings[i + 1]) if i + 1 < len(readings) else 0.0,
            "prev_reason_statement": _reason(readings[i - 1], "statement") if i > 0 else 0.0,
            "prev_reason_background": _reason(readings[i - 1], "background") if i > 0 else 0.0,
            "next_reason_statement": _reason(readings[i + 1], "statement") if i + 1 < len(readings) else 0.0,
            "position": i / n, "first_sentence": float(i == 0), "early": float(i < 3),
            "log_sentences": math.log1p(len(sentences)),
            "mentions_before": math.log1p(len(before)),
            "same_type_before": math.log1p(sum(b.event_type == c.event_type for b in before)),
            "same_sub_before": math.log1p(sum(b.sub_event_type == c.sub_event_type for b in before)),
            "first_mention": float(not before), "log_also": math.log1p(len(c.also)),
            "confidence": c.confidence, "has_actor1": float(c.actor1 is not None),
            "has_actor2": float(c.actor2 is not None or c.target is not None),
            "has_fatalities": float(c.fatalities is not None), "attempted": float(c.modality is Modality.ATTEMPTED),
            f"type_{c.event_type}": 1.0,
            "older_year": float(published is not None and any(y < published.year for y in years)),
            **_date_columns(text, published),
            "log_words": math.log1p(len(_WORDS.findall(text))),
        }
        for name, value in values.items():
            if name in column:
                rows[k, column[name]] = value
    return rows


@dataclass(frozen=True, slots=True)
class RepeatModel:
    """Logistic weights over :data:`FEATURES` and the threshold under which a mention is a retelling."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    trained_on: str = ""
    drop_types: tuple[str, ...] = ()  # event types whose low-scored mentions that retell nothing are left out
    join_by: str = "sub_event_type"  # or "violence" (JOIN_BY): what a retelling shares with the event it joins

    def scores(self, rows: np.ndarray) -> np.ndarray:
        z = rows @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> str:
        data = {"features": list(FEATURES), "weights": [round(w, 5) for w in self.weights],
                "bias": round(self.bias, 5), "threshold": round(self.threshold, 4),
                "drop_types": list(self.drop_types), "join_by": self.join_by, "trained_on": self.trained_on}
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> RepeatModel:
        try:
            data = json.loads(text)
            names, weights = tuple(data["features"]), tuple(float(w) for w in data["weights"])
            drop = tuple(str(t) for t in data.get("drop_types", ()))
            join_by = str(data.get("join_by", "sub_event_type"))
            if join_by not in JOIN_BY:
                raise ValueError(f"join_by {join_by!r} is not one of {', '.join(JOIN_BY)}")
            model = cls(weights, float(data["bias"]), float(data["threshold"]), str(data.get("trained_on", "")), drop,
                        join_by)
        except (KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"repeat model {where}: malformed ({exc!r}); retrain it with training/reports/train.py") from exc
        if names != FEATURES or len(weights) != len(FEATURES):
            raise ModelError(f"repeat model {where}: its feature names are not this flashpoint's; retrain it with training/reports/train.py")
        return model

    def kind(self, mention: EventCandidate | Event) -> str:
        """What a retelling shares with the event it joins (:attr:`join_by`)."""
        if self.join_by == "violence" and incident(mention.event_type) == "violence":
            return "violence"
        return mention.sub_event_type

    def decide(self, mentions: Sequence[EventCandidate | Event], scores: Sequence[float]) -> tuple[
            list[int], dict[int, int]]:
        """Which mentions stand (their indices, in order) and which join an earlier standing one (index to
        its host's index); the others are left out. ``scores`` are this model's, one per mention. An
        article with fewer than two mentions in the default output keeps them all."""
        if sum(c.modality in DEFAULT_MODALITIES for c in mentions) < 2:
            return list(range(len(mentions))), {}
        kept: list[int] = []
        joins: dict[int, int] = {}
        for n, (c, score) in enumerate(zip(mentions, scores, strict=True)):
            low = c.modality in DEFAULT_MODALITIES and score < self.threshold
            host = None
            if low:
                host = next((k for k in reversed(kept) if mentions[k].modality in DEFAULT_MODALITIES
                             and self.kind(mentions[k]) == self.kind(c)), None)
            if host is not None:
                joins[n] = host
            elif not (low and c.event_type in self.drop_types):
                kept.append(n)
        return kept, joins

    def merge(self, candidates: Sequence[EventCandidate], sentences: Sequence[Sentence],
              readings: Sequence[Reading], published: dt.date | None) -> tuple[EventCandidate, ...]:
        """The candidates with each retelling joined to the event it tells again (see the module docstring)."""
        scores = self.scores(features(candidates, sentences, readings, published))
        kept, joins = self.decide(candidates, [float(x) for x in scores])
        out = {k: candidates[k] for k in kept}
        for n, host in joins.items():
            out[host] = joined(out[host], candidates[n])
        return tuple(out[k] for k in kept)


_FILLED = (("actor1",), ("actor2",), ("target",), ("fatalities", "fatalities_span"))
"""Fields a retelling gives its event where the event's own mention left them empty ("the protest
against HTS" after a march whose sentence named no target)."""


def joined(event: EventCandidate, retelling: EventCandidate) -> EventCandidate:
    """``event`` with ``retelling`` joined: its sentences added as evidence, and the roles and figure the
    event's own mention left empty taken from it."""
    told = tuple(sorted({*event.also, retelling.sentence, *retelling.also} - {event.sentence}))
    filled = {name: getattr(retelling, name) for names in _FILLED if getattr(event, names[0]) is None
              and getattr(retelling, names[0]) is not None for name in names}
    return dataclasses.replace(event, also=told, **filled)


def load_model(path: Path | None = None) -> RepeatModel:
    """The repeat model at ``path`` (default: the one shipped in the package)."""
    text = model_text("flashpoint.events", DEFAULT_MODEL, path, "repeat model", "training/reports/train.py")
    return RepeatModel.from_json(text, str(path or DEFAULT_MODEL))
