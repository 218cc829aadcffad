"""Scoring coded events against a hand coding in the ``expected.json`` layout of the seed example.

The layout (see ``shared/examples/hts-2018/expected.json``): ``events`` an analyst expects (each with
accepted event types, sub-event types and an ``evidence_contains`` phrase), ``must_not_emit``
sentences where no asserted event of a forbidden type may appear, ``actors`` and ``places``.

Actor names compare case-insensitively, ignoring hyphens, apostrophes and a trailing parenthesised
period such as ``(2000-2024)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flashpoint.records import DEFAULT_MODALITIES, Event, Modality

_PERIOD = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)\s*$")
_PUNCT = re.compile(r"[-'’‘`\s]+")


def same_actor(a: str | None, b: str | None) -> bool:
    """Actor names equal up to case, hyphens, apostrophes and a trailing ``(YYYY-YYYY)``."""
    if a is None or b is None:
        return False
    return _norm(a) == _norm(b)


def _norm(name: str) -> str:
    return _PUNCT.sub("", _PERIOD.sub("", name)).lower()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip().lower()


@dataclass(frozen=True, slots=True)
class ExpectedMatch:
    expected_id: str
    found: bool  # an event from the evidence sentence exists in the default output
    type_ok: bool  # ... with an accepted event type
    sub_type_ok: bool  # ... and an accepted sub-event type
    event_id: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class Violation:
    text: str
    event_id: str
    why: str


@dataclass(frozen=True, slots=True)
class GoldenReport:
    matches: tuple[ExpectedMatch, ...]
    violations: tuple[Violation, ...]

    @property
    def found(self) -> int:
        return sum(m.found for m in self.matches)

    @property
    def type_ok(self) -> int:
        return sum(m.type_ok for m in self.matches)

    @property
    def sub_type_ok(self) -> int:
        return sum(m.sub_type_ok for m in self.matches)

    def summary(self) -> str:
        n = len(self.matches)
        return (
            f"{self.found}/{n} expected events found, {self.type_ok}/{n} with an accepted event type, "
            f"{self.sub_type_ok}/{n} with an accepted sub-event type; "
            f"{len(self.violations)} must-not-emit violation(s)"
        )


def _sentence_of(events: Sequence[Event], phrase: str) -> list[Event]:
    want = _squash(phrase)
    return [e for e in events if e.evidence is not None and want in _squash(e.evidence.text)]


def score(events: Sequence[Event], expected: dict[str, Any]) -> GoldenReport:
    """Compare ``events`` (every modality; the default output is chosen here) with ``expected``."""
    default = [e for e in events if e.modality in DEFAULT_MODALITIES]
    used: set[str] = set()
    matches = []
    for exp in expected.get("events", []):
        candidates = _sentence_of(default, exp["evidence_contains"])
        types, subs = set(exp.get("event_type", [])), set(exp.get("sub_event_type", []))
        best: Event | None = None
        for e in sorted(candidates, key=lambda e: (e.event_id in used, -e.confidence)):
            if e.event_type in types and e.sub_event_type in subs:
                best = e
                break
        if best is None:
            best = next((e for e in candidates if e.event_type in types), None)
        if best is None and candidates:
            best = candidates[0]
        if best is not None:
            used.add(best.event_id)
        matches.append(
            ExpectedMatch(
                expected_id=exp.get("id", exp["evidence_contains"]),
                found=best is not None,
                type_ok=best is not None and best.event_type in types,
                sub_type_ok=best is not None and best.event_type in types and best.sub_event_type in subs,
                event_id=best.event_id if best else None,
                detail="not found"
                if best is None
                else f"{best.event_type} / {best.sub_event_type} ({best.modality}); actor1={best.actor1}, "
                f"actor2={best.actor2}, target={best.target}, location={best.location}",
            )
        )
    violations = []
    for rule in expected.get("must_not_emit", []):
        forbid = rule.get("forbid_asserted", {})
        bad_types, bad_subs = set(forbid.get("event_type", [])), set(forbid.get("sub_event_type", []))
        for e in _sentence_of(events, rule["text"]):
            if e.modality is Modality.ASSERTED and (
                e.event_type in bad_types or e.sub_event_type in bad_subs
            ):
                violations.append(Violation(rule["text"], e.event_id, rule.get("why", "")))
    return GoldenReport(tuple(matches), tuple(violations))
