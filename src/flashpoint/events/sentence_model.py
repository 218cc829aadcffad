"""The sentence model: what each sentence reports, learned from labelled news and ACLED notes.

One network (MiniLM-L6 fine-tuned, :mod:`flashpoint.events.finetune`) reads a sentence (a model trained
so reads each sentence after an article's first with that lead too, :func:`with_context`: the lead says
what the story is about, which tells a murder from an attack) and gives three heads' probabilities for
the sentence:

* ``event``: the sub-event type of the *current* event the sentence reports, or NONE (what the corpus
  labels ``event``/``mention``; ACLED notes are all current events);
* ``reason``: what the sentence does (:data:`~flashpoint.events.corpus.REASONS`: event, statement,
  plan, threat, opinion, generic, background, off-topic);
* ``kind``: the kind of event it is about, whether news or not (a plan's, a threat's or a past event's
  type), which types the events that are kept but not output (threatened, hypothetical, background).

Beside the network the model keeps a gate, a linear model over word n-grams that tells sentences with
nothing event-like (most of an article) from the rest, so that only the rest go through the network:
its threshold keeps 99% of the held-out events (measured when the model was trained). And, per
sub-event type, the words that most often mark it in the training sentences (their log-odds against
NONE): the trigger an event's roles are read around.
Everything lives in one ``.npz`` file; inference needs numpy, onnxruntime and tokenizers and is
deterministic (one thread, fixed batches).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint.errors import ModelError
from flashpoint.events.encoder import MAX_TOKENS, Encoder
from flashpoint.records import Modality

NONE = "NONE"
DEFAULT_MODEL = "event_model.npz"
HEADS = ("event", "reason", "kind")
REASON_MODALITY = {"plan": Modality.HYPOTHETICAL, "threat": Modality.THREATENED,
                   "background": Modality.BACKGROUND, "generic": Modality.BACKGROUND}
"""Sentences about an event that is not news are kept with these modalities (not output by default)."""


_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")
CONTEXT = " [SEP] "
"""Between a sentence and its article's lead in what the network reads: the tokenizer's separator, so that
the network pools the sentence alone while attending to the lead."""


INPUT_WITH_LEAD = "sentence [SEP] lead"
"""The model file's ``input`` when its network reads each sentence after an article's first with that
first sentence (:func:`flashpoint.events.decide.model_inputs`)."""


def with_context(sentence: str, lead: str | None) -> str:
    """What the network reads for ``sentence``: the sentence, then its article's lead where there is one."""
    return f"{sentence}{CONTEXT}{lead}" if lead else sentence


def sentence_of(text: str) -> str:
    """The sentence of a network input (what the gate and the trigger words read), without its lead."""
    return text.split(CONTEXT, 1)[0]


def ngrams(text: str) -> list[str]:
    """Lowercased word unigrams and bigrams, digits folded to ``0``: what the gate reads."""
    words = _WORD.findall(re.sub(r"\d+", "0", text.lower()))
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True, slots=True)
class Gate:
    """Sublinear TF-IDF n-grams and a logistic model: ``score`` is the chance a sentence is event-like."""

    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def score(self, text: str) -> float:
        counts: dict[int, int] = {}
        for g in ngrams(text):
            i = self.vocab.get(g)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        z = self.intercept
        if counts:
            idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
            w = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self.idf[idx]
            z += float(w @ self.coef[idx]) / max(float(np.linalg.norm(w)), 1e-9)
        return 1.0 / (1.0 + float(np.exp(-z)))

    def arrays(self) -> dict[str, np.ndarray]:
        return {"gate_vocab": np.array(sorted(self.vocab, key=self.vocab.__getitem__)),
                "gate_idf": self.idf.astype(np.float32), "gate_coef": self.coef.astype(np.float32),
                "gate_intercept": np.array([self.intercept, self.threshold], dtype=np.float64)}

    @classmethod
    def from_arrays(cls, z: Any) -> Gate:
        vocab = {str(v): i for i, v in enumerate(z["gate_vocab"])}
        intercept, threshold = (float(x) for x in z["gate_intercept"])
        return cls(vocab, z["gate_idf"].astype(np.float32), z["gate_coef"].astype(np.float32), intercept, threshold)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one sentence reports: an event's sub-event type (or NONE), its modality, and how sure."""

    label: str
    modality: Modality | None  # None when label is NONE
    confidence: float
    reason: str
    event_probs: tuple[tuple[str, float], ...]
    reason_probs: tuple[tuple[str, float], ...] = ()  # what the sentence does, each reason's probability


