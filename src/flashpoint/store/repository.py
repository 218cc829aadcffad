"""The store: coded articles and their events in SQLite (default) or PostgreSQL.

One article is one transaction: either the article, its sentences, mentions and events are all
written, or nothing is. An article already stored (same id or same text) is not stored again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, Select, Table, and_, create_engine, event, func, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from flashpoint.errors import StoreError
from flashpoint.pipeline import ArticleState
from flashpoint.records import (
    DEFAULT_MODALITIES,
    Article,
    Event,
    Evidence,
    Modality,
    ReviewStatus,
    text_sha256,
)
from flashpoint.serialize import event_from_dict, event_to_dict
from flashpoint.store import reviews, schema
from flashpoint.store.migrations import migrate

if TYPE_CHECKING:
    import pandas

    from flashpoint.review import Review

DEFAULT_URL = "sqlite:///flashpoint.db"
DEADLOCK_RETRIES = 4
T = TypeVar("T")

Writer = Callable[[Connection, ArticleState], None]
"""Writes rows derived from a coded article in the transaction that stores it (see :class:`Store`)."""


@dataclass(frozen=True, slots=True)
class AddResult:
    article_id: str
    stored: bool  # False when the article was already in the store
    events: int


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Filters over stored events; None means no filter."""

    actor: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    sub_event_types: frozenset[str] | None = None  # any of these (case-insensitive)
    country: str | None = None
    admin1: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    text: str | None = None
    article_id: str | None = None
    modalities: frozenset[Modality] | None = DEFAULT_MODALITIES
    include_duplicates: bool = False  # reports merged into another event (always kept per article)
    include_rejected: bool = False  # events a review rejected (or marked a duplicate)
    review_status: frozenset[ReviewStatus] | None = None  # only events with one of these statuses
    limit: int | None = None
    offset: int = 0


