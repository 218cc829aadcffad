"""Train the toponym ranker (src/flashpoint/geo/data/ranker.json) and report its cross-validated accuracy.

    .venv/bin/python training/geo/train_ranker.py                      # CV report, then train on all, write
    .venv/bin/python training/geo/train_ranker.py --end-to-end         # CV end to end too (spaCy, slower)
    .venv/bin/python training/geo/train_ranker.py --folds-dir /tmp/f   # keep each fold's ranker file
    .venv/bin/python training/geo/train_ranker.py --no-write --corpus ../shared/eval/geowebnews-dev.xml \
        --corpus training/toponyms/wikinews-geo.xml                    # CV per corpus, trained on both

Data (``--corpus``, repeatable): GeoWebNews dev (../shared/eval/geowebnews-dev.xml, the default and what
ships) and any other corpus of gold toponyms with coordinates, such as the Wikinews toponyms labelled for
this model (training/toponyms/wikinews-geo.xml). A candidate is right when it lies within 161 km of the
gold point. Split: document level, fold = md5(article id) % 5 (the id
``flashpoint.evaluation.geoparse.read_corpus`` gives: the article's ``file`` or ``docid`` attribute, or
its position). Each fold is scored with a ranker trained on the other four, through the same code path as
``flashpoint places --given-spans``; that is the honest figure, reported per corpus. The shipped model is
then trained on every article, so the in-sample figure of ``flashpoint
evaluate geoparse`` on these corpora is not one to quote. See training/geo/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from flashpoint.evaluation import geoparse  # noqa: E402
from flashpoint.evaluation.geoparse import (  # noqa: E402
    HIT_KM,
    GoldArticle,
    haversine_km,
    read_corpus,
    score_end_to_end,
    score_resolution,
)
from flashpoint.geo.features import CONTEXT_FEATURES, FEATURES  # noqa: E402
from flashpoint.geo.gazetteer import load_gazetteer  # noqa: E402
from flashpoint.geo.geoparser import Geoparser  # noqa: E402
from flashpoint.geo.ranker import Ranker, ranker_path  # noqa: E402
from flashpoint.geo.resolve import Toponym, candidate_rows  # noqa: E402

K = 5


def fold_of(article_id: str) -> int:
    return geoparse.fold_of(article_id, K)


@dataclass
class Doc:
    corpus: str
    article: GoldArticle
    toponyms: list[Toponym]  # gold spans first, then context names
    golds: list[tuple[float, float]]


@dataclass
class Group:
    """One gold toponym's candidates: rows and which lie within 161 km of the gold point."""

    x: np.ndarray
    y: np.ndarray


def prepare(corpus: str, articles: Sequence[GoldArticle], gp: Geoparser) -> list[Doc]:
    docs = []
    for art in articles:
        valid = [t for t in art.toponyms if 0 <= t.start < t.end <= len(art.text)]
        if not valid:
            continue
        tops = gp.span_toponyms(art.text, [(t.start, t.end) for t in valid])
        docs.append(Doc(corpus, art, tops, [(t.latitude, t.longitude) for t in valid]))
    return docs


def groups(docs: Sequence[Doc], gp: Geoparser, ranker: Ranker, full: bool) -> list[Group]:
    """Training groups: gold toponyms with a right and a wrong candidate (the others teach nothing)."""
    out = []
    for d in docs:
        got = candidate_rows(d.article.text, d.toponyms, gp.gazetteer, ranker)
        for (first, second), (lat, lon) in zip(got, d.golds, strict=False):
            cands, rows = second if full else first
            if len(cands) < 2:
                continue
            y = np.array([haversine_km(lat, lon, p.latitude, p.longitude) <= HIT_KM for p in cands])
            if y.any() and not y.all():
                out.append(Group(np.asarray(rows, dtype=np.float64), y))
    return out


