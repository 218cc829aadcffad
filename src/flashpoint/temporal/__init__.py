"""Dates: date expressions in text resolved against the publication date into DateSpans.

``temporal``, not ``time``: that name would shadow the standard library.
"""

from __future__ import annotations

from flashpoint.temporal.expressions import (
    DateMention,
    find_dates,
    publication_span,
    quote_regions,
    resolve_date,
    unquoted,
    year_span,
)
from flashpoint.temporal.stage import TemporalStage

__all__ = ["DateMention", "TemporalStage", "find_dates", "publication_span", "quote_regions", "resolve_date",
           "unquoted", "year_span"]
