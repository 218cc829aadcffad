"""Scoring against CASE-2021 task 2 (fine-grained event classification) in ACLED's sub-event types.

Each snippet is coded as an article with its id; the predicted label is the sub-event type of the
highest-confidence event in the default output (asserted or attempted), or NONE when there is none.
The CASE short labels map to ACLED sub-event names (:data:`flashpoint.events.taxonomy.CASE2021_LABELS`);
the five that are not ACLED events (disasters, crime, diplomacy, claims) count as NONE. Reported:
accuracy, macro-F1, support-weighted F1, per-class precision/recall/F1/support, and a confusion table.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from flashpoint.errors import InputError
from flashpoint.events.taxonomy import CASE2021_LABELS
from flashpoint.pipeline import ArticleState, Pipeline, Stage
from flashpoint.records import DEFAULT_MODALITIES, Article, Modality

NONE = "NONE"


@dataclass(frozen=True, slots=True)
class Snippet:
    id: str
    text: str
    label: str  # ACLED sub-event name or NONE


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


@dataclass(frozen=True, slots=True)
class Case2021Report:
    n: int
    accuracy: float
    macro_f1: float
    weighted_f1: float
    classes: tuple[ClassScore, ...]
    confusion: dict[tuple[str, str], int]  # (gold, predicted) -> count
    predictions: tuple[tuple[str, str, str], ...]  # (id, gold, predicted)


def read_gold(path: Path) -> list[Snippet]:
    """Snippets of a CASE-2021 TSV (columns id, EventSnippet, SubType)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = {"id", "EventSnippet", "SubType"} - set(reader.fieldnames or [])
            if missing:
                raise InputError(str(path), f"missing column(s) {sorted(missing)}; expected id, EventSnippet, SubType")
            rows = list(reader)
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc})") from exc
    out = []
    for n, row in enumerate(rows, start=2):
        short = (row.get("SubType") or "").strip()
        if short not in CASE2021_LABELS:
            raise InputError(f"{path}:{n}", f"unknown CASE-2021 label {short!r}")
        out.append(Snippet(str(row["id"]), row.get("EventSnippet") or "", CASE2021_LABELS[short] or NONE))
    if not out:
        raise InputError(str(path), "no snippets")
    return out


class _Scored(Protocol):
    @property
    def sub_event_type(self) -> str: ...
    @property
    def modality(self) -> Modality: ...
    @property
    def confidence(self) -> float: ...


def predicted_label(events: Iterable[_Scored]) -> str:
    """Sub-event type of the highest-confidence event in the default output, else NONE."""
    best = max((e for e in events if e.modality in DEFAULT_MODALITIES), key=lambda e: e.confidence, default=None)
    return best.sub_event_type if best is not None else NONE


def score(gold: Sequence[Snippet], predicted: Sequence[str]) -> Case2021Report:
    """Accuracy, macro-F1 and support-weighted F1 (over labels in gold or predictions), per class."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold snippets but {len(predicted)} predictions")
    pairs = [(g.label.lower(), p.lower()) for g, p in zip(gold, predicted, strict=True)]
    names = {g.label.lower(): g.label for g in gold} | {p.lower(): p for p in predicted if p.lower() not in
                                                           {g.label.lower() for g in gold}}
    confusion = Counter(pairs)
    support = Counter(g for g, _ in pairs)
    made = Counter(p for _, p in pairs)
    classes = []
    for key in sorted(names, key=lambda k: (-support[k], k)):
        tp = confusion[(key, key)]
        precision = tp / made[key] if made[key] else 0.0
        recall = tp / support[key] if support[key] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        classes.append(ClassScore(names[key], precision, recall, f1, support[key], made[key]))
    n = len(pairs)
    return Case2021Report(
        n=n,
        accuracy=sum(confusion[(k, k)] for k in names) / n,
        macro_f1=sum(c.f1 for c in classes) / len(classes),
        weighted_f1=sum(c.f1 * c.support for c in classes) / n,
        classes=tuple(classes),
        confusion={(names[g], names[p]): c for (g, p), c in confusion.items()},
        predictions=tuple((s.id, s.label, p) for s, p in zip(gold, predicted, strict=True)),
    )


class _NoActors:
    """Stands in for the actor stage where it is not installed: no actor mentions."""

    name: ClassVar[str] = "actors"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "mentions"})
    provides: ClassVar[frozenset[str]] = frozenset({"actor_mentions"})

    def __call__(self, state: ArticleState) -> ArticleState:
        return state.with_(self.name, actor_mentions=())


def event_pipeline(model_path: Path | None = None) -> Pipeline:
    """nlp -> actors (when installed) -> events: what classification needs, no places or dates."""
    from flashpoint.events import EventStage, may_hold_event
    from flashpoint.nlp import NlpStage
    from flashpoint.nlp.model import SpacyModel

    actors: Stage
    try:
        from flashpoint.actors import ActorStage  # type: ignore[attr-defined]

        actors = ActorStage()
    except ImportError:
        actors = _NoActors()
    return Pipeline([NlpStage(SpacyModel(), parse_filter=may_hold_event), actors, EventStage(model_path)])


def predict(snippets: Sequence[Snippet], model_path: Path | None = None, *, full: bool = True) -> list[str]:
    """Code every snippet as an article with the whole coder (as ``code`` does), or, with ``full``
    False, only the stages classification needs (nlp, actors, events: same labels, faster)."""
    articles = [Article(s.id, s.text) for s in snippets]
    if full:
        from flashpoint.coder import Coder

        return [predicted_label(state.events) for state in Coder(model_path=model_path).pipe(articles)]
    pipeline = event_pipeline(model_path)
    return [predicted_label(state.candidates) for state in pipeline.pipe(ArticleState(a) for a in articles)]


def evaluate(path: Path, model_path: Path | None = None, *, full: bool = True) -> Case2021Report:
    gold = read_gold(path)
    return score(gold, predict(gold, model_path, full=full))