def fit_linear(gs: Sequence[Group], l2: float) -> dict:
    """Conditional logit over each group's candidates: maximise the log of the softmax mass on the right
    ones, with an L2 penalty on standardised weights."""
    from scipy.optimize import minimize

    x = np.vstack([g.x for g in gs])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = [(g.x - mean) / scale for g in gs]
    ys = [g.y for g in gs]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = l2 * w @ w, 2 * l2 * w
        for xg, yg in zip(xs, ys, strict=True):
            s = xg @ w
            s = s - s.max()
            e = np.exp(s)
            p_all = e / e.sum()
            p_pos = np.where(yg, e, 0.0) / e[yg].sum()
            total -= np.log(e[yg].sum() / e.sum())
            grad -= (p_pos - p_all) @ xg
        return float(total), grad

    res = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    if not res.success:
        print(f"warning: the fit did not converge: {res.message}", file=sys.stderr)
    w = res.x / scale
    return {"w": [round(float(v), 6) for v in w], "b": round(float(-(w @ mean)), 6)}


def fit_trees(gs: Sequence[Group], n_trees: int, depth: int, rate: float) -> dict:
    """Boosted regression trees on candidate rows (binary log-loss; each group weighs one in all)."""
    from sklearn.ensemble import GradientBoostingClassifier

    x = np.vstack([g.x for g in gs])
    y = np.concatenate([g.y for g in gs]).astype(int)
    wt = np.concatenate([np.full(len(g.y), 1.0 / len(g.y)) for g in gs])
    model = GradientBoostingClassifier(n_estimators=n_trees, max_depth=depth, learning_rate=rate, subsample=0.8,
                                       min_samples_leaf=5, random_state=0)
    model.fit(x, y, sample_weight=wt)
    return export_trees(model, x, depth, rate)


def export_trees(model: object, x: np.ndarray, depth: int, rate: float) -> dict:
    """A fitted scikit-learn GradientBoostingClassifier as the flat arrays flashpoint.geo.ranker reads."""
    trees = [e.tree_ for e in model.estimators_[:, 0]]  # type: ignore[attr-defined]
    width = max(t.node_count for t in trees)

    def pad(values: list, fill: float) -> list:
        return [list(v) + [fill] * (width - len(v)) for v in values]

    base = float(model._raw_predict_init(x[:1])[0, 0])  # type: ignore[attr-defined]
    return {"trees": {
        "feature": pad([[int(f) if f >= 0 else 0 for f in t.feature] for t in trees], 0),
        "threshold": pad([[round(float(v), 6) for v in t.threshold] for t in trees], 0.0),
        "left": pad([[int(v) for v in t.children_left] for t in trees], -1),
        "right": pad([[int(v) for v in t.children_right] for t in trees], -1),
        "value": pad([[round(float(v), 6) for v in t.value[:, 0, 0]] for t in trees], 0.0),
    }, "depth": depth, "base": round(base, 6), "rate": rate}


def zero_context(gs: Sequence[Group]) -> None:
    cols = [i for i, f in enumerate(FEATURES) if f in CONTEXT_FEATURES]
    for g in gs:
        assert not g.x[:, cols].any(), "first-pass rows carry article columns"


def fit(gs: Sequence[Group], args: argparse.Namespace) -> dict:
    if args.model == "trees":
        return fit_trees(gs, args.trees, args.depth, args.rate)
    return fit_linear(gs, args.l2)


def train(docs: Sequence[Doc], gp: Geoparser, args: argparse.Namespace) -> dict:
    """The prior model on first-pass rows, then the full model on second-pass rows whose first pass the
    prior model picked."""
    blank = {"w": [0.0] * len(FEATURES)}
    boot = Ranker({"features": list(FEATURES), "prior": blank, "full": blank})
    prior_groups = groups(docs, gp, boot, full=False)
    zero_context(prior_groups)
    prior = fit(prior_groups, args)
    first = Ranker({"features": list(FEATURES), "prior": prior, "full": blank})
    full = fit(groups(docs, gp, first, full=True), args)
    return {"features": list(FEATURES), "prior": prior, "full": full}


