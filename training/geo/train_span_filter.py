"""The toponym filter experiment: train a filter over detection candidates and compare it with the
shipped hand rules by cross-validation (training/geo/README.md, "The toponym filter experiment").

    .venv/bin/python training/geo/train_span_filter.py --rankers /tmp/folds     # CV + Syria, /tmp/span_filter.json
    .venv/bin/python training/geo/train_span_filter.py --no-write --rankers /tmp/folds
    .venv/bin/python training/geo/train_span_filter.py --hand --rankers /tmp/folds    # the shipped rules

Not shipped: flashpoint detects with the rules of flashpoint.geo.detect; the filter's code
(span_filter.py, detect_learned.py) lives beside this script. It scores a Syrian town the small spaCy
model tags ORG the same after "shelled" as at a sentence's start, and so cannot pass the detection tests.

Data: GeoWebNews dev (../shared/eval/geowebnews-dev.xml, GPL-3.0, read in place). Each candidate span
(detect_learned.propose) is a positive when it covers a gold toponym of a place type (Literal,
Literal_Modifier, Metonymic, Mixed, Coercion, Embedded_*, Non_Literal_Modifier, Demonym) with an
intersection over union of at least 0.6; otherwise a negative. The labelled corpus
(training/corpus/labels.jsonl, --labels) adds positives only: the candidates covering an event's
``args.location`` in the Guardian Syria articles that are not the article-level dev gold
(corpus.is_dev) and in the event-location sentences (MIT); never argdev.jsonl, never the corpus's
GeoWebNews documents (their full gold is the GeoWebNews set). Their other spans are no negatives: the
corpus marks only event locations.

Split: document level, fold = md5(article id) % 5, as train_ranker.py. Each GeoWebNews fold is scored
with a filter trained on the other four and all the corpus positives (threshold chosen by an inner
cross-validation on the four): detection precision, recall and F1 (a predicted span is right when it
overlaps a gold place toponym; recall over the gold toponyms with coordinates, which is the end-to-end
"found"), end to end and given spans accuracy@161 km, each fold with the ranker trained without it
(--rankers: train_ranker.py --folds-dir). Syria: recall of the Guardian non-dev event locations, each
corpus fold (md5(doc) % 5) detected by a filter trained on all of GeoWebNews and the corpus without
that fold. spaCy's analyses are cached (--parses, --labels-parses). ``--hand`` scores the shipped rules
the same way. ``--extra``: all the event-location sentences' LOCATION spans as extra positives.

``--toponyms training/toponyms/guardian.jsonl`` (``--toponym-weight``): every toponym of the 96 Guardian
training articles. Each candidate of such an article is a positive when it overlaps a labelled toponym of
any kind, else a negative; the articles join the training part of their fold (md5(doc) % 5, the inner
threshold cross-validation included), and each held-out fold's filter also detects that fold's Guardian
articles, scored against the labels (precision over the spans that do not overlap only an embedded
toponym, recall over the literal, metonym and adjective toponyms; embedded recall apart). With it the
Syria recall is not measured (pass ``--guardian-weight 0``: the labels hold the event locations).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flashpoint.evaluation.geoparse import (  # noqa: E402
    GoldArticle,
    fold_of,
    read_corpus,
    score_end_to_end,
    score_resolution,
)
from flashpoint.geo.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from flashpoint.geo.geoparser import Geoparser  # noqa: E402
from flashpoint.geo.ranker import Ranker  # noqa: E402

K = 5
PLACE_TYPES = frozenset({"Literal", "Literal_Modifier", "Metonymic", "Mixed", "Coercion", "Embedded_Literal",
                         "Embedded_Non_Lit", "Non_Literal_Modifier", "Demonym"})
IOU = 0.6


class FilterParser(Geoparser):
    """A geoparser that detects with a trained filter (``detect_learned.py``) instead of the shipped rules."""

    def __init__(self, gazetteer: Gazetteer, ranker: Ranker | None, flt: object) -> None:
        super().__init__(gazetteer, ranker=ranker)
        self.flt = flt

    def _detect(self, text: str, sentences: Sequence, mentions: Sequence, strict: bool = False,
                actors: Sequence = ()) -> list:
        from detect_learned import detect_learned

        return detect_learned(text, sentences, mentions, self.gazetteer, self.flt, strict, actors)  # type: ignore[arg-type]


@dataclass
class Doc:
    article: GoldArticle  # scored toponyms (with coordinates)
    places: list[tuple[int, int]]  # every gold toponym of a place type
    sentences: tuple
    mentions: tuple
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    weight: float = 1.0

    @property
    def key(self) -> str:
        return self.article.id


@dataclass
class ToponymDoc:
    """A Guardian article with every toponym marked (training/toponyms/guardian.jsonl): each candidate
    is a positive when it overlaps a labelled toponym of any kind, else a negative."""

    key: str
    text: str
    scored: list[tuple[int, int]]  # literal, metonym, adjective
    embedded: list[tuple[int, int]]
    sentences: tuple
    mentions: tuple
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    weight: float = 1.0


SCORED_KINDS = frozenset({"literal", "metonym", "adjective"})


def read_toponyms(path: str, shared: Path, cache: Path, gaz: Gazetteer, weight: float) -> list[ToponymDoc]:
    """The Guardian articles of ``path`` with their candidates labelled (texts read in place)."""
    from detect_learned import propose

    texts = {}
    with (shared / "eval" / "guardian-syria-dev.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                texts[row["id"]] = row["text"]
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    parsed = parses(cache, {row["doc"]: texts[row["doc"]] for row in rows})
    out = []
    for row in rows:
        tops = [(int(a), int(b), k) for a, b, k in row["toponyms"]]
        doc = row["doc"]
        out.append(ToponymDoc(doc, texts[doc], [(a, b) for a, b, k in tops if k in SCORED_KINDS],
                              [(a, b) for a, b, k in tops if k not in SCORED_KINDS], *parsed[doc], weight=weight))
    for d in out:
        every = d.scored + d.embedded
        props = propose(d.text, d.sentences, d.mentions, gaz)
        d.x = np.asarray([p.row for p in props], dtype=np.float64).reshape(len(props), -1)
        d.y = np.asarray([any(p.start < e and s < p.end for s, e in every) for p in props], dtype=bool)
    return out


def guardian_detection(docs: Sequence[ToponymDoc], gp: Geoparser) -> dict:
    """Counts for detection against the full labels: a predicted span is right when it overlaps a
    literal/metonym/adjective toponym, neutral when it overlaps only an embedded one (left out of
    precision), else wrong; recall over the literal/metonym/adjective toponyms; embedded recall apart."""
    c = {"predicted": 0, "right": 0, "embedded_only": 0, "gold": 0, "hit": 0, "embedded": 0, "embedded_hit": 0}
    for d in docs:
        spans = [(x.start, x.end) for x in gp.resolve_detected(d.text, d.sentences, d.mentions)[0]]
        for a, b in spans:
            c["predicted"] += 1
            if any(a < e and s < b for s, e in d.scored):
                c["right"] += 1
            elif any(a < e and s < b for s, e in d.embedded):
                c["embedded_only"] += 1
        c["gold"] += len(d.scored)
        c["hit"] += sum(any(a < e and s < b for a, b in spans) for s, e in d.scored)
        c["embedded"] += len(d.embedded)
        c["embedded_hit"] += sum(any(a < e and s < b for a, b in spans) for s, e in d.embedded)
    return c


def guardian_scores(c: dict) -> dict:
    p = c["right"] / max(c["predicted"] - c["embedded_only"], 1)
    p_strict = c["right"] / max(c["predicted"], 1)
    r = c["hit"] / max(c["gold"], 1)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-9), 4),
            "precision_embedded_wrong": round(p_strict, 4),
            "f1_embedded_wrong": round(2 * p_strict * r / max(p_strict + r, 1e-9), 4),
            "embedded_recall": round(c["embedded_hit"] / max(c["embedded"], 1), 4), **c}


def read_places(path: str) -> dict[str, list[tuple[int, int]]]:
    """Gold toponyms of place types by article id (the ids read_corpus gives)."""
    out: dict[str, list[tuple[int, int]]] = {}
    for n, art in enumerate(ET.parse(path).getroot().iter("article")):
        aid = art.get("file") or art.get("docid") or art.get("id") or str(n)
        spans = []
        for t in art.iter("toponym"):
            if t.findtext("type") in PLACE_TYPES:
                s, e = t.findtext("start"), t.findtext("end")
                if s and e:
                    spans.append((int(s), int(e)))
        out[aid] = spans
    return out


def load_docs(corpus: str, cache: Path) -> list[Doc]:
    articles = read_corpus(corpus)
    if cache.exists():
        parsed = pickle.loads(cache.read_bytes())
    else:
        from flashpoint.nlp.model import SpacyModel

        got = SpacyModel().analyse([a.text for a in articles], parse_filter=lambda _s: False)
        parsed = {a.id: (an.sentences, an.mentions) for a, an in zip(articles, got, strict=True)}
        cache.write_bytes(pickle.dumps(parsed))
    places = read_places(corpus)
    return [Doc(a, places.get(a.id, []), *parsed[a.id]) for a in articles]


def label(a: int, b: int, gold: Sequence[tuple[int, int]], place_span: bool = False) -> bool:
    """Whether a candidate covers a gold toponym: an intersection over union of :data:`IOU`, or (a span
    the recogniser calls a place) holding one whole ("north west London")."""
    for s, e in gold:
        inter = min(b, e) - max(a, s)
        if inter > 0 and (inter / (max(b, e) - min(a, s)) >= IOU or (place_span and a <= s and e <= b)):
            return True
    return False


def featurise(docs: Sequence[Doc], gaz: Gazetteer) -> None:
    from detect_learned import propose

    from flashpoint.geo.detect import PLACE_LABELS

    for d in docs:
        props = propose(d.article.text, d.sentences, d.mentions, gaz)
        d.x = np.asarray([p.row for p in props], dtype=np.float64).reshape(len(props), -1)
        d.y = np.asarray([label(p.start, p.end, d.places, p.exact in PLACE_LABELS) for p in props], dtype=bool)


def extra_positives(path: str, cache: Path, gaz: Gazetteer) -> np.ndarray:
    """Rows of the candidates that cover a LOCATION span of the event-location sentences (MIT): positives
    only (their other spans are places too, just not the event's: no negatives)."""
    import zipfile

    from detect_learned import propose

    from flashpoint.geo.detect import PLACE_LABELS

    if cache.exists():
        parsed = pickle.loads(cache.read_bytes())
    else:
        from flashpoint.nlp.model import SpacyModel

        with zipfile.ZipFile(path) as z:
            items = json.loads(z.read("labeled_text.jsonl"))
        spans: dict[str, set[tuple[int, int]]] = {}
        for it in items:
            spans.setdefault(it["text"], set()).update(
                (x["start"], x["end"]) for x in it.get("spans", []) if x["label"] == "LOCATION")
        texts = [t for t, v in spans.items() if v]
        got = SpacyModel().analyse(texts, parse_filter=lambda _s: False)
        parsed = [(t, sorted(spans[t]), an.sentences, an.mentions) for t, an in zip(texts, got, strict=True)]
        cache.write_bytes(pickle.dumps(parsed))
    rows = [p.row for text, locs, sents, ments in parsed for p in propose(text, sents, ments, gaz)
            if label(p.start, p.end, locs, p.exact in PLACE_LABELS)]
    return np.asarray(rows, dtype=np.float64)


@dataclass
class CorpusDoc:
    """A conflict-news document of the labelled corpus with its event locations (positives only)."""

    source: str
    doc: str
    text: str
    locations: list[tuple[int, int]]
    sentences: tuple
    mentions: tuple
    rows: np.ndarray | None = None


def parses(cache: Path, texts: dict[str, str]) -> dict:
    """Sentences and NER mentions per document id, from ``cache``; the documents it lacks are analysed
    (spaCy, no parse) and added to it."""
    parsed = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    missing = [doc for doc in texts if doc not in parsed]
    if missing:
        from flashpoint.nlp.model import SpacyModel

        got = SpacyModel().analyse([texts[doc] for doc in missing], parse_filter=lambda _s: False)
        parsed.update({doc: (an.sentences, an.mentions) for doc, an in zip(missing, got, strict=True)})
        cache.write_bytes(pickle.dumps(parsed))
    return parsed


def read_labels(path: str, shared: Path, cache: Path) -> list[CorpusDoc]:
    """The corpus documents with event locations (``args.location``), never the article-level dev gold
    (Guardian docs where ``is_dev``) nor its GeoWebNews documents (their full gold is the GeoWebNews set,
    scored by fold)."""
    from flashpoint.events.corpus import is_dev, read_corpus

    docs = []
    for d in read_corpus(Path(path), shared):
        if d.source == "geowebnews" or is_dev(d.source, d.doc):
            continue
        locs = sorted({(int(x["args"]["location"][0]), int(x["args"]["location"][1]))
                       for lines in d.labels for x in lines if (x.get("args") or {}).get("location")})
        if locs:
            docs.append(CorpusDoc(d.source, d.doc, d.text, locs, (), ()))
    parsed = parses(cache, {d.doc: d.text for d in docs})
    for d in docs:
        d.sentences, d.mentions = parsed[d.doc]
    return docs


def corpus_rows(docs: Sequence[CorpusDoc], gaz: Gazetteer) -> None:
    """Each document's positive rows: the candidates covering an event location."""
    from detect_learned import propose
    from span_filter import WIDTH

    from flashpoint.geo.detect import PLACE_LABELS

    for d in docs:
        rows = [p.row for p in propose(d.text, d.sentences, d.mentions, gaz)
                if label(p.start, p.end, d.locations, p.exact in PLACE_LABELS)]
        d.rows = np.asarray(rows, dtype=np.float64).reshape(len(rows), WIDTH)


def corpus_extra(docs: Sequence[CorpusDoc], args: argparse.Namespace, skip_fold: int | None = None) -> list:
    """(rows, weight) pairs for :func:`fit`: the corpus positives by source, without ``skip_fold``."""
    out = []
    for source, w in (("guardian", args.guardian_weight), ("els", args.els_weight)):
        rows = [d.rows for d in docs if d.source == source and d.rows is not None and len(d.rows)
                and (skip_fold is None or fold_of(d.doc, K) != skip_fold)]
        if rows and w > 0:
            out.append((np.vstack(rows), w))
    return out


def syria_recall(docs: Sequence[CorpusDoc], parser_for: Callable[[int], Geoparser]) -> dict:
    """Recall of the Guardian (non-dev) event locations by detection, each corpus fold (md5(doc) % 5)
    with the parser ``parser_for`` gives for it: a location is found when a detected span overlaps it."""
    gold = hit = 0
    for k in range(K):
        held = [d for d in docs if d.source == "guardian" and fold_of(d.doc, K) == k]
        if not held:
            continue
        gp = parser_for(k)
        for d in held:
            spans = [(x.start, x.end) for x in gp.resolve_detected(d.text, d.sentences, d.mentions)[0]]
            gold += len(d.locations)
            hit += sum(any(a < e and s < b for a, b in spans) for s, e in d.locations)
    return {"syria_recall": round(hit / max(gold, 1), 4), "found": hit, "locations": gold}


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, *, args: argparse.Namespace) -> dict:
    weight = np.ones(len(y)) if weight is None else weight
    for extra, w in getattr(args, "extra_rows", ()):
        if len(extra):
            x, y = np.vstack([x, extra]), np.concatenate([y, np.ones(len(extra), dtype=bool)])
            weight = np.concatenate([weight, np.full(len(extra), w)])
    if args.model == "trees":
        from sklearn.ensemble import GradientBoostingClassifier
        from train_ranker import export_trees

        gbm = GradientBoostingClassifier(n_estimators=args.trees, max_depth=args.depth, learning_rate=args.rate,
                                         subsample=0.8, min_samples_leaf=5, random_state=0)
        gbm.fit(x, y, sample_weight=weight)
        return export_trees(gbm, x, args.depth, args.rate)
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=args.c, max_iter=5000).fit((x - mean) / scale, y, sample_weight=weight)
    w = lr.coef_[0] / scale
    return {"w": [round(float(v), 6) for v in w], "b": round(float(lr.intercept_[0] - w @ mean), 6)}


