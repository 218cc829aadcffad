"""The coding pipeline: stages that each take an article's state and return a new one.

Like spaCy's ``Language.__call__``, every stage has one contract: ``stage(state) -> state``. A
stage declares the state fields it ``requires`` and those it ``provides``, at field level the way
spaCy components declare token attributes: ``candidates`` is the tuple of event candidates, and
``candidates.location`` the field a later stage fills in each of them. The pipeline checks both when
it is built, so a stage run out of order, or a pipeline without the stage that sets a field another
needs, fails at construction with the field's name, not half-way through an article.

Default order::

    nlp -> actors -> events -> geo -> temporal -> finalize

Storing is not a stage: :func:`flashpoint.store` writes whole articles in one transaction.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from flashpoint.errors import PipelineError
from flashpoint.records import (
    ActorMention,
    Article,
    Event,
    EventCandidate,
    Mention,
    PlaceMention,
    Sentence,
    Token,
)


@dataclass(frozen=True, slots=True)
class ArticleState:
    """Everything known about one article at some point of the pipeline."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    mentions: tuple[Mention, ...] = ()
    actor_mentions: tuple[ActorMention, ...] = ()
    place_mentions: tuple[PlaceMention, ...] = ()
    candidates: tuple[EventCandidate, ...] = ()
    events: tuple[Event, ...] = ()
    done: frozenset[str] = frozenset()

    def sentence_tokens(self, index: int) -> tuple[Token, ...]:
        """Tokens of one sentence, in order."""
        return tuple(t for t in self.tokens if t.sentence == index)

    def with_(self, stage: str, **changes: object) -> ArticleState:
        """A copy with ``changes`` applied and ``stage`` recorded as done."""
        return dataclasses.replace(self, done=self.done | {stage}, **changes)  # type: ignore[arg-type]


class Stage(Protocol):
    """One step of the pipeline."""

    name: ClassVar[str]
    requires: ClassVar[frozenset[str]]
    provides: ClassVar[frozenset[str]]

    def __call__(self, state: ArticleState) -> ArticleState: ...


class BatchStage(Stage, Protocol):
    """A stage that is faster over many articles at once (the NLP stage batches spaCy)."""

    def pipe(self, states: Iterable[ArticleState]) -> Iterator[ArticleState]: ...


def is_state_field(name: str) -> bool:
    """``name`` is a field of :class:`ArticleState` ("candidates"), or a field of the records one
    holds ("candidates.location")."""
    hints = typing.get_type_hints(ArticleState)
    head, _, rest = name.partition(".")
    if head not in hints or head == "done":
        return False
    if not rest:
        return True
    kind = hints[head]
    record = kind if dataclasses.is_dataclass(kind) else next(
        (a for a in typing.get_args(kind) if dataclasses.is_dataclass(a)), None)
    return record is not None and rest in {f.name for f in dataclasses.fields(record)}


class Pipeline:
    """Stages run in order; each one's requirements must be provided by an earlier one."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        provided: set[str] = set()
        for stage in stages:
            unknown = sorted(n for n in stage.requires | stage.provides if not is_state_field(n))
            if unknown:
                raise PipelineError(f"stage {stage.name!r} declares {unknown}, which are not fields of the "
                                    "article state or of its records")
            missing = stage.requires - provided
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} needs {sorted(missing)}, which no earlier stage provides"
                )
            provided |= stage.provides
        self.stages = tuple(stages)

    def __call__(self, state: ArticleState) -> ArticleState:
        for stage in self.stages:
            state = self._run(stage, state)
        return state

    def pipe(self, states: Iterable[ArticleState]) -> Iterator[ArticleState]:
        """Run many articles, letting batch-capable stages see them together."""
        stream: Iterable[ArticleState] = states
        for stage in self.stages:
            stream = self._pipe_stage(stage, stream)
        yield from stream

    def _pipe_stage(self, stage: Stage, states: Iterable[ArticleState]) -> Iterator[ArticleState]:
        pipe = getattr(stage, "pipe", None)
        if pipe is not None:
            for state in pipe(states):
                yield self._check(stage, state)
        else:
            for state in states:
                yield self._run(stage, state)

    def _run(self, stage: Stage, state: ArticleState) -> ArticleState:
        return self._check(stage, stage(state))

    @staticmethod
    def _check(stage: Stage, state: ArticleState) -> ArticleState:
        if not isinstance(state, ArticleState):
            raise PipelineError(f"stage {stage.name!r} returned {type(state).__name__}, not ArticleState")
        if stage.name not in state.done:
            raise PipelineError(f"stage {stage.name!r} did not record itself in state.done")
        return state
