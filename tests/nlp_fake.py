"""An in-memory NLP model with hand-built parses, for the rule and role modules' tests (no spaCy).

Each known sentence comes with its parse written out, word by word: ``(word, pos, dep, head, entity)``
with ``head`` the index of the head word in the sentence (the root points at itself) and ``entity``
an NER label or "". A text is split into the known sentences it is made of; any other text is refused,
so a test can never run on a parse nobody wrote.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from flashpoint.nlp.model import Analysis, ParseFilter
from flashpoint.records import Mention, Sentence, Token

Word = tuple[str, str, str, int, str]


class HandParsedModel:
    """Analyses texts made of sentences whose parses it was given."""

    def __init__(self, parses: Mapping[str, Sequence[Word]]) -> None:
        self.parses = dict(parses)

    def analyse(self, texts: Sequence[str], parse_filter: ParseFilter | None = None,
                ner_filter: ParseFilter | None = None) -> Iterator[Analysis]:
        for text in texts:
            yield self._one(text)

    def _one(self, text: str) -> Analysis:
        sentences: list[Sentence] = []
        tokens: list[Token] = []
        mentions: list[Mention] = []
        pos = 0
        while pos < len(text):
            if text[pos].isspace():
                pos += 1
                continue
            known = next((s for s in self.parses if text.startswith(s, pos)), None)
            if known is None:
                raise ValueError(f"no hand-built parse for the text at {pos}: {text[pos:pos + 40]!r}")
            index = len(sentences)
            sentences.append(Sentence(index, pos, pos + len(known), known))
            tokens += self._tokens(known, pos, index, len(tokens), mentions)
            pos += len(known)
        return Analysis(tuple(sentences), tuple(tokens), tuple(mentions), frozenset(range(len(sentences))))

    def _tokens(self, sentence: str, offset: int, index: int, first: int, mentions: list[Mention]) -> list[Token]:
        out: list[Token] = []
        at = 0
        for k, (word, pos, dep, head, entity) in enumerate(self.parses[sentence]):
            start = sentence.index(word, at)
            at = start + len(word)
            out.append(Token(first + k, offset + start, offset + at, word, word.lower(), pos, pos, dep, first + head,
                             index, entity))
            if entity and (k == 0 or self.parses[sentence][k - 1][4] != entity):
                mentions.append(Mention(offset + start, offset + at, word, entity, index, "hand"))
            elif entity:
                last = mentions[-1]
                mentions[-1] = Mention(last.start, offset + at, text_of(sentence, offset, last.start, offset + at),
                                       entity, index, "hand")
        return out


def text_of(sentence: str, offset: int, start: int, end: int) -> str:
    return sentence[start - offset : end - offset]
