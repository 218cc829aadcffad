"""Batch coding: streaming articles through the coder into the store, one outcome per input.

:func:`code_items` streams inputs in chunks, skips what is stored, codes the rest in this process,
in local worker processes or on Ray (:mod:`flashpoint.batch.engines`), after a cheap relevance
filter (:mod:`flashpoint.batch.relevance`), and writes whole articles per transaction
(:mod:`flashpoint.batch.writer`). The jobs of :mod:`flashpoint.batch.jobs` are whole ``code`` and
``places`` runs over it. Nothing is loaded at import.
"""

from flashpoint.batch.jobs import CodeJob, CodeOptions, GivenSpansJob, PlacesJob, Tally, read_given_spans
from flashpoint.batch.runner import Coded, Outcome, Skipped, code_items

__all__ = [
    "CodeJob",
    "CodeOptions",
    "Coded",
    "GivenSpansJob",
    "Outcome",
    "PlacesJob",
    "Skipped",
    "Tally",
    "code_items",
    "read_given_spans",
]