class EventList(list[Event]):
    """A list of events that converts itself for analysis."""

    def to_dicts(self) -> list[dict[str, Any]]:
        """Each event as its JSON object (the ``--format jsonl`` contract)."""
        return [event_to_dict(e) for e in self]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per event (needs pandas installed)."""
        try:
            import pandas as pd
        except ModuleNotFoundError as exc:
            raise ModuleNotFoundError("to_pandas() needs pandas: pip install pandas") from exc
        frame = pd.DataFrame.from_records(self.to_dicts())
        if not frame.empty:
            frame["event_date"] = pd.to_datetime(frame["event_date"])
        return frame


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class Store:
    """A database of coded articles and events.

    The store codes nothing: :class:`flashpoint.session.Session` codes texts and stores them here.
    ``writers`` write rows derived from each newly stored article in the same transaction (the
    session's store keeps the article's statements of control this way).
    """

    def __init__(
        self, url: str = DEFAULT_URL, *, merge_reports: bool = True, writers: Sequence[Writer] = ()
    ) -> None:
        self.url = url
        self.merge_reports = merge_reports
        self.writers = tuple(writers)
        self.engine = _engine(url)
        try:
            with self.engine.begin() as conn:
                migrate(conn)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot open or migrate database {_safe(url)}: {exc.__class__.__name__}: {exc}"
            ) from exc

    def close(self) -> None:
        """Release the database connections (the store can be opened again with :func:`open_store`)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------
    def find_article(self, article: Article) -> str | None:
        """The stored id of this article (same id, or same text), or None."""
        sha = text_sha256(article.text)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.articles.c.id).where(
                    or_(schema.articles.c.id == article.id, schema.articles.c.text_sha256 == sha)
                )
            ).first()
        return None if row is None else str(row[0])

    def add(self, state: ArticleState) -> AddResult:
        """Store a coded article (an :class:`ArticleState`); the same as :meth:`add_state`.

        To code a text and store it, use a session: ``flashpoint.open(url).add(text)``.
        """
        if not isinstance(state, ArticleState):
            raise TypeError(
                f"Store.add stores a coded ArticleState, not {type(state).__name__}; to code and store "
                "a text or an Article use flashpoint.open(url).add(...)"
            )
        return self.add_state(state)

    def add_state(self, state: ArticleState) -> AddResult:
        """Store a coded article with its events, in one transaction; a stored article is skipped."""
        article = state.article
        try:
            stored = self._retrying(lambda conn: self._add_one(conn, state))
        except IntegrityError as exc:
            # Another writer may have stored the same article between our check and our insert.
            existing = self.find_article(article)
            if existing is not None:
                return AddResult(existing, False, 0)
            raise StoreError(f"could not store article {article.id!r}: {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(
                f"could not store article {article.id!r}: {exc.__class__.__name__}: {exc}"
            ) from exc
        return stored

    def _add_one(self, conn: Connection, state: ArticleState) -> AddResult:
        existing = self._existing(conn, state.article)
        if existing is not None:
            return AddResult(existing, False, 0)
        self._insert(conn, state)
        return AddResult(state.article.id, True, len(state.events))

    def add_states(self, states: Sequence[ArticleState]) -> list[bool]:
        """Store several coded articles in one transaction, all or none.

        Returns, per article, True when written now and False when it was already stored.
        """

        def write(conn: Connection) -> list[bool]:
            written = []
            for state in states:
                new = self._existing(conn, state.article) is None
                if new:
                    self._insert(conn, state)
                written.append(new)
            return written

        try:
            return self._retrying(write)
        except SQLAlchemyError as exc:
            ids = ", ".join(repr(s.article.id) for s in states[:3])
            raise StoreError(
                f"could not store articles {ids}{'…' if len(states) > 3 else ''}: {exc}"
            ) from exc

    def _retrying(self, write: Callable[[Connection], T]) -> T:
        """Run ``write`` in a transaction, again when the server aborted it for a deadlock.

        PostgreSQL aborts one of two writers that wait on each other's new actor or place rows
        (SQLSTATE 40P01) or that it cannot serialize (40001); the transaction wrote nothing, so
        running it again is safe.
        """
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                with self.engine.begin() as conn:
                    return write(conn)
            except OperationalError as exc:
                code = getattr(exc.orig, "sqlstate", None)
                if code not in ("40P01", "40001") or attempt == DEADLOCK_RETRIES:
                    raise
                time.sleep(0.05 * (attempt + 1) * (1 + random.random()))
        raise AssertionError("unreachable")

    def _existing(self, conn: Connection, article: Article) -> str | None:
        row = conn.execute(
            select(schema.articles.c.id).where(
                or_(
                    schema.articles.c.id == article.id,
                    schema.articles.c.text_sha256 == text_sha256(article.text),
                )
            )
        ).first()
        return None if row is None else str(row[0])

    def _insert(self, conn: Connection, state: ArticleState) -> None:
        a = state.article
        conn.execute(
            schema.articles.insert().values(
                id=a.id,
                text_sha256=text_sha256(a.text),
                title=a.title,
                source=a.source,
                url=a.url,
                published=a.published,
                language=a.language,
                text=a.text,
                coded_at=dt.datetime.now(dt.UTC).isoformat(),
                n_events=len(state.events),
            )
        )
        if state.sentences:
            conn.execute(
                schema.sentences.insert(),
                [
                    {"article_id": a.id, "idx": s.index, "start": s.start, "end": s.end}
                    for s in state.sentences
                ],
            )
        seen_mentions: set[int] = set()
        mention_rows = []
        for m in state.actor_mentions:
            if m.start in seen_mentions:
                continue
            seen_mentions.add(m.start)
            mention_rows.append(
                {
                    "article_id": a.id,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "actor": m.actor.name,
                    "known": int(m.actor.known),
                    "via": m.via,
                }
            )
        if mention_rows:
            conn.execute(schema.actor_mentions.insert(), mention_rows)
        self._upsert_actors(conn, state)
        self._upsert_places(conn, state)
        if state.events:
            conn.execute(schema.events.insert(), [_event_row(e) for e in state.events])
            evidence_rows = {
                (e.event_id, s.article_id, s.start): _evidence_row(e.event_id, s)
                for e in state.events
                for s in (e.sources or ((e.evidence,) if e.evidence else ()))
            }
            if evidence_rows:
                conn.execute(schema.evidence.insert(), list(evidence_rows.values()))
            if self.merge_reports:
                self._merge_reports(conn, state)
        for write in self.writers:
            write(conn, state)

    def _merge_reports(self, conn: Connection, state: ArticleState) -> None:
        """Fold each new event into a stored report of the same event from another article.

        The stored event keeps its id and gains the new evidence; the new row stays, marked
        ``duplicate_of`` it, so every id ever printed still leads to its event.
        """
        from flashpoint.dedup import candidate_window, merge, same_event
        from flashpoint.dedup.merge import NEAR_KM

        t = schema.events
        for new in state.events:
            window = candidate_window(new)
            if window is None:
                continue  # undated: no stored report can be matched to it
            lo, hi = window
            # Pre-select in SQL every stored event dedup.same_event could accept: nearby, in the
            # same first-level region, or at the same named place (or none, as it has none).
            place: list[ColumnElement[bool]] = [
                t.c.location == new.location if new.location else t.c.location.is_(None)
            ]
            if new.admin1:
                place.append(t.c.admin1 == new.admin1)
            if new.latitude is not None and new.longitude is not None:
                dlat = (NEAR_KM + 5) / 111.0
                dlon = (NEAR_KM + 5) / (111.0 * max(0.1, math.cos(math.radians(new.latitude))))
                place.append(
                    and_(
                        t.c.latitude.between(new.latitude - dlat, new.latitude + dlat),
                        t.c.longitude.between(new.longitude - dlon, new.longitude + dlon),
                    )
                )
            rows = conn.execute(
                select(t.c.data).where(
                    t.c.event_type == new.event_type,
                    t.c.event_date >= lo,
                    t.c.event_date <= hi,
                    t.c.duplicate_of.is_(None),
                    t.c.article_id != state.article.id,
                    or_(*place),
                )
            )
            match = next(
                (e for e in (event_from_dict(json.loads(d)) for (d,) in rows) if same_event(e, new)), None
            )
            if match is None:
                continue
            merged = merge(match, new)
            values = _event_row(merged)
            del values["event_id"]
            conn.execute(t.update().where(t.c.event_id == match.event_id).values(**values))
            conn.execute(t.update().where(t.c.event_id == new.event_id).values(duplicate_of=match.event_id))
            have = {
                (r.article_id, r.start)
                for r in conn.execute(
                    select(schema.evidence.c.article_id, schema.evidence.c.start).where(
                        schema.evidence.c.event_id == match.event_id
                    )
                )
            }
            extra = [
                _evidence_row(match.event_id, s)
                for s in merged.sources
                if (s.article_id, s.start) not in have
            ]
            if extra:
                conn.execute(schema.evidence.insert(), extra)

    def _upsert_actors(self, conn: Connection, state: ArticleState) -> None:
        actors = {m.actor.name: m.actor for m in state.actor_mentions}
        self._insert_new(
            conn,
            schema.actors,
            [
                {"name": x.name, "kind": x.kind, "inter": x.inter, "country": x.country, "known": int(x.known)}
                for x in actors.values()
            ],
        )

    def _upsert_places(self, conn: Connection, state: ArticleState) -> None:
        places = {
            pm.place.geonameid: pm.place
            for pm in state.place_mentions
            if pm.place is not None and pm.place.geonameid is not None
        }
        self._insert_new(
            conn,
            schema.places,
            [
                {
                    "geonameid": g,
                    "name": p.name,
                    "latitude": p.latitude,
                    "longitude": p.longitude,
                    "country_code": p.country_code,
                    "admin1": p.admin1,
                    "admin2": p.admin2,
                    "feature_code": p.feature_code,
                }
                for g, p in places.items()
            ],
        )

    def _insert_new(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert shared rows (actors, places) a row already stored keeps; another writer may be
        inserting the same ones right now, and the second must not fail its whole article for that.
        """
        if not rows:
            return
        # one order for every writer, so two writers never wait on each other's rows in a cycle
        key = table.primary_key.columns[0].name
        rows = sorted(rows, key=lambda r: r[key])
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(table).on_conflict_do_nothing(), rows)
        else:  # SQLite: _engine opens no other kind of database
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            conn.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)

    # -- reading -----------------------------------------------------------------------------
    def events(self, query: EventQuery | None = None, **filters: Any) -> EventList:
        """Stored events matching ``query`` or keyword filters (see :class:`EventQuery`).

        By default asserted and attempted events, ordered by date then id.

        >>> store.events(actor="HTS", since=datetime.date(2018, 4, 1)).to_pandas()  # doctest: +SKIP
        """
        if filters:
            query = dataclasses.replace(query or EventQuery(), **filters)
        return EventList(self.iter_events(query))

    def iter_events(self, query: EventQuery | None = None) -> Iterator[Event]:
        """Like :meth:`events`, one event at a time (for exports of any size).

        Events come as reviewed (see :mod:`flashpoint.review`): filters and order use the reviewed
        values, and rejected events are left out unless ``include_rejected``.
        """
        stmt = _select_events(query or EventQuery())
        with self.engine.connect() as conn:
            for row in conn.execute(stmt):
                yield reviews.event_from_row(*row)

    def event(self, event_id: str) -> Event | None:
        """The event with this id, as reviewed (a rejected one too); for a report merged into
        another event, that event."""
        t = schema.events
        stmt = select(t.c.data, *reviews.STATE_COLUMNS).select_from(reviews.joined())
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.duplicate_of).where(t.c.event_id == event_id)).first()
            if row is None:
                return None
            found = conn.execute(stmt.where(t.c.event_id == (row[0] or event_id))).first()
        return None if found is None else reviews.event_from_row(*found)

    # -- reviews -----------------------------------------------------------------------------
    def review(
        self,
        event_id: str,
        action: str,
        *,
        fields: Mapping[str, object] | None = None,
        duplicate_of: str | None = None,
        by: str,
    ) -> tuple[Review, Event]:
        """Record a person's review of a stored event, in one transaction; returns the review as
        stored and the event as it now stands. ``action`` is confirm, reject, correct (with
        ``fields``, see :data:`flashpoint.review.CORRECTABLE`) or duplicate (with ``duplicate_of``).

        The machine's coding is kept: reads show the reviewed values. A bad field or value raises
        :class:`~flashpoint.errors.ReviewError`, an unknown event
        :class:`~flashpoint.errors.UnknownEventError`.

        >>> store.review("FP1A2B...", "correct", fields={"fatalities": 3}, by="ana")  # doctest: +SKIP
        """
        from flashpoint.review import make_review

        review = make_review(event_id, action, fields=fields, duplicate_of=duplicate_of, by=by)
        try:
            return self._retrying(lambda conn: reviews.write_review(conn, review))
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store the review of {event_id!r}: {exc.__class__.__name__}: {exc}") from exc

    def reviews(self, event_id: str) -> list[Review]:
        """The reviews of an event (or of the event a merged report leads to), oldest first."""
        from flashpoint.errors import UnknownEventError

        with self.engine.connect() as conn:
            try:
                target = reviews.canonical_id(conn, event_id)
            except UnknownEventError:
                return []
            return reviews.history(conn, target)

    def review_queue(self, limit: int = 50, *, all_modalities: bool = False) -> EventList:
        """Unreviewed events to review next: least confident first, then oldest."""
        modalities = None if all_modalities else [str(m) for m in DEFAULT_MODALITIES]
        with self.engine.connect() as conn:
            return EventList(reviews.event_from_row(*row) for row in conn.execute(reviews.queue(modalities, limit)))

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id (its text exactly as received), or None."""
        a = schema.articles
        with self.engine.connect() as conn:
            row = conn.execute(select(a).where(a.c.id == article_id)).mappings().first()
        if row is None:
            return None
        return Article(
            row["id"], row["text"], row["published"], row["title"], row["source"], row["url"], row["language"]
        )

    def article_ids(self) -> list[str]:
        """The ids of every stored article, sorted."""
        with self.engine.connect() as conn:
            return [
                str(r)
                for r in conn.execute(select(schema.articles.c.id).order_by(schema.articles.c.id)).scalars()
            ]

    def counts(self) -> dict[str, int]:
        """Rows per table: articles, events (merged reports included), actors, places, reviews."""
        with self.engine.connect() as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (schema.articles, schema.events, schema.actors, schema.places, schema.reviews)
            }

    def unknown_actors(self) -> list[tuple[str, int]]:
        """Actors found in text but absent from the knowledge base, with how often they were seen."""
        m = schema.actor_mentions
        stmt = (
            select(m.c.actor, func.count())
            .where(m.c.known == 0)
            .group_by(m.c.actor)
            .order_by(func.count().desc(), m.c.actor)
        )
        with self.engine.connect() as conn:
            return [(str(name), int(n)) for name, n in conn.execute(stmt)]


