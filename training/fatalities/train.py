"""Train the fatality model (src/flashpoint/events/data/fatalities.json): which number counts an event's dead.

    .venv/bin/python training/fatalities/train.py             # 5-fold CV report, then train on all and write
    .venv/bin/python training/fatalities/train.py --no-write

Data: the carrier sentence of every event of the labelled corpus (training/corpus/labels.jsonl) outside
the article-level dev gold: the option overlapping the annotator's fatality span is right, or "no
figure" when none was marked; and ACLED notes (../shared/train/acled-notes.csv, internal: no rows
committed) as down-weighted silver: the options whose value equals the row's fatalities (0: "no
figure" or "no one was killed"); notes where no option has the figure are left out. Folds are by
document (md5(doc) % 5); the notes are always in training. The dev gold's events are scored for
reporting only.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training" / "corpus"))

from gold import number  # noqa: E402

from flashpoint import clogit  # noqa: E402
from flashpoint.events import toll  # noqa: E402
from flashpoint.events.corpus import is_dev, read_corpus  # noqa: E402
from flashpoint.events.finetune import fold_of  # noqa: E402
from flashpoint.events.learn import clean_note  # noqa: E402

K = 5


def corpus_events(corpus: Path, shared: Path) -> list[tuple[str, bool, str, int | None, tuple[int, int] | None]]:
    """(doc, dev, sentence, gold figure, gold span in the sentence) for every event line."""
    out = []
    for d in read_corpus(corpus, shared):
        for (a, b), lines in zip(d.sentences, d.labels, strict=True):
            for line in lines:
                if line["reason"] != "event":
                    continue
                span = line.get("args", {}).get("fatalities")
                figure = number(d.text[span[0]:span[1]]) if span else None
                where = (span[0] - a, span[1] - a) if span else None
                out.append((d.doc, is_dev(d.source, d.doc), d.text[a:b], figure, where))
    return out


def group(text: str, figure: int | None, span: tuple[int, int] | None) -> clogit.Group | None:
    opts = toll.options(text)
    if span is None:
        right = [len(opts) - 1]
    else:
        right = [n for n, o in enumerate(opts) if o.value is not None and o.start < span[1] and span[0] < o.end]
        if not right:
            right = [n for n, o in enumerate(opts) if o.value is not None and o.value == figure]
    return ([o.features for o in opts], right) if right else None


def silver(path: Path, limit: int, seed: int = 13) -> list[clogit.Group]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("notes") and (r.get("fatalities") or "").isdigit()]
    random.Random(seed).shuffle(rows)
    out = []
    for row in rows:
        text, figure = clean_note(row["notes"]), int(row["fatalities"])
        if not text:
            continue
        opts = toll.options(text)
        if figure == 0:
            right = [n for n, o in enumerate(opts) if o.value in (None, 0)]
        else:
            right = [n for n, o in enumerate(opts) if o.value == figure]
        if right:
            out.append(([o.features for o in opts], right))
        if len(out) >= limit:
            break
    return out


def written(path: Path) -> list[clogit.Group]:
    """Sentences written for flashpoint (``written.tsv``): a figure and the sentence with the figure's words
    in [[ ]], or "-" for a sentence that gives its event no figure."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        figure, marked = line.split("\t", 1)
        start, end = marked.find("[["), marked.find("]]")
        text = marked.replace("[[", "").replace("]]", "")
        span = (start, end - 2) if start >= 0 else None
        g = group(text, None if figure == "-" else int(figure), span)
        if g is None:
            raise SystemExit(f"{path}:{n}: no option has the marked figure")
        out.append(g)
    return out


def accuracy(model: toll.FatalityModel, events: list) -> dict[str, float]:  # type: ignore[type-arg]
    def read(text: str) -> int | None:
        found = toll.read_figure(text, model)
        return found.value if found is not None else None

    with_figure = [read(t) == g for _, _, t, g, s in events if s is not None]
    without = [read(t) is None or read(t) == 0 for _, _, t, g, s in events if s is None]
    every = with_figure + without
    return {"events": len(every), "all": round(sum(every) / max(1, len(every)), 3),
            "with_figure": round(sum(with_figure) / max(1, len(with_figure)), 3),
            "without_figure": round(sum(without) / max(1, len(without)), 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus" / "labels.jsonl")
    ap.add_argument("--notes", type=int, default=0, help="most ACLED notes used as silver (0: none; see the README)")
    ap.add_argument("--silver-weight", type=float, default=0.1)
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "flashpoint" / "events" / "data" / "fatalities.json")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--argdev", type=Path, default=ROOT / "training" / "corpus" / "argdev.jsonl",
                    help="the argument dev set (never trained on): scored with the final model")
    ap.add_argument("--no-written", dest="written", action="store_false", help="leave out written.tsv")
    args = ap.parse_args()
    events = corpus_events(args.corpus, args.shared)
    train_events = [e for e in events if not e[1]]
    notes = silver(args.shared / "train" / "acled-notes.csv", args.notes) if args.notes else []
    mine = written(Path(__file__).with_name("written.tsv")) if args.written else []
    extra = notes + mine
    extra_weights = [args.silver_weight] * len(notes) + [1.0] * len(mine)
    print(f"{len(train_events)} corpus events, {len(notes)} silver notes", file=sys.stderr)
    per_fold = []
    for f in range(K):
        train = [e for e in train_events if fold_of(e[0], K) != f]
        test = [e for e in train_events if fold_of(e[0], K) == f]
        groups = [g for e in train if (g := group(e[2], e[3], e[4])) is not None]
        model = toll.FatalityModel(clogit.fit(groups + extra, args.c, [1.0] * len(groups) + extra_weights))
        per_fold.append((len(test), accuracy(model, test)))
    total = sum(n for n, _ in per_fold)
    cv = {key: round(sum(n * r[key] for n, r in per_fold) / total, 3) for key in ("all", "with_figure", "without_figure")}
    report = {"cv_model": cv, "train_events": len(train_events), "silver_notes": len(notes), "written": len(mine)}
    groups = [g for e in train_events if (g := group(e[2], e[3], e[4])) is not None]
    model = toll.FatalityModel(clogit.fit(groups + extra, args.c, [1.0] * len(groups) + extra_weights))
    dev = [e for e in events if e[1]]
    report |= {"dev_model": accuracy(model, dev)}
    if args.argdev.exists():
        report |= {"argdev_model": accuracy(model, corpus_events(args.argdev, args.shared))}
    print(json.dumps(report))
    if not args.no_write:
        trained = (f"{len(groups)} corpus event sentences (dev gold left out), {len(mine)} written sentences and "
                   f"{len(notes)} ACLED notes (weight {args.silver_weight}); 5-fold CV accuracy "
                   f"{report['cv_model']['all']}")
        args.out.write_text(model.to_json(trained), encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
