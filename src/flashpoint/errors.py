"""One exception hierarchy for flashpoint.

::

    FlashpointError
    ├── InputError          bad input: names the file/line and what is wrong (article skipped)
    │   └── LanguageError   text is not English: detected and reported, not coded
    ├── PipelineError       stages wired wrongly (a programming error, not bad input)
    ├── StoreError          the database could not be opened, migrated or written
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
