"""Check a toponym label file against its batch (standard library only, for annotators).

    python3 training/toponyms/check.py BATCH.txt LABELS.tsv      # problems reported, exit 1 if any
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

KINDS = ("literal", "metonym", "adjective", "embedded")


def sentences(batch: Path) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    doc = None
    for line in batch.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^=== DOC (\S+)", line):
            doc = m.group(1)
        elif (m := re.match(r"^\[(\d+)\] (.*)$", line)) and doc:
            out[(doc, int(m.group(1)))] = m.group(2)
    return out


def problem(parts: list[str], sent: dict[tuple[str, int], str]) -> str | None:
    """What is wrong with one label line, or None."""
    if len(parts) != 5:
        return "expected 5 tab-separated fields"
    doc, index, string, occurrence, kind = parts
    if kind not in KINDS:
        return f"bad kind {kind!r}"
    text = sent.get((doc, int(index))) if index.isdigit() else None
    if text is None:
        return f"no sentence {doc} [{index}]"
    hits = list(re.finditer(r"(?<!\w)" + re.escape(string) + r"(?!\w)", text))
    if not occurrence.isdigit() or not 1 <= int(occurrence) <= len(hits):
        return f"{string!r} does not occur {occurrence} time(s) as a whole word in {doc} [{index}]"
    return None


def main() -> int:
    sent = sentences(Path(sys.argv[1]))
    n = problems = 0
    for k, line in enumerate(Path(sys.argv[2]).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        found = problem(line.split("\t"), sent)
        if found:
            print(f"{k}: {found}")
            problems += 1
        else:
            n += 1
    print(f"{n} toponyms, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
