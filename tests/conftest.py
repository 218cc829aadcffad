"""Shared fixtures: the gold material in ../shared and one loaded spaCy model per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_file(relative: str) -> Path:
    """A file under ../shared, or skip the test saying which file is missing."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"gold/training file {path} is absent (it lives in ../shared beside the clone)")
    return path


@pytest.fixture(scope="session")
def spacy_model():
    """The real spaCy model, loaded once for the whole session."""
    from flashpoint.nlp.model import SpacyModel

    model = SpacyModel()
    model.nlp  # noqa: B018 - load now, once
    return model


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_file("examples/hts-2018/article.txt").read_text(encoding="utf-8")
