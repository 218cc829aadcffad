"""Deduplication: reports of one event, from one article or many, merged into one event."""

from __future__ import annotations

from flashpoint.dedup.merge import (
    NEAR_KM,
    Reconciled,
    actor_key,
    actors_compatible,
    candidate_window,
    conservative_fatalities,
    date_window,
    dates_overlap,
    deduplicate,
    haversine_km,
    merge,
    places_compatible,
    reconcile,
    same_event,
)

__all__ = [
    "NEAR_KM",
    "Reconciled",
    "actor_key",
    "actors_compatible",
    "candidate_window",
    "conservative_fatalities",
    "date_window",
    "dates_overlap",
    "deduplicate",
    "haversine_km",
    "merge",
    "places_compatible",
    "reconcile",
    "same_event",
]
