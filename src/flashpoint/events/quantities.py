"""Fatalities and other counts (evacuated, arrested, displaced, injured ...) by ACLED's rules.

ACLED records the most conservative figure a report gives: "at least 5" is 5, "between 10 and 20"
is 10, "several" is 3, "dozens" 12, "hundreds" 100. Numbers may be written in digits ("1,200") or
words ("twenty-one", "two hundred").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashpoint.records import Quantity

_UNITS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
VAGUE = {
    "several": 3, "a few": 3, "few": 3, "a number of": 3, "some": 3, "many": 10, "numerous": 10,
    "tens of": 10, "a dozen": 12, "dozen": 12, "dozens": 12, "dozens of": 12, "scores": 20, "scores of": 20,
    "hundreds": 100, "hundreds of": 100, "thousands": 1000, "thousands of": 1000,
}
_WORD_NUM = r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|" \
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)" \
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?(?: (?:hundred|thousand|million))?)"
NUMBER = r"(?:several|a few|a number of|many|numerous|tens of|a dozen|dozens(?: of)?|scores(?: of)?|" \
    rf"hundreds(?: of)?|thousands(?: of)?|\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?: (?:hundred|thousand|million))?|" \
    rf"{_WORD_NUM})"
_QUAL = r"(?:(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|roughly|" \
    r"approximately|an estimated|a total of|the bodies of|another|other|a further) )?"
_NOUNS = r"(?:[\w'’-]+ ){0,4}?"
_KILL = r"(?:killed|dead|died|perished|slain|lost their lives|lost his life|lost her life|murdered|" \
    r"massacred|executed|shot dead|beheaded|burned to death|hacked to death|bodies)"

NONE_KILLED = re.compile(rf"\b(?:no one|no-one|nobody|none)\b(?:[\w ]{{0,20}}?)(?:(?:was|were|has been|have been) )?"
                          rf"(?:(?:reportedly|reported) )?{_KILL}\b"
                          r"|\bno (?:deaths|fatalities|casualties)\b|\bwithout (?:casualties|loss of life)\b")
"""A sentence that says nobody died ("no one was killed"): zero, not "one"."""

_OTHER = {
    "evacuated": r"evacuated|relocated|transferred|bused|bussed",
    "arrested": r"arrested|detained|rounded up|taken into custody|held",
    "displaced": r"displaced|fled|forced from their homes|made homeless",
    "injured": r"injured|wounded|hurt",
    "abducted": r"abducted|kidnapped|taken hostage|seized",
}


@dataclass(frozen=True, slots=True)
class Count:
    value: int
    start: int
    end: int


def parse_number(text: str) -> int | None:
    """An integer from digits or English number words; vague quantities by ACLED's rule."""
    t = text.lower().strip()
    if t in VAGUE:
        return VAGUE[t]
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?: (hundred|thousand|million))?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        return int(value * (_SCALES[m.group(2)] if m.group(2) else 1))
    total = 0
    current = 0
    for word in re.split(r"[- ]+", t):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total += current
                current = 0
        elif word == "and":
            continue
        else:
            return None
    return total + current if total + current > 0 else None


def other_quantities(text: str) -> tuple[Quantity, ...]:
    """Counts of people evacuated, arrested, displaced, injured or abducted in the sentence."""
    low = text.lower()
    out: list[Quantity] = []
    for kind, verbs in _OTHER.items():
        pattern = re.compile(
            rf"\b{_QUAL}(?P<n>{NUMBER}) (?P<what>(?:[\w'’-]+ ){{0,5}}?)(?:(?:were|was|are|have been|had been|"
            rf"will be|would be|(?:are|is|were|was) to be|being|been) )?(?:(?:reportedly|also|later|all) )?(?:{verbs})\b"
            rf"|\b(?:{verbs}) {_QUAL}(?P<n2>{NUMBER})(?P<what2> [\w'’-]+)?"
        )
        for m in pattern.finditer(low):
            raw = m.group("n") or m.group("n2")
            value = parse_number(raw)
            if value is None or is_year(raw):
                continue
            what = (m.group("what") or m.group("what2") or "").strip()
            what = re.sub(r"\b(?:were|was|are|will|be|have|been|had)\b", "", what).strip()
            of = f"{what} {kind}".strip() if what else kind
            out.append(Quantity(value, re.sub(r"\s+", " ", of)))
    return tuple(dict.fromkeys(out))


def is_year(raw: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", raw.strip()))
