"""Actors: a dated knowledge base (aliases, lineage, ACLED inter codes) and mention resolution.

The knowledge base holds the Syrian war's curated actors, hand-written world additions (armed
groups, parties, organisations, dated offices) and the world data built from the Phoenix, PLOVER
and CountryInfo dictionaries (:mod:`flashpoint.actors.world`); country and role words compose
actors such as "Chile's Defense Department" (:mod:`flashpoint.actors.compose`). See docs/actors.md.

Nothing is loaded on import: :func:`load_knowledge_base` reads the data files on first use.
"""

from flashpoint.actors.detect import ActorFinder, finder_for, resolve
from flashpoint.actors.kb import (
    DatedName,
    Entry,
    KnowledgeBase,
    Resolution,
    build_knowledge_base,
    load_knowledge_base,
)
from flashpoint.actors.stage import ActorStage

__all__ = [
    "ActorFinder",
    "ActorStage",
    "DatedName",
    "Entry",
    "KnowledgeBase",
    "Resolution",
    "build_knowledge_base",
    "finder_for",
    "load_knowledge_base",
    "resolve",
]
