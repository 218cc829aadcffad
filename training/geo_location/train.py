"""Train the event location model (``src/flashpoint/geo/data/event_location.json``) and measure it
against the hand-weighted rule it replaced (``flashpoint.geo.stage.by_rule``) on the same candidates.

    .venv/bin/python training/geo_location/train.py          # 5-fold CV of each recipe over the C grid
    .venv/bin/python training/geo_location/train.py --articles /tmp/train-gold.jsonl   # + whole articles
    .venv/bin/python training/geo_location/train.py --recipe els --Cs 3 --out src/flashpoint/geo/data/event_location.json

Data: the accepted items of Halterman's event-location sentences (``labeled_text.jsonl`` in
``../shared/train/event-location-sentences.jsonl.zip``, MIT; the trigger is the VERB span), and the
``event`` lines of the labelled corpus's whole articles without the article-level dev gold (the trigger
is the events stage's for the line's sub-event type; the location the annotated one), each read
through flashpoint's NLP and actor stages and the geo stage's geoparser (``extract.py``; cached in
``--cache`` and ``--corpus-cache``, which hold text and stay out of the repository). The candidates
are exactly the places the geo stage's step 1 chooses among (``stage.sentence_candidates``); one is
right when it overlaps a gold location span. "None of them" is right when the sentence offers
candidates but the gold location lies outside the sentence (the guide takes it from the nearest
sentence that gives it), or, for a corpus line, when the event has no location. Items whose location
lies in the sentence but no candidate overlaps it, or with no candidate at all, teach nothing (counted).

Recipes: ``els`` (Halterman's items, candidates only: the shipped recipe), ``corpus`` (the corpus
items with a right candidate join), ``corpus+none`` (the model may also choose "none": the stage then
falls back to the sentences before and to the story's place), ``all+none`` (Halterman's items without a
LOCATION span but with candidates count as "none" too). Each is scored on the same items, those with a
gold location, by the place the stage ends with after its fallbacks (``stage.settle``; another mention
of the same place counts), and C and the corpus weight are chosen on that; the model's own option
(a right candidate, or "none" where that is right) is reported beside it. Cross-validation is by text
for Halterman's items and by document for the corpus's (``bucket(...) % 5``, the corpus's folds).
``--articles`` (``training/corpus/gold.py --split train``) codes each training article with its
fold's model and scores the location of the events matched to the hand coding.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import Item, read, read_corpus, read_items

from flashpoint import clogit
from flashpoint.events.corpus import bucket
from flashpoint.events.corpus import read_corpus as read_labels
from flashpoint.geo import stage as gs
from flashpoint.geo.resolve import Resolved

ROOT = Path(__file__).resolve().parents[2]
FOLDS = 5
RECIPES = ("els", "corpus", "corpus+none", "all+none")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Group:
    """One item's candidates: their features, which are right ([] with ``none`` right), the hand rule's pick."""

    text: str
    features: list[tuple[str, ...]]
    right: list[int]
    rule: int | None
    source: str
    doc: str
    why: str  # "place": a candidate is right; "elsewhere": the location is in another sentence; "unplaced": none given
    here: list[Resolved]  # the candidates
    settled: list[bool]  # per candidate, and last for "none": whether the place the stage ends with is the gold one

    @property
    def none(self) -> bool:
        """Whether "none of the candidates" is the right answer."""
        return self.why != "place"

    def options(self, none_option: bool) -> list[tuple[str, ...]]:
        return gs.options(self.features, none_option)

    def good(self, none_option: bool) -> list[int]:
        """The right options' indices (empty where only "none" is right and the model cannot say it)."""
        return [len(self.features)] if self.none and none_option else self.right


def cached(cache: Path, build: Callable[[], list[Item]]) -> list[Item]:
    """``build()``'s items, read from ``cache`` when it is there (written to it the first time)."""
    if cache.exists():
        with open(cache, "rb") as f:
            found: list[Item] = pickle.load(f)
        return found
    found = build()
    with open(cache, "wb") as f:
        pickle.dump(found, f)
    return found


