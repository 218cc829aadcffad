"""The temporal stage: a date for every event candidate, from its sentence or the context nearby.

For each :class:`~flashpoint.records.EventCandidate` whose ``date`` is still None:

1. the date expressions of its sentence, skipping relative ones inside quotations ("“We came out
   today”" is the speaker's today, not the publication day); of several, the one nearest the
   trigger (a date after the trigger preferred over one as far before it);
2. if the sentence dates the event only vaguely ("recently", "previously", "on a number of
   occasions"), the publication span (see :func:`~flashpoint.temporal.publication_span`);
   if it names only an earlier year ("in 2014", "last year"), that year
   (:func:`~flashpoint.temporal.year_span`: basis "year", never the publication date);
3. if the sentence has no date at all, a neighbour in the same paragraph: the next sentence when it
   continues this one (a quotation's attribution: "… ,” said one of the protesters at a recent
   demonstration"), else the previous sentence (news keeps the date of the lead: "Rebels seized the
   town on Tuesday. They raised their flag …");
4. else the publication span.

An article without a publication date has nothing to resolve relative dates against: a candidate
takes a date its sentence fixes on its own ("on 3 March 2021", the same whatever day it is read on),
else it keeps ``date=None`` and the event is undated (no date is taken from the clock).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import ClassVar

from flashpoint.pipeline import ArticleState
from flashpoint.records import DateSpan, EventCandidate, Sentence
from flashpoint.temporal.expressions import (
    DateMention,
    find_dates,
    publication_span,
    quote_regions,
    unquoted,
    year_span,
)

_CONTINUATION = re.compile(r"^\s*(?:[a-z]|[\"”’]?\s*(?:said|says|added|told)\b|(?:Said|Says|Added)\b)")


class TemporalStage:
    """Sets ``date`` on every event candidate (see the module docstring for the order of sources)."""

    name: ClassVar[str] = "temporal"
    requires: ClassVar[frozenset[str]] = frozenset({"sentences", "candidates"})
    provides: ClassVar[frozenset[str]] = frozenset({"candidates.date"})

    def __call__(self, state: ArticleState) -> ArticleState:
        published = state.article.published
        if not state.candidates:
            return state.with_(self.name)
        if published is None:
            return state.with_(self.name, candidates=_undated(state))
        dater = _ArticleDater(state, published)
        candidates = tuple(
            c if c.date is not None else dataclasses.replace(c, date=dater.date_for(c))
            for c in state.candidates
        )
        return state.with_(self.name, candidates=candidates)


_READINGS = (dt.date(2001, 6, 15), dt.date(2031, 6, 15))
"""Two days far apart to read an undated article on: a date resolved alike on both is fixed by the text."""


def _undated(state: ArticleState) -> tuple[EventCandidate, ...]:
    """Candidates of an article without a publication date, dated where their sentence fixes a date on
    its own (a written year), nearest the trigger; the others stay undated."""
    quotes = quote_regions(state.article.text)
    out = []
    for c in state.candidates:
        sentence = next((s for s in state.sentences if s.index == c.sentence), None)
        if c.date is not None or sentence is None:
            out.append(c)
            continue
        early, late = (unquoted(find_dates(sentence.text, day, offset=sentence.start), quotes) for day in _READINGS)
        later = {(m.start, m.end): m.date for m in late}
        fixed = [m for m in early if m.date is not None and later.get((m.start, m.end)) == m.date]
        if not fixed:
            out.append(c)
            continue
        trigger = _article_offset(c.trigger[0], sentence)
        best = min(fixed, key=lambda m: (_distance(m, trigger), m.start))
        out.append(dataclasses.replace(c, date=best.date))
    return tuple(out)


class _ArticleDater:
    def __init__(self, state: ArticleState, published: dt.date) -> None:
        self.text = state.article.text
        self.published = published
        self.quotes = quote_regions(self.text)
        self.sentences = sorted(state.sentences, key=lambda s: s.start)
        self.position = {s.index: i for i, s in enumerate(self.sentences)}
        self._cache: dict[int, tuple[DateMention, ...]] = {}

    def mentions(self, sentence: Sentence) -> tuple[DateMention, ...]:
        if sentence.index not in self._cache:
            self._cache[sentence.index] = find_dates(sentence.text, self.published, offset=sentence.start)
        return self._cache[sentence.index]

    def usable(self, sentence: Sentence) -> list[DateMention]:
        return [m for m in unquoted(self.mentions(sentence), self.quotes) if m.date is not None]

    def vague(self, sentence: Sentence) -> bool:
        return any(m.vague for m in self.mentions(sentence))

    def date_for(self, candidate: EventCandidate) -> DateSpan:
        position = self.position.get(candidate.sentence)
        if position is None:
            return publication_span(self.published)
        sentence = self.sentences[position]
        usable = self.usable(sentence)
        if usable:
            trigger = _article_offset(candidate.trigger[0], sentence)
            best = min(usable, key=lambda m: (_distance(m, trigger), m.start))
            assert best.date is not None
            return best.date
        if self.vague(sentence):
            return publication_span(self.published)
        past_year = self.past_year(sentence)
        if past_year is not None:
            return past_year
        for neighbour in self.neighbours(position):
            found = self.usable(neighbour)
            if found:
                date = found[0].date
                assert date is not None
                return date
            if self.vague(neighbour):
                break
        return publication_span(self.published)

    def past_year(self, sentence: Sentence) -> DateSpan | None:
        """A year before publication named alone ("Isis first captured Raqqa in early 2014")."""
        for m in self.mentions(sentence):
            if m.year is not None and m.year < self.published.year:
                return year_span(m.year, self.published, m.text, (m.start, m.end))
        return None

    def neighbours(self, position: int) -> list[Sentence]:
        """The sentences of the same paragraph that may carry this one's date, in order of trust."""
        out: list[Sentence] = []
        sentence = self.sentences[position]
        if position + 1 < len(self.sentences):
            nxt = self.sentences[position + 1]
            if self._same_paragraph(sentence, nxt) and _CONTINUATION.match(nxt.text):
                out.append(nxt)
        if position > 0:
            prev = self.sentences[position - 1]
            if self._same_paragraph(prev, sentence):
                out.append(prev)
        return out

    def _same_paragraph(self, first: Sentence, second: Sentence) -> bool:
        return "\n" not in self.text[first.end : second.start]


def _article_offset(offset: int, sentence: Sentence) -> int:
    """Trigger offsets index the article; tolerate sentence-relative ones."""
    if sentence.start <= offset <= sentence.end:
        return offset
    return sentence.start + offset


def _distance(mention: DateMention, pos: int) -> int:
    """Characters from the trigger; a date before it counts triple (English dates follow the verb:
    "jets struck the town on Monday"; a fronted "On Monday, jets struck" is still near)."""
    if mention.start <= pos < mention.end:
        return 0
    if mention.start > pos:
        return mention.start - pos
    return 3 * (pos - mention.end)
