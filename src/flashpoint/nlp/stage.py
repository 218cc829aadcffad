"""The pipeline stage that runs an :class:`NlpModel` over articles, in batches."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import ClassVar

from flashpoint.nlp.model import NlpModel, ParseFilter
from flashpoint.pipeline import ArticleState


class NlpStage:
    """Sentences, tokens and named-entity mentions of each article.

    ``parse_filter`` picks the sentences that get a dependency parse (every one when ``None``);
    ``ner_filter`` the further ones that get named entities, where the model runs NER per sentence.
    """

    name: ClassVar[str] = "nlp"
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"sentences", "tokens", "mentions"})

    def __init__(
        self,
        model: NlpModel,
        parse_filter: ParseFilter | None = None,
        batch_size: int = 32,
        *,
        ner_filter: ParseFilter | None = None,
    ) -> None:
        self.model = model
        self.parse_filter = parse_filter
        self.ner_filter = ner_filter
        self.batch_size = batch_size

    def __call__(self, state: ArticleState) -> ArticleState:
        return next(self.pipe([state]))

    def pipe(self, states: Iterable[ArticleState]) -> Iterator[ArticleState]:
        it = iter(states)
        while batch := list(itertools.islice(it, self.batch_size)):
            texts = [s.article.text for s in batch]
            for state, analysis in zip(batch, self.model.analyse(texts, self.parse_filter, self.ner_filter), strict=True):
                yield state.with_(
                    self.name,
                    sentences=analysis.sentences,
                    tokens=analysis.tokens,
                    mentions=analysis.mentions,
                )
