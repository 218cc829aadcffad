"""Make a large benchmark input by repeating a JSONL batch with new ids (and texts that differ).

Usage: python scripts/repeat_batch.py ../shared/eval/guardian-syria-dev.jsonl 5000 > /tmp/big5000.jsonl

Each copy gets the id ``<id>~<n>`` and a one-line marker appended to its text, so that the store's
duplicate check (same id or same text) codes every copy again, as new articles would be.
"""

from __future__ import annotations

import itertools
import json
import sys


def main(source: str, count: int) -> None:
    with open(source, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for n, record in enumerate(itertools.islice(itertools.cycle(records), count)):
        copy = dict(record, id=f"{record['id']}~{n}", text=f"{record['text']}\n\n[copy {n}]")
        sys.stdout.write(json.dumps(copy, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
