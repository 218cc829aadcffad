"""Train the argument model (``src/flashpoint/events/data/arguments.json``) and measure it on the corpus's
event sentences (the hand rules it replaced, since retired, scored 0.555 / 0.413 in the same CV).

    .venv/bin/python training/arguments/train.py                       # 5-fold CV + dev gold, no file written
    .venv/bin/python training/arguments/train.py --out src/flashpoint/events/data/arguments.json
    .venv/bin/python training/arguments/train.py --silver-notes 30000 --grid --weights 0 0.1 0.3 1 --Cs 0.3 1 \\
        --out src/flashpoint/events/data/arguments.json       # what ships: ACLED silver, weight and C by CV

Data: the ``event`` lines of ``training/corpus/labels.jsonl`` with their actor1/actor2 offsets, read
through flashpoint's NLP and actor stages (``extract.py``; cached in ``--cache``, which holds corpus
text and stays out of the repository). A candidate (an actor mention of the event's sentence or the one
before) is positive for a role when it overlaps the annotated span. The article-level dev gold (Guardian
documents with ``is_dev``) is never trained on: it is scored once, by the model trained on the rest.
Cross-validation is by document (``bucket(doc) % 5``).

Silver (``--silver-notes N``): N ACLED notes (``silver.py``; cached in ``--silver-cache``, internal data
that stays out of the repository) whose actor1/actor2 columns matched an actor mention. Silver is only ever
in the training part, down-weighted by ``--silver-weight``; the corpus folds stay the measure. One note in
ten (``bucket(event id) % 10 == 0``) is never trained on: the held-out silver slice. ``--grid`` tries every
silver weight and C of ``--weights``/``--Cs`` by corpus cross-validation and uses the best.

Accuracy for a role: the chosen mention overlaps the annotated span, or both are empty. "no candidate"
counts the events whose annotated actor no candidate overlaps (the actor stage did not find it).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import silver
from extract import EventExample, examples
from silver import SilverExample

from flashpoint import clogit
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


def golds(e: EventExample, role: str) -> tuple[tuple[int, int], ...]:
    """The spans right for a role: the annotated one, or every mention a silver column matched."""
    if isinstance(e, SilverExample):
        return e.spans1 if role == "actor1" else e.spans2
    gold = getattr(e, role)
    return () if gold is None else (gold,)


def annotated(e: EventExample, role: str) -> bool:
    """Whether the event has an actor in that role (a silver column may name one no mention matched)."""
    if isinstance(e, SilverExample):
        return e.has1 if role == "actor1" else e.has2
    return getattr(e, role) is not None


def hit(m: ActorMention | None, e: EventExample, role: str) -> bool:
    return any(overlaps(m, g) for g in golds(e, role))


def right(m: ActorMention | None, e: EventExample, role: str) -> bool:
    return hit(m, e, role) or (m is None and not annotated(e, role))


def cands(e: EventExample) -> list[am.Candidate]:
    return am.candidates(e.sub_event_type, e.tokens, e.mentions, e.trigger, e.context)


def finish(e: EventExample, agent: ActorMention | None, patient: ActorMention | None) -> roles.Roles:
    return am.conventions(e.sub_event_type, e.sentence.text, e.sentence.start, e.sentence.index, e.tokens,
                          e.mentions, e.trigger, e.country, agent, patient, e.published)


def by_model(model: am.ArgumentModel) -> Chooser:
    def choose(e: EventExample) -> roles.Roles:
        return finish(e, *model.choose(e.sub_event_type, cands(e)))
    return choose


def score(chosen: Sequence[roles.Roles], data: Sequence[EventExample]) -> dict[str, float | int]:
    """Accuracy per role, with how many events have that role annotated and how many no candidate covers."""
    out: dict[str, float | int] = {"events": len(data)}
    for role in am.ROLES:
        hits = sum(right(getattr(r, role), e, role) for r, e in zip(chosen, data, strict=True))
        out[f"{role}_accuracy"] = round(hits / max(1, len(data)), 3)
        out[f"{role}_right"] = hits
        out[f"{role}_annotated"] = sum(annotated(e, role) for e in data)
        out[f"{role}_no_candidate"] = sum(annotated(e, role) and not any(hit(m, e, role) for m in e.mentions + e.context)
                                          for e in data)
    return out


Group = tuple[list[tuple[str, ...]], tuple[str, ...], list[int]]  # options, "none" option, right options


def fit_role(groups: Sequence[Group], c: float, weights: Sequence[float] | None = None) -> dict[str, float]:
    """A conditional logit over each group's options and its "none" option (:func:`flashpoint.clogit.fit`):
    the right options are the annotated ones, or "none" when there is none."""
    return clogit.fit([([*options, null], list(good) or [len(options)]) for options, null, good in groups], c,
                      weights)


Groups = tuple[Group | None, Group | None]  # an event's actor1 and actor2 groups (None: left out of that role)


def groups(e: EventExample) -> Groups:
    """An event's training groups; actor2 sees its pair features with the annotated actor1's candidate. An
    event whose annotated actor no candidate covers teaches nothing about that role (the actor stage missed
    it; no choice would be right) and is left out of that role's fit."""
    row = cands(e)
    good1 = [n for n, cand in enumerate(row) if hit(cand.mention, e, "actor1")]
    first = ([cand.features for cand in row], am.null_features(e.sub_event_type, row), good1) if (
        good1 or not annotated(e, "actor1")) else None
    agent = good1[0] if good1 else None
    rest = [cand for cand in row if agent is None or cand.mention.actor.name != row[agent].mention.actor.name]
    good2 = [n for n, cand in enumerate(rest) if hit(cand.mention, e, "actor2")]
    second = ([am.actor2_features(cand, agent) for cand in rest],
              am.null_features(e.sub_event_type, row, agent is not None), good2) if (
        good2 or not annotated(e, "actor2")) else None
    return first, second


