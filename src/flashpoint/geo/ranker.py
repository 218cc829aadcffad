"""The trained toponym ranker: scores the gazetteer candidates of a toponym from their feature rows.

Two models, both in one small JSON file (``data/ranker.json``, written by ``training/geo/train_ranker.py``):

- ``prior``: the first pass, each toponym alone (the article's columns of
  :data:`~flashpoint.geo.features.FEATURES` are zero);
- ``full``: the second pass, with the article's other places.

Each is either linear (``{"w": [...], "b": x}``: score = row . w + b) or gradient-boosted trees as flat
arrays (``{"trees": {"feature", "threshold", "left", "right", "value"}, "base": x, "rate": x}``: leaves
are nodes whose ``left`` is -1). Scores are log-odds that the candidate is the place meant; within one
toponym the highest wins and a softmax over them is the confidence. Inference is numpy only.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint.errors import KnowledgeError
from flashpoint.geo.features import FEATURES


class _Linear:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.w = np.asarray(spec["w"], dtype=np.float64)
        self.b = float(spec.get("b", 0.0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x @ self.w + self.b)


class _Trees:
    """Regression trees of one boosted model, evaluated all at once: each row walks every tree one level
    per step (leaves point at themselves), then the leaf values are summed."""

    def __init__(self, spec: dict[str, Any]) -> None:
        t = spec["trees"]
        self.feature = np.asarray(t["feature"], dtype=np.intp)
        self.threshold = np.asarray(t["threshold"], dtype=np.float64)
        left = np.asarray(t["left"], dtype=np.intp)
        right = np.asarray(t["right"], dtype=np.intp)
        leaf = left < 0
        own = np.broadcast_to(np.arange(left.shape[1]), left.shape)
        self.left = np.where(leaf, own, left)
        self.right = np.where(leaf, own, right)
        self.feature = np.where(leaf, 0, self.feature)
        self.value = np.asarray(t["value"], dtype=np.float64)
        self.depth = int(spec.get("depth", 8))
        self.base = float(spec.get("base", 0.0))
        self.rate = float(spec.get("rate", 1.0))
        self._trees = np.arange(self.feature.shape[0])

    def __call__(self, x: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        node = np.zeros((n, len(self._trees)), dtype=np.intp)
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            f = self.feature[self._trees, node]
            go_left = x[rows, f] <= self.threshold[self._trees, node]
            node = np.where(go_left, self.left[self._trees, node], self.right[self._trees, node])
        return np.asarray(self.base + self.rate * self.value[self._trees, node].sum(axis=1))


def model_from_spec(spec: dict[str, Any]) -> _Linear | _Trees:
    """A linear or boosted-tree scorer from its JSON spec (also used by training/geo/span_filter.py)."""
    return _Trees(spec) if "trees" in spec else _Linear(spec)


class Ranker:
    """Scores candidate rows: :meth:`prior` for the first pass, :meth:`full` for the second."""

    def __init__(self, spec: dict[str, Any], source: str = "<dict>") -> None:
        if list(spec.get("features", ())) != list(FEATURES):
            raise KnowledgeError(
                f"ranker {source} was trained on other features than flashpoint.geo.features.FEATURES: "
                "retrain it with training/geo/train_ranker.py")
        self._prior = model_from_spec(spec["prior"])
        self._full = model_from_spec(spec["full"])
        self.about: dict[str, Any] = dict(spec.get("about", {}))

    @classmethod
    def load(cls, path: Path | str) -> Ranker:
        try:
            spec = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnowledgeError(f"cannot read the ranker file {path}: {exc}") from exc
        return cls(spec, str(path))

    def prior(self, rows: list[list[float]]) -> np.ndarray:
        return self._prior(np.asarray(rows, dtype=np.float64))

    def full(self, rows: list[list[float]]) -> np.ndarray:
        return self._full(np.asarray(rows, dtype=np.float64))


def ranker_path() -> Path:
    return Path(str(resources.files("flashpoint.geo") / "data" / "ranker.json"))


@cache
def load_ranker(path: str | None = None) -> Ranker:
    """The shipped ranker (or the one at ``path``), read once per process."""
    return Ranker.load(path or ranker_path())
