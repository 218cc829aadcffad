"""Train the argument model (``src/flashpoint/events/data/arguments.json``) and measure it against the
hand rules (``flashpoint.events.roles.assign``) on the same event sentences.

    .venv/bin/python training/arguments/train.py                       # 5-fold CV + dev gold, no file written
    .venv/bin/python training/arguments/train.py --out src/flashpoint/events/data/arguments.json

Data: the ``event`` lines of ``training/corpus/labels.jsonl`` with their actor1/actor2 offsets, read
through flashpoint's NLP and actor stages (``extract.py``; cached in ``--cache``, which holds corpus
text and stays out of the repository). A candidate (an actor mention of the event's sentence or the one
before) is positive for a role when it overlaps the annotated span. The article-level dev gold (Guardian
documents with ``is_dev``) is never trained on: it is scored once, by the model trained on the rest.
Cross-validation is by document (``bucket(doc) % 5``).

Accuracy for a role: the chosen mention overlaps the annotated span, or both are empty. "no candidate"
counts the events whose annotated actor no candidate overlaps (the actor stage did not find it).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import EventExample, examples

from flashpoint.events import arguments as am
from flashpoint.events import roles
from flashpoint.events.corpus import bucket, read_corpus
from flashpoint.records import ActorMention

ROOT = Path(__file__).resolve().parents[2]
FOLDS = 5
Chooser = Callable[[EventExample], roles.Roles]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load(cache: Path, corpus: Path, shared: Path) -> list[EventExample]:
    if cache.exists():
        with open(cache, "rb") as f:
            found: list[EventExample] = pickle.load(f)
        return found
    found = examples(read_corpus(corpus, shared))
    with open(cache, "wb") as f:
        pickle.dump(found, f)
    return found


def overlaps(m: ActorMention | None, gold: tuple[int, int] | None) -> bool:
    return m is not None and gold is not None and m.start < gold[1] and gold[0] < m.end


def right(m: ActorMention | None, gold: tuple[int, int] | None) -> bool:
    return overlaps(m, gold) or (m is None and gold is None)


def cands(e: EventExample) -> list[am.Candidate]:
    return am.candidates(e.sub_event_type, e.tokens, e.mentions, e.trigger, e.context)


def finish(e: EventExample, agent: ActorMention | None, patient: ActorMention | None) -> roles.Roles:
    return am.conventions(e.sub_event_type, e.sentence.text, e.sentence.start, e.sentence.index, e.tokens,
                          e.mentions, e.trigger, e.country, agent, patient, e.published)


def by_model(model: am.ArgumentModel) -> Chooser:
    def choose(e: EventExample) -> roles.Roles:
        return finish(e, *model.choose(e.sub_event_type, cands(e)))
    return choose


def by_rules(e: EventExample) -> roles.Roles:
    return roles.assign(e.sub_event_type, e.sentence.text, e.sentence.start, e.sentence.index, e.tokens,
                        e.mentions, e.trigger, e.country, e.context, e.published)


def score(chosen: Sequence[roles.Roles], data: Sequence[EventExample]) -> dict[str, float | int]:
    """Accuracy per role, with how many events have that role annotated and how many no candidate covers."""
    out: dict[str, float | int] = {"events": len(data)}
    for role in am.ROLES:
        hits = sum(right(getattr(r, role), getattr(e, role)) for r, e in zip(chosen, data, strict=True))
        gold = [getattr(e, role) for e in data]
        out[f"{role}_accuracy"] = round(hits / max(1, len(data)), 3)
        out[f"{role}_right"] = hits
        out[f"{role}_annotated"] = sum(g is not None for g in gold)
        out[f"{role}_no_candidate"] = sum(g is not None and not any(overlaps(m, g) for m in e.mentions + e.context)
                                          for g, e in zip(gold, data, strict=True))
    return out


Group = tuple[list[tuple[str, ...]], tuple[str, ...], list[int]]  # options, "none" option, right options


def fit_role(groups: Sequence[Group], c: float) -> dict[str, float]:
    """A conditional logit over each group's options and its "none" option, L2-regularised (weight 1/c):
    the likelihood of the right options (any of them; "none" when there is none)."""
    from scipy import sparse
    from scipy.optimize import minimize

    index: dict[str, int] = {}
    rows, cols, starts, right_rows = [], [], [], []
    size = 0
    for options, null, good in groups:
        starts.append(size)
        for n, feats in enumerate([*options, null]):
            for f in feats:
                rows.append(size + n)
                cols.append(index.setdefault(f, len(index)))
        right_rows.append([size + g for g in good] or [size + len(options)])
        size += len(options) + 1
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, len(index)))
    x.data[:] = np.minimum(x.data, 1.0)
    bounds = np.array([*starts, size])
    right = np.zeros(size, dtype=bool)
    right[[r for rs in right_rows for r in rs]] = True

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.maximum.reduceat(s, bounds[:-1])
        e = np.exp(s - np.repeat(top, np.diff(bounds)))
        total = np.add.reduceat(e, bounds[:-1])
        good = np.add.reduceat(np.where(right, e, 0.0), bounds[:-1])
        value = float(np.sum(np.log(total) - np.log(good))) + 0.5 / c * float(w @ w)
        p = e / np.repeat(total, np.diff(bounds))
        q = np.where(right, e, 0.0) / np.repeat(good, np.diff(bounds))
        return value, x.T @ (p - q) + w / c

    w = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    return {f: round(float(w[i]), 3) for f, i in sorted(index.items()) if abs(w[i]) >= 0.02}


def fit(data: Sequence[EventExample], c: float) -> am.ArgumentModel:
    """Both roles; actor2 sees its pair features with the annotated actor1's candidate. An event whose
    annotated actor no candidate covers teaches nothing about that role (the actor stage missed it; no
    choice would be right) and is left out of that role's fit."""
    first: list[Group] = []
    second: list[Group] = []
    for e in data:
        row = cands(e)
        good1 = [n for n, cand in enumerate(row) if overlaps(cand.mention, e.actor1)]
        if good1 or e.actor1 is None:
            first.append(([cand.features for cand in row], am.null_features(e.sub_event_type, row), good1))
        agent = good1[0] if good1 else None
        rest = [cand for cand in row if agent is None or cand.mention.actor.name != row[agent].mention.actor.name]
        good2 = [n for n, cand in enumerate(rest) if overlaps(cand.mention, e.actor2)]
        if good2 or e.actor2 is None:
            second.append(([am.actor2_features(cand, agent) for cand in rest],
                           am.null_features(e.sub_event_type, row, agent is not None), good2))
    return am.ArgumentModel({"actor1": am.RoleWeights(fit_role(first, c)),
                             "actor2": am.RoleWeights(fit_role(second, c))}, {})


