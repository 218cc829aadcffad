"""Batch coding: streaming articles through the coder into the store, one outcome per input."""

from flashpoint.batch.runner import Coded, Outcome, Skipped, code_items

__all__ = ["Coded", "Outcome", "Skipped", "code_items"]
