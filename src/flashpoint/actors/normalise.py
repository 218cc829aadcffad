"""Tokens and match keys for actor names: apostrophes, hyphens, Arabic articles and romanisations.

Every name in the knowledge base and every article is cut into :class:`Tok` tokens by one
tokeniser, so that a name written "Hayy’at Tahrir al-Sham" in a text meets the alias
"Hay'at Tahrir ash-Sham" in the data. A token's ``key`` folds the differences that romanising Arabic
leaves (Joulani/Jolani/Julani, Nusra/Nosra, Qaeda/Qaida, Sheikh/Shaykh, Mohammed/Muhammad);
all-capital tokens ("HTS", "U.S.") also get an exact ``acronym`` key so that "IS" never meets "is".
Arabic articles joined by a hyphen ("al-", "el-", "ad-", "as-", "ash-", ...) and a free-standing
"al" are marked ``article`` and skipped when matching, so "Jabhat Nusra" and "Jabhat al-Nusra" meet.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# A dotted acronym ("U.S.", "U.N."), or a word with internal apostrophes ("Hay'at", "Nu’man").
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’ʼʿʾ`´][^\W_]+)*")
_APOSTROPHES = "'’ʼʿʾ`´‘"
_HYPHENS = "-‐‑–"
_GAP_CHARS = " " + _HYPHENS
_ARTICLES_HYPHENATED = frozenset(
    {"al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "ath", "adh", "ud", "ul", "ed", "es", "et", "ez", "il"}
)
_FOLDS = (
    ("ou", "u"),
    ("oo", "u"),
    ("o", "u"),
    ("ee", "i"),
    ("iy", "i"),
    ("ay", "ai"),
    ("ey", "ai"),
    ("ae", "ai"),
    ("e", "a"),
    ("q", "k"),
    ("ph", "f"),
    ("w", "u"),
)
_REPEATS = re.compile(r"(.)\1+")


class Tok(NamedTuple):
    """One token: offsets into the text as received, its folded key and, if all capitals, acronym.

    A named tuple rather than a dataclass: an article has thousands, and building them is the
    tokeniser's main cost.
    """

    start: int
    end: int
    text: str
    key: str
    acronym: str | None
    article: bool
    capitalised: bool
    joined: bool  # only spaces or a hyphen separate it from the previous token
    possessive: bool = False


def strip_marks(text: str) -> str:
    """Text without diacritics: "Erdoğan" -> "Erdogan", "Hêzên" -> "Hezen"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The romanisation-insensitive key of one word: "Joulani", "Jolani" and "Julani" -> "julani"."""
    key = strip_marks(word).casefold()
    key = "".join(ch for ch in key if ch not in _APOSTROPHES and ch != ".")
    key = _REPEATS.sub(r"\1", key)
    for old, new in _FOLDS:
        key = key.replace(old, new)
    key = _REPEATS.sub(r"\1", key)
    if len(key) > 3 and key.endswith("h") and key[-2] in "aiu":
        key = key[:-1]
    return key


@functools.lru_cache(maxsize=100_000)
def _acronym(word: str) -> str | None:
    bare = word.replace(".", "")
    if len(bare) >= 2 and bare.isupper() and bare.isalpha():
        return bare
    return None


def tokenise(text: str) -> list[Tok]:
    """Cut ``text`` into tokens with their keys; offsets index ``text`` exactly as given."""
    tokens: list[Tok] = []
    prev_end = -1
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word = match.group()
        possessive = len(word) > 2 and word[-1] in "sS" and word[-2] in "'’"
        if possessive:
            word = word[:-2]
            end -= 2
        gap = text[prev_end:start] if prev_end >= 0 else "x"
        joined = len(gap) <= 3 and not gap.strip(_GAP_CHARS)
        if not joined and tokens and len(tokens[-1].text) == 1 and tokens[-1].text.isupper():
            joined = gap.strip(" ") == "."  # an initial: "George W. Bush"
        after = text[end : end + 1]
        lower = word.casefold()
        article = lower == "al" or (lower in _ARTICLES_HYPHENATED and after != "" and after in _HYPHENS)
        tokens.append(
            Tok(start, end, word, fold(word), _acronym(word), article, word[:1].isupper(), joined, possessive)
        )
        prev_end = match.end()
    return tokens


_SIMPLE = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")


def phrase_tokens(phrase: str) -> list[tuple[str, str | None, bool]]:
    """(key, acronym, article) of each token of a name, as :func:`tokenise` gives them; plain
    ASCII words split by single spaces (most names) skip the tokeniser, which building the tries
    of thousands of names would otherwise spend most of its time in."""
    if _SIMPLE.fullmatch(phrase):
        return [(fold(w), _acronym(w), w.casefold() == "al") for w in phrase.split(" ")]
    return [(t.key, t.acronym, t.article) for t in tokenise(phrase)]


def name_key(text: str) -> tuple[str, ...]:
    """The match key of a whole name: its tokens' folded keys, articles left out."""
    return tuple(tok.key for tok in tokenise(text) if not tok.article)


_PERIOD_SUFFIX = re.compile(r"\s*\((?:\d{4})?\s*-\s*(?:\d{4})?\)\s*$")


@functools.lru_cache(maxsize=50_000)
def canonical_key(name: str) -> str:
    """How canonical names compare: case, hyphens, apostrophes and a trailing '(2000-2024)' ignored."""
    bare = _PERIOD_SUFFIX.sub("", name)
    return " ".join(key for key, _, article in phrase_tokens(bare) if not article)
