"""The stage contract: every field a stage needs is set by an earlier one, checked when the pipeline is
built, at field level ("candidates.date"), with the field named."""

from __future__ import annotations

from typing import ClassVar

import pytest

from flashpoint.coder import FinalizeStage, default_stages
from flashpoint.errors import PipelineError
from flashpoint.pipeline import ArticleState, Pipeline, is_state_field


def test_pipeline_default_stages_meet_every_requirement() -> None:
    names = [s.name for s in Pipeline(default_stages()).stages]
    assert names == ["nlp", "actors", "events", "geo", "temporal", "finalize"]


@pytest.mark.parametrize(("left_out", "field"), [("geo", "candidates.location"), ("temporal", "candidates.date")])
def test_pipeline_without_the_stage_that_sets_a_field_fails_naming_it(left_out: str, field: str) -> None:
    stages = [s for s in default_stages() if s.name != left_out]
    with pytest.raises(PipelineError, match=rf"'finalize' needs \[.*'{field}'"):
        Pipeline(stages)


def test_pipeline_stages_out_of_order_fail_naming_the_field() -> None:
    stages = default_stages()
    events = next(s for s in stages if s.name == "events")
    with pytest.raises(PipelineError, match=r"'events' needs \['actor_mentions'\]"):
        Pipeline([stages[0], events, *stages[1:2], *stages[3:]])


class _Misnamed:
    name: ClassVar[str] = "misnamed"
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"candidates.place"})  # the field is "location"

    def __call__(self, state: ArticleState) -> ArticleState:
        return state.with_(self.name)


def test_pipeline_a_declared_field_that_does_not_exist_is_refused() -> None:
    with pytest.raises(PipelineError, match=r"'misnamed' declares \['candidates.place'\]"):
        Pipeline([_Misnamed(), FinalizeStage()])


@pytest.mark.parametrize(
    ("name", "known"),
    [("candidates", True), ("candidates.date", True), ("events.event_date", True), ("place_mentions", True),
     ("candidates.when", False), ("done", False), ("article.text", True), ("nothing", False)],
)
def test_pipeline_state_fields(name: str, known: bool) -> None:
    assert is_state_field(name) is known
