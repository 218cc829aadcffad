"""Places per second of detection and resolution with spaCy excluded, for one or more source trees.

    .venv/bin/python training/geo/bench_places.py                       # this tree
    .venv/bin/python training/geo/bench_places.py --tree /tmp/old/src --tree src --repeat 3

spaCy analyses the articles once (kept in a pickle under --cache); then each tree, in a subprocess of
its own and in turns, runs ``Geoparser.resolve_detected`` (gazetteer matching, detection, resolution)
over every article: the first run with cold look-up caches, then --repeat warm runs. Reported: places
found, CPU seconds, places/s cold and best warm, and the gazetteer's open time.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def analyse(corpus: Path, cache: Path) -> None:
    from flashpoint.nlp.model import SpacyModel

    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = SpacyModel()
    out = [(t, a.sentences, a.mentions) for t, a in
           zip(texts, model.analyse(texts, parse_filter=lambda _s: False), strict=True)]
    cache.write_bytes(pickle.dumps(out))


def measure(cache: Path, repeat: int) -> dict:
    from flashpoint.geo.gazetteer import load_gazetteer
    from flashpoint.geo.geoparser import Geoparser

    t0 = time.perf_counter()
    gaz = load_gazetteer()
    opened = time.perf_counter() - t0
    docs = pickle.loads(cache.read_bytes())
    gp = Geoparser(gaz)
    runs = []
    places = 0
    for _ in range(repeat + 1):
        t0 = time.process_time()
        places = sum(len(gp.resolve_detected(text, sents, ments)[1]) for text, sents, ments in docs)
        runs.append(time.process_time() - t0)
    return {"articles": len(docs), "places": places, "open_s": round(opened, 3),
            "cold_places_per_s": round(places / runs[0]), "warm_places_per_s": round(places / min(runs[1:] or runs)),
            "cpu_s": [round(r, 2) for r in runs]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "eval" / "guardian-syria-dev.jsonl"))
    ap.add_argument("--cache", default="/tmp/flashpoint-bench-places.pickle")
    ap.add_argument("--tree", action="append", help="a src/ folder to import flashpoint from (repeatable)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=2, help="turns over the trees")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    cache = Path(args.cache)
    if args.measure:
        print(json.dumps(measure(cache, args.repeat)))
        return 0
    if not cache.exists():
        sys.path.insert(0, str(ROOT / "src"))
        analyse(Path(args.corpus), cache)
    trees = args.tree or [str(ROOT / "src")]
    for r in range(args.rounds):
        for tree in trees:
            env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve()))
            got = subprocess.run([sys.executable, __file__, "--measure", "--cache", str(cache), "--repeat",
                                  str(args.repeat)], env=env, capture_output=True, text=True, check=True)
            print(json.dumps({"round": r, "tree": tree, **json.loads(got.stdout)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
