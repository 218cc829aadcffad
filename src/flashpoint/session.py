"""The session: a coder, a store, merging of reports and control, used together.

The store only stores and queries; the coder only codes. A session codes texts and stores them
once, keeps each article's statements of control with it, and answers control and support
questions over what is stored. The CLI, the API and the Python API work through one::

    import flashpoint as fp

    with fp.open("sqlite:///flashpoint.db") as session:
        session.add(text, published="2018-05-08")          # codes and stores, once
        frame = session.events(actor="Hayat Tahrir al-Sham").to_pandas()
        session.control("Yarmouk Camp", "2018-05-01")       # who held it, on what evidence

Nothing heavy is loaded until it is used: the coder's models load on the first text to code.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from flashpoint.control.stored import backfill_control, write_coded_statements
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, text_sha256
from flashpoint.store import DEFAULT_URL, AddResult, EventQuery, Store, open_store
from flashpoint.store.repository import EventList

if TYPE_CHECKING:
    from flashpoint.coder import Coder
    from flashpoint.control import ControlAnswer, SupportPeriod


def session_store(url: str = DEFAULT_URL, *, merge_reports: bool = True) -> Store:
    """The store at ``url`` that a session writes: each newly stored article keeps its statements
    of control (read from the geoparser's place mentions) in the same transaction.

    Opening it runs the named step :data:`~flashpoint.control.stored.CONTROL_BACKFILL` once for
    every stored article whose statements were never kept (one query when there is none), so that
    control queries read rows only."""
    store = open_store(url, merge_reports=merge_reports, writers=(write_coded_statements,))
    backfill_control(store)
    return store


class Session:
    """Codes texts into a store and answers questions over it (see the module docstring)."""

    def __init__(self, store: Store, coder: Coder | None = None) -> None:
        self.store = store
        self._coder = coder

    @property
    def coder(self) -> Coder:
        """The coder :meth:`add` uses for texts (the default pipeline, built on first use)."""
        if self._coder is None:
            from flashpoint.coder import Coder

            self._coder = Coder()
        return self._coder

    def close(self) -> None:
        """Release the store's database connections."""
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add(
        self,
        item: str | Article | ArticleState,
        *,
        published: str | dt.date | None = None,
        article_id: str | None = None,
        title: str | None = None,
    ) -> AddResult:
        """Code (unless already stored) and store an article, in one transaction.

        ``item`` is a text, an :class:`Article`, or an already coded :class:`ArticleState`. An
        article already stored (same id or same text) is neither coded nor stored again. A text
        without ``article_id`` is stored as ``sha256:`` and the start of its text's hash.

        >>> session = open("sqlite:///:memory:")  # doctest: +SKIP
        >>> session.add("Rebels shelled Saraqib on Monday.", published="2018-05-08").events  # doctest: +SKIP
        1
        """
        if isinstance(item, ArticleState):
            return self.store.add_state(item)
        if isinstance(item, str):
            from flashpoint.ingest import parse_published

            sha = text_sha256(item)
            item = Article(article_id or f"sha256:{sha[:16]}", item, parse_published(published, "text"), title)
        existing = self.store.find_article(item)
        if existing is not None:
            return AddResult(existing, False, 0)
        return self.store.add_state(self.coder.code_state(item))

    def events(self, query: EventQuery | None = None, **filters: Any) -> EventList:
        """Stored events matching ``query`` or keyword filters (see :meth:`Store.events`)."""
        return self.store.events(query, **filters)

    def control(self, place: str | int, date: str | dt.date) -> ControlAnswer:
        """Who held ``place`` (a name or GeoNames id) on ``date``, since when, on what evidence.

        >>> session.control("Yarmouk Camp", "2018-04-15").holder  # doctest: +SKIP
        'Hayat Tahrir al-Sham'
        """
        from flashpoint.control.questions import control_of_place

        day = date if isinstance(date, dt.date) else dt.date.fromisoformat(date)
        return control_of_place(self.store, place, day)

    def support(self, actor: str, by: str = "month") -> list[SupportPeriod]:
        """Popular-support indicators of ``actor`` (a name as the CLI takes it: "HTS") per period
        (protests against it, force it used against protesters, defections, surrenders), each with
        its events."""
        from flashpoint.control.questions import actor_support

        return actor_support(self.store, actor, by=by)[1]


def open(url: str = DEFAULT_URL, *, coder: Coder | None = None, merge_reports: bool = True) -> Session:
    """Open (creating and migrating as needed) the store at ``url`` in a session.

    ``coder`` codes the texts given to :meth:`Session.add` (the default pipeline when None).

    >>> session = open("sqlite:///:memory:")
    >>> session.store.counts()["events"]
    0
    """
    return Session(session_store(url, merge_reports=merge_reports), coder)
