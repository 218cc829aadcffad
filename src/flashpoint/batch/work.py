"""The unit of work an engine runs: code one chunk of articles into outcomes.

:class:`CodeTask` is picklable and is sent once to each worker, which keeps it: the coder's models
load on the worker's first chunk and stay loaded. What comes back is slim: the state keeps what the
store writes (sentences, actor and place mentions, events) and drops tokens and raw NER mentions.

Only bad input (:class:`~flashpoint.errors.InputError`) becomes a :class:`Skipped` outcome; any other
exception raised while coding is a bug and propagates out of the batch.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from flashpoint.batch.relevance import RelevanceFilter, may_report_event
from flashpoint.coder import Coder
from flashpoint.errors import InputError
from flashpoint.ingest import check_article
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, Event

log = logging.getLogger(__name__)

NOT_RELEVANT = "relevance"
"""The stage name recorded in ``state.done`` of an article the relevance filter set aside."""


@dataclass(frozen=True, slots=True)
class Coded:
    article: Article
    events: tuple[Event, ...]
    stored: bool  # True when written now; False when already stored or when there is no store
    state: ArticleState | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    error: InputError


Outcome = Coded | Skipped


def slim(state: ArticleState) -> ArticleState:
    """The state without what the store does not keep (tokens, raw NER mentions)."""
    return dataclasses.replace(state, tokens=(), mentions=())


def set_aside(article: Article) -> Coded:
    """The outcome of an article the relevance filter found irrelevant: no events, no NLP."""
    return Coded(article, (), False, ArticleState(article).with_(NOT_RELEVANT))


class CodeTask:
    """``task(articles) -> outcomes``: the relevance filter, then the coder on what is left."""

    def __init__(self, coder: Coder, relevance: RelevanceFilter | None = may_report_event) -> None:
        self.coder = coder
        self.relevance = relevance

    def warm(self) -> None:
        """Load every model now (the coder builds its pipeline lazily)."""
        self.coder.code(
            "Gunmen attacked a checkpoint in Aleppo, killing two soldiers.", published="2018-05-08"
        )

    def __call__(self, articles: list[Article]) -> list[Outcome]:
        keep = self.relevance
        out: list[Outcome | None] = [None] * len(articles)
        todo: list[int] = []
        for n, article in enumerate(articles):
            if keep is not None and not keep(article.text):
                out[n] = set_aside(article)
            else:
                todo.append(n)
        for n, outcome in zip(todo, _code_articles([articles[n] for n in todo], self.coder), strict=True):
            out[n] = outcome
        return [o for o in out if o is not None]


def _code_articles(articles: list[Article], coder: Coder) -> list[Outcome]:
    """Code ``articles`` together; an article that is bad input becomes :class:`Skipped`.

    Only :class:`~flashpoint.errors.InputError` is bad input. Any other exception is a bug (or a
    broken installation) and propagates: it is never reported as a skipped article.
    """
    out: list[Outcome | None] = [None] * len(articles)
    todo: list[int] = []
    for n, article in enumerate(articles):
        try:
            check_article(article)
        except InputError as exc:
            out[n] = Skipped(exc)
        else:
            todo.append(n)
    for n, outcome in zip(todo, _code_checked([articles[n] for n in todo], coder), strict=True):
        out[n] = outcome
    return [o for o in out if o is not None]


def _code_checked(articles: list[Article], coder: Coder) -> list[Outcome]:
    if not articles:
        return []
    try:
        states = list(coder.pipe(articles))
    except InputError:
        log.debug("batch has bad input; coding its articles one by one", exc_info=True)
        return [_code_one(a, coder) for a in articles]
    return [Coded(s.article, s.events, False, slim(s)) for s in states]


def _code_one(article: Article, coder: Coder) -> Outcome:
    try:
        state = coder.code_state(article)
    except InputError as exc:
        return Skipped(exc)
    return Coded(article, state.events, False, slim(state))