def overlaps(r: Resolved, spans: Sequence[tuple[int, int]]) -> bool:
    return any(r.mention.start < e and s < r.mention.end for s, e in spans)


def group(item: Item, counts: Counter[str]) -> Group | None:
    """The item's step-1 candidates as the geo stage builds them, or None (counted) when it teaches nothing."""
    text, trigger = item.text, item.trigger
    sentence = item.sentence if item.sentence is not None else next(
        (s.index for s in item.sentences if s.start <= trigger[0] < s.end), 0)
    span = next(s for s in item.sentences if s.index == sentence)
    usable = gs.usable_places(item.found, item.resolved, text, item.mentions, item.tokens, item.actor_mentions)
    here = gs.sentence_candidates(usable, text, sentence, trigger[1])
    tag = "corpus" if item.source != "els" else "els"
    if not here:
        counts[f"{tag}: no candidate"] += 1
        return None
    right = [n for n, r in enumerate(here) if overlaps(r, item.locations)]
    outside = bool(item.locations) and all(e <= span.start or s >= span.end for s, e in item.locations)
    if right:
        counts[f"{tag}: a candidate right"] += 1
    elif outside:
        counts[f"{tag}: none right (location in another sentence)"] += 1
    elif not item.locations:
        counts[f"{tag}: none right (no location)" if tag == "corpus" else f"{tag}: no LOCATION span"] += 1
    else:
        foreign = any(overlaps(r, item.locations) for r in usable if r.mention.sentence == sentence)
        counts[f"{tag}: location a foreign destination" if foreign else f"{tag}: location, candidates, none right"] += 1
        return None
    ctx = gs.Context(text, trigger, [t for t in item.tokens if t.sentence == sentence],
                     [m for m in item.mentions if m.sentence == sentence],
                     [a for a in item.actor_mentions if a.sentence == sentence], {d.start: d.source for d in item.found})
    rule = gs.by_rule(here, text, trigger[0])
    named = gs.named_places(usable, item.mentions)
    story = gs.story_place(named)
    gold = {key(r) for r in usable if overlaps(r, item.locations)}

    def ends_right(choice: Resolved | None) -> bool:
        got = gs.settle(choice, named, story, text, sentence)
        return got is not None and (overlaps(got[0], item.locations) or key(got[0]) in gold)

    return Group(text, gs.candidate_features(here, ctx), right, None if rule is None else here.index(rule),
                 item.source, item.doc, "place" if right else "elsewhere" if outside else "unplaced", here,
                 [*(ends_right(r) for r in here), ends_right(None)])


def key(r: Resolved) -> object:
    """A resolved mention's place: another mention of the same place is the same answer."""
    place = r.mention.place
    return None if place is None else (place.geonameid or (place.name, place.latitude, place.longitude))


def in_recipe(g: Group, recipe: str) -> bool:
    """Whether the recipe trains on the group."""
    if recipe == "els":
        return g.source == "els" and g.why == "place"
    if recipe == "corpus":
        return g.why == "place"
    return recipe == "all+none" or not (g.source == "els" and g.why == "unplaced")


def scored(g: Group) -> bool:
    """The decisions every recipe is scored on: all but Halterman's items without a LOCATION span (whose
    "none" only ``all+none`` learns; reported apart)."""
    return not (g.source == "els" and g.why == "unplaced")


def fit(groups: Sequence[Group], c: float, none_option: bool, corpus_weight: float = 1.0) -> dict[str, float]:
    """A conditional logit over each group's options (:func:`flashpoint.clogit.fit`); a corpus group
    counts ``corpus_weight`` times in the likelihood."""
    return clogit.fit([(g.options(none_option), g.good(none_option)) for g in groups], c,
                      [1.0 if g.source == "els" else corpus_weight for g in groups], maxiter=1000, keep=0.01)


def fold_of(g: Group) -> int:
    return bucket(g.text if g.source == "els" else g.doc) % FOLDS


