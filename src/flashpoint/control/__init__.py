"""Territorial control and popular support, derived from events and from what articles say."""

from __future__ import annotations

from flashpoint.control.claims import ControlClaim, claims_from_events, control_statements
from flashpoint.control.intervals import (
    Citation,
    ControlAnswer,
    HoldingPeriod,
    RegionSummary,
    admin1_index,
    control_by_actor,
    derive_control,
    holder_on,
    place_key,
    summarise_region,
)
from flashpoint.control.support import SupportPeriod, period_of, support_indicators

__all__ = [
    "Citation",
    "ControlAnswer",
    "ControlClaim",
    "HoldingPeriod",
    "RegionSummary",
    "SupportPeriod",
    "admin1_index",
    "claims_from_events",
    "control_by_actor",
    "control_statements",
    "derive_control",
    "holder_on",
    "period_of",
    "place_key",
    "summarise_region",
    "support_indicators",
]
