"""Run flashpoint's NLP and actor stages over the labelled corpus and keep, per event line, what the
argument model sees (tokens, actor mentions, trigger) and the annotated actor1/actor2 spans.

Used by ``train.py``, which keeps the records in a cache file (``--cache``): they hold corpus text, so
they stay out of the repository.

Every sentence is parsed (``parse_filter=None``) and named entities are read per sentence, as the
coder does for sentences it codes. The trigger is the sentence model's trigger word for the gold
sub-event type (the events stage's rule) where the shipped model has trigger words, else a word that
starts with a prefilter stem (:func:`trigger`).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

from flashpoint.events.corpus import LabelledDocument, is_dev
from flashpoint.records import ActorMention, Article, Sentence, Token


@dataclass(frozen=True, slots=True)
class EventExample:
    """One ``event`` line of the corpus with the pipeline's reading of its sentence."""

    source: str
    doc: str
    dev: bool
    sub_event_type: str
    sentence: Sentence
    tokens: tuple[Token, ...]
    mentions: tuple[ActorMention, ...]  # actor mentions of the event's sentence
    context: tuple[ActorMention, ...]  # actor mentions of the sentence before
    trigger: tuple[int, int]
    country: str | None
    published: dt.date | None
    actor1: tuple[int, int] | None  # annotated spans (document offsets)
    actor2: tuple[int, int] | None


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _stems() -> re.Pattern[str]:
    """The prefilter's trigger stems (``events/data/trigger_stems.txt``), matched at a word start."""
    text = resources.files("flashpoint.events").joinpath("data", "trigger_stems.txt").read_text(encoding="utf-8")
    stems = sorted({line.split("#", 1)[0].strip().lower() for line in text.splitlines()} - {""}, key=len,
                   reverse=True)
    return re.compile("|".join(re.escape(s) for s in stems))


def trigger_words() -> Callable[[str, Sequence[str]], int | None] | None:
    """The sentence model's ``trigger_word`` when the shipped model carries trigger words, else None."""
    from flashpoint.errors import ModelError
    from flashpoint.events.sentence_model import load_model

    try:
        model = load_model()
    except ModelError as exc:
        log(f"no sentence model trigger words ({exc}); triggers from the prefilter stems")
        return None
    return model.trigger_word if model.triggers else None


def trigger(words_of: Callable[[str, Sequence[str]], int | None] | None, stems: re.Pattern[str], label: str,
            sentence: Sentence, tokens: Sequence[Token]) -> tuple[int, int]:
    """The events stage's trigger: the sentence model's word for the label where the model has trigger
    words; else the first verb, then noun, that starts with a prefilter stem; else the root verb, the
    first verb, the first token."""
    words = [t for t in tokens if t.text[:1].isalpha()]
    best = words_of(label, [t.text for t in words]) if words_of is not None else None
    if best is not None:
        return (words[best].start, words[best].end)
    stemmed = [t for t in words if stems.match(t.text.lower())]
    found = (next((t for t in stemmed if t.pos == "VERB"), None) or next((t for t in stemmed if t.pos == "NOUN"), None)
             or next((t for t in tokens if t.dep == "ROOT" and t.pos == "VERB"), None)
             or next((t for t in tokens if t.pos == "VERB"), None) or next(iter(tokens), None))
    return (sentence.start, sentence.end) if found is None else (found.start, found.end)


def _date(published: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def _span(args: dict, key: str) -> tuple[int, int] | None:
    value = args.get(key)
    return (int(value[0]), int(value[1])) if value else None


def examples(docs: Sequence[LabelledDocument]) -> list[EventExample]:
    from flashpoint.actors import ActorStage
    from flashpoint.events.roles import article_country
    from flashpoint.nlp import NlpStage
    from flashpoint.nlp.model import SpacyModel
    from flashpoint.pipeline import ArticleState

    words_of, stems = trigger_words(), _stems()
    nlp, actors = NlpStage(SpacyModel(ner_everywhere=False)), ActorStage()
    wanted = [d for d in docs if any(x["reason"] == "event" for lines in d.labels for x in lines)]
    out: list[EventExample] = []
    states = nlp.pipe(ArticleState(Article(d.doc, d.text, _date(d.published))) for d in wanted)
    for n, (d, state) in enumerate(zip(wanted, states, strict=True)):
        if n % 100 == 0:
            log(f"{n}/{len(wanted)} documents")
        state = actors(state)
        country = article_country(state.actor_mentions)
        for (a, _b), lines in zip(d.sentences, d.labels, strict=True):
            sentence = next((s for s in state.sentences if s.start <= a < s.end), None)
            if sentence is None:
                continue
            tokens = state.sentence_tokens(sentence.index)
            mine = tuple(m for m in state.actor_mentions if m.sentence == sentence.index)
            before = tuple(m for m in state.actor_mentions if m.sentence == sentence.index - 1)
            for x in lines:
                if x["reason"] != "event":
                    continue
                args = x.get("args") or {}
                out.append(EventExample(d.source, d.doc, is_dev(d.source, d.doc), x["label"], sentence, tokens,
                                        mine, before, trigger(words_of, stems, x["label"], sentence, tokens), country,
                                        state.article.published, _span(args, "actor1"), _span(args, "actor2")))
    return out