def best_threshold(p: np.ndarray, y: np.ndarray, beta: float) -> float:
    """The probability cut with the best F-beta over candidate rows."""
    best, cut = -1.0, 0.5
    for t in np.arange(0.1, 0.91, 0.02):
        keep = p >= t
        tp = float((keep & y).sum())
        prec, rec = tp / max(keep.sum(), 1), tp / max(y.sum(), 1)
        f = (1 + beta**2) * prec * rec / max(beta**2 * prec + rec, 1e-9)
        if f > best:
            best, cut = f, float(t)
    return round(cut, 2)


def train(docs: Sequence[Doc], args: argparse.Namespace) -> dict:
    """A filter on ``docs``; its threshold from an inner cross-validation over their folds."""
    from span_filter import FEATURES, SpanFilter

    folds = [] if args.threshold else sorted({fold_of(d.key, K) for d in docs})
    probs, ys = [], []
    for k in folds:
        inner = [d for d in docs if fold_of(d.key, K) != k]
        spec = {"features": list(FEATURES), "model": fit(*_xyw(inner), args=args)}
        held_x, held_y = stack([d for d in docs if fold_of(d.key, K) == k])
        probs.append(SpanFilter(spec).probabilities(held_x.tolist()))
        ys.append(held_y)
    threshold = args.threshold or best_threshold(np.concatenate(probs), np.concatenate(ys), args.beta)
    return {"features": list(FEATURES), "model": fit(*_xyw(docs), args=args), "threshold": threshold,
            "strict_threshold": max(threshold, args.strict)}