def fold_model(groups: Sequence[Group], fold: int | None, c: float, recipe: str, weight: float) -> gs.LocationModel:
    """The recipe's model fitted on every group outside ``fold`` (None: on all)."""
    none_option = recipe.endswith("+none")
    train = [g for g in groups if fold_of(g) != fold and in_recipe(g, recipe)]
    return gs.LocationModel(fit(train, c, none_option, weight), {"none_option": none_option})


def cross_validate(groups: Sequence[Group], c: float, recipe: str,
                   weight: float) -> tuple[list[int | None], list[int | None]]:
    """Out of fold, for every group (folds by text, or by document for the corpus): the model's option
    (an index into :meth:`Group.options`, "none" last) and the stage's choice (:func:`flashpoint.geo.
    stage.pick`: a country's centre gives way to a town of it the sentence names; None for "none")."""
    none_option = recipe.endswith("+none")
    picks: dict[int, tuple[int | None, int | None]] = {}
    for f in range(FOLDS):
        model = fold_model(groups, f, c, recipe, weight)
        for n, g in enumerate(groups):
            if fold_of(g) == f:
                picks[n] = (model.best(g.options(none_option)), gs.pick(model, g.features, g.here))
    return [picks[n][0] for n in range(len(groups))], [picks[n][1] for n in range(len(groups))]


def settled_accuracy(choices: Sequence[int | None], groups: Sequence[Group],
                     keep: Callable[[Group], bool] = lambda g: g.why != "unplaced") -> dict[str, float | int]:
    """How often the place the stage ends with (after its fallbacks: the sentences before, the story's
    place) is the gold one, over the items with a gold location."""
    return tally([g.settled[len(g.here) if c is None else c] for c, g in zip(choices, groups, strict=True) if keep(g)])


def right(pick: int | None, g: Group) -> bool:
    return pick is not None and (pick in g.right or (g.none and pick == len(g.features)))


def accuracy(picks: Sequence[int | None], groups: Sequence[Group],
             keep: Callable[[Group], bool] = scored) -> dict[str, float | int]:
    """How often the model's own option is right (a right candidate, or "none" where that is right)."""
    return tally([right(p, g) for p, g in zip(picks, groups, strict=True) if keep(g)])


def tally(verdicts: Sequence[bool]) -> dict[str, float | int]:
    hits = sum(verdicts)
    return {"right": hits, "of": len(verdicts), "accuracy": round(hits / max(1, len(verdicts)), 4)}


def breakdown(picks: Sequence[int | None], groups: Sequence[Group]) -> dict[str, dict[str, float | int]]:
    """Accuracy per source and kind of decision."""
    keys = sorted({(g.source, g.why) for g in groups})
    return {f"{src} {why}": accuracy(picks, groups, lambda g, s=src, w=why: (g.source, g.why) == (s, w))
            for src, why in keys}


