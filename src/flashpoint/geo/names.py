"""Place-name keys: how a toponym written in the text meets its gazetteer entry.

Two keys per name:

- :func:`name_key`: case, accents, apostrophe-like marks (' ’ ‘ ` ʿ ʾ) and punctuation removed, so
  "Ma'arrat an-Nu'man" and "Maarrat an Numan" meet;
- :func:`skeleton`: a transliteration-tolerant key for Arabic (and similar) names written in Latin
  letters in many ways: Arabic articles (al-, ar-, an-, el- ...) dropped, vowels and doubled letters
  collapsed, so "Maarat al-Numan", "Ma'arrat an-Nu'man" and "Maaret al-Noman" share one skeleton.

A skeleton match is weaker evidence than a key match: callers use it only when the key finds nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKS = "'’‘`´ʿʾʼʻ\u02bc\u02bb\u2019\u2018\u00b4"
_MARK_RE = re.compile(f"[{re.escape(_MARKS)}]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Arabic definite articles as transliterated: al-Numan, an-Nu'man, ar-Raqqa, el-Arish, ez-Zor ...
ARTICLES = frozenset(
    {"al", "el", "ar", "an", "as", "ash", "at", "ath", "ad", "adh", "az", "ed", "er", "es", "et", "ez", "en",
     "ul", "il", "aț"}
)
LOOSE_COUNTRIES = frozenset(
    {"SY", "IQ", "TR", "JO", "LB", "IL", "PS", "EG", "LY", "TN", "DZ", "MA", "SA", "YE", "OM", "AE", "QA", "BH",
     "KW", "IR", "AF", "PK", "SD", "SO", "ML", "NE", "TD", "MR"}
)
"""Where transliteration-tolerant (skeleton) matches are tried: Arabic and Persian names written in
Latin letters in many ways. Elsewhere a loose match is more often a wrong place than a variant, so
gazetteer files store skeletons only for places of these countries."""
_FOLD = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"})


def fold(text: str) -> str:
    """Lower-case ASCII-ish text: accents stripped, marks removed, punctuation as spaces."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _MARK_RE.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=100_000)
def name_key(text: str) -> str:
    """The exact-match key: folded text with a leading English "the" dropped."""
    key = fold(text)
    if key.startswith("the "):
        key = key[4:]
    return key


def _skeleton_word(word: str) -> str:
    word = word.replace("ou", "u").replace("ee", "i").replace("q", "k").replace("dh", "d")
    word = word.replace("kh", "k").replace("gh", "g").replace("sh", "s").replace("th", "t").replace("j", "g")
    word = re.sub(r"(.)\1+", r"\1", word)
    word = re.sub(r"[aeiouyw]+", "a", word)
    if len(word) > 3 and word.endswith("ah"):
        word = word[:-1]
    return word


@lru_cache(maxsize=100_000)
def skeleton(text: str) -> str:
    """A transliteration-tolerant key (articles dropped, vowels and doubled letters collapsed)."""
    words = name_key(text).split()
    kept = [w for i, w in enumerate(words) if not (w in ARTICLES and i < len(words) - 1)]
    # "al numan" glued ("alnuman") stays one word: split a leading article off longer words
    out = []
    for w in kept:
        if len(w) > 4 and w.startswith("al") and w not in {"alabama", "alaska", "alberta", "algeria"}:
            w = w[2:]
        out.append(_skeleton_word(w))
    return " ".join(x for x in out if x)


_ARABIC_ARTICLE = re.compile(r"(?:\b(?:[Aa][lnrsdtz]|[Ee][lnrsdz]|[Aa]sh|[Aa]dh)[-‐]\w|\b(?:al|el|Al|El)[ ][A-Z])")
_INNER_MARK = re.compile(f"\\w[{re.escape(_MARKS)}](?!s\\b)\\w")


def looks_arabic(text: str) -> bool:
    """True for Latin-script names written the Arabic way: a hyphenated article (al-, an-, ash-), "al "
    before a capital, or an ayn/hamza mark inside a word (not an English possessive 's)."""
    return bool(_ARABIC_ARTICLE.search(text)) or bool(_INNER_MARK.search(text))
