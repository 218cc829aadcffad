"""Storage: schema, named migrations, the SQLite/PostgreSQL repository, and exports."""

from flashpoint.store.repository import DEFAULT_URL, AddResult, EventQuery, Store, open_store, text_sha256

__all__ = ["DEFAULT_URL", "AddResult", "EventQuery", "Store", "open_store", "text_sha256"]