CORPORA = (ROOT.parent / "shared" / "eval" / "geowebnews-dev.xml",)
"""What the shipped ranker is trained on (adding the Wikinews toponyms was measured and not kept: see
training/geo/README.md)."""


def corpus_name(path: Path) -> str:
    return path.name.removesuffix(".xml")


def cv_figures(errors: Sequence[float], e2e: Sequence[float], found: int) -> dict:
    out: dict = {"given_spans_accuracy@161": round(sum(e <= HIT_KM for e in errors) / max(1, len(errors)), 4),
                 "given_spans_n": len(errors)}
    if e2e:
        out["end_to_end_accuracy@161"] = round(sum(e <= HIT_KM for e in e2e) / len(e2e), 4)
        out["end_to_end_found"] = round(found / len(e2e), 4)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, action="append",
                    help="a labelled corpus (GeoWebNews or TR-News layout); repeatable. Default: "
                         + ", ".join(str(p.relative_to(ROOT.parent)) for p in CORPORA))
    ap.add_argument("--model", choices=("linear", "trees"), default="linear")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--trees", type=int, default=150)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--out", default=str(ranker_path()))
    ap.add_argument("--folds-dir", help="write each fold's ranker here")
    ap.add_argument("--no-write", action="store_true", help="report the CV figures only")
    ap.add_argument("--end-to-end", action="store_true", help="also score each fold end to end (spaCy)")
    args = ap.parse_args(argv)
    gp = Geoparser(load_gazetteer())
    corpora = {corpus_name(p): read_corpus(p) for p in (args.corpus or CORPORA)}
    t0 = time.perf_counter()
    docs = [d for name, arts in corpora.items() for d in prepare(name, arts, gp)]
    for name, arts in corpora.items():
        print(f"{name}: {len(arts)} articles, {sum(len(d.golds) for d in docs if d.corpus == name)} gold toponyms "
              f"with valid spans", file=sys.stderr)
    print(f"prepared in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    errors: dict[str, list[float]] = {name: [] for name in corpora}
    e2e: dict[str, list[float]] = {name: [] for name in corpora}
    found = dict.fromkeys(corpora, 0)
    per_fold = []
    for k in range(K):
        spec = train([d for d in docs if fold_of(d.article.id) != k], gp, args)
        fold_gp = Geoparser(gp.gazetteer, ranker=Ranker(spec, f"fold {k}"))
        for name, arts in corpora.items():
            held = [a for a in arts if fold_of(a.id) == k]
            res, errs = score_resolution(held, fold_gp.resolve_spans)
            errors[name].extend(errs)
            row = {"fold": k, "corpus": name, "articles": len(held), "toponyms": res.n,
                   "given_spans": round(res.accuracy_161, 4)}
            if args.end_to_end:
                got, errs2 = score_end_to_end(held, fold_gp.parse)
                e2e[name].extend(errs2)
                found[name] += round((got.found or 0) * got.n)
                row["end_to_end"] = round(got.accuracy_161, 4)
            per_fold.append(row)
            print(json.dumps(row), file=sys.stderr)
        if args.folds_dir:
            Path(args.folds_dir).mkdir(parents=True, exist_ok=True)
            (Path(args.folds_dir) / f"ranker-fold{k}.json").write_text(json.dumps(spec), encoding="utf-8")
    cv = {"split": "fold = md5(article id) % 5",
          **{name: cv_figures(errors[name], e2e[name], found[name]) for name in corpora}}
    print(json.dumps({**cv, "folds": per_fold}, indent=2))
    if not args.no_write:
        spec = train(docs, gp, args)
        spec["about"] = {"trained_on": "; ".join(f"{name} ({len(arts)} articles, all folds)"
                                                 for name, arts in corpora.items()),
                         "model": args.model, "cv": cv, "script": "training/geo/train_ranker.py"}
        Path(args.out).write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
