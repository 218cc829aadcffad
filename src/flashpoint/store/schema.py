"""The database schema (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Events keep their full JSON record in ``data`` and the fields people filter on in columns.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(1000), primary_key=True),
    Column("text_sha256", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("source", Text),
    Column("url", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("coded_at", String(40), nullable=False),
    Column("n_events", Integer, nullable=False),
)

sentences = Table(
    "sentences",
    metadata,
    Column("article_id", String(1000), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("article_id", String(1000), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("event_date", Date),  # NULL: undated (migration 0006)
    Column("time_precision", Integer),
    Column("disorder_type", String(100)),
    Column("event_type", String(100), nullable=False),
    Column("sub_event_type", String(100), nullable=False),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("assoc_actor_1", Text),
    Column("assoc_actor_2", Text),
    Column("target", Text),
    Column("modality", String(20), nullable=False),
    Column("country", Text),
    Column("admin1", Text),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("fatalities", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("data", Text, nullable=False),
    # Set when this report was merged into an earlier stored event (migration 0002).
    Column("duplicate_of", String(64), nullable=True),
    Index("ix_events_date", "event_date"),
    Index("ix_events_type", "event_type"),
    Index("ix_events_article", "article_id"),
    Index("ix_events_duplicate_of", "duplicate_of"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("event_id", String(64), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(1000), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("name", String(500), primary_key=True),
    Column("kind", String(100)),
    Column("inter", Integer),
    Column("country", String(3)),
    Column("known", Integer, nullable=False),
)

actor_mentions = Table(
    "actor_mentions",
    metadata,
    Column("article_id", String(1000), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("actor", String(500), nullable=False),
    Column("known", Integer, nullable=False),
    Column("via", String(40)),
)

places = Table(
    "places",
    metadata,
    Column("geonameid", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("country_code", String(2)),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("feature_code", String(10)),
)

feed_items = Table(
    "feed_items",
    metadata,
    # Items of watched RSS/Atom feeds already handled (migration 0003): ``key`` is the item's guid,
    # else its link; a later poll skips an item whose guid, link or text hash is here.
    Column("key", String(1000), primary_key=True),
    Column("feed", Text, nullable=False),
    Column("guid", Text),
    Column("link", Text),
    Column("text_sha256", String(64)),
    Column("article_id", String(1000)),
    Column("status", String(20), nullable=False),  # coded | skipped
    Column("reason", Text),
    Column("seen_at", String(40), nullable=False),
    Index("ix_feed_items_link", "link"),
    Index("ix_feed_items_text", "text_sha256"),
)

control_statements = Table(
    "control_statements",
    metadata,
    # Statements of control read from an article's sentences when it was coded (migration 0004),
    # one JSON claim each (flashpoint.control.stored); ``place`` is the place's folded name.
    Column("article_id", String(1000), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("place", Text, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_control_statements_place", "place"),
)

control_read = Table(
    "control_read",
    metadata,
    # Articles whose statements of control are in ``control_statements`` (none may have been
    # found); others are read once by the session's back-fill step (flashpoint.control.stored).
    Column("article_id", String(1000), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("statements", Integer, nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    # Every review a person made (migration 0005), oldest first; never updated or deleted. Keyed
    # by the event id alone (no foreign key): an event's id is derived from its article's text, so
    # a review outlives the article's removal and applies again when the article is stored again.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),
    Column("action", String(20), nullable=False),  # confirm | reject | correct | duplicate
    Column("fields", Text, nullable=False),  # JSON object: field -> corrected value
    Column("duplicate_of", String(64)),
    Column("reviewer", String(200), nullable=False),
    Column("reviewed_at", String(40), nullable=False),
    Index("ix_reviews_event", "event_id"),
)

review_state = Table(
    "review_state",
    metadata,
    # The reviews of an event folded into what stands now (migration 0005), rewritten with each
    # review in its transaction: queries filter and sort on the reviewed values. ``corrections``
    # is the JSON object of the fields that differ from the machine's coding; the columns after
    # it repeat those values (null: not corrected) for the filters.
    Column("event_id", String(64), primary_key=True),
    Column("status", String(20), nullable=False),  # confirmed | corrected | rejected
    Column("corrections", Text, nullable=False),
    Column("duplicate_of", String(64)),
    Column("reviewer", String(200), nullable=False),
    Column("reviewed_at", String(40), nullable=False),
    Column("event_date", Date),
    Column("event_type", String(100)),
    Column("sub_event_type", String(100)),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("fatalities", Integer),
    Index("ix_review_state_status", "status"),
)
