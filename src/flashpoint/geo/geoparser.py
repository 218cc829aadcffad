"""Geoparsing a text: detect its toponyms and resolve them (the library behind ``flashpoint places``)."""

from __future__ import annotations

from collections.abc import Sequence

from flashpoint.geo.detect import Detected, detect_toponyms
from flashpoint.geo.gazetteer import Gazetteer, load_gazetteer
from flashpoint.geo.ranker import Ranker
from flashpoint.geo.resolve import Resolved, Toponym, resolve_toponyms
from flashpoint.records import ActorMention, Mention, PlaceMention, Sentence


class Geoparser:
    """Finds and resolves place names; the NLP model is used only by :meth:`parse`."""

    def __init__(self, gazetteer: Gazetteer | None = None, model: object | None = None,
                 ranker: Ranker | None = None) -> None:
        self._gazetteer = gazetteer
        self._model = model
        self.ranker = ranker  # None: the shipped one

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def _analyse(self, texts: Sequence[str]) -> list[tuple[tuple[Sentence, ...], tuple[Mention, ...]]]:
        if self._model is None:
            from flashpoint.nlp.model import SpacyModel

            self._model = SpacyModel()
        out = []
        for a in self._model.analyse(list(texts), parse_filter=lambda _s: False):  # type: ignore[attr-defined]
            out.append((a.sentences, a.mentions))
        return out

    def _detect(self, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], strict: bool = False,
                actors: Sequence[ActorMention] = ()) -> list[Detected]:
        return detect_toponyms(text, sentences, mentions, self.gazetteer, strict=strict, actors=actors)

    def resolve_detected(
        self, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention],
        actors: Sequence[ActorMention] = (),
    ) -> tuple[list[Detected], list[Resolved]]:
        found = self._detect(text, sentences, mentions, actors=actors)
        resolved = resolve_toponyms(text, [Toponym(d.start, d.end, d.sentence) for d in found], self.gazetteer,
                                    ranker=self.ranker)
        return found, resolved

    def parse_many(self, texts: Sequence[str]) -> list[list[PlaceMention]]:
        """Every place mention of each text, found and resolved."""
        return [
            [r.mention for r in self.resolve_detected(text, sents, ments)[1]]
            for text, (sents, ments) in zip(texts, self._analyse(texts), strict=True)
        ]

    def parse(self, text: str) -> list[PlaceMention]:
        return self.parse_many([text])[0]

    def span_toponyms(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Toponym]:
        """The given spans, in order, then the other names of the text the gazetteer knows (context only)."""
        for s, e in spans:
            if not (0 <= s < e <= len(text)):
                raise ValueError(f"span ({s}, {e}) is outside the text (length {len(text)})")
        context = [d for d in self._detect(text, (), (), strict=True)
                   if all(d.end <= s or d.start >= e for s, e in spans)]
        return [Toponym(s, e) for s, e in spans] + [Toponym(d.start, d.end) for d in context]

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[PlaceMention]:
        """Resolve exactly the given spans (one mention each, in order); the rest of the text, matched
        against the gazetteer, is context only."""
        resolved = resolve_toponyms(text, self.span_toponyms(text, spans), self.gazetteer, ranker=self.ranker)
        return [r.mention for r in resolved[: len(spans)]]
