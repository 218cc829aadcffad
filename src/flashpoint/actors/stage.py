"""The pipeline stage that finds and resolves actor mentions in an article."""

from __future__ import annotations

from typing import ClassVar

from flashpoint.actors.detect import ActorFinder, finder_for
from flashpoint.actors.kb import KnowledgeBase, load_knowledge_base
from flashpoint.pipeline import ArticleState


class ActorStage:
    """Adds ``actor_mentions``: knowledge-base aliases, nationality and role phrases, acronyms,
    coreference and unknown armed actors from NER, resolved on the article's publication date.

    The knowledge base and its compiled matchers are built once, when the stage is created.
    """

    name: ClassVar[str] = "actors"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "tokens", "mentions"})
    provides: ClassVar[frozenset[str]] = frozenset({"actor_mentions"})

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb if kb is not None else load_knowledge_base()
        self.finder: ActorFinder = finder_for(self.kb)

    def __call__(self, state: ArticleState) -> ArticleState:
        article = state.article
        mentions = self.finder.find(article.text, article.published, state.mentions, state.sentences)
        return state.with_(self.name, actor_mentions=tuple(mentions))
