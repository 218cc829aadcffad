"""Train the repeat model (src/flashpoint/events/data/repeats.json): which mentions of an article tell again an
event it has reported.

    .venv/bin/python training/reports/train.py --folds /tmp/folds/fold{}.npz          # collect, CV, write
    .venv/bin/python training/reports/train.py --folds /tmp/folds/fold{}.npz --no-write

Data: the whole articles of the labelled corpus (training/corpus/labels.jsonl) that the sentence model
may train on (``corpus.WHOLE_ARTICLES``): the Guardian articles outside the article-level dev gold, the
GeoWebNews articles and the Wikinews articles.
Each article is coded with the repeat model off, by a sentence model that never saw it: the shipped
model (trained with fold 0 held out) for fold 0, and for fold F a model trained the same way with fold F
held out (``finetune_run.py --holdout F --out ...``; ``--folds`` names them, ``{}`` standing for F; a fold 0
file there, when there is one, stands in for the shipped model: another recipe measured the same way).
Each emitted mention (asserted or attempted) is labelled 1 when the article scorer matches it one to
one with a hand-coded event (docs/article-gold.md: the corpus's event lines), else 0: repeats,
statements, history and generic sentences that reached the output. A logistic regression is
cross-validated over the same five document folds, for each L2 strength of ``--c`` and each join kind
(:data:`repeats.JOIN_BY`: a retelling shares the sub-event type of the event it joins, or only its
incident). Per pair, the threshold is the lowest within half a point of the best pooled article F1 out
of fold (the curve is flat; the lower merges less) when the mentions under it that follow a kept mention
of their kind join it (what the coder does), and the drop types are then added greedily
(:func:`choose_drop_types`). The pair with the best out-of-fold F1 is fitted on every article and
written. The figures of the filter that was not shipped (every mention under the threshold left out)
are printed beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training" / "corpus"))

from gold import gold_events  # noqa: E402
from prepare import is_conflict_report  # noqa: E402

from flashpoint.coder import default_stages  # noqa: E402
from flashpoint.evaluation.articles import GoldArticle, parse_event, score_article, summarise  # noqa: E402
from flashpoint.events import repeats  # noqa: E402
from flashpoint.events.corpus import WHOLE_ARTICLES, is_dev, read_corpus  # noqa: E402
from flashpoint.events.decide import read_article  # noqa: E402
from flashpoint.events.finetune import fold_of  # noqa: E402
from flashpoint.events.sentence_model import Reading, load_model  # noqa: E402
from flashpoint.events.stage import EventStage  # noqa: E402
from flashpoint.pipeline import ArticleState, Pipeline  # noqa: E402
from flashpoint.records import DEFAULT_MODALITIES, Article, Event, EventCandidate, Sentence  # noqa: E402

K = 5


@dataclass
class Coded:
    """One training article as the unfiltered coder saw it."""

    doc: str
    fold: int
    gold: GoldArticle
    published: dt.date | None
    sentences: tuple[Sentence, ...]
    readings: list[Reading]
    candidates: tuple[EventCandidate, ...]
    events: tuple[Event, ...]


def collect(corpus: Path, shared: Path, folds: str, cache: Path) -> list[Coded]:
    """Every training article coded by the sentence model that never saw it; each fold's articles are
    cached in ``cache`` (a folder) once coded, and a fold whose model is not there yet is left out."""
    stages = default_stages()
    events = next(s for s in stages if isinstance(s, EventStage))
    events.repeats = False
    pipeline = Pipeline(stages)
    docs = [d for d in read_corpus(corpus, shared)
            if d.source in WHOLE_ARTICLES and not is_dev(d.source, d.doc)]
    cache.mkdir(parents=True, exist_ok=True)
    out: list[Coded] = []
    for fold in range(K):
        done = cache / f"fold{fold}.pkl"
        if done.exists():
            out += pickle.loads(done.read_bytes())
            continue
        model = Path(folds.format(fold))
        if fold == 0 and not model.exists():
            model = None  # the shipped model is the one trained with fold 0 held out
        if model is not None and not model.exists():
            print(f"fold {fold}: no model at {model}, left out", file=sys.stderr)
            continue
        events._model = load_model(model)
        coded = []
        for d in (d for d in docs if fold_of(d.doc, K) == fold):
            published = dt.date.fromisoformat(d.published) if d.published else None
            gold = GoldArticle(d.doc, published, d.text,
                               tuple(parse_event(e, d.doc, d.text) for e in gold_events(d)))
            state = pipeline(ArticleState(Article(d.doc, d.text, published)))
            readings = read_article(events.model, [s.text for s in state.sentences])
            coded.append(Coded(d.doc, fold, gold, published, state.sentences, readings, state.candidates,
                               state.events))
        done.write_bytes(pickle.dumps(coded, protocol=5))
        print(f"fold {fold}: {len(coded)} articles", file=sys.stderr, flush=True)
        out += coded
    return out


def by_source(coded: list[Coded]) -> dict[str, dict[str, int]]:
    """Unfiltered out-of-fold counts per kind of article: Guardian, GeoWebNews, and Wikinews reports
    split as ``gold.py --topic`` splits them (world news with conflict words, and the other reports)."""
    out: dict[str, dict[str, int]] = {}
    for c in coded:
        source = c.doc.split("-", 1)[0]
        if source == "wn":
            source = "wikinews conflict" if is_conflict_report(c.gold.text) else "wikinews other"
        score = score_article(c.gold, c.events)
        row = out.setdefault(source, {"articles": 0, "matched": 0, "false": 0, "gold": 0})
        row["articles"] += 1
        row["matched"] += len(score.matches)
        row["false"] += len(score.false_positives)
        row["gold"] += score.gold
    return dict(sorted(out.items()))


def table(coded: list[Coded]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Rows (default-modality mentions), labels, folds, and (article, event index) for each row."""
    xs, ys, fs, where = [], [], [], []
    for a, c in enumerate(coded):
        rows = repeats.features(c.candidates, c.sentences, c.readings, c.published)
        shown = [i for i, e in enumerate(c.events) if e.modality in DEFAULT_MODALITIES]
        matched = {m.event_id for m in score_article(c.gold, [c.events[i] for i in shown]).matches}
        for i in shown:
            xs.append(rows[i])
            ys.append(int(c.events[i].event_id in matched))
            fs.append(c.fold)
            where.append((a, i))
    return np.array(xs), np.array(ys), np.array(fs), where


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Unstandardised logistic weights and bias."""
    from sklearn.linear_model import LogisticRegression

    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / std, y)
    w = lr.coef_[0] / std
    return w, float(lr.intercept_[0] - (mean * w).sum())


def article_scores(coded: list[Coded], where: list[tuple[int, int]], p: np.ndarray, threshold: float,
                   drop_types: frozenset[str] | None = frozenset(), join_by: str = "sub_event_type") -> dict:
    """Pooled article P/R/F1 of what the coder keeps when a repeat model with these settings decides
    (:meth:`repeats.RepeatModel.decide`) on the scores ``p``: mentions under ``threshold`` join a kept
    mention of their kind, and the others of an event type in ``drop_types`` (None: of every type, the
    whole report filter) are left out. Joined mentions' sentences are not counted as evidence of their
    host here."""
    drop = tuple(repeats.EVENT_TYPES) if drop_types is None else tuple(drop_types)
    model = repeats.RepeatModel((), 0.0, threshold, drop_types=drop, join_by=join_by)
    score = dict(zip(where, p, strict=True))
    scored = []
    for a, c in enumerate(coded):
        shown = [i for i, e in enumerate(c.events) if e.modality in DEFAULT_MODALITIES]
        kept, _ = model.decide([c.events[i] for i in shown], [score[(a, i)] for i in shown])
        scored.append(score_article(c.gold, [c.events[shown[k]] for k in kept]))
    s = summarise(scored).summary()
    return {k: s[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn") if k in s}


NOT_DROPPED = frozenset({"Strategic developments", "Protests"})
"""Event types whose low-scored mentions are never left out: the annotation guide calls a threat in words
and a protest told in a quotation statements, where ACLED's coders code them (the seed article's Turkish
ultimatum and quoted Maarat protest), so the corpus teaches the filter the wrong thing about them."""


def choose_drop_types(coded: list[Coded], where: list[tuple[int, int]], p: np.ndarray, threshold: float,
                      base: dict, join_by: str) -> tuple[frozenset[str], dict]:
    """Event types added one at a time, best first, while leaving out their low-scored mentions that retell
    nothing raises pooled out-of-fold article F1 by half a point or more (:data:`NOT_DROPPED` never)."""
    chosen: frozenset[str] = frozenset()
    types = sorted({e.event_type for c in coded for e in c.events} - NOT_DROPPED)
    while True:
        tried = {t: article_scores(coded, where, p, threshold, chosen | {t}, join_by) for t in types if t not in chosen}
        if not tried:
            return chosen, base
        top = max(tried, key=lambda t: tried[t]["f1"])
        if tried[top]["f1"] < base["f1"] + 0.005:
            return chosen, base
        chosen, base = chosen | {top}, tried[top]
        print(json.dumps({"join_by": join_by, "drop": sorted(chosen), **base}), file=sys.stderr)


def out_of_fold(x: np.ndarray, y: np.ndarray, folds: np.ndarray, c: float) -> np.ndarray:
    """Each mention's score from a model fitted without its fold."""
    oof = np.zeros(len(y))
    for f in sorted(set(folds.tolist())):
        w, b = fit(x[folds != f], y[folds != f], c)
        oof[folds == f] = 1.0 / (1.0 + np.exp(-(x[folds == f] @ w + b)))
    return oof


