"""The fatality figure of an event's sentence, learned: which of the sentence's numbers counts its dead.

Every number the sentence writes (digits, number words, ACLED's vague words: "several", "dozens") is a
candidate, and so is "no one was killed" (zero) and the option "no figure". Each gets binary features
from the words around it: the words just before and after, a killing word after it ("16 people were
killed") or a killing verb before it ("killing 16"), a toll word before it ("the death toll rose to
23"), "including"/"among them" before it (a part of the dead, not their number), a wounding word after
it, its qualifier ("at least"), its form (digits, words, a lone "a"), whether it reads as a year, and
its rank by value among the candidates (ACLED takes the most conservative figure). A conditional logit
(``training/fatalities/train.py``, trained on the labelled corpus's fatality spans with ACLED notes'
fatality counts as down-weighted silver) picks one option; the figure is read by ACLED's rules for vague
numbers (:func:`~flashpoint.events.quantities.parse_number`). The weights live in ``data/fatalities.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flashpoint.errors import ModelError
from flashpoint.events.quantities import NONE_KILLED, NUMBER, VAGUE, Count, is_year, parse_number
from flashpoint.model_files import model_text

DEFAULT_MODEL = "fatalities.json"
NO_FIGURE = "option:none"
_CANDIDATE = re.compile(rf"(?<![\w.,]){NUMBER}(?![\w])")
_WORD = re.compile(r"[a-z]+|\d[\d,.]*")
_KILL = frozenset({"killed", "dead", "died", "perished", "slain", "lives", "life", "murdered", "massacred",
                   "executed", "beheaded", "bodies", "deaths", "death", "die", "fatalities", "corpses", "lynched"})
_KILL_VERB = frozenset({"killing", "killed", "leaving", "left", "claiming", "claimed", "kills", "kill"})
_TOLL = frozenset({"toll", "fatalities", "casualties", "deaths", "dead"})
_PART = frozenset({"including", "among", "them", "of"})
_HURT = frozenset({"injured", "wounded", "hurt", "injuring", "wounding", "injuries"})
_QUALIFIERS = ("at least", "more than", "over", "nearly", "almost", "about", "around", "some", "up to",
               "as many as", "roughly", "approximately", "an estimated", "a total of", "another", "a further")


@dataclass(frozen=True, slots=True)
class Option:
    """A candidate figure (or the option "no figure": ``value`` None) with its feature names."""

    value: int | None
    start: int
    end: int
    features: tuple[str, ...]


def _near(words: list[str], wanted: frozenset[str]) -> int | None:
    return next((n for n, w in enumerate(words, start=1) if w in wanted), None)


def _bucket(n: int | None) -> str:
    if n is None:
        return "no"
    return "1" if n == 1 else "2-3" if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "far"


def _fold(word: str) -> str:
    return "0" if word[:1].isdigit() else word


def _tie(after: list[str], back: list[str]) -> str:
    """The nearest word that ties the number to deaths: a killing word after it, a killing verb or a toll
    word before it, with its distance."""
    ties = [(n, kind) for kind, n in (("after", _near(after, _KILL)), ("verb", _near(back[:3], _KILL_VERB)),
                                      ("toll", _near(back, _TOLL))) if n is not None]
    if not ties:
        return "none"
    n, kind = min(ties)
    return f"{kind}:{_bucket(n)}"


def _features(low: str, start: int, end: int, raw: str, rank: str) -> tuple[str, ...]:
    before = [_fold(w) for w in _WORD.findall(low[max(0, start - 80):start])][-8:]
    after = [_fold(w) for w in _WORD.findall(low[end:end + 120])][:12]
    back = list(reversed(before))
    form = ("digits" if raw[:1].isdigit() else "article" if raw in ("a", "an") else "vague" if raw in VAGUE
            else "words")
    qual = next((q for q in _QUALIFIERS if low[:start].rstrip().endswith(q)), "none")
    tie = _tie(after, back)
    part = _bucket(_near(back[:3], _PART))
    feats = [
        f"w-1:{back[0] if back else '^'}", f"w+1:{after[0] if after else '$'}",
        f"kill_after:{_bucket(_near(after, _KILL))}", f"kill_before:{_bucket(_near(back[:3], _KILL_VERB))}",
        f"toll_before:{_bucket(_near(back, _TOLL))}", f"part_before:{part}",
        f"hurt_after:{_bucket(_near(after[:4], _HURT))}", f"qual:{qual}", f"form:{form}", f"rank:{rank}",
        f"year:{is_year(raw)}", f"tie:{tie}", f"tie:{tie.split(':')[0]}",
        f"form:{form}&tie:{tie.split(':')[0]}", f"rank:{rank}&tie:{tie.split(':')[0]}", f"part_before:{part}&rank:{rank}",
    ]
    return tuple(feats)


def options(text: str) -> list[Option]:
    """Every candidate figure of the sentence, then "no figure"."""
    low = text.lower()
    found: list[tuple[int, int, str, int]] = []
    for m in _CANDIDATE.finditer(low):
        value = parse_number(m.group(0))
        if value is not None:
            found.append((m.start(), m.end(), m.group(0), value))
    zero = NONE_KILLED.search(low)
    if zero is not None:
        found = [f for f in found if not zero.start() <= f[0] < zero.end()]
    values = sorted({f[3] for f in found})
    out = []
    for start, end, raw, value in found:
        rank = "only" if len(values) == 1 else "min" if value == values[0] else "max" if value == values[-1] else "mid"
        out.append(Option(value, start, end, _features(low, start, end, raw, rank)))
    if zero is not None:
        out.append(Option(0, zero.start(), zero.end(), ("option:zero",)))
    kill = any(w in _KILL for w in _WORD.findall(low))
    out.append(Option(None, 0, 0, (NO_FIGURE, f"{NO_FIGURE}&kill_word:{kill}", f"{NO_FIGURE}&numbers:{min(len(found), 3)}")))
    return out


@dataclass(frozen=True, slots=True)
class FatalityModel:
    weights: dict[str, float]

    def pick(self, text: str) -> Option:
        opts = options(text)
        return max(opts, key=lambda o: sum(self.weights.get(f, 0.0) for f in o.features))

    def to_json(self, trained_on: str) -> str:
        return json.dumps({"trained_on": trained_on, "weights": self.weights}, indent=1, sort_keys=True) + "\n"


_RANGE = re.compile(rf"(?:between\s+)?(?P<low>{NUMBER})\s*(?:and|to|-|–|or)\s*$")


def read_figure(text: str, model: FatalityModel | None = None) -> Count | None:
    """The fatality figure the sentence gives its event, with its span (None: no figure; zero where it
    says nobody died). The upper end of a range ("between 10 and 20", "10 to 20") gives way to its lower end, as ACLED's rules say."""
    best = (model or shipped()).pick(text)
    if best.value is None:  # no figure; but a sentence saying nobody died gives zero
        zero = NONE_KILLED.search(text.lower())
        return Count(0, zero.start(), zero.end()) if zero is not None else None
    low = _RANGE.search(text.lower()[max(0, best.start - 40):best.start])
    if low is not None:
        value = parse_number(low.group("low"))
        if value is not None and value < best.value:
            offset = max(0, best.start - 40)
            return Count(value, offset + low.start("low"), offset + low.end("low"))
    return Count(best.value, best.start, best.end)


@cache
def shipped() -> FatalityModel:
    return load_model()


def load_model(path: Path | None = None) -> FatalityModel:
    """The fatality model at ``path`` (default: the one shipped in the package)."""
    where = str(path or DEFAULT_MODEL)
    text = model_text("flashpoint.events", DEFAULT_MODEL, path, "fatality model", "training/fatalities/train.py")
    try:
        weights = {str(k): float(v) for k, v in json.loads(text)["weights"].items()}
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ModelError(f"fatality model {where}: malformed ({exc!r}); retrain it with "
                         "training/fatalities/train.py") from exc
    return FatalityModel(weights)
