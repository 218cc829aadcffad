"""Deduplication: reports of one event, from one article or many, merged into one event."""

from __future__ import annotations

from flashpoint.dedup.merge import (
    NEAR_KM,
    actor_key,
    actors_compatible,
    conservative_fatalities,
    date_window,
    dates_overlap,
    deduplicate,
    haversine_km,
    merge,
    places_compatible,
    same_event,
)

__all__ = [
    "NEAR_KM",
    "actor_key",
    "actors_compatible",
    "conservative_fatalities",
    "date_window",
    "dates_overlap",
    "deduplicate",
    "haversine_km",
    "merge",
    "places_compatible",
    "same_event",
]
