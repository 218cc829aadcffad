"""No dev-set text in the source: a run of 7 words from a ../shared/eval text in src/flashpoint fails.

Examples in comments and docstrings are invented; quoting the dev sets would tune the code to the
text it is measured on. Words are lowercase runs of letters and digits (an apostrophe inside a word
kept); everything else, punctuation and ``#`` included, separates words, so a quote wrapped over
comment lines still counts. Without ../shared/eval the test skips; under ``CI=true`` it fails.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED

EVAL = SHARED / "eval"
SOURCES = ROOT / "src" / "flashpoint"
RUN = 7  # words in a row that count as a quotation
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(text: str) -> list[str]:
    return [match.group().lower().replace("’", "'") for match in WORD.finditer(text)]


def _shingles(words: list[str]) -> Iterator[int]:
    """A hash of each run of RUN words (ints, not tuples of strings, keep the set small)."""
    for start in range(len(words) - RUN + 1):
        yield hash(tuple(words[start : start + RUN]))


def _eval_texts() -> Iterator[str]:
    csv.field_size_limit(sys.maxsize)
    with (EVAL / "case2021-subtypes-dev.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield row["EventSnippet"]
    for article in ET.parse(EVAL / "geowebnews-dev.xml").getroot().iter("article"):
        yield article.findtext("text") or ""
    with (EVAL / "guardian-syria-dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)["text"]


def _require_eval() -> None:
    names = ("case2021-subtypes-dev.tsv", "geowebnews-dev.xml", "guardian-syria-dev.jsonl")
    absent = [name for name in names if not (EVAL / name).exists()]
    if not absent:
        return
    reason = f"dev texts {', '.join(absent)} are absent from {EVAL} (they live in ../shared beside the clone)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def _quotations(path: Path, dev: set[int]) -> Iterator[tuple[int, str]]:
    """(line, words) for each longest run of a file's words that repeats dev text RUN words at a time."""
    words: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found = _words(line)
        words += found
        lines += [number] * len(found)
    hits = [start for start, key in enumerate(_shingles(words)) if key in dev]
    index = 0
    while index < len(hits):
        first = last = hits[index]
        while index + 1 < len(hits) and hits[index + 1] < last + RUN:
            index += 1
            last = hits[index]
        yield lines[first], " ".join(words[first : last + RUN])
        index += 1


def test_no_dev_text_in_source() -> None:
    _require_eval()
    dev: set[int] = set()
    for text in _eval_texts():
        dev.update(_shingles(_words(text)))
    assert len(dev) > 100_000, f"only {len(dev)} word runs read from {EVAL}: has a file's layout changed?"
    found = [
        f"{path.relative_to(ROOT)}:{line}: {run}"
        for path in sorted(SOURCES.rglob("*.py"))
        for line, run in _quotations(path, dev)
    ]
    assert not found, (
        f"{len(found)} passages in src/ repeat {RUN} or more words of a ../shared/eval text; "
        "reword them with an invented example:\n" + "\n".join(found)
    )
