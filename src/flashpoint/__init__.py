"""flashpoint: conflict news in, evidence-backed ACLED-style events out.

The Python API reads like the CLI::

    import flashpoint as fp

    coder = fp.Coder()
    events = coder.code(text, published="2018-05-08")      # list[fp.Event], every modality

    session = fp.open("sqlite:///flashpoint.db")           # a coder and a store, used together
    session.add(text, published="2018-05-08")              # codes and stores (once)
    frame = session.events(actor="Hayat Tahrir al-Sham").to_pandas()
    answer = session.control("Yarmouk Camp", "2018-05-01")    # who held it, on what evidence

``fp.open_store(url)`` opens the store alone: coded articles and queries, no coding.

Importing flashpoint loads nothing heavy: models and data load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from flashpoint.actors import KnowledgeBase, load_knowledge_base
    from flashpoint.coder import Coder
    from flashpoint.records import (
        Actor,
        Article,
        ControlInterval,
        DateSpan,
        Event,
        Evidence,
        GeoPrecision,
        Modality,
        Place,
        TimePrecision,
    )
    from flashpoint.session import Session, open
    from flashpoint.store import EventQuery, Store, open_store

_EXPORTS: dict[str, str] = {
    "Actor": "flashpoint.records",
    "Article": "flashpoint.records",
    "Coder": "flashpoint.coder",
    "ControlInterval": "flashpoint.records",
    "DateSpan": "flashpoint.records",
    "Event": "flashpoint.records",
    "EventQuery": "flashpoint.store",
    "Evidence": "flashpoint.records",
    "GeoPrecision": "flashpoint.records",
    "KnowledgeBase": "flashpoint.actors",
    "Modality": "flashpoint.records",
    "Place": "flashpoint.records",
    "Session": "flashpoint.session",
    "Store": "flashpoint.store",
    "TimePrecision": "flashpoint.records",
    "load_knowledge_base": "flashpoint.actors",
    "open": "flashpoint.session",
    "open_store": "flashpoint.store",
}

__all__ = [
    "Actor",
    "Article",
    "Coder",
    "ControlInterval",
    "DateSpan",
    "Event",
    "EventQuery",
    "Evidence",
    "GeoPrecision",
    "KnowledgeBase",
    "Modality",
    "Place",
    "Session",
    "Store",
    "TimePrecision",
    "__version__",
    "load_knowledge_base",
    "open",
    "open_store",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'flashpoint' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
