"""Fast proxy score on CASE-2021 dev snippets (regex sentences, no spaCy): for tuning only."""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from flashpoint.events import rules
from flashpoint.events.classifier import NONE, EventClassifier
from flashpoint.events.taxonomy import CASE2021_LABELS

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def gold(path: Path) -> list[tuple[str, str]]:
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["EventSnippet"], CASE2021_LABELS[r["SubType"]] or NONE) for r in rows]


def predict(model: EventClassifier, text: str, use_rules: bool = True) -> str:
    best = (NONE, -1.0)
    for s in _SPLIT.split(text):
        if use_rules:
            d = rules.rank(model.scores(s), model.classes, s)
            label, conf = d.label, d.confidence
        else:
            p = model.predict(s)
            label, conf = p.label, p.confidence
        if label != NONE and conf > best[1]:
            best = (label, conf)
    return best[0]


def score(model: EventClassifier, path: Path, verbose: bool = False, use_rules: bool = True) -> float:
    from sklearn.metrics import classification_report, f1_score
    data = gold(path)
    pred = [predict(model, t, use_rules) for t, _ in data]
    y = [g for _, g in data]
    if verbose:
        print(classification_report(y, pred, zero_division=0))
        for (t, g), p in zip(data, pred, strict=True):
            if g != p and verbose > 1:
                print(f"  {g} -> {p} | {t[:200]}")
    return float(f1_score(y, pred, average="weighted", zero_division=0))


if __name__ == "__main__":
    m = EventClassifier.load(Path(sys.argv[1]))
    print(score(m, Path(sys.argv[2]), verbose=int(sys.argv[3]) if len(sys.argv) > 3 else 1))
