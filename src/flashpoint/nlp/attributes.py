"""Part-of-speech, morphology and lemmas after the parse: spaCy's attribute ruler and lemmatizer,
with the same results at a fraction of the cost.

spaCy's ``AttributeRuler`` runs a ``Matcher`` of all its patterns (179 in ``en_core_web_sm``) over
every token; its rule ``Lemmatizer`` caches only the lemmas its suffix rules compute, so the base
forms (most tokens) are worked out again every time. On the coder's parsed sentences the two cost
as much as the parser. :class:`Attributes` applies the ruler's patterns that test one token's
``LOWER`` and ``TAG`` only (150 of 179) from a table keyed by those two values, the others with a
``Matcher`` of just them, in the ruler's order (a later pattern wins), and caches every lemma by
what the lemmatizer reads (the word, its part of speech, its morphology). The results are the
ruler's and the lemmatizer's, token for token (tests/test_nlp_attributes.py compares them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SIMPLE_KEYS = frozenset({"LOWER", "TAG"})


def _simple_test(pattern: list[dict[str, Any]]) -> dict[str, frozenset[str]] | None:
    """``{"LOWER": values, "TAG": values}`` when the pattern tests one token's LOWER and TAG only,
    each against a string or an ``IN`` list; None for any other pattern."""
    if len(pattern) != 1 or not pattern[0] or not set(pattern[0]) <= _SIMPLE_KEYS:
        return None
    test: dict[str, frozenset[str]] = {}
    for key, value in pattern[0].items():
        if isinstance(value, str):
            test[key] = frozenset({value})
        elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            test[key] = frozenset(value["IN"])
        else:
            return None
    return test


class Attributes:
    """``attributes(doc)``: what ``attribute_ruler`` then ``lemmatizer`` would set on a tagged and
    parsed doc, set in place."""

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        from spacy.matcher import Matcher

        self.lemmatizer = lemmatizer
        self.vocab = ruler.vocab
        self.attrs = list(ruler.attrs)
        self.indices = list(ruler.indices)
        self.simple: list[tuple[int, dict[str, frozenset[str]]]] = []
        self.matcher = Matcher(ruler.vocab, validate=False)
        for attr_id, entry in enumerate(ruler.patterns):
            rest = []
            for pattern in entry["patterns"]:
                test = _simple_test(pattern)
                if test is not None and self.indices[attr_id] in (0, -1):
                    self.simple.append((attr_id, test))
                else:
                    rest.append(pattern)
            if rest:
                self.matcher.add(str(attr_id), rest)
        self._by_word: dict[tuple[int, int], tuple[int, ...]] = {}
        self._lemmas: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span
        from spacy.tokens._retokenize import set_token_attrs

        matches: list[tuple[int, int, int]] = []
        for i, token in enumerate(doc):
            key = (token.lower, token.tag)
            ids = self._by_word.get(key)
            if ids is None:
                ids = self._by_word[key] = self._simple_ids(token.lower_, token.tag_)
            matches.extend((attr_id, i, i + 1) for attr_id in ids)
        strings = self.vocab.strings
        matches.extend(
            (int(strings[m_id]), start, end) for m_id, start, end in self.matcher(doc, allow_missing=True)
        )
        matches.sort()  # the ruler's order: by pattern, then position; a later pattern wins
        for attr_id, start, end in matches:
            index = self.indices[attr_id]
            token = doc[start] if end == start + 1 and index in (0, -1) else Span(doc, start, end)[index]
            set_token_attrs(token, self.attrs[attr_id])
        self._lemmatize(doc)
        return doc

    def _simple_ids(self, lower: str, tag: str) -> tuple[int, ...]:
        return tuple(
            attr_id
            for attr_id, test in self.simple
            if lower in test.get("LOWER", (lower,)) and tag in test.get("TAG", (tag,))
        )

    def _lemmatize(self, doc: Doc) -> None:
        lemmatizer = self.lemmatizer
        for token in doc:
            if lemmatizer.overwrite or token.lemma == 0:
                token.lemma_ = self._lemma(token)

    def _lemma(self, token: Token) -> str:
        # the rule lemmatizer reads the word, its part of speech and its morphology, nothing else
        key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
        lemma = self._lemmas.get(key)
        if lemma is None:
            lemma = self._lemmas[key] = self.lemmatizer.lemmatize(token)[0]
        return lemma