def _actor_names(text: str) -> list[str]:
    """What an actor filter matches: the text itself and, when the knowledge base knows it (an
    acronym such as "HTS", an alias or an older name), the actor's canonical and dated names."""
    from flashpoint.actors import load_knowledge_base, resolve
    from flashpoint.errors import KnowledgeError

    names = {text.lower()}
    try:
        found = resolve(load_knowledge_base(), text)
    except KnowledgeError:
        found = None
    if found is not None and len(found.matched) >= len(text.strip()) - 1:
        names |= {found.actor.name.lower(), found.name_on_date.lower()}
    return sorted(names)


def _select_events(q: EventQuery) -> Select[Any]:
    """The query behind :meth:`Store.iter_events`: ``events.data`` and the review state of each
    matching event, filtered and ordered on the reviewed values."""
    t = schema.events
    v = reviews.effective
    stmt = select(t.c.data, *reviews.STATE_COLUMNS).select_from(reviews.joined())
    if q.modalities is not None:
        stmt = stmt.where(t.c.modality.in_(sorted(str(m) for m in q.modalities)))
    if q.actor:
        roles = (v("actor1"), v("actor2"), t.c.assoc_actor_1, t.c.assoc_actor_2, t.c.target)
        stmt = stmt.where(
            or_(*(func.lower(c).like(f"%{name}%") for name in _actor_names(q.actor) for c in roles))
        )
    if q.event_type:
        stmt = stmt.where(func.lower(v("event_type")) == q.event_type.lower())
    if q.sub_event_type:
        stmt = stmt.where(func.lower(v("sub_event_type")) == q.sub_event_type.lower())
    if q.sub_event_types is not None:
        stmt = stmt.where(func.lower(v("sub_event_type")).in_(sorted(x.lower() for x in q.sub_event_types)))
    if q.country:
        stmt = stmt.where(func.lower(t.c.country) == q.country.lower())
    if q.admin1:
        stmt = stmt.where(func.lower(t.c.admin1) == q.admin1.lower())
    if q.since:
        stmt = stmt.where(v("event_date") >= q.since)
    if q.until:
        stmt = stmt.where(v("event_date") <= q.until)
    if q.bbox:
        west, south, east, north = q.bbox
        lat, lon = v("latitude"), v("longitude")
        stmt = stmt.where(lon >= west, lon <= east, lat >= south, lat <= north)
    if q.text:
        stmt = stmt.where(func.lower(t.c.data).like(f"%{q.text.lower()}%"))
    if q.article_id:
        stmt = stmt.where(t.c.article_id == q.article_id)
    elif not q.include_duplicates:
        stmt = stmt.where(t.c.duplicate_of.is_(None))
    if q.review_status is not None:
        stmt = stmt.where(reviews.status_in(sorted(q.review_status)))
    if not q.include_rejected:
        stmt = stmt.where(reviews.not_rejected())
    stmt = stmt.order_by(v("event_date"), t.c.event_id).offset(q.offset)
    return stmt if q.limit is None else stmt.limit(q.limit)


