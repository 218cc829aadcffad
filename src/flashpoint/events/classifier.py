"""The sentence classifier: hashed-free TF-IDF word n-grams and a linear softmax, run with numpy.

The model file is a compressed ``.npz`` holding ``vocab`` (n-gram strings), ``idf``, ``coef``
(features x classes, float32), ``intercept``, ``classes`` (sub-event names and ``NONE``) and ``meta``
(JSON: n-gram range, training data). Inference needs numpy only; training lives in
:mod:`flashpoint.events.training` and needs scikit-learn.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint.errors import ModelError

NONE = "NONE"
DEFAULT_MODEL = "event_classifier.npz"

_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Lowercase, digits folded to ``0``: the text the features are read from."""
    return _DIGITS.sub("0", text.lower())


def ngrams(text: str, n_max: int = 2) -> list[str]:
    """Word unigrams and (with ``n_max`` 2) bigrams of the normalised text."""
    words = _TOKEN.findall(normalise(text))
    out = list(words)
    for n in range(2, n_max + 1):
        out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    confidence: float
    scores: dict[str, float]


class EventClassifier:
    """A linear classifier over TF-IDF n-grams, loaded from an ``.npz`` file."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: tuple[str, ...], meta: dict[str, Any]) -> None:
        if coef.shape != (len(vocab), len(classes)) or intercept.shape != (len(classes),):
            raise ModelError(f"classifier shapes disagree: coef {coef.shape}, {len(vocab)} features, "
                             f"{len(classes)} classes")
        self.vocab = vocab
        self.idf = idf
        self.coef = coef
        self.intercept = intercept
        self.classes = classes
        self.meta = meta
        self.n_max = int(meta.get("ngram_max", 2))

    @classmethod
    def load(cls, path: Path) -> EventClassifier:
        try:
            with np.load(path, allow_pickle=False) as z:
                vocab_list = [str(v) for v in z["vocab"]]
                meta = json.loads(str(z["meta"]))
                model = cls(
                    {v: i for i, v in enumerate(vocab_list)},
                    z["idf"].astype(np.float32),
                    z["coef"].astype(np.float32),
                    z["intercept"].astype(np.float32),
                    tuple(str(c) for c in z["classes"]),
                    meta,
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"event classifier {path}: cannot be loaded ({exc})") from exc
        return model

    def save(self, path: Path) -> None:
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(
            path,
            vocab=np.array(vocab),
            idf=self.idf.astype(np.float32),
            coef=self.coef.astype(np.float16) if self.meta.get("fp16") else self.coef,
            intercept=self.intercept,
            classes=np.array(self.classes),
            meta=np.array(json.dumps(self.meta)),
        )

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and L2-normalised sublinear TF-IDF weights of the text's known n-grams."""
        counts: dict[int, int] = {}
        for g in ngrams(text, self.n_max):
            i = self.vocab.get(g)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        w = (1.0 + np.log(tf)) * self.idf[idx]
        norm = float(np.linalg.norm(w))
        return idx, (w / norm if norm > 0 else w)

    def scores(self, text: str) -> np.ndarray:
        """Class probabilities (softmax of the linear scores), in ``classes`` order."""
        idx, w = self.features(text)
        z = self.intercept + (w @ self.coef[idx] if len(idx) else 0.0)
        z = z - z.max()
        e = np.exp(z)
        return e / e.sum()

    def predict(self, text: str) -> Prediction:
        p = self.scores(text)
        best = int(p.argmax())
        return Prediction(self.classes[best], float(p[best]), dict(zip(self.classes, map(float, p), strict=True)))


def default_model_path() -> Path:
    return Path(str(resources.files("flashpoint.events").joinpath("data", DEFAULT_MODEL)))


@cache
def load_classifier(path: Path | None = None) -> EventClassifier:
    """The classifier at ``path`` (default: the one shipped in the package), loaded once."""
    target = path or default_model_path()
    if not target.exists():
        raise ModelError(f"event classifier {target} does not exist; train one with `flashpoint train`")
    return EventClassifier.load(target)
