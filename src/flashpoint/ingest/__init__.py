"""Readers that turn files, batches and streams into :class:`~flashpoint.records.Article` values.

Every reader yields ``Article | InputError``: a bad item is reported by name (file and line) and the
rest of the batch goes on. Nothing here raises for bad input except :func:`parse_published` and the
low-level helpers, whose errors the readers catch and yield.
"""

from flashpoint.ingest.readers import (
    DEFAULT_MAX_CHARS,
    MAX_CHARS_ENV,
    Item,
    check_article,
    count_inputs,
    detect_language,
    jsonl_records,
    max_article_chars,
    parse_published,
    read_csv,
    read_html,
    read_inputs,
    read_jsonl,
    read_paths,
    read_text,
    record_to_article,
)

__all__ = [
    "DEFAULT_MAX_CHARS",
    "MAX_CHARS_ENV",
    "Item",
    "check_article",
    "count_inputs",
    "detect_language",
    "jsonl_records",
    "max_article_chars",
    "parse_published",
    "read_csv",
    "read_html",
    "read_inputs",
    "read_jsonl",
    "read_paths",
    "read_text",
    "record_to_article",
]
