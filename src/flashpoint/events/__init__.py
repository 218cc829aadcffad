"""Event coding: ACLED's taxonomy, event detection and classification, modality, quantities, notes.

Public entry points: :mod:`flashpoint.events.taxonomy`, :func:`may_hold_event` (the cheap prefilter
that decides which sentences get parsed), :class:`EventStage` (the pipeline stage) and
:func:`flashpoint.events.notes.write_note`. Nothing is loaded at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flashpoint.events.prefilter import may_hold_event

if TYPE_CHECKING:
    from flashpoint.events.stage import EventStage

__all__ = ["EventStage", "may_hold_event"]


def __getattr__(name: str) -> Any:
    if name == "EventStage":
        from flashpoint.events.stage import EventStage

        return EventStage
    raise AttributeError(name)
