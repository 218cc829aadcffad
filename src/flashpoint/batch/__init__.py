"""Batch coding: streaming articles through the coder into the store, one outcome per input.

:func:`code_items` streams inputs in chunks, skips what is stored, codes the rest in this process,
in local worker processes or on Ray (:mod:`flashpoint.batch.engines`), after a cheap relevance
filter (:mod:`flashpoint.batch.relevance`), and writes whole articles per transaction
(:mod:`flashpoint.batch.writer`). Nothing is loaded at import.
"""

from flashpoint.batch.runner import Coded, Outcome, Skipped, code_items

__all__ = ["Coded", "Outcome", "Skipped", "code_items"]