def _xyw(docs: Sequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y, w = stack(docs, True)
    return x, y, w


def stack(docs: Sequence, weights: bool = False) -> tuple:
    docs = [d for d in docs if d.x is not None and d.y is not None]
    x, y = np.vstack([d.x for d in docs]), np.concatenate([d.y for d in docs])
    if not weights:
        return x, y
    return x, y, np.concatenate([np.full(len(d.y), d.weight) for d in docs])


def detection(docs: Sequence[Doc], found: Callable[[Doc], Sequence[tuple[int, int]]]) -> dict:
    """Precision (a predicted span overlapping a gold place toponym), recall over the scored gold toponyms."""
    pred = right = gold = hit = 0
    for d in docs:
        spans = found(d)
        pred += len(spans)
        right += sum(any(a < e and s < b for s, e in d.places) for a, b in spans)
        gold += len(d.article.toponyms)
        hit += sum(any(a < t.end and t.start < b for a, b in spans) for t in d.article.toponyms)
    p, r = right / max(pred, 1), hit / max(gold, 1)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-9), 4),
            "predicted": pred, "gold": gold}


def score_fold(held: Sequence[Doc], gp: Geoparser) -> tuple[dict, list[float], list[float]]:
    by_text = {d.article.text: d for d in held}

    def detected(d: Doc) -> list[tuple[int, int]]:
        return [(x.start, x.end) for x in gp.resolve_detected(d.article.text, d.sentences, d.mentions)[0]]

    def parse(text: str) -> list:
        d = by_text[text]
        return [r.mention for r in gp.resolve_detected(text, d.sentences, d.mentions)[1]]

    arts = [d.article for d in held]
    _, e2e = score_end_to_end(arts, parse)
    _, given = score_resolution(arts, gp.resolve_spans)
    return detection(held, detected), e2e, given


