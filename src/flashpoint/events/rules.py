"""Lexical trigger rules (``data/event_rules.tsv``) and how they combine with the classifier.

A rule is a regex over the lowercased sentence with a label (an ACLED sub-event type or NONE) and a
tier: ``strong`` rules name the codebook's defining cue (a grenade, a suicide bomber, tear gas at a
protest), ``hint`` rules only nudge the classifier. :func:`decide` picks one label per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np

from flashpoint.errors import KnowledgeError
from flashpoint.events import taxonomy
from flashpoint.events.sentence_model import NONE

_DATA = "event_rules.tsv"


@dataclass(frozen=True, slots=True)
class Rule:
    label: str
    tier: str  # strong | hint | veto
    pattern: re.Pattern[str]

    @property
    def strong(self) -> bool:
        return self.tier != "hint"


@dataclass(frozen=True, slots=True)
class RuleHit:
    label: str
    tier: str
    start: int
    end: int

    @property
    def strong(self) -> bool:
        return self.tier != "hint"


@cache
def rules() -> tuple[Rule, ...]:
    try:
        text = resources.files("flashpoint.events").joinpath("data", _DATA).read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"event rules {_DATA}: cannot be read ({exc})") from exc
    out: list[Rule] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in ("strong", "hint", "veto"):
            raise KnowledgeError(f"event rules {_DATA}:{n}: expected 'label<TAB>strong|hint|veto<TAB>regex'")
        if parts[1] == "veto" and parts[0] != NONE:
            raise KnowledgeError(f"event rules {_DATA}:{n}: only NONE rules may veto")
        label = parts[0] if parts[0] == NONE else _known(parts[0], n)
        try:
            pattern = re.compile(parts[2])
        except re.error as exc:
            raise KnowledgeError(f"event rules {_DATA}:{n}: bad regex ({exc})") from exc
        out.append(Rule(label, parts[1], pattern))
    return tuple(out)


def _known(label: str, n: int) -> str:
    try:
        return taxonomy.get(label).name
    except KeyError as exc:
        raise KnowledgeError(f"event rules {_DATA}:{n}: {exc}") from exc


_CAUSE = re.compile(
    r"\b(against|over|condemn\w*|denounc\w*|mourn\w*|protest\w*|justice for|in memory of|anniversary of|"
    r"outrage at|anger at|angered by|angry at|in response to|in retaliation for)"
    r"( the| a| an| his| her| their| its)?( [\w'’-]+){0,3}\s*$"
)


def is_cause(low: str, start: int) -> bool:
    """The trigger names what a protest or a reaction is about ("protest against the killing of")."""
    return _CAUSE.search(low[max(0, start - 50) : start]) is not None


@lru_cache(maxsize=8192)
def hits(text: str) -> tuple[RuleHit, ...]:
    """Every rule that fires on ``text`` (offsets of the first match, into ``text``). Remembered per text:
    the parse filter asks it before the parse and the events stage again after.

    A violent trigger that only names the cause of a protest or reaction ("protested against the
    execution of", "mourn the demonstrators killed") does not count when a protest rule fires too.
    """
    low = text.lower()
    out = []
    for r in rules():
        m = r.pattern.search(low)
        if m is not None:
            a, b = m.span("t") if "t" in r.pattern.groupindex and m.group("t") else m.span()
            if b - a > 40:  # long-range rules (actor ... verb): point at the last word
                a = low.rfind(" ", a, b - 1) + 1
            out.append(RuleHit(r.label, r.tier, a, b))
    if any(h.label in _PROTESTS and h.strong for h in out):
        out = [h for h in out if not (h.label in _CAUSED and is_cause(low, h.start))]
    return tuple(out)


_NON_EVENT_PRONE = frozenset({"Arrests", "Agreement", "Change to group/activity", "Other",
                              "Headquarters or base established"})
"""Strategic developments that crime, epidemics and diplomacy also produce: a strong NONE cue wins."""
_PROTESTS = frozenset({"Peaceful protest", "Protest with intervention", "Violent demonstration"})
_CAUSED = frozenset({"Attack", "Excessive force against protesters", "Armed clash", "Abduction/forced disappearance",
                     "Sexual violence", "Air/drone strike", "Shelling/artillery/missile attack", "Arrests",
                     "Remote explosive/landmine/IED", "Suicide bomb", "Mob violence",
                     "Non-state actor overtakes territory", "Government regains territory"})


@dataclass(frozen=True, slots=True)
class Decision:
    label: str
    confidence: float
    hit: RuleHit | None


HINT_BONUS = 0.25
CLASSIFIER_MIN = 0.5
"""A sentence with no strong rule is an event only when the classifier gives it at least this."""


def decide(probs: dict[str, float], found: Sequence[RuleHit]) -> Decision:
    """One label for a sentence from the classifier's probabilities and the rules that fired.

    Strong event rules outrank the classifier; among several, ACLED priority decides (the more
    specific type wins). A NONE rule
    (disaster, crime, diplomacy) wins only when no strong event rule fired; without any strong rule
    the classifier decides, and its event must reach :data:`CLASSIFIER_MIN`.
    """
    if any(h.tier == "veto" for h in found):
        return Decision(NONE, 0.95, None)
    strong = [h for h in found if h.strong and h.label != NONE]
    if strong and any(h.strong and h.label == NONE for h in found):
        strong = [h for h in strong if h.label not in _NON_EVENT_PRONE]
        if not strong:
            return Decision(NONE, 0.85, None)
    if strong:
        best = min(strong, key=lambda h: (taxonomy.get(h.label).priority, h.start))
        pick = best
        none_too = any(h.strong and h.label == NONE for h in found)
        rank = 1.0 - taxonomy.get(pick.label).priority / 25
        conf = 0.7 + 0.15 * probs.get(pick.label, 0.0) + 0.1 * rank - (0.1 if none_too else 0.0)
        return Decision(pick.label, round(min(conf, 0.99), 4), pick)
    if any(h.strong and h.label == NONE for h in found):
        return Decision(NONE, 0.9, None)
    scores = dict(probs)
    for h in found:
        scores[h.label] = scores.get(h.label, 0.0) + HINT_BONUS
    label = max(scores, key=scores.__getitem__)
    if label != NONE and scores[label] < CLASSIFIER_MIN:
        return Decision(NONE, 1.0 - scores[label], None)
    hint = next((h for h in found if h.label == label), None)
    return Decision(label, round(0.7 * min(1.0, scores[label]), 4), hint)


def rank(probs: np.ndarray, classes: tuple[str, ...], text: str) -> Decision:
    return decide(dict(zip(classes, map(float, probs), strict=True)), hits(text))