def fold_of(e: EventExample, k: int = FOLDS) -> int:
    return bucket(e.doc) % k


def cross_validate(data: Sequence[EventExample], c: float) -> list[roles.Roles]:
    """Out-of-fold roles for every example (folds by document)."""
    chosen: dict[int, roles.Roles] = {}
    for f in range(FOLDS):
        model = fit([e for e in data if fold_of(e) != f], c)
        for n, e in enumerate(data):
            if fold_of(e) == f:
                chosen[n] = by_model(model)(e)
    return [chosen[n] for n in range(len(data))]


def report(name: str, figures: dict[str, float | int]) -> None:
    log(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus" / "labels.jsonl")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/arguments-examples.pkl"))
    parser.add_argument("--C", type=float, default=0.3, dest="c", help="inverse L2 strength")
    parser.add_argument("--out", type=Path, help="write the model trained on all but the dev gold here")
    args = parser.parse_args()
    data = load(args.cache, args.corpus, args.shared)
    train = [e for e in data if not e.dev]
    dev = [e for e in data if e.dev]
    log(f"{len(train)} training event lines ({sum(e.actor1 is not None or e.actor2 is not None for e in train)} "
        f"with actors), {len(dev)} dev gold")
    cv, rule = cross_validate(train, args.c), [by_rules(e) for e in train]
    guardian = [n for n, e in enumerate(train) if e.source == "guardian"]
    figures = {"cv_model": score(cv, train), "cv_rules": score(rule, train),
               "cv_model_guardian": score([cv[n] for n in guardian], [train[n] for n in guardian]),
               "cv_rules_guardian": score([rule[n] for n in guardian], [train[n] for n in guardian])}
    model = fit(train, args.c)
    figures["dev_model"] = score([by_model(model)(e) for e in dev], dev)
    figures["dev_rules"] = score([by_rules(e) for e in dev], dev)
    for name, f in figures.items():
        report(name, f)
    if args.out:
        meta = {"trained_on": f"{len(train)} event lines of training/corpus/labels.jsonl without the dev gold",
                "C": args.c, "figures": figures, "script": "training/arguments/train.py"}
        model = am.ArgumentModel(model.roles, meta)
        args.out.write_text(model.to_json(), encoding="utf-8")
        log(f"wrote {args.out} ({sum(len(w.weights) for w in model.roles.values())} weights)")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
