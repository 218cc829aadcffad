"""Readers that turn files, batches and streams into :class:`~flashpoint.records.Article` values.

Every reader yields ``Article | InputError``: a bad item is reported by name (file and line) and the
rest of the batch goes on. Nothing here raises for bad input except :func:`parse_published` and the
low-level helpers, whose errors the readers catch and yield.
"""

from flashpoint.ingest.readers import (
    Item,
    detect_language,
    parse_published,
    read_csv,
    read_html,
    read_jsonl,
    read_paths,
    read_text,
)

__all__ = [
    "Item",
    "detect_language",
    "parse_published",
    "read_csv",
    "read_html",
    "read_jsonl",
    "read_paths",
    "read_text",
]
