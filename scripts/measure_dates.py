"""Compare flashpoint.temporal with dateparser on the date expressions of real news sentences.

Usage: .venv/bin/python scripts/measure_dates.py ../shared/eval/guardian-syria-dev.jsonl [--articles N]
       [--sample K] [--seed S]

Prints, over the first N articles' sentences (a regex split): how many sentences each finds a date
in, the expressions only one of them finds, and a random sample of K sentences with both outputs,
for reading by eye. dateparser runs with RELATIVE_BASE = publication date and PREFER_DATES_FROM =
past. Not a test: dateparser is not a dependency of flashpoint.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import time
from pathlib import Path

from flashpoint.temporal import find_dates


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args()
    from dateparser.search import search_dates

    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines()[: args.articles]]
    ours_t = theirs_t = 0.0
    n = ours_n = theirs_n = 0
    results = []
    for row in rows:
        published = dt.date.fromisoformat(row["published"])
        base = dt.datetime(published.year, published.month, published.day, 12)
        for s in re.findall(r"[^.!?]+[.!?]+[”\"’]?", row["text"]):
            s = s.strip()
            n += 1
            t0 = time.perf_counter()
            ours = [m for m in find_dates(s, published)]
            t1 = time.perf_counter()
            try:
                theirs = search_dates(s, languages=["en"], settings={"RELATIVE_BASE": base,
                                                                        "PREFER_DATES_FROM": "past"}) or []
            except Exception as exc:  # dateparser raises assorted errors on odd input
                theirs = [("ERROR", str(exc))]
            t2 = time.perf_counter()
            ours_t += t1 - t0
            theirs_t += t2 - t1
            resolved = [m for m in ours if m.date is not None]
            ours_n += bool(resolved)
            theirs_n += bool(theirs)
            if ours or theirs:
                results.append((row["id"], published, s, ours, theirs))
    print(f"articles {len(rows)}, sentences {n}")
    print(f"sentences with a resolved date: flashpoint {ours_n}, dateparser {theirs_n}")
    print(f"time: flashpoint {ours_t:.2f}s, dateparser {theirs_t:.2f}s")
    rng = random.Random(args.seed)
    for aid, published, s, ours, theirs in rng.sample(results, min(args.sample, len(results))):
        print("\n---", aid, published, s[:220])
        for m in ours:
            d = m.date
            print("   fp:", repr(m.text), "vague" if m.vague else (f"{d.start}..{d.end} p{int(d.precision)} {d.basis}"
                                                                     if d else "unresolved (year)"))
        for text, value in theirs:
            print("   dp:", repr(text), value if isinstance(value, str) else value.date())


if __name__ == "__main__":
    main()