def cross_validate(docs: Sequence[Doc], gaz: Gazetteer, args: argparse.Namespace,
                   gdocs: Sequence[ToponymDoc] = ()) -> dict:
    rows, e2e, given, pooled = [], [], [], []
    gcount: dict = {}
    for k in range(K):
        held = [d for d in docs if fold_of(d.article.id, K) == k]
        ranker = Ranker.load(Path(args.rankers) / f"ranker-fold{k}.json") if args.rankers else None
        if args.hand:
            gp = Geoparser(gaz, ranker=ranker)
        else:
            from span_filter import SpanFilter

            spec = train([d for d in [*docs, *gdocs] if fold_of(d.key, K) != k], args)
            gp = FilterParser(gaz, ranker, SpanFilter(spec, f"fold {k}"))
        gc = guardian_detection([d for d in gdocs if fold_of(d.key, K) == k], gp)
        gcount = {n: gcount.get(n, 0) + v for n, v in gc.items()}
        det, errs, gerrs = score_fold(held, gp)
        e2e += errs
        given += gerrs
        pooled.append(det)
        row = {"fold": k, **det, "end_to_end": acc(errs), "given_spans": acc(gerrs)}
        if gdocs:
            row["guardian_f1"] = guardian_scores(gc)["f1"]
        if not args.hand:
            row["threshold"] = spec["threshold"]
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    pred = sum(r["predicted"] for r in rows)
    right = sum(round(r["precision"] * r["predicted"]) for r in rows)
    hit = sum(round(r["recall"] * r["gold"]) for r in rows)
    p, r = right / pred, hit / len(e2e)
    return {"detection": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)},
            "end_to_end_accuracy@161": acc(e2e), "given_spans_accuracy@161": acc(given),
            **({"guardian": guardian_scores(gcount)} if gdocs else {}),
            "split": "fold = md5(article id) % 5", "folds": rows}