def _evidence_row(event_id: str, s: Evidence) -> dict[str, object]:
    return {"event_id": event_id, "article_id": s.article_id, "start": s.start, "end": s.end, "text": s.text}


def _event_row(e: Event) -> dict[str, object]:
    return {
        "event_id": e.event_id,
        "article_id": e.article_id,
        "event_date": e.event_date,
        "time_precision": int(e.time_precision) if e.time_precision is not None else None,
        "disorder_type": e.disorder_type,
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": e.actor1,
        "actor2": e.actor2,
        "assoc_actor_1": e.assoc_actor_1,
        "assoc_actor_2": e.assoc_actor_2,
        "target": e.target,
        "modality": str(e.modality),
        "country": e.country,
        "admin1": e.admin1,
        "location": e.location,
        "latitude": e.latitude,
        "longitude": e.longitude,
        "fatalities": e.fatalities,
        "confidence": e.confidence,
        "data": json.dumps(event_to_dict(e), ensure_ascii=False),
    }


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"not a database URL: {url!r} (use sqlite:///FILE.db or postgresql://USER@HOST/DB)"
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open database {url!r}: folder {parent} does not exist")
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError("PostgreSQL needs psycopg: pip install 'flashpoint[postgres]'") from exc
    raise StoreError(f"unsupported database {url!r}: use sqlite:///FILE.db or postgresql://…")


def open_store(url: str = DEFAULT_URL, *, merge_reports: bool = True, writers: Sequence[Writer] = ()) -> Store:
    """Open (creating and migrating as needed) the store at ``url`` (see :class:`Store`).

    >>> store = open_store("sqlite:///:memory:")
    >>> store.counts()["events"]
    0
    """
    try:
        return Store(url, merge_reports=merge_reports, writers=writers)
    except OperationalError as exc:
        raise StoreError(f"cannot open database {_safe(url)}: {exc}") from exc
