"""A fast real-shaped coder for batch tests: regex NLP, one event per trigger sentence, real finalize.

Batch tests exercise streaming, workers, resume and Ray, not NLP quality; this coder is
deterministic, picklable and needs no model files.
"""

from __future__ import annotations

from typing import ClassVar

from flashpoint.coder import Coder, FinalizeStage
from flashpoint.events.prefilter import may_hold_event
from flashpoint.nlp.model import RegexModel
from flashpoint.nlp.stage import NlpStage
from flashpoint.pipeline import ArticleState
from flashpoint.records import EventCandidate, Modality


class TriggerEvents:
    """Every sentence the prefilter passes holds one armed clash, triggered by its first word, with no
    place and no date of its own (the finalize step dates it by publication)."""

    name: ClassVar[str] = "events"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences"})
    provides: ClassVar[frozenset[str]] = frozenset(
        {"candidates", "candidates.location", "candidates.geo_precision", "candidates.date"})

    def __call__(self, state: ArticleState) -> ArticleState:
        found = tuple(
            EventCandidate(s.index, "Battles", "Armed clash", Modality.ASSERTED, 0.9, (s.start, s.start + 1))
            for s in state.sentences
            if may_hold_event(s.text)
        )
        return state.with_(self.name, candidates=found)


def fake_coder() -> Coder:
    return Coder([NlpStage(RegexModel(), parse_filter=may_hold_event), TriggerEvents(), FinalizeStage()])


def article_lines(n: int, *, start: int = 0) -> list[dict[str, str]]:
    """``n`` JSONL records: every third one is not about violence (the relevance filter's case)."""
    out = []
    for i in range(start, start + n):
        if i % 3 == 2:
            text = f"The city council {i} approved a new budget for parks. Libraries open later."
        else:
            text = f"Rebels clashed with troops near town {i} on Monday. Two soldiers were killed there."
        out.append({"id": f"a{i}", "published": "2018-05-08", "text": text})
    return out