SILVER = "acled&"  # the prefix of the silver notes' own copies of their features (dropped from the model)


def own_copies(g: Groups) -> Groups:
    """A silver event's groups with every feature also in a copy of its own (``acled&f``), which takes up
    what is peculiar to the notes (their style, an actor1 always present) while ``f`` is shared with the
    corpus (Daumé's feature augmentation; at run time only the shared weights exist)."""
    def copy(group: Group | None) -> Group | None:
        if group is None:
            return None
        options, null, good = group
        return ([(*o, *(SILVER + f for f in o)) for o in options], (*null, *(SILVER + f for f in null)), good)
    return copy(g[0]), copy(g[1])


def fit(data: Sequence[Groups], c: float, weights: Sequence[float] | None = None) -> am.ArgumentModel:
    """Both roles from the events' groups (``weights``: one per event, default 1)."""
    weights = [1.0] * len(data) if weights is None else weights
    model = {}
    for k, role in enumerate(am.ROLES):
        kept = [(g[k], w) for g, w in zip(data, weights, strict=True) if g[k] is not None and w > 0]
        found = fit_role([g for g, _ in kept if g is not None], c, [w for _, w in kept])
        model[role] = am.RoleWeights({f: v for f, v in found.items() if not f.startswith(SILVER)})
    return am.ArgumentModel(model, {})


def fold_of(e: EventExample, k: int = FOLDS) -> int:
    return bucket(e.doc) % k


def cross_validate(data: Sequence[EventExample], c: float, extra: Sequence[Groups] = (),
                   extra_weight: float = 0.0, grouped: Sequence[Groups] | None = None) -> list[roles.Roles]:
    """Out-of-fold roles for every example (folds by document); ``extra`` (silver) is in every fold's
    training part with weight ``extra_weight``; ``grouped``: the examples' groups, when already made."""
    grouped = [groups(e) for e in data] if grouped is None else grouped
    chosen: dict[int, roles.Roles] = {}
    for f in range(FOLDS):
        part = [g for g, e in zip(grouped, data, strict=True) if fold_of(e) != f]
        model = fit(part + list(extra), c, [1.0] * len(part) + [extra_weight] * len(extra))
        for n, e in enumerate(data):
            if fold_of(e) == f:
                chosen[n] = by_model(model)(e)
    return [chosen[n] for n in range(len(data))]


def held_out(e: SilverExample) -> bool:
    """The silver notes never trained on: one in ten, by event id."""
    return bucket(e.doc) % 10 == 0


def report(name: str, figures: dict[str, float | int]) -> None:
    log(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))


