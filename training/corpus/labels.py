"""Read annotators' label files (the format of ``training/ANNOTATION.md``) and check them.

    python3 training/corpus/labels.py BATCH.txt LABELS.tsv      # report problems, exit 1 if any

Standard library only, so an annotator can run it anywhere.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SUB_EVENT_TYPES = (
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED", "Grenade",
    "Sexual violence", "Attack", "Abduction/forced disappearance",
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    "Violent demonstration", "Mob violence",
    "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
    "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory",
    "Other",
)
REASONS = ("event", "mention", "statement", "plan", "threat", "opinion", "generic", "background", "offtopic")
NONE_REASONS = frozenset(REASONS) - {"event", "mention"}
FIELDS = ("actor1", "actor2", "location", "date", "fatalities", "type")
_DOC = re.compile(r"^=== DOC (\S+)")
_SENTENCE = re.compile(r"^\[(\d+)\] (.*)$")


@dataclass
class Line:
    index: int
    label: str
    reason: str
    event: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Doc:
    doc: str
    sentences: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def read_batch(path: Path) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    current: Doc | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = _DOC.match(raw)
        if m:
            current = docs.setdefault(m.group(1), Doc(m.group(1)))
            continue
        s = _SENTENCE.match(raw)
        if s and current is not None:
            current.sentences.append(s.group(2))
    return docs


def parse_line(raw: str) -> Line:
    """One label line; ValueError names what is wrong."""
    parts = [p.strip() for p in raw.split("\t")]
    if len(parts) < 3:
        raise ValueError("needs at least IDX, LABEL and REASON separated by tabs")
    try:
        index = int(parts[0])
    except ValueError:
        raise ValueError(f"index {parts[0]!r} is not a number") from None
    label, reason = parts[1], parts[2]
    if label != "NONE" and label not in SUB_EVENT_TYPES:
        raise ValueError(f"label {label!r} is neither NONE nor a sub-event type")
    if reason not in REASONS:
        raise ValueError(f"reason {reason!r} is not one of {', '.join(REASONS)}")
    if (label == "NONE") != (reason in NONE_REASONS):
        raise ValueError(f"label {label!r} does not go with reason {reason!r}")
    rest = parts[3:]
    event = None
    if reason in ("event", "mention"):
        if not rest or not re.fullmatch(r"e\d+", rest[0]):
            raise ValueError("an event or mention needs an event id (e1, e2, ...) after the reason")
        event, rest = rest[0], rest[1:]
    fields: dict[str, str] = {}
    for chunk in " | ".join(rest).split(" | "):
        chunk = chunk.strip()
        if not chunk:
            continue
        key, eq, value = chunk.partition("=")
        key = key.strip()
        if not eq or key not in FIELDS:
            raise ValueError(f"field {chunk!r} is not key=value with a key among {', '.join(FIELDS)}")
        value = value.strip()
        if key == "type" and value not in SUB_EVENT_TYPES:
            raise ValueError(f"type={value!r} is not a sub-event type")
        if value:
            fields[key] = value
    return Line(index, label, reason, event, fields)


def read_labels(path: Path) -> tuple[dict[str, list[Line]], list[str]]:
    """Lines per document, and the problems met while reading."""
    out: dict[str, list[Line]] = {}
    problems: list[str] = []
    current: str | None = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        m = _DOC.match(raw)
        if m:
            current = m.group(1)
            if current in out:
                problems.append(f"{path}:{n}: document {current} labelled twice")
            out[current] = []
            continue
        if current is None:
            problems.append(f"{path}:{n}: a label line before any '=== DOC' line")
            continue
        try:
            out[current].append(parse_line(raw))
        except ValueError as exc:
            problems.append(f"{path}:{n}: {exc}")
    return out, problems


def check(batch: dict[str, Doc], labels: dict[str, list[Line]]) -> list[str]:
    problems = []
    for doc, d in batch.items():
        if doc not in labels:
            problems.append(f"document {doc}: not labelled")
            continue
        lines = labels[doc]
        seen = {ln.index for ln in lines}
        missing = [i for i in range(len(d.sentences)) if i not in seen]
        if missing:
            problems.append(f"document {doc}: sentences {missing[:10]} have no label")
        events = {ln.event for ln in lines if ln.reason == "event"}
        text = " ".join(d.sentences)
        for ln in lines:
            if ln.index >= len(d.sentences):
                problems.append(f"document {doc}: index {ln.index} is past its last sentence")
            if ln.reason == "mention" and ln.event not in events:
                problems.append(f"document {doc} [{ln.index}]: mention of {ln.event}, which no 'event' line carries")
            for key, value in ln.fields.items():
                if key != "type" and value not in text:
                    problems.append(f"document {doc} [{ln.index}]: {key}={value!r} is not in the text")
    for doc in labels:
        if doc not in batch:
            problems.append(f"document {doc}: not in this batch")
    return problems


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: labels.py BATCH.txt LABELS.tsv", file=sys.stderr)
        return 2
    labels, problems = read_labels(Path(sys.argv[2]))
    problems += check(read_batch(Path(sys.argv[1])), labels)
    for p in problems:
        print(p)
    n = sum(len(v) for v in labels.values())
    print(f"{len(labels)} documents, {n} label lines, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
