"""Reading the small model files flashpoint ships as package data (or a retrained one given by path)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from flashpoint.errors import ModelError


def model_text(package: str, name: str, path: Path | None, what: str, script: str) -> str:
    """The text of ``path``, or of the file ``name`` shipped in ``package``'s ``data`` folder; a
    :class:`ModelError` naming the ``what`` and the ``script`` that trains one when it cannot be read."""
    try:
        if path is None:
            return resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"{what} {path or name}: cannot be read ({exc}); train one with {script}") from exc