def settings(coded: list[Coded], where: list[tuple[int, int]], oof: np.ndarray, join_by: str) -> dict:
    """The threshold (the lowest within half a point of the best pooled out-of-fold F1 when mentions only
    join: the curve is flat, and the lower merges less), then the drop types, for one join kind."""
    grid = [round(t, 2) for t in np.arange(0.0, 0.81, 0.05)]
    results = {t: article_scores(coded, where, oof, t, frozenset(), join_by) for t in grid}
    top = max(results[t]["f1"] for t in grid)
    best = min(t for t in grid if results[t]["f1"] >= top - 0.005)
    drop, cv = choose_drop_types(coded, where, oof, best, results[best], join_by)
    return {"join_by": join_by, "threshold": best, "unfiltered": results[0.0], "cv_joins_only": results[best],
            "drop_types": sorted(drop), "cv": cv,
            "cv_dropping_every_low_mention": article_scores(coded, where, oof, best, None, join_by)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus" / "labels.jsonl")
    ap.add_argument("--folds", required=True, help="sentence models with fold F held out, {} for F (0-4; "
                    "without a fold 0 file, the shipped model)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/fp-reports"), help="folder of coded folds (holds "
                    "corpus text: keep it out of the repository; empty it when the coder changes)")
    ap.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0],
                    help="inverse L2 strengths to try; the best by CV article F1 is kept")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "flashpoint" / "events" / "data" / "repeats.json")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    coded = collect(args.corpus, args.shared, args.folds, args.cache)
    x, y, folds, where = table(coded)
    print(f"{len(coded)} articles, {len(y)} emitted mentions, {int(y.sum())} matched", file=sys.stderr)
    for source, row in by_source(coded).items():
        print(f"  {source}: {row['articles']} articles, {row['matched']} matched, {row['false']} false, "
              f"{row['gold']} hand-coded (unfiltered, out of fold)", file=sys.stderr)
    tried = []
    for c in args.c:
        oof = out_of_fold(x, y, folds, c)
        for join_by in repeats.JOIN_BY:
            tried.append({"c": c, **settings(coded, where, oof, join_by)})
            print(json.dumps(tried[-1]))
    chosen = max(tried, key=lambda r: r["cv"]["f1"])  # the first listed on a tie
    print(json.dumps({"chosen": chosen}))
    if not args.no_write:
        w, b = fit(x, y, chosen["c"])
        cv = chosen["cv"]
        sources = Counter(c.doc.split("-")[0] for c in coded)
        kinds = ", ".join(f"{n} {s}" for s, n in sorted(sources.items()))
        trained = (f"{len(coded)} corpus articles outside the dev gold ({kinds}), {len(y)} mentions; "
                   f"5-fold CV article F1 {cv['f1']} (joins only {chosen['cv_joins_only']['f1']}, "
                   f"unfiltered {chosen['unfiltered']['f1']}); C {chosen['c']}")
        model = repeats.RepeatModel(tuple(float(v) for v in w), b, float(chosen["threshold"]), trained,
                                    tuple(chosen["drop_types"]), chosen["join_by"])
        args.out.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