def articles(path: Path, groups: Sequence[Group], c: float, recipe: str, weight: float) -> dict[str, object]:
    """Code each training article of ``path`` (``gold.py --split train``) with the model its fold's
    groups were left out of, and score the location of the events matched to the hand coding."""
    from flashpoint.coder import Coder, default_stages
    from flashpoint.evaluation.articles import GoldArticle, location_ok, match_events, read_gold
    from flashpoint.records import DEFAULT_MODALITIES, GeoPrecision

    golds = [a for a in read_gold(path) if isinstance(a, GoldArticle)]
    matched = located = country = events = 0
    for f in range(FOLDS):
        model = fold_model(groups, f, c, recipe, weight)
        coder = Coder([gs.GeoStage(model=model) if isinstance(st, gs.GeoStage) else st for st in default_stages()])
        for a in golds:
            if bucket(a.id) % FOLDS != f:
                continue
            coded = [e for e in coder.code(a.text, published=a.published, article_id=a.id)
                     if e.modality in DEFAULT_MODALITIES]
            events += len(coded)
            country += sum(e.geo_precision == GeoPrecision.REGION and e.location is not None
                           and e.admin1 is None for e in coded)
            for gi, ei, _ in match_events(a.events, coded):
                matched += 1
                located += location_ok(a.events[gi], coded[ei], a.text)
    return {"articles": len(golds), "events": events, "matched": matched, "location_right": located,
            "at_a_country": country}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=ROOT.parent / "shared" / "train" / "event-location-sentences.jsonl.zip")
    parser.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus" / "labels.jsonl")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/geo-location-items.pkl"))
    parser.add_argument("--corpus-cache", type=Path, default=Path("/tmp/geo-location-corpus.pkl"))
    parser.add_argument("--Cs", type=float, nargs="+", default=[0.03, 0.1, 0.3, 1.0, 3.0], dest="cs")
    parser.add_argument("--corpus-weights", type=float, nargs="+", default=[1.0, 3.0, 10.0],
                        help="how many times a corpus item counts against one of Halterman's (a grid)")
    parser.add_argument("--recipe", choices=RECIPES, nargs="+", default=list(RECIPES),
                        help="the recipes to cross-validate (the first is written with --out)")
    parser.add_argument("--articles", type=Path, help="training articles' gold (gold.py --split train) to code "
                        "out of fold with each recipe's chosen C")
    parser.add_argument("--out", type=Path, help="write the first recipe's model, trained on all its items, here")
    args = parser.parse_args()
    items = (cached(args.cache, lambda: read(read_items(args.data)))
             + cached(args.corpus_cache, lambda: read_corpus(read_labels(args.corpus, args.shared))))
    counts: Counter[str] = Counter()
    groups = [g for g in (group(it, counts) for it in items) if g is not None]
    log(f"{len(items)} items: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    figures: dict[str, object] = {"items": len(items), "counts": dict(sorted(counts.items()))}
    figures["rule"] = settled_accuracy([g.rule for g in groups], groups)  # never "none"
    for recipe in args.recipe:
        tried = {}
        for c in args.cs:
            for w in args.corpus_weights if recipe != "els" else [1.0]:
                picks, choices = cross_validate(groups, c, recipe, w)
                tried[c, w] = (settled_accuracy(choices, groups), choices, picks)
                log(f"{recipe} C {c} corpus weight {w}: CV, the place the stage ends with: {tried[c, w][0]}")
        best = max(tried, key=lambda k: (tried[k][0]["right"], -k[0], -k[1]))
        picks = tried[best][2]
        result: dict[str, object] = {
            "C": best[0], "corpus_weight": best[1], "settled": tried[best][0],
            "settled_by_source": {src: settled_accuracy(tried[best][1], groups, lambda g, s=src: g.why != "unplaced"
                                                        and (g.source == "els") == (s == "els"))
                                  for src in ("els", "corpus")},
            "grid": {f"C {c}, weight {w}": v[0]["accuracy"] for (c, w), v in tried.items()},
            "choice": accuracy(picks, groups), "choice_by_kind": breakdown(picks, groups)}
        if args.articles:
            result["articles_out_of_fold"] = articles(args.articles, groups, best[0], recipe, best[1])
        figures[recipe] = result
        log(f"{recipe}: {json.dumps(result)}")
    if args.out:
        recipe = args.recipe[0]
        chosen = figures[recipe]
        assert isinstance(chosen, dict)
        train = [g for g in groups if in_recipe(g, recipe)]
        none_option = recipe.endswith("+none")
        model = gs.LocationModel(fold_model(groups, None, chosen["C"], recipe, chosen["corpus_weight"]).weights, {
            "trained_on": f"recipe {recipe}: {sum(g.source == 'els' for g in train)} event-location sentences "
                          f"(Halterman, MIT) and {sum(g.source != 'els' for g in train)} event lines of the "
                          "labelled corpus's whole articles without the dev gold (training/corpus)",
            "none_option": none_option, "C": chosen["C"], "corpus_weight": chosen["corpus_weight"],
            "figures": {**figures, "cv_model": chosen["settled"]}, "script": "training/geo_location/train.py"})
        args.out.write_text(model.to_json(), encoding="utf-8")
        log(f"wrote {args.out} ({len(model.weights)} weights)")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
