"""Which optional views the server offers: actors, control and support need their packages."""

from __future__ import annotations

import importlib.util


def _has(module: str, *names: str) -> bool:
    try:
        if importlib.util.find_spec(module) is None:
            return False
        mod = importlib.import_module(module)
    except ImportError:
        return False
    return all(hasattr(mod, n) for n in names)


def features() -> list[str]:
    """Names of the optional views available in this installation."""
    out = []
    if _has("flashpoint.actors", "KnowledgeBase"):
        out.append("actors")
    if _has("flashpoint.control", "holder_on"):
        out.append("control")
    if _has("flashpoint.control", "support_indicators"):
        out.append("support")
    return out