class SentenceModel:
    """The network, its class names and the trigger words, read from one ``.npz`` file."""

    def __init__(self, encoder: Encoder, classes: dict[str, tuple[str, ...]], triggers: dict[str, dict[str, float]],
                 meta: dict[str, Any], gate: Gate | None = None) -> None:
        missing = [h for h in HEADS if h not in classes or h not in encoder.outputs]
        if missing:
            raise ModelError(f"sentence model: no {', '.join(missing)} head")
        self.encoder = encoder
        self.class_names = classes
        self.triggers = triggers
        self.meta = meta
        self.gate = gate
        self._memo: dict[str, Reading] = {}

    @property
    def reads_lead(self) -> bool:
        """Whether the network was trained on sentences read with their article's lead
        (:func:`with_context`)."""
        return self.meta.get("input") == INPUT_WITH_LEAD

    @property
    def classes(self) -> tuple[str, ...]:
        return self.class_names["event"]

    @classmethod
    def load(cls, path: Path) -> SentenceModel:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                encoder = Encoder(z["network"].tobytes(), str(z["tokenizer"]),
                                  max_tokens=int(meta.get("settings", {}).get("max_tokens", MAX_TOKENS)))
                gate = Gate.from_arrays(z) if "gate_vocab" in z else None
            classes = {h: tuple(meta["classes"][h]) for h in HEADS}
            return cls(encoder, classes, meta.get("triggers", {}), meta, gate)
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"sentence model {path}: cannot be loaded ({exc!r})") from exc

    @staticmethod
    def write(path: Path, network: bytes, tokenizer: str, meta: dict[str, Any], gate: Gate | None = None) -> None:
        """One file: the ONNX network's bytes, its tokenizer, the gate, and ``meta`` (class names, triggers,
        provenance)."""
        arrays: dict[str, Any] = {"network": np.frombuffer(network, dtype=np.uint8), "tokenizer": np.array(tokenizer),
                                  "meta": np.array(json.dumps(meta)), **(gate.arrays() if gate else {})}
        np.savez_compressed(path, **arrays)

    def probs(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each head's class probabilities, one row per text."""
        out = self.encoder.run(texts)
        return {h: out[h] for h in HEADS}

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """One reading per text, in order (remembered: the parse filter and the events stage ask alike)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if self.gate is not None and todo:  # nothing event-like: no need to run the network
            gate = self.gate
            scores = {t: gate.score(sentence_of(t)) for t in todo}
            if len(self._memo) > 20_000:
                self._memo.clear()
            for t, score in scores.items():
                if score < gate.threshold:
                    self._memo[t] = Reading(NONE, None, round(1.0 - score, 4), "offtopic", ())
            todo = [t for t in todo if scores[t] >= gate.threshold]
        if todo:
            if len(self._memo) > 20_000:
                self._memo.clear()
            p = self.probs(todo)
            for r, text in enumerate(todo):
                self._memo[text] = self._reading({name: p[name][r] for name in HEADS})
        return [self._memo[t] for t in texts]

    def _reading(self, p: dict[str, np.ndarray]) -> Reading:
        event, reason, kind = (self.class_names[h] for h in HEADS)
        e = int(p["event"].argmax())
        probs = tuple(zip(event, map(float, p["event"]), strict=True))
        why = reason[int(p["reason"].argmax())]
        whys = tuple(zip(reason, map(float, p["reason"]), strict=True))
        if event[e] != NONE:
            return Reading(event[e], Modality.ASSERTED, round(float(p["event"][e]), 4), why, probs, whys)
        k = int(p["kind"].argmax())
        if why in REASON_MODALITY and kind[k] != NONE:
            return Reading(kind[k], REASON_MODALITY[why], round(float(p["kind"][k]), 4), why, probs, whys)
        return Reading(NONE, None, round(float(p["event"][e]), 4), why, probs, whys)

    def trigger_word(self, label: str, words: Sequence[str]) -> int | None:
        """The position of the word that most often marks ``label`` in the training sentences."""
        weights = self.triggers.get(label, {})
        best, where = 0.0, None
        for n, w in enumerate(words):
            score = weights.get(w.lower(), 0.0)
            if score > best:
                best, where = score, n
        return where


def default_model_path() -> Path:
    return Path(str(resources.files("flashpoint.events").joinpath("data", DEFAULT_MODEL)))


@cache
def load_model(path: Path | None = None) -> SentenceModel:
    """The sentence model at ``path`` (default: the one shipped in the package), loaded once."""
    target = path or default_model_path()
    if not target.exists():
        raise ModelError(f"sentence model {target} does not exist; train one with `flashpoint train`")
    return SentenceModel.load(target)
