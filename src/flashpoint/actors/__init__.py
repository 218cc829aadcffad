"""Actors: a dated knowledge base (aliases, lineage, ACLED inter codes) and mention resolution.

Nothing is loaded on import: :func:`load_knowledge_base` reads the data files on first use.
"""

from flashpoint.actors.detect import ActorFinder, finder_for
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
]