def acc(errors: Sequence[float]) -> float:
    return round(sum(e <= 161.0 for e in errors) / max(len(errors), 1), 4)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "eval" / "geowebnews-dev.xml"))
    ap.add_argument("--parses", default="/tmp/flashpoint-geowebnews-parses.pickle", help="spaCy analyses cache")
    ap.add_argument("--rankers", help="folder of train_ranker.py --folds-dir rankers (else the shipped ranker)")
    ap.add_argument("--model", choices=("linear", "trees"), default="trees")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength (linear)")
    ap.add_argument("--trees", type=int, default=300)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--beta", type=float, default=2.0, help="F-beta the threshold maximises")
    ap.add_argument("--threshold", type=float, help="a fixed threshold instead of the inner cross-validation's")
    ap.add_argument("--strict", type=float, default=0.5, help="least threshold for context names (given spans)")
    ap.add_argument("--extra", default="",
                    help="../shared/train/event-location-sentences.jsonl.zip: LOCATION spans as extra positives")
    ap.add_argument("--extra-parses", default="/tmp/flashpoint-event-location-parses.pickle")
    ap.add_argument("--extra-weight", type=float, default=0.3)
    ap.add_argument("--labels", default=str(ROOT / "training" / "corpus" / "labels.jsonl"),
                    help="the labelled corpus: its event locations as positives ('' for none)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="where the corpus's texts are")
    ap.add_argument("--labels-parses", default="/tmp/flashpoint-corpus-parses.pickle")
    ap.add_argument("--guardian-weight", type=float, default=1.0)
    ap.add_argument("--els-weight", type=float, default=0.3)
    ap.add_argument("--toponyms", default="",
                    help="training/toponyms/guardian.jsonl: every toponym of the Guardian training articles")
    ap.add_argument("--toponym-weight", type=float, default=1.0, help="weight of the --toponyms candidates")
    ap.add_argument("--hand", action="store_true", help="score the tree on PYTHONPATH as it is, no training")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", default="/tmp/span_filter.json", help="where the filter goes (not shipped)")
    args = ap.parse_args(argv)
    gaz = load_gazetteer()
    t0 = time.perf_counter()
    docs = load_docs(args.corpus, Path(args.parses))
    cdocs = read_labels(args.labels, Path(args.shared), Path(args.labels_parses)) if args.labels else []
    extra: list = []
    gdocs = (read_toponyms(args.toponyms, Path(args.shared), Path(args.labels_parses), gaz, args.toponym_weight)
             if args.toponyms else [])
    if gdocs:
        gy = np.concatenate([d.y for d in gdocs if d.y is not None])
        print(f"{len(gdocs)} Guardian articles, {len(gy)} candidates, {int(gy.sum())} positive", file=sys.stderr)
    if not args.hand:
        featurise(docs, gaz)
        corpus_rows(cdocs, gaz)
        _, y = stack(docs)
        if args.extra:
            extra = [(extra_positives(args.extra, Path(args.extra_parses), gaz), args.extra_weight)]
        args.extra_rows = extra + corpus_extra(cdocs, args)
        for rows, w in args.extra_rows:
            print(f"{len(rows)} extra positives (weight {w})", file=sys.stderr)
        print(f"{len(docs)} articles, {len(y)} candidates, {int(y.sum())} positive "
              f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    cv = cross_validate(docs, gaz, args, gdocs)
    print(json.dumps({k: v for k, v in cv.items() if k != "folds"}, indent=2))
    if args.hand:
        if cdocs and not gdocs:
            print(json.dumps(syria_recall(cdocs, lambda _k: Geoparser(gaz))))
        return 0
    spec = train([*docs, *gdocs], args)
    if cdocs and not gdocs:
        cv["syria"] = syria_recall(cdocs, lambda k: _fold_parser(docs, cdocs, gaz, args, extra, k, spec["threshold"]))
        print(json.dumps(cv["syria"]))
    if not args.no_write:
        spec["about"] = {"trained_on": "GeoWebNews dev (200 articles), the corpus's event locations "
                                       "(positives) and, with --toponyms, every toponym of the 96 Guardian "
                                       "training articles (positives and negatives)",
                         "model": args.model, "weights": {"guardian": args.guardian_weight, "els": args.els_weight,
                                                          "toponyms": args.toponym_weight if gdocs else 0},
                         "cv": {k: v for k, v in cv.items() if k != "folds"},
                         "script": "training/geo/train_span_filter.py"}
        Path(args.out).write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _fold_parser(docs: Sequence[Doc], cdocs: Sequence[CorpusDoc], gaz: Gazetteer, args: argparse.Namespace,
                 extra: list, k: int, threshold: float) -> Geoparser:
    """A parser whose filter is trained on all of GeoWebNews and the corpus without its fold ``k``
    (the whole-data threshold)."""
    from span_filter import SpanFilter

    inner = argparse.Namespace(**{**vars(args), "threshold": threshold,
                                  "extra_rows": extra + corpus_extra(cdocs, args, k)})
    return FilterParser(gaz, None, SpanFilter(train(docs, inner), f"corpus fold {k}"))


if __name__ == "__main__":
    raise SystemExit(main())
