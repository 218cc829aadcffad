"""Build the event classifier shipped in src/flashpoint/events/data/event_classifier.npz.

Training data (see training/README.md):
  * ../shared/train/acled-notes.csv: ACLED events with coder notes (internal only: never commit its
    rows; the model trained from it may ship). Notes are cleaned towards news prose and capped per
    sub-event type so Peaceful protest does not swamp the rare types.
  * training/examples/*.tsv: news-style sentences written for flashpoint (label, modality, text),
    including NONE:<category> sentences (disasters, crime, diplomacy, claims).
Never trains on ../shared/eval (the CASE-2021 dev snippets are the measuring stick).

Usage: .venv/bin/python training/build_model.py [--acled ../shared/train/acled-notes.csv] [--cap 600]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flashpoint.events import training

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--acled", type=Path, default=ROOT.parent / "shared" / "train" / "acled-notes.csv")
    ap.add_argument("--examples", type=Path, default=ROOT / "training" / "examples")
    ap.add_argument("--cap", type=int, default=600, help="most ACLED notes per sub-event type")
    ap.add_argument("--written-weight", type=float, default=3.0)
    ap.add_argument("--c", type=float, default=8.0, help="inverse regularisation of the logistic regression")
    ap.add_argument("--min-weight", type=float, default=0.5, help="drop features weaker than this")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "flashpoint" / "events" / "data" / "event_classifier.npz")
    args = ap.parse_args(argv)
    acled = training.read_acled(args.acled) if args.acled.exists() else []
    written = training.read_written_dir(args.examples)
    data = training.balance(acled, args.cap) + written
    model = training.fit(
        data,
        written_weight=args.written_weight,
        c=args.c,
        meta={
            "training_data": {
                "acled_notes": f"{args.acled.name}: {len(acled)} notes, at most {args.cap} per type",
                "written_examples": f"{len(written)} sentences from training/examples/*.tsv",
            },
            "fp16": True,
        },
    )
    model = training.prune(model, min_weight=args.min_weight)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, {len(model.vocab)} features, "
          f"{len(model.classes)} classes, {len(data)} examples: {len(acled)} ACLED notes read, "
          f"{len(written)} written)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
