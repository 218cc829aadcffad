"""Fine-tune the sentence model and build src/flashpoint/events/data/event_model.npz (CPU, minutes).

    .venv/bin/pip install -e ".[train]"
    .venv/bin/python training/sentence_model/finetune_run.py --holdout 0      # measure: fold 0 held out
    .venv/bin/python training/sentence_model/finetune_run.py --cv 5           # five-fold figures
    .venv/bin/python training/sentence_model/finetune_run.py --out src/flashpoint/events/data/event_model.npz

Training data: ACLED notes (../shared/train/acled-notes.csv, internal: capped per sub-event type, no
rows committed), the written sentences of training/examples/, and the labelled corpus
(training/corpus/labels.jsonl) without its article-level dev gold. Folds are by document
(md5(doc) % K). CASE-2021 dev snippets are scored for model selection only, never trained on.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from flashpoint.evaluation.case2021 import read_gold
from flashpoint.events import finetune as ft
from flashpoint.events import learn
from flashpoint.events.corpus import NONE, WHOLE_ARTICLES, is_dev, read_corpus

ROOT = Path(__file__).resolve().parents[2]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def data(shared: Path, corpus: Path, cap: int, reviews: str | None = None, copies: int = 5,
         article_copies: int = 1, alone_share: float = 0.0) -> tuple[list[learn.Example], list[str | None], list[bool]]:
    """The training examples, each one's corpus document (None outside the corpus), and whether it is an
    extra copy of a whole-article sentence (``article_copies`` > 1: trained on, never scored)."""
    acled = learn.from_acled(shared / "train" / "acled-notes.csv", 10**9)
    written = learn.from_written(ROOT / "training" / "examples")
    docs = [d for d in read_corpus(corpus, shared) if not is_dev(d.source, d.doc)]
    labelled = [(d, learn.Example(s.text if alone(d.doc, s.index, alone_share) else learn.corpus_input(d, s),
                                  s.label, s.reason, "corpus")) for d in docs for s in d.labelled()]
    extra = [(d, e) for d, e in labelled if d.source in WHOLE_ARTICLES] * (article_copies - 1)
    base = ft.sqrt_balanced(acled, cap) + written + (learn.from_reviews(reviews) * copies if reviews else [])
    return (base + [e for _, e in labelled + extra], [None] * len(base) + [d.doc for d, _ in labelled + extra],
            [False] * (len(base) + len(labelled)) + [True] * len(extra))


def alone(doc: str, index: int, share: float) -> bool:
    """Whether a corpus sentence is learned alone, without its lead: ``share`` of them, by a hash of
    document and sentence (so that a sentence without a lead is not, in training, nearly always news)."""
    return ft.fold_of(f"{doc}:{index}", 1000) < share * 1000


def split(examples: list[learn.Example], docs: list[str | None], extra: list[bool], fold: int,
          k: int) -> tuple[list[learn.Example], list[learn.Example]]:
    """Training and held-out examples for ``fold`` of ``k``: corpus documents by fold, everything else in
    training; the extra copies of held-out sentences are neither."""
    train = [e for e, d in zip(examples, docs, strict=True) if d is None or ft.fold_of(d, k) != fold]
    test = [e for e, d, x in zip(examples, docs, extra, strict=True)
            if d is not None and not x and ft.fold_of(d, k) == fold]
    return train, test


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    from sklearn.metrics import f1_score

    g, p = np.array(gold, dtype=object), np.array(pred, dtype=object)
    ge, pe = g != NONE, p != NONE
    tp = int((ge & pe).sum())
    prec, rec = tp / max(1, int(pe.sum())), tp / max(1, int(ge.sum()))
    return {"n": len(g), "events": int(ge.sum()),
            "weighted_f1": round(float(f1_score(g, p, average="weighted")), 3),
            "accuracy": round(float((g == p).mean()), 3),
            "event_precision": round(prec, 3), "event_recall": round(rec, 3),
            "event_f1": round(2 * prec * rec / max(1e-9, prec + rec), 3),
            "subtype_accuracy_on_found": round(float((g[ge & pe] == p[ge & pe]).mean()), 3) if tp else 0.0}


def gate_figures(gate: object, test: list[learn.Example]) -> dict[str, float]:
    """Share of held-out sentences the gate lets through, and of their current events."""
    passed = [gate.score(e.text) >= gate.threshold for e in test]  # type: ignore[attr-defined]
    events = [p for p, e in zip(passed, test, strict=True) if e.event != NONE]
    return {"threshold": round(gate.threshold, 4), "sentences_passed": round(sum(passed) / len(passed), 3),  # type: ignore[attr-defined]
            "event_recall": round(sum(events) / max(1, len(events)), 3)}


def add_gate(model_path: Path, examples: list[learn.Example], docs: list[str | None], extra: list[bool], fold: int,
             k: int) -> None:
    """Fit the gate for a model trained with ``fold`` held out, and write it into the model file."""
    from flashpoint.events.sentence_model import SentenceModel

    train, test = split(examples, docs, extra, fold, k)
    gate = ft.fit_gate(train, test)
    with np.load(model_path, allow_pickle=False) as z:
        network, tokenizer, meta = z["network"].tobytes(), str(z["tokenizer"]), json.loads(str(z["meta"]))
    meta["gate"] = {"threshold": gate.threshold, "features": len(gate.vocab)}
    meta.setdefault("heldout_fold", {})["gate"] = gate_figures(gate, test)
    SentenceModel.write(model_path, network, tokenizer, meta, gate)
    log(f"gate: {meta['heldout_fold']['gate']}")


def labels_of(probs: np.ndarray) -> list[str]:
    return [ft.EVENT_CLASSES[int(i)] for i in probs.argmax(axis=1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus" / "labels.jsonl")
    ap.add_argument("--cap", type=int, default=1000, help="most ACLED notes per sub-event type")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--holdout", type=int, default=None, help="hold out this fold of 5 and score it")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation figures")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/fp-ft-cache.pkl"))
    ap.add_argument("--out", type=Path, help="write the model file (trained on everything)")
    ap.add_argument("--from-reviews", help="store URL whose reviewed events join the training data (as "
                    "flashpoint train --from-reviews does)")
    ap.add_argument("--review-copies", type=int, default=5, help="times each reviewed event counts")
    ap.add_argument("--article-copies", type=int, default=1,
                    help="times each sentence of a whole corpus article (Guardian, GeoWebNews, Wikinews) counts in training")
    ap.add_argument("--alone-share", type=float, default=0.0,
                    help="share of the corpus sentences after an article's first learned alone, without the lead")
    ap.add_argument("--gate-only", type=Path, help="only fit the gate of this model file (held-out fold --holdout)")
    args = ap.parse_args()
    examples, docs, extra = data(args.shared, args.corpus, args.cap, args.from_reviews, args.review_copies,
                                 args.article_copies, args.alone_share)
    if args.gate_only:
        add_gate(args.gate_only, examples, docs, extra, args.holdout or 0, 5)
        return 0
    case = [(s.label, s.text) for s in read_gold(args.shared / "eval" / "case2021-subtypes-dev.tsv")]
    log(f"{len(examples)} examples ({sum(d is not None for d in docs)} corpus sentences), {len(case)} CASE snippets")
    settings = ft.Settings(epochs=args.epochs)
    bert, tokenizer = ft.load_base()
    cache = ft.Cache(ft.build_network(bert).eval(), tokenizer, settings.max_tokens)
    if args.cache.exists():
        cache.states = pickle.loads(args.cache.read_bytes())
    cache.fill([e.text for e in examples] + [t for _, t in case], log)
    args.cache.write_bytes(pickle.dumps(cache.states, protocol=5))
    runs = list(range(args.cv)) if args.cv else ([args.holdout] if args.holdout is not None else [])
    k = args.cv or 5
    gold_all: list[str] = []
    pred_all: list[str] = []
    for fold in runs:
        train, test = split(examples, docs, extra, fold, k)
        log(f"fold {fold}: train {len(train)}, test {len(test)}")
        net = ft.train(ft.build_network(ft.load_base()[0]), cache, train, settings, log)
        pred = labels_of(ft.predict(net, cache, [e.text for e in test])[0])
        gold = [e.event for e in test]
        gold_all += gold
        pred_all += pred
        case_pred = labels_of(ft.predict(net, cache, [t for _, t in case])[0])
        figures = {"fold": fold, "of": k, "heldout": scores(gold, pred),
                   "case2021_dev": scores([g for g, _ in case], case_pred)}
        print(json.dumps(figures), flush=True)
        if args.out and not args.cv:  # the held-out fold's model ships, with its honest figures
            gate = ft.fit_gate(train, test)
            figures["gate"] = gate_figures(gate, test)
            ft.save(net, train, args.out, settings,
                    {"cap": args.cap, "article_copies": args.article_copies, "heldout_fold": figures}, gate)
            log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
            return 0
    if args.cv:
        print(json.dumps({"cv": args.cv, "pooled": scores(gold_all, pred_all)}), flush=True)
    if args.out:
        net = ft.fit_model(examples, settings, cache, log)
        ft.save(net, examples, args.out, settings, {"cap": args.cap, "article_copies": args.article_copies})
        log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
