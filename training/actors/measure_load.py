"""Measure how long the actor knowledge base takes to open and how much memory it holds.

Each run is a fresh process: imports first (not counted), then the timed part: the world data,
the curated and generated actors with the offices' people, and the compiled finder (what the
first ``flashpoint actors resolve`` or ActorStage needs). Memory: the traced allocations of that
part (tracemalloc) and the growth of the process's resident set.

Usage: .venv/bin/python training/actors/measure_load.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

_CHILD = """
import json, resource, time, tracemalloc
import flashpoint.actors as actors
from flashpoint import countries
countries.by_iso3("USA")  # the country table belongs to the whole package, not the actor data
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
t0 = time.perf_counter()
kb = actors.load_knowledge_base()
actors.finder_for(kb)
seconds = time.perf_counter() - t0
_, peak = tracemalloc.get_traced_memory()
current, _ = tracemalloc.get_traced_memory()
tracemalloc.stop()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "traced_mb": current / 2**20, "traced_peak_mb": peak / 2**20,
                  "rss_growth_mb": (after - before) / 1024, "rss_mb": after / 1024}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    timing: list[dict[str, float]] = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True)
        timing.append(json.loads(out.stdout.strip().splitlines()[-1]))
    # tracemalloc slows allocation-heavy code: time the same part once more without it
    plain = _CHILD.replace("tracemalloc.start()", "").replace("_, peak = tracemalloc.get_traced_memory()", "peak = 0")
    plain = plain.replace("current, _ = tracemalloc.get_traced_memory()", "current = 0").replace("tracemalloc.stop()", "")
    untraced = [json.loads(subprocess.run([sys.executable, "-c", plain], capture_output=True, text=True, check=True)
                           .stdout.strip().splitlines()[-1])["seconds"] for _ in range(args.runs)]
    best = min(timing, key=lambda t: t["traced_peak_mb"])
    print(f"open (no tracing): best {min(untraced):.3f} s, median {sorted(untraced)[len(untraced) // 2]:.3f} s "
          f"of {args.runs} runs")
    print(f"memory: {best['traced_mb']:.1f} MB held after opening (peak {best['traced_peak_mb']:.1f} MB traced), "
          f"resident set grew {best['rss_growth_mb']:.1f} MB to {best['rss_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
