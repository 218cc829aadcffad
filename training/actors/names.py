"""Names as the dictionaries write them (``ANGELA_MERKEL_``) -> as news writes them ("Angela Merkel"),
CAMEO codes -> ISO country and sector, and office titles -> the offices flashpoint answers for."""

from __future__ import annotations

import re

_SMALL_WORDS = frozenset(
    ["of", "the", "and", "for", "in", "on", "at", "to", "by", "de", "del", "la", "le", "les", "el", "al", "da", "do", "dos", "das", "di", "du", "von", "van", "der", "den", "bin", "ben", "ibn", "abu", "ul", "ud", "y", "e", "et", "und", "a", "an", "or"]
)
_VOWELS = set("AEIOUY")


def _token(word: str, person: bool, alone: bool) -> str:
    if not word:
        return word
    if "." in word.strip(".") or (word.endswith(".") and len(word) <= 3):
        return word.upper()  # U.N., U.S., J.
    letters = re.sub(r"[^A-Za-z]", "", word)
    if not person and letters and letters.lower() not in _SMALL_WORDS:
        no_vowel = not (set(letters.upper()) & _VOWELS)
        if (no_vowel and len(letters) <= 7) or len(letters) <= 3 or (alone and len(letters) <= 5):
            return word.upper()
    if word.lower() in _SMALL_WORDS:
        return word.lower()
    return "-".join(part[:1].upper() + part[1:].lower() if part else part for part in word.split("-"))


def _subsequence(letters: str, initials: str) -> bool:
    """Whether an acronym's letters come, in order, from the name's initials."""
    rest = iter(initials)
    return len(letters) >= 2 and all(ch in rest for ch in letters)


def display(raw: str, person: bool) -> tuple[str, list[str]]:
    """``ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_`` -> ("Aden Abyan Islamic Army", ["AAIA"]).

    Organisation names keep short and vowel-less words in capitals (acronyms: "UN", "FDLR");
    a person's name is title-cased throughout. A parenthesised acronym becomes an extra alias.
    """
    raw = raw.replace("_", " ").strip()
    extra: list[str] = []
    initials = "".join(w[0] for w in re.sub(r"\([^)]*\)", " ", raw).split() if w[0].isalpha()).upper()
    for inner in re.findall(r"\(([^)]*)\)", raw):
        bare = inner.strip()
        if re.fullmatch(r"[A-Z][A-Z0-9\-]{1,9}", bare) and not person and _subsequence(bare.replace("-", ""), initials):
            extra.append(bare)  # "(AAIA)" after ADEN ABYAN ISLAMIC ARMY; not "(COUNTRY)" after GEORGIA
    raw = re.sub(r"\([^)]*\)", " ", raw)
    words = [w for w in raw.split() if w]
    alone = len(words) == 1
    text = " ".join(_token(w, person, alone) for w in words)
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    return text.strip(" ,;:"), extra


# -- offices --------------------------------------------------------------------------------------

_LEADER_TITLES: tuple[tuple[str, str], ...] = (
    ("council of ministers", "prime minister"),
    ("president of the government", "prime minister"),
    ("presidents of the government", "prime minister"),
    ("prime minister", "prime minister"),
    ("premier", "prime minister"),
    ("heads of government", "prime minister"),
    ("chief minister", "prime minister"),
    ("chancellor", "chancellor"),
    ("governor-general", "governor-general"),
    ("governors-general", "governor-general"),
    ("heads of state", "head of state"),
    ("presidency", "head of state"),
    ("state council", "head of state"),
    ("council of state", "head of state"),
    ("supreme leader", "supreme leader"),
    ("president", "president"),
    ("king", "monarch"),
    ("queen", "monarch"),
    ("emir", "monarch"),
    ("sultan", "monarch"),
    ("shah", "monarch"),
    ("sovereign prince", "monarch"),
    ("grand duke", "monarch"),
)
_MINISTER_TITLES: tuple[tuple[str, str], ...] = (
    ("prime minister", "prime minister"),
    ("defense", "defence minister"),
    ("defence", "defence minister"),
    ("foreign affairs", "foreign minister"),
    ("foreign relations", "foreign minister"),
    ("external affairs", "foreign minister"),
    ("secretary of state", "foreign minister"),
    ("interior", "interior minister"),
    ("home affairs", "interior minister"),
    ("internal affairs", "interior minister"),
)


def leader_office(title: str) -> str | None:
    """A CountryInfo ``<Leaders>`` sub-tag -> office ("Prime ministers" -> "prime minister")."""
    t = title.lower().replace("_", " ")
    if any(w in t for w in ("vice", "deputy", "lieutenant", "assembly", "committee", "congress")):
        return None
    return next((office for word, office in _LEADER_TITLES if word in t), None)


def government_office(title: str) -> str | None:
    """A CountryInfo ``<Government>`` title -> office ("Minister of Defense" -> "defence minister")."""
    t = title.lower()
    if any(w in t for w in ("deputy", "vice", "state minister", "minister of state", "assistant", "former")):
        return None
    if "central bank" in t and ("governor" in t or "president" in t):
        return "central bank governor"
    if "minister" not in t and "secretary" not in t:
        return None
    return next((office for word, office in _MINISTER_TITLES if word in t), None)
