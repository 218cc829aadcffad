"""Train the event location model (``src/flashpoint/geo/data/event_location.json``) and measure it
against the hand-weighted rule it replaces (``flashpoint.geo.stage.by_rule``) on the same candidates.

    .venv/bin/python training/geo_location/train.py          # 5-fold CV over the C grid, no file written
    .venv/bin/python training/geo_location/train.py --out src/flashpoint/geo/data/event_location.json

Data: the accepted items of Halterman's event-location sentences (``labeled_text.jsonl`` in
``../shared/train/event-location-sentences.jsonl.zip``, MIT), read through flashpoint's NLP and actor
stages and the geo stage's geoparser (``extract.py``; cached in ``--cache``, which holds the sentences'
text and stays out of the repository). The trigger is the VERB span. The candidates are exactly the
places the geo stage's step 1 chooses among (``stage.sentence_candidates``); one is right when it
overlaps a LOCATION span. Items without a LOCATION span, without candidates, or whose LOCATION no
candidate overlaps are left out of the fit and of the accuracy (they are counted).
Cross-validation is by text (``bucket(text) % 5``: one text with several triggers stays in one fold);
C (inverse L2 strength) is the grid value with the best CV accuracy.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import Item, read, read_items

from flashpoint import clogit
from flashpoint.events.corpus import bucket
from flashpoint.geo import stage as gs
from flashpoint.geo.resolve import Resolved

ROOT = Path(__file__).resolve().parents[2]
FOLDS = 5


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Group:
    """One item's candidates: their features, which are right, and the hand rule's pick."""

    text: str
    features: list[tuple[str, ...]]
    right: list[int]
    rule: int | None


def load(cache: Path, data: Path) -> list[Item]:
    if cache.exists():
        with open(cache, "rb") as f:
            found: list[Item] = pickle.load(f)
        return found
    found = read(read_items(data))
    with open(cache, "wb") as f:
        pickle.dump(found, f)
    return found


def overlaps(r: Resolved, spans: Sequence[tuple[int, int]]) -> bool:
    return any(r.mention.start < e and s < r.mention.end for s, e in spans)


def group(item: Item, counts: Counter[str]) -> Group | None:
    """The item's step-1 candidates as the geo stage builds them, or None (counted) when it teaches nothing."""
    text, trigger = item.text, item.trigger
    sentence = next((s.index for s in item.sentences if s.start <= trigger[0] < s.end), 0)
    usable = gs.usable_places(item.found, item.resolved, text, item.mentions, item.tokens, item.actor_mentions)
    here = gs.sentence_candidates(usable, text, sentence, trigger[1])
    if not item.locations:
        counts["no LOCATION span"] += 1
        return None
    right = [n for n, r in enumerate(here) if overlaps(r, item.locations)]
    if not right:
        foreign = any(overlaps(r, item.locations) for r in usable if r.mention.sentence == sentence)
        counts["LOCATION a foreign destination" if foreign else "LOCATION, candidates, none right" if here
               else "LOCATION, no candidate"] += 1
        return None
    ctx = gs.Context(text, trigger, [t for t in item.tokens if t.sentence == sentence],
                     [m for m in item.mentions if m.sentence == sentence],
                     [a for a in item.actor_mentions if a.sentence == sentence], {d.start: d.source for d in item.found})
    rule = gs.by_rule(here, text, trigger[0])
    counts["fitted"] += 1
    return Group(text, gs.candidate_features(here, ctx), right, None if rule is None else here.index(rule))


def fit(groups: Sequence[Group], c: float) -> dict[str, float]:
    """A conditional logit over each group's candidates (:func:`flashpoint.clogit.fit`)."""
    return clogit.fit([(g.features, g.right) for g in groups], c, maxiter=1000, keep=0.01)


def fold_of(g: Group) -> int:
    return bucket(g.text) % FOLDS


def cross_validate(groups: Sequence[Group], c: float) -> list[int | None]:
    """Out-of-fold picks for every group (folds by text)."""
    picks: dict[int, int | None] = {}
    for f in range(FOLDS):
        model = gs.LocationModel(fit([g for g in groups if fold_of(g) != f], c), {})
        for n, g in enumerate(groups):
            if fold_of(g) == f:
                picks[n] = model.best(g.features)
    return [picks[n] for n in range(len(groups))]


def accuracy(picks: Sequence[int | None], groups: Sequence[Group]) -> dict[str, float | int]:
    hits = sum(p is not None and p in g.right for p, g in zip(picks, groups, strict=True))
    return {"right": hits, "of": len(groups), "accuracy": round(hits / max(1, len(groups)), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=ROOT.parent / "shared" / "train" / "event-location-sentences.jsonl.zip")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/geo-location-items.pkl"))
    parser.add_argument("--Cs", type=float, nargs="+", default=[0.03, 0.1, 0.3, 1.0, 3.0], dest="cs")
    parser.add_argument("--out", type=Path, help="write the model trained on every fitted item here")
    args = parser.parse_args()
    items = load(args.cache, args.data)
    counts: Counter[str] = Counter()
    groups = [g for g in (group(it, counts) for it in items) if g is not None]
    log(f"{len(items)} accepted items with a VERB span: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    figures: dict[str, object] = {"items": len(items), **{k.replace(" ", "_"): v for k, v in counts.items()}}
    figures["rule"] = accuracy([g.rule for g in groups], groups)
    tried = {}
    for c in args.cs:
        tried[c] = accuracy(cross_validate(groups, c), groups)
        log(f"C {c}: CV {tried[c]}")
    best = max(tried, key=lambda c: (tried[c]["right"], -c))
    figures["cv_model"] = tried[best]
    figures["grid"] = {str(c): v["accuracy"] for c, v in tried.items()}
    figures["C"] = best
    log(f"rule {figures['rule']}; model (C {best}) {tried[best]}")
    if args.out:
        model = gs.LocationModel(fit(groups, best), {
            "trained_on": f"{len(groups)} accepted sentences of Halterman's event-location set (MIT) whose "
                          "LOCATION is among the geo stage's step-1 candidates",
            "C": best, "figures": figures, "script": "training/geo_location/train.py"})
        args.out.write_text(model.to_json(), encoding="utf-8")
        log(f"wrote {args.out} ({len(model.weights)} weights)")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
