"""One exception hierarchy for flashpoint.

::

    FlashpointError
    ├── InputError          bad input: names the file/line and what is wrong (article skipped)
    │   └── LanguageError   text is not English: detected and reported, not coded
    ├── PipelineError       stages wired wrongly (a programming error, not bad input)
    ├── StoreError          the database could not be opened, migrated or written
    ├── ReviewError         a review names a field that cannot be corrected, or gives a bad value
    ├── UnknownEventError   a review (or a lookup) names an event the store does not hold
    ├── KnowledgeError      a knowledge-base or gazetteer data file is malformed
    └── ModelError          a classifier file is missing or malformed
"""

from __future__ import annotations


class FlashpointError(Exception):
    """Base of every error flashpoint raises on purpose."""


class InputError(FlashpointError):
    """An input could not be read or coded; ``where`` names the file (and line)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class LanguageError(InputError):
    """The text is not in a language flashpoint codes (English)."""


class PipelineError(FlashpointError):
    """The pipeline was assembled wrongly."""


class StoreError(FlashpointError):
    """The store could not be opened, migrated or written."""


class KnowledgeError(FlashpointError):
    """A knowledge-base or gazetteer file is malformed."""


class ModelError(FlashpointError):
    """A classifier model file is missing or malformed."""


class ReviewError(FlashpointError):
    """A review is malformed: ``field`` names the field (or option) at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnknownEventError(FlashpointError):
    """No stored event has the id ``event_id``."""

    def __init__(self, event_id: str, message: str | None = None) -> None:
        super().__init__(message or f"no event with id {event_id!r} in the store")
        self.event_id = event_id