def both(figures: dict[str, float | int]) -> int:
    """The selection score: right actor1 plus right actor2."""
    return int(figures["actor1_right"]) + int(figures["actor2_right"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus" / "labels.jsonl")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/arguments-examples.pkl"))
    parser.add_argument("--C", type=float, default=0.3, dest="c", help="inverse L2 strength")
    parser.add_argument("--silver", type=Path, default=ROOT.parent / "shared" / "train" / "acled-notes.csv",
                        help="ACLED notes (internal: never copy rows into the repository)")
    parser.add_argument("--silver-notes", type=int, default=0, help="how many notes to read (0: no silver)")
    parser.add_argument("--silver-per-type", type=int, default=0,
                        help="at most this many notes of one sub-event type (0: no limit)")
    parser.add_argument("--silver-cache", type=Path, default=Path("/tmp/arguments-silver.pkl"))
    parser.add_argument("--silver-weight", type=float, default=0.1, help="weight of a silver note (a corpus line: 1)")
    parser.add_argument("--no-own-copies", action="store_false", dest="own_copies",
                        help="silver features only shared with the corpus (see own_copies)")
    parser.add_argument("--grid", action="store_true", help="choose silver weight and C by corpus CV")
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.1, 0.3, 1.0])
    parser.add_argument("--Cs", type=float, nargs="+", default=[0.1, 0.3, 1.0], dest="cs")
    parser.add_argument("--out", type=Path, help="write the model trained on all but the dev gold here")
    parser.add_argument("--argdev", type=Path, default=ROOT / "training" / "corpus" / "argdev.jsonl",
                        help="the argument dev set (never trained on): scored with the final model")
    args = parser.parse_args()
    data = load(args.cache, args.corpus, args.shared)
    train = [e for e in data if not e.dev]
    dev = [e for e in data if e.dev]
    log(f"{len(train)} training event lines ({sum(e.actor1 is not None or e.actor2 is not None for e in train)} "
        f"with actors), {len(dev)} dev gold")
    notes, counts = silver.load(args.silver_cache, args.silver, args.silver_notes, args.silver_per_type) if (
        args.silver_notes) else ([], Counter())
    if counts:
        log("silver matches: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    fitted = [e for e in notes if not held_out(e)]
    tested = [e for e in notes if held_out(e)]
    extra = [own_copies(groups(e)) if args.own_copies else groups(e) for e in fitted]
    log(f"silver: {len(notes)} notes, {len(fitted)} trained on, {len(tested)} held out")
    grouped = [groups(e) for e in train]
    c, weight = args.c, args.silver_weight if notes else 0.0
    base_c = args.c
    if args.grid:
        tried = {}
        for w in args.weights if notes else [0.0]:
            for cc in args.cs:
                tried[(w, cc)] = score(cross_validate(train, cc, extra, w, grouped), train)
                report(f"grid weight {w} C {cc}", tried[(w, cc)])
        weight, c = max(tried, key=lambda k: (both(tried[k]), -k[0]))
        base_c = max((k for k in tried if k[0] == 0.0), key=lambda k: both(tried[k]), default=(0.0, args.c))[1]
        log(f"chosen: silver weight {weight}, C {c}; without silver, C {base_c}")
    guardian = [n for n, e in enumerate(train) if e.source == "guardian"]
    runs = {"model": (c, weight)} if weight == 0 else {"model": (c, weight), "model_no_silver": (base_c, 0.0)}
    figures: dict[str, dict[str, float | int]] = {}
    final = None
    for name, (cc, w) in runs.items():
        cv = cross_validate(train, cc, extra, w, grouped)
        model = fit(grouped + extra, cc, [1.0] * len(grouped) + [w] * len(extra))
        final = final or model
        figures[f"cv_{name}"] = score(cv, train)
        figures[f"cv_{name}_guardian"] = score([cv[n] for n in guardian], [train[n] for n in guardian])
        figures[f"dev_{name}"] = score([by_model(model)(e) for e in dev], dev)
        if tested:
            figures[f"silver_heldout_{name}"] = score([by_model(model)(e) for e in tested], tested)
    if args.argdev.exists() and final is not None:
        held = examples(read_corpus(args.argdev, args.shared))
        figures["argdev_model"] = score([by_model(final)(e) for e in held], held)
        figures["argdev_shipped"] = score([by_model(am.load_model())(e) for e in held], held)
    for name, f in figures.items():
        report(name, f)
    if args.out and final is not None:
        trained_on = f"{len(train)} event lines of training/corpus/labels.jsonl without the dev gold"
        if weight:
            trained_on += (f", and {len(fitted)} ACLED notes (internal training material, silver actor1/actor2 "
                           f"from their columns) at weight {weight}")
        meta = {"trained_on": trained_on, "C": c, "silver_weight": weight, "figures": figures,
                "script": "training/arguments/train.py"}
        model = am.ArgumentModel(final.roles, meta)
        args.out.write_text(model.to_json(), encoding="utf-8")
        log(f"wrote {args.out} ({sum(len(w.weights) for w in model.roles.values())} weights)")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
