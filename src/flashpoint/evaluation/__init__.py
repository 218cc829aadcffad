"""Scoring flashpoint against gold files: CASE-2021 sub-event types, geoparsing corpora, golden articles."""
