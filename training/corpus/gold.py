"""Write the article-level dev gold (docs/article-gold.md format) from the corpus's dev articles.

    .venv/bin/python training/corpus/gold.py --out /tmp/guardian-dev-gold.jsonl
    .venv/bin/flashpoint evaluate articles /tmp/guardian-dev-gold.jsonl

The dev articles are the Guardian articles whose id falls in the first 30 buckets
(:func:`flashpoint.events.corpus.is_dev`): labelled by hand like the rest of the corpus and never
trained on. The gold file holds their text, so it is written outside the repository. Each ``event``
line becomes a gold event: the carrier sentence is its evidence, its mentions are ``also``; actors and
location are the words the annotator marked; the date is the marked date words resolved against the
publication date (flashpoint's date resolver, tested on its own: null when the words give no date, or
none were marked); fatalities are the marked figure read as a number (ACLED's rules for vague words).
Locations carry no coordinates: the scorer compares place names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

from flashpoint.events import taxonomy
from flashpoint.events.corpus import WHOLE_ARTICLES, is_dev, read_corpus
from flashpoint.events.quantities import parse_number
from flashpoint.temporal.expressions import resolve_date

ROOT = Path(__file__).resolve().parents[2]


def number(words: str) -> int | None:
    """The figure in marked fatality words ("at least 16", "more than 40", "dozens", "two")."""
    low = re.sub(r"^(?:at least|more than|over|nearly|almost|around|about|some|up to|as many as)\s+", "",
                 words.lower().strip())
    return parse_number(low) if low else None


def gold_events(doc) -> list[dict]:  # type: ignore[no-untyped-def]
    published = dt.date.fromisoformat(doc.published) if doc.published else None
    carriers: dict[str, dict] = {}
    mentions: dict[str, list[list[int]]] = {}
    for (a, b), lines in zip(doc.sentences, doc.labels, strict=True):
        for line in lines:
            if line["reason"] == "mention" and line.get("event"):
                mentions.setdefault(line["event"], []).append([a, b])
            if line["reason"] != "event" or not line.get("event"):
                continue
            args = line.get("args", {})

            def words(key: str, args: dict = args) -> str | None:
                span = args.get(key)
                return doc.text[span[0] : span[1]] if span else None

            date = None
            if words("date") and published is not None:
                found = resolve_date(words("date") or "", published)
                date = found.start.isoformat() if found is not None and found.start == found.end else None
            sub = taxonomy.get(line["label"])
            carriers[line["event"]] = {
                "evidence": [a, b], "event_type": sub.event_type, "sub_event_type": sub.name,
                "actor1": words("actor1"), "actor2": words("actor2"), "location": words("location"),
                "latitude": None, "longitude": None, "date": date,
                "fatalities": number(words("fatalities") or "") if words("fatalities") else None,
            }
    for event, spans in mentions.items():
        if event in carriers:
            carriers[event]["also"] = spans
    return list(carriers.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus" / "labels.jsonl")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--split", choices=("dev", "train"), default="dev",
                    help="dev: the dev articles (the default); train: the whole articles the models train on, "
                         "to measure the parts no model learns from them (rules of place and date)")
    ap.add_argument("--source", choices=WHOLE_ARTICLES, help="only the articles of this source (with --split train: "
                    "wikinews, articles no shipped model had seen before the Wikinews round)")
    ap.add_argument("--topic", choices=("conflict", "other"),
                    help="only the articles with at least two conflict or violence words (conflict: the first "
                         "Wikinews round's choice, prepare.is_conflict_report) or with fewer (other: the second round)")
    args = ap.parse_args()
    from prepare import is_conflict_report

    n = events = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for doc in read_corpus(args.corpus, args.shared):
            if is_dev(doc.source, doc.doc) != (args.split == "dev") or doc.source not in WHOLE_ARTICLES:
                continue
            if args.source and doc.source != args.source:
                continue
            if args.topic and is_conflict_report(doc.text) != (args.topic == "conflict"):
                continue
            gold = gold_events(doc)
            f.write(json.dumps({"id": doc.doc, "published": doc.published, "text": doc.text, "events": gold}) + "\n")
            n += 1
            events += len(gold)
    print(f"wrote {args.out}: {n} articles, {events} events")


if __name__ == "__main__":
    main()
